namespace SellerDesk.Domain.Economics;

/// <summary>The returns of one order line up to <c>as_of</c>, summed (metrics.md section 2).</summary>
public readonly record struct LineReturns(
    int Units,
    decimal Refund,
    decimal CommissionRefund,
    decimal ReturnLogistics,
    int NonRestockableUnits)
{
    public static LineReturns None => default;

    public LineReturns Add(int units, decimal refund, decimal commissionRefund, decimal returnLogistics, bool restockable) =>
        new(
            Units + units,
            Refund + refund,
            CommissionRefund + commissionRefund,
            ReturnLogistics + returnLogistics,
            NonRestockableUnits + (restockable ? 0 : units));
}

/// <summary>What one order line sold for, costs and loses to returns. Exact values; round only on output.</summary>
public readonly record struct LineEconomics(
    int Quantity,
    int ReturnedUnits,
    decimal Revenue,
    decimal NetRevenue,
    decimal Fees,
    decimal NetCogs,
    decimal ContributionMargin,
    decimal ReturnLoss,
    bool CogsMissing)
{
    /// <summary>
    /// Applies metrics.md section 2 to one line.
    /// </summary>
    /// <param name="quantity">Units sold, <c>q</c>.</param>
    /// <param name="revenue">Line revenue.</param>
    /// <param name="commission">Marketplace commission.</param>
    /// <param name="logistics">Delivery to the buyer.</param>
    /// <param name="acquiring">Payment processing.</param>
    /// <param name="otherFees">Other per-line fees.</param>
    /// <param name="returns">The line's returns up to as_of.</param>
    /// <param name="unitCost">The SKU's cost on the order date; null when none is known.</param>
    public static LineEconomics Compute(
        int quantity,
        decimal revenue,
        decimal commission,
        decimal logistics,
        decimal acquiring,
        decimal otherFees,
        LineReturns returns,
        decimal? unitCost)
    {
        if (quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "A sales line sells at least one unit.");
        }

        if (returns.Units > quantity)
        {
            throw new ArgumentException($"{returns.Units} units returned of {quantity} sold.", nameof(returns));
        }

        var cost = unitCost ?? 0m;
        var netRevenue = revenue - returns.Refund;
        var fees = commission - returns.CommissionRefund + logistics + returns.ReturnLogistics + acquiring + otherFees;
        var netCogs = cost * (quantity - returns.Units + returns.NonRestockableUnits);
        var margin = netRevenue - fees - netCogs;
        var returnLoss = returns.Units == 0
            ? 0m
            : (returns.Units * (commission + logistics + acquiring + otherFees) / quantity)
              - returns.CommissionRefund
              + returns.ReturnLogistics
              + (cost * returns.NonRestockableUnits);

        return new LineEconomics(quantity, returns.Units, revenue, netRevenue, fees, netCogs, margin, returnLoss, unitCost is null);
    }
}
