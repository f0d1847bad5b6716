using SellerDesk.Data;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Skus;

/// <summary>
/// One SKU month by month: for every calendar month of the period (its dates in range only) and every marketplace
/// that sold the SKU in the period, the 4.4 row of that month; months without sales have no cell. The months of a
/// marketplace sum to its row of the whole period, since a line counts in the month it was ordered.
/// </summary>
public sealed record SkuTrend(string Sku, IReadOnlyList<YearMonth> Months, IReadOnlyList<string> Marketplaces, IReadOnlyDictionary<(string Marketplace, YearMonth Month), SkuLine> Cells)
{
    public SkuLine? Cell(string marketplace, YearMonth month) => Cells.GetValueOrDefault((marketplace, month));

    /// <summary>The months of the period: from the month of <c>from</c> to the month of <c>min(to, as_of)</c>, each cut to the range.</summary>
    public static IReadOnlyList<(YearMonth Month, DateOnly From, DateOnly To)> MonthsOf(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var last = period.To < period.AsOf ? period.To : period.AsOf;
        var months = new List<(YearMonth, DateOnly, DateOnly)>();
        for (var month = YearMonth.Of(period.From); last >= period.From && month <= YearMonth.Of(last); month = month.Next())
        {
            var first = new DateOnly(month.Year, month.Month, 1);
            var end = first.AddMonths(1).AddDays(-1);
            months.Add((month, first < period.From ? period.From : first, end > period.To ? period.To : end));
        }

        return months;
    }

    /// <summary>Builds the trend from the 4.4 rows of each month (rows of other SKUs are ignored).</summary>
    public static SkuTrend From(string sku, IEnumerable<(YearMonth Month, IReadOnlyList<SkuRow> Rows)> months, Func<string, string> marketplaceName)
    {
        ArgumentNullException.ThrowIfNull(months);
        ArgumentNullException.ThrowIfNull(marketplaceName);
        var list = months.ToList();
        var cells = new Dictionary<(string, YearMonth), SkuLine>();
        foreach (var (month, rows) in list)
        {
            foreach (var row in rows.Where(r => string.Equals(r.Sku, sku, StringComparison.Ordinal)))
            {
                cells[(row.Marketplace, month)] = SkuLine.Of(row, marketplaceName(row.Marketplace));
            }
        }

        var marketplaces = cells.Keys.Select(k => k.Item1).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new SkuTrend(sku, [.. list.Select(m => m.Month)], marketplaces, cells);
    }
}

/// <summary>Loads a SKU's monthly trend: the SKU report of each month of the period, through the same <see cref="ReportService"/> as every report.</summary>
public sealed class SkuTrendService(ReportService reports)
{
    public async Task<SkuTrend> MonthlyAsync(
        WorkspaceContext workspace, ReportPeriod period, LedgerSource? source, string sku, Func<string, string> marketplaceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(period);
        var months = new List<(YearMonth, IReadOnlyList<SkuRow>)>();
        foreach (var (month, from, to) in SkuTrend.MonthsOf(period))
        {
            var facts = await reports.LoadFactsAsync(workspace, new ReportRequest(from, to, period.AsOf) { Source = source }, cancellationToken);
            months.Add((month, facts.Skus()));
        }

        return SkuTrend.From(sku, months, marketplaceName);
    }
}
