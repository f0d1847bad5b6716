using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// Ozon's payout computed from the ledger records SellerDesk derives, to compare with Ozon's own figure (its accrued
/// amounts, <see cref="OzonConnector.MarketplacePayout"/>): over sales, revenue minus commission, logistics, acquiring
/// and other fees; minus over returns, refund minus commission refund plus return logistics; minus every period fee.
/// The mapping's gaps are not in it: <c>Ozon payout = this + gaps</c>. Null when the rows hold no accruals, like Ozon's side.
/// </summary>
public sealed class OzonLedgerPayoutStrategy : ILedgerPayoutStrategy
{
    public string Marketplace => OzonConnector.MarketplaceCode;

    public decimal? Compute(IMarketplaceConnector connector, IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(rows);
        if (!rows.Any(r => r.Feed is OzonConnector.PostingAccrualsFeed or OzonConnector.DayAccrualsFeed or OzonConnector.LegacyFinanceFeed))
        {
            return null;
        }

        return OzonMapper.LedgerPayout(connector.Map(rows, zone));
    }
}
