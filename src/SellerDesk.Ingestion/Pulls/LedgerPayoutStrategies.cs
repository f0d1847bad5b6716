using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// Computes, for reconciliation, the payout a marketplace owes the seller from the ledger records SellerDesk derives
/// from source rows, to compare with the marketplace's own figure (<see cref="IMarketplaceConnector.MarketplacePayout"/>).
/// One per marketplace; a marketplace without one gets no ledger payout.
/// </summary>
public interface ILedgerPayoutStrategy
{
    /// <summary>The marketplace code it serves (<c>wildberries</c>).</summary>
    string Marketplace { get; }

    /// <summary>The payout computed from the ledger records of <paramref name="rows"/>; null if it cannot say.</summary>
    decimal? Compute(IMarketplaceConnector connector, IReadOnlyList<SourceRow> rows, TimeZoneInfo zone);

    /// <summary>
    /// The same payout from <paramref name="mapped"/>, what <see cref="IMarketplaceConnector.Map"/> made of the rows
    /// (the pull runner streams rows through a mapping and no longer holds them); null when the strategy needs the
    /// rows themselves, which is the default.
    /// </summary>
    decimal? ComputeFromMapping(IMarketplaceConnector connector, DerivedLedger mapped) => null;

    /// <summary>Whether <see cref="ComputeFromMapping"/> of parts adds up to that of the whole (a plain sum of records).</summary>
    bool Additive => false;
}

/// <summary>Wildberries: <see cref="WildberriesLedgerPayout.Compute"/> over the mapping of the rows.</summary>
public sealed class WildberriesLedgerPayoutStrategy : ILedgerPayoutStrategy
{
    public string Marketplace => WildberriesConnector.MarketplaceCode;

    public decimal? Compute(IMarketplaceConnector connector, IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return WildberriesLedgerPayout.Compute(connector.Map(rows, zone), connector.Marketplace);
    }

    public decimal? ComputeFromMapping(IMarketplaceConnector connector, DerivedLedger mapped)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(mapped);
        return WildberriesLedgerPayout.Compute(mapped, connector.Marketplace);
    }

    public bool Additive => true;
}
