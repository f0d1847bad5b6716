using System.Globalization;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Features.Reports;

namespace SellerDesk.Web.Features.Cohorts;

/// <summary>One cell of the triangle: the chosen metric at a month offset.</summary>
/// <param name="Offset">Months after the cohort month (0 = the month of the first order).</param>
/// <param name="Value">The metric, rounded: money per customer, or a share for retention.</param>
/// <param name="Immature">The as_of month is not over yet, so the cell will still grow.</param>
/// <param name="PaidBack">Margin or revenue per customer has reached CAC.</param>
/// <param name="Background">CSS colour: green where LTV has reached CAC, red deepening below it; blue by share for retention.</param>
public sealed record CohortCell(int Offset, decimal Value, bool Immature, bool PaidBack, string Background);

/// <summary>One cohort row, rounded for output.</summary>
public sealed record CohortLine(YearMonth Cohort, int Customers, decimal Spend, decimal Cac, int? PaybackMonth, IReadOnlyList<CohortCell> Cells);

/// <summary>
/// The cohort triangle of one marketplace (metrics.md 4.3): rows are cohort months, cells m0..mK the chosen metric.
/// The as_of month is incomplete unless as_of is its last day: each row's last cell is then marked immature.
/// </summary>
public sealed record CohortTriangle(string Marketplace, CohortMetric Metric, IReadOnlyList<CohortLine> Lines, int Offsets, bool AsOfMonthIncomplete)
{
    public static CohortTriangle From(IReadOnlyList<CohortRow> rows, string marketplace, CohortMetric metric, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var incomplete = asOf.Day < DateTime.DaysInMonth(asOf.Year, asOf.Month);
        var lines = rows
            .Where(r => r.Marketplace == marketplace)
            .Select(row =>
            {
                var rounded = row.Rounded();
                var values = CohortExport.Series(row, metric);
                var cells = values
                    .Select((value, k) => new CohortCell(
                        k,
                        value,
                        incomplete && k == values.Count - 1,
                        metric != CohortMetric.Retention && value >= rounded.Cac,
                        Colour(metric, value, rounded.Cac)))
                    .ToList();
                return new CohortLine(row.Cohort, row.Customers, rounded.Spend, rounded.Cac, row.PaybackMonth, cells);
            })
            .ToList();
        var offsets = lines.Count == 0 ? 0 : lines.Max(l => l.Cells.Count);
        return new CohortTriangle(marketplace, metric, lines, offsets, incomplete);
    }

    /// <summary>
    /// Margin and revenue: green (deeper the further LTV is past CAC, up to 3×) where LTV &gt;= CAC; below it red,
    /// deepest at zero or less. Retention: blue, deeper with the share of customers who ordered.
    /// </summary>
    public static string Colour(CohortMetric metric, decimal value, decimal cac)
    {
        if (metric == CohortMetric.Retention)
        {
            return Rgba(33, 150, 243, 0.08m + (0.62m * Math.Clamp(value, 0m, 1m)));
        }

        if (value >= cac)
        {
            var beyond = cac <= 0 ? 1m : Math.Clamp((value / cac) - 1m, 0m, 2m) / 2m;
            return Rgba(46, 160, 67, 0.22m + (0.43m * beyond));
        }

        var reached = cac <= 0 ? 0m : Math.Clamp(value / cac, 0m, 1m);
        return Rgba(229, 57, 53, 0.12m + (0.48m * (1m - reached)));
    }

    private static string Rgba(int r, int g, int b, decimal alpha) =>
        string.Create(CultureInfo.InvariantCulture, $"rgba({r}, {g}, {b}, {Math.Round(alpha, 3)})");
}
