using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>
/// The payout Yandex Market owes the seller, computed from the ledger records SellerDesk derives, to compare with
/// <see cref="YandexMarketConnector.MarketplacePayout"/> (payments and subsidies less commissions of the orders report, less the
/// charges of the services report).
/// </summary>
public static class YandexMarketLedgerPayout
{
    /// <summary>
    /// Over sales: revenue - commission - acquiring - logistics - other_fees; minus over returns:
    /// refund - commission_refund + return_logistics; minus every period fee. Only records of
    /// <paramref name="marketplace"/> count.
    /// </summary>
    public static decimal Compute(DerivedLedger ledger, string marketplace = YandexMarketConnector.MarketplaceCode)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var sales = ledger.Sales
            .Where(s => s.Marketplace == marketplace)
            .Sum(s => s.Revenue - s.Commission - s.Acquiring - s.Logistics - s.OtherFees);
        var returns = ledger.Returns
            .Where(r => r.Marketplace == marketplace)
            .Sum(r => r.Refund - r.CommissionRefund + r.ReturnLogistics);
        var fees = ledger.Fees.Where(f => f.Marketplace == marketplace).Sum(f => f.Amount);
        return sales - returns - fees;
    }
}

/// <summary>Yandex Market: <see cref="YandexMarketLedgerPayout.Compute"/> over the mapping of the rows (null without an order or services row).</summary>
public sealed class YandexMarketLedgerPayoutStrategy : ILedgerPayoutStrategy
{
    public string Marketplace => YandexMarketConnector.MarketplaceCode;

    public decimal? Compute(IMarketplaceConnector connector, IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(rows);
        if (!rows.Any(r => r.Feed is YandexMarketConnector.OrdersFeed or YandexMarketConnector.ServicesFeed))
        {
            return null;
        }

        return YandexMarketLedgerPayout.Compute(connector.Map(rows, zone), connector.Marketplace);
    }
}
