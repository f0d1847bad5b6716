using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>One (month, marketplace) row of metrics.md 4.5.</summary>
public sealed record ProfitAndLossRow(
    YearMonth Month,
    string Marketplace,
    decimal Revenue,
    decimal Refunds,
    decimal Commission,
    decimal Logistics,
    decimal Acquiring,
    decimal OtherFees,
    decimal Cogs,
    decimal ContributionMargin,
    decimal PeriodFees,
    decimal AdSpend,
    decimal Profit)
{
    public ProfitAndLossRow Rounded() => this with
    {
        Revenue = Rounding.Money(Revenue),
        Refunds = Rounding.Money(Refunds),
        Commission = Rounding.Money(Commission),
        Logistics = Rounding.Money(Logistics),
        Acquiring = Rounding.Money(Acquiring),
        OtherFees = Rounding.Money(OtherFees),
        Cogs = Rounding.Money(Cogs),
        ContributionMargin = Rounding.Money(ContributionMargin),
        PeriodFees = Rounding.Money(PeriodFees),
        AdSpend = Rounding.Money(AdSpend),
        Profit = Rounding.Money(Profit),
    };
}

/// <summary>
/// Profit and loss per local month and marketplace (metrics.md 4.5). Lines count in their order's month (returns
/// included), fees and spend in the month of their date; every row covers only its dates in range. Before rounding,
/// <c>revenue - refunds - commission - logistics - acquiring - other_fees - cogs = contribution_margin</c>.
/// </summary>
public static class ProfitAndLossReport
{
    /// <param name="period">from, to and as_of.</param>
    /// <param name="marketplaces">The marketplaces with a 4.2 row: each gets every month, zero rows included.</param>
    /// <param name="months">The lines ordered in range, per (marketplace, order month).</param>
    /// <param name="spend">Ad spend rows; those dated in range count.</param>
    /// <param name="fees">Period fees; those dated in range count.</param>
    public static IReadOnlyList<ProfitAndLossRow> Compute(
        ReportPeriod period,
        IEnumerable<string> marketplaces,
        IEnumerable<MonthLines> months,
        IEnumerable<AdSpend> spend,
        IEnumerable<PeriodFee> fees)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(marketplaces);
        ArgumentNullException.ThrowIfNull(months);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(fees);

        var linesBy = months
            .GroupBy(m => (m.Marketplace, m.Month))
            .ToDictionary(g => g.Key, g => LineEconomics.Sum(g.Select(m => m.Lines)));
        var spendBy = SumInRange(spend.Select(s => (s.Date, s.Marketplace, s.Amount)), period);
        var feesBy = SumInRange(fees.Select(f => (f.Date, f.Marketplace, f.Amount)), period);

        var last = period.To < period.AsOf ? period.To : period.AsOf;
        var rows = new List<ProfitAndLossRow>();
        var sorted = marketplaces.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        for (var month = YearMonth.Of(period.From); month <= YearMonth.Of(last); month = month.Next())
        {
            foreach (var marketplace in sorted)
            {
                rows.Add(Row(month, marketplace, linesBy.GetValueOrDefault((marketplace, month)), feesBy.GetValueOrDefault((marketplace, month)), spendBy.GetValueOrDefault((marketplace, month))));
            }
        }

        return rows;
    }

    private static ProfitAndLossRow Row(YearMonth month, string marketplace, LineEconomics lines, decimal periodFees, decimal adSpend)
    {
        var margin = lines.ContributionMargin;
        return new ProfitAndLossRow(
            month,
            marketplace,
            lines.Revenue,
            lines.Refund,
            lines.NetCommission,
            lines.AllLogistics,
            lines.Acquiring,
            lines.OtherFees,
            lines.NetCogs,
            margin,
            periodFees,
            adSpend,
            margin - periodFees - adSpend);
    }

    private static Dictionary<(string, YearMonth), decimal> SumInRange(
        IEnumerable<(DateOnly Date, string Marketplace, decimal Amount)> entries,
        ReportPeriod period) =>
        entries
            .Where(e => period.InRange(e.Date))
            .GroupBy(e => (e.Marketplace, YearMonth.Of(e.Date)))
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Amount));
}
