using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// Ozon's payout computed from the ledger records SellerDesk derives, to compare with Ozon's own figure (the sum of
/// the finance operations' <c>amount</c>, <see cref="OzonConnector.MarketplacePayout"/>): over sales, revenue minus
/// commission, logistics, acquiring and other fees; minus over returns, refund minus commission refund plus return
/// logistics; minus every period fee. Null when the rows hold no finance operation, like Ozon's side.
/// </summary>
public sealed class OzonLedgerPayoutStrategy : ILedgerPayoutStrategy
{
    public string Marketplace => OzonConnector.MarketplaceCode;

    public decimal? Compute(IMarketplaceConnector connector, IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(rows);
        if (!rows.Any(r => r.Feed == OzonConnector.FinanceFeed))
        {
            return null;
        }

        return OzonMapper.LedgerPayout(connector.Map(rows, zone));
    }
}
