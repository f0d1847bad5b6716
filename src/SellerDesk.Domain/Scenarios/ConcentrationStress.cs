using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Scenarios;

/// <summary>
/// Platform concentration stress, shown beside 4.7: the period's profit (4.2, summed over the marketplaces counted) as
/// it is, if the marketplace with the largest <c>cm_share</c> raised its commission by <see cref="CommissionRisePp"/>
/// percentage points (a section 6 scenario), and if that marketplace's sales stopped for a month: its lines of
/// <see cref="LostMonth"/>, the month in range where they brought the most contribution margin, taken out of the
/// sums. Its ad spend and period fees stay (storage and campaigns are paid while sales stop), as do unit costs.
/// </summary>
/// <param name="Marketplace">The marketplace with the largest share (4.7's <c>top_marketplace</c>).</param>
/// <param name="Profit">Profit of the period today.</param>
/// <param name="ProfitAfterCommissionRise">Profit if that marketplace's commission were higher by 5 pp.</param>
/// <param name="LostMonth">The month whose sales are taken away: that marketplace's best month by margin.</param>
/// <param name="ProfitWithoutMonth">Profit without that marketplace's lines of that month.</param>
public sealed record ConcentrationStress(
    string Marketplace,
    decimal Profit,
    decimal ProfitAfterCommissionRise,
    YearMonth LostMonth,
    decimal ProfitWithoutMonth)
{
    /// <summary>The commission rise the stress assumes, in percentage points.</summary>
    public const decimal CommissionRisePp = 5m;

    /// <summary>Profit lost to the commission rise (a positive number is a loss).</summary>
    public decimal CommissionRiseLoss => Profit - ProfitAfterCommissionRise;

    /// <summary>Profit lost with the month's sales (a positive number is a loss).</summary>
    public decimal LostMonthLoss => Profit - ProfitWithoutMonth;

    public ConcentrationStress Rounded() => this with
    {
        Profit = Rounding.Money(Profit),
        ProfitAfterCommissionRise = Rounding.Money(ProfitAfterCommissionRise),
        ProfitWithoutMonth = Rounding.Money(ProfitWithoutMonth),
    };

    /// <summary>
    /// The stress of <paramref name="marketplace"/> (4.7's top marketplace; null when there is none, and then so is
    /// the answer) over the sums of a period, the profit summed over the marketplaces <paramref name="counts"/>
    /// accepts (all when null: the overview leaves the demo's sandbox out when the seller hides it).
    /// </summary>
    public static ConcentrationStress? Of(ReportSums sums, string? marketplace, Func<string, bool>? counts = null)
    {
        ArgumentNullException.ThrowIfNull(sums);
        var months = sums.Months.Where(m => m.Marketplace == marketplace).ToList();
        if (marketplace is null || months.Count == 0)
        {
            return null;
        }

        counts ??= _ => true;
        decimal ProfitOf(ReportSums s) => new FactReports(s).Marketplaces().Where(m => counts(m.Marketplace)).Sum(m => m.Profit);

        var lost = months
            .OrderByDescending(m => m.Lines.ContributionMargin)
            .ThenBy(m => m.Month)
            .First().Month;
        var rise = new Scenario([new ScenarioAdjustment(marketplace, CommissionPp: CommissionRisePp)]).Apply(sums);

        // Profit (4.2) reads the lines only through the per-month sums; the other sums are not split by month and are
        // not read here.
        var stopped = sums with { Months = [.. sums.Months.Where(m => !(m.Marketplace == marketplace && m.Month == lost))] };
        return new ConcentrationStress(marketplace, ProfitOf(sums), ProfitOf(rise), lost, ProfitOf(stopped));
    }
}
