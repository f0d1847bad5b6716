namespace SellerDesk.Domain.Ledger;

/// <summary>
/// What a marketplace owes the seller for ledger records: the one payout rule, used wherever SellerDesk checks its
/// ledger against a marketplace's own payout figure (pull reconciliation). Ad spend is not in it: marketplaces charge
/// ads to a separate balance.
/// <list type="bullet">
/// <item>a sales line adds <c>revenue - commission - acquiring - logistics - other_fees</c>;</item>
/// <item>a return subtracts <c>refund - commission_refund + return_logistics</c>;</item>
/// <item>a period fee subtracts its amount.</item>
/// </list>
/// Every part is a plain sum over records, so the payout of a set is the sum of the payouts of any split of it (per
/// order, per date).
/// </summary>
public static class Payout
{
    public static decimal Of(SaleLine sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        return sale.Revenue - sale.Commission - sale.Acquiring - sale.Logistics - sale.OtherFees;
    }

    public static decimal Of(ReturnEvent returned)
    {
        ArgumentNullException.ThrowIfNull(returned);
        return -(returned.Refund - returned.CommissionRefund + returned.ReturnLogistics);
    }

    public static decimal Of(PeriodFee fee)
    {
        ArgumentNullException.ThrowIfNull(fee);
        return -fee.Amount;
    }

    /// <summary>The payout of all these records (any of the lists may be empty).</summary>
    public static decimal Of(IEnumerable<SaleLine> sales, IEnumerable<ReturnEvent> returns, IEnumerable<PeriodFee> fees)
    {
        ArgumentNullException.ThrowIfNull(sales);
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(fees);
        return sales.Sum(Of) + returns.Sum(Of) + fees.Sum(Of);
    }
}
