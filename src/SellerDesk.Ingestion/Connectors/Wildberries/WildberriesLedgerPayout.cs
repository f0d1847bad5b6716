namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// The payout Wildberries owes the seller, computed from ledger records instead of the report, so reconciliation
/// can compare the two (issue 3, point 3). Ad spend is not in it: WB charges ads to a separate balance.
/// </summary>
public static class WildberriesLedgerPayout
{
    /// <summary>
    /// Over sales: revenue - commission - acquiring - logistics - other_fees; minus over returns:
    /// refund - commission_refund + return_logistics; minus every period fee. Only records of
    /// <paramref name="marketplace"/> count.
    /// </summary>
    public static decimal Compute(DerivedLedger ledger, string marketplace = WildberriesConnector.MarketplaceCode)
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
