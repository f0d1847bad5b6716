namespace SellerDesk.Domain.Economics;

/// <summary>One order line as sold (metrics.md section 2): what a return's effect is measured against.</summary>
/// <param name="Quantity">Units sold, <c>q</c>.</param>
/// <param name="Revenue">Line revenue.</param>
/// <param name="Commission">Marketplace commission.</param>
/// <param name="Logistics">Delivery to the buyer.</param>
/// <param name="Acquiring">Payment processing.</param>
/// <param name="OtherFees">Other per-line fees.</param>
/// <param name="UnitCost">The SKU's cost on the order date; null when none is known.</param>
public readonly record struct LineSale(
    int Quantity,
    decimal Revenue,
    decimal Commission,
    decimal Logistics,
    decimal Acquiring,
    decimal OtherFees,
    decimal? UnitCost);

/// <summary>Returns of one order line, summed: one return event, or all of a line's returns up to some date.</summary>
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

/// <summary>
/// metrics.md section 2 as an additive vector. A line's economics are its sale's components plus its returns'
/// components; the economics of any set of lines are the sum of theirs. Every figure of section 2 (net revenue, fees,
/// net COGS, contribution margin, return loss) is a linear function of the components and is written here once, so
/// a sum of vectors gives the sum of the figures, and scenario adjustments (section 6) can act on sums.
/// Exact values; round only on output.
/// </summary>
public readonly record struct LineEconomics
{
    // Sale side: known when the line is sold.

    /// <summary>Units sold, <c>q</c>.</summary>
    public int Units { get; init; }

    public decimal Revenue { get; init; }

    public decimal Commission { get; init; }

    public decimal Logistics { get; init; }

    public decimal Acquiring { get; init; }

    public decimal OtherFees { get; init; }

    /// <summary><c>unit_cost * q</c>.</summary>
    public decimal SoldCogs { get; init; }

    /// <summary>Lines without a known unit cost.</summary>
    public int CogsMissingLines { get; init; }

    // Return side: each return adds its part on its own date.

    /// <summary>Units returned, <c>R</c> (fractional only in a scenario with <c>returns_scale</c>).</summary>
    public decimal ReturnedUnits { get; init; }

    /// <summary>Units returned with <c>restockable = false</c>.</summary>
    public decimal NonrestockUnits { get; init; }

    public decimal Refund { get; init; }

    public decimal CommissionRefund { get; init; }

    public decimal ReturnLogistics { get; init; }

    /// <summary><c>unit_cost * R</c>: the cost of the units that came back.</summary>
    public decimal ReturnedCogs { get; init; }

    /// <summary><c>unit_cost * nonrestock</c>: the cost of the returned units that cannot be sold again.</summary>
    public decimal NonrestockCogs { get; init; }

    /// <summary><c>s * revenue</c>, with <c>s = R / q</c>: kept so a commission change reaches the return loss linearly.</summary>
    public decimal ReturnedShareOfRevenue { get; init; }

    /// <summary><c>s * commission</c>.</summary>
    public decimal ReturnedShareOfCommission { get; init; }

    /// <summary><c>s * logistics</c>.</summary>
    public decimal ReturnedShareOfLogistics { get; init; }

    /// <summary><c>s * acquiring</c>.</summary>
    public decimal ReturnedShareOfAcquiring { get; init; }

    /// <summary><c>s * other_fees</c>.</summary>
    public decimal ReturnedShareOfOtherFees { get; init; }

    // Section 2's figures: the only place their formulas are written.

    /// <summary><c>net_revenue = revenue - refund</c>.</summary>
    public decimal NetRevenue => Revenue - Refund;

    /// <summary><c>fees = commission - commission_refund + logistics + return_logistics + acquiring + other_fees</c>.</summary>
    public decimal Fees => Commission - CommissionRefund + Logistics + ReturnLogistics + Acquiring + OtherFees;

    /// <summary>The P&amp;L's commission line (4.5): <c>commission - commission_refund</c>.</summary>
    public decimal NetCommission => Commission - CommissionRefund;

    /// <summary>The P&amp;L's logistics line (4.5): <c>logistics + return_logistics</c>.</summary>
    public decimal AllLogistics => Logistics + ReturnLogistics;

    /// <summary><c>net_cogs = unit_cost * (q - R + nonrestock)</c>: restockable units come back.</summary>
    public decimal NetCogs => SoldCogs - ReturnedCogs + NonrestockCogs;

    /// <summary><c>cm = net_revenue - fees - net_cogs</c>.</summary>
    public decimal ContributionMargin => NetRevenue - Fees - NetCogs;

    /// <summary>
    /// <c>s * (commission + logistics + acquiring + other_fees) - commission_refund + return_logistics + unit_cost * nonrestock</c>;
    /// 0 when <c>R = 0</c>, since every return-side component is then 0.
    /// </summary>
    public decimal ReturnLoss =>
        ReturnedShareOfCommission + ReturnedShareOfLogistics + ReturnedShareOfAcquiring + ReturnedShareOfOtherFees
        - CommissionRefund + ReturnLogistics + NonrestockCogs;

    /// <summary>The sale side of one line.</summary>
    public static LineEconomics Sold(LineSale sale)
    {
        if (sale.Quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sale), sale.Quantity, "A sales line sells at least one unit.");
        }

        var cost = sale.UnitCost ?? 0m;
        return new LineEconomics
        {
            Units = sale.Quantity,
            Revenue = sale.Revenue,
            Commission = sale.Commission,
            Logistics = sale.Logistics,
            Acquiring = sale.Acquiring,
            OtherFees = sale.OtherFees,
            SoldCogs = cost * sale.Quantity,
            CogsMissingLines = sale.UnitCost is null ? 1 : 0,
        };
    }

    /// <summary>
    /// The effect of returns of a line: one return event, or several summed (the effect is linear in them).
    /// A line's economics as of a date are <see cref="Sold"/> plus the effects of its returns up to that date.
    /// </summary>
    public static LineEconomics Returned(LineSale sale, LineReturns returns)
    {
        if (sale.Quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sale), sale.Quantity, "A sales line sells at least one unit.");
        }

        if (returns.Units < 0 || returns.NonRestockableUnits < 0 || returns.NonRestockableUnits > returns.Units)
        {
            throw new ArgumentException($"{returns.Units} units returned, {returns.NonRestockableUnits} of them not restockable.", nameof(returns));
        }

        if (returns.Units > sale.Quantity)
        {
            throw new ArgumentException($"{returns.Units} units returned of {sale.Quantity} sold.", nameof(returns));
        }

        var cost = sale.UnitCost ?? 0m;
        decimal units = returns.Units;
        return new LineEconomics
        {
            ReturnedUnits = units,
            NonrestockUnits = returns.NonRestockableUnits,
            Refund = returns.Refund,
            CommissionRefund = returns.CommissionRefund,
            ReturnLogistics = returns.ReturnLogistics,
            ReturnedCogs = cost * units,
            NonrestockCogs = cost * returns.NonRestockableUnits,
            ReturnedShareOfRevenue = units * sale.Revenue / sale.Quantity,
            ReturnedShareOfCommission = units * sale.Commission / sale.Quantity,
            ReturnedShareOfLogistics = units * sale.Logistics / sale.Quantity,
            ReturnedShareOfAcquiring = units * sale.Acquiring / sale.Quantity,
            ReturnedShareOfOtherFees = units * sale.OtherFees / sale.Quantity,
        };
    }

    /// <summary>A line with its returns up to as_of, summed (<see cref="Sold"/> plus <see cref="Returned"/>).</summary>
    public static LineEconomics Compute(LineSale sale, LineReturns returns) => Sold(sale) + Returned(sale, returns);

    public static LineEconomics Sum(IEnumerable<LineEconomics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var total = default(LineEconomics);
        foreach (var part in parts)
        {
            total += part;
        }

        return total;
    }

    public static LineEconomics operator +(LineEconomics left, LineEconomics right) => new()
    {
        Units = left.Units + right.Units,
        Revenue = left.Revenue + right.Revenue,
        Commission = left.Commission + right.Commission,
        Logistics = left.Logistics + right.Logistics,
        Acquiring = left.Acquiring + right.Acquiring,
        OtherFees = left.OtherFees + right.OtherFees,
        SoldCogs = left.SoldCogs + right.SoldCogs,
        CogsMissingLines = left.CogsMissingLines + right.CogsMissingLines,
        ReturnedUnits = left.ReturnedUnits + right.ReturnedUnits,
        NonrestockUnits = left.NonrestockUnits + right.NonrestockUnits,
        Refund = left.Refund + right.Refund,
        CommissionRefund = left.CommissionRefund + right.CommissionRefund,
        ReturnLogistics = left.ReturnLogistics + right.ReturnLogistics,
        ReturnedCogs = left.ReturnedCogs + right.ReturnedCogs,
        NonrestockCogs = left.NonrestockCogs + right.NonrestockCogs,
        ReturnedShareOfRevenue = left.ReturnedShareOfRevenue + right.ReturnedShareOfRevenue,
        ReturnedShareOfCommission = left.ReturnedShareOfCommission + right.ReturnedShareOfCommission,
        ReturnedShareOfLogistics = left.ReturnedShareOfLogistics + right.ReturnedShareOfLogistics,
        ReturnedShareOfAcquiring = left.ReturnedShareOfAcquiring + right.ReturnedShareOfAcquiring,
        ReturnedShareOfOtherFees = left.ReturnedShareOfOtherFees + right.ReturnedShareOfOtherFees,
    };

    public static LineEconomics Add(LineEconomics left, LineEconomics right) => left + right;
}
