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

/// <summary>One cohort row, rounded for output; <paramref name="Marketplace"/> tells the rows apart on "all marketplaces".</summary>
public sealed record CohortLine(string Marketplace, YearMonth Cohort, int Customers, decimal Spend, decimal Cac, int? PaybackMonth, IReadOnlyList<CohortCell> Cells);

/// <summary>
/// The bottom row: per month offset, the average of the rows whose month at that offset is over, weighted by their
/// customers (from the exact values, rounded once), so a cohort of 500 customers counts 50 times one of 10. Its CAC
/// is the spend of all rows over all their customers.
/// </summary>
public sealed record CohortAverage(int Customers, decimal Cac, IReadOnlyList<CohortCell> Cells);

/// <summary>
/// The cohort triangle (metrics.md 4.3) of one marketplace, or of all of them (<see cref="AllMarketplaces"/>): rows are
/// cohort months, cells m0..mK the chosen metric, and a customer-weighted average row below. The as_of month is
/// incomplete unless as_of is its last day: each row's last cell is then marked immature.
/// </summary>
public sealed record CohortTriangle(
    string Marketplace,
    CohortMetric Metric,
    IReadOnlyList<CohortLine> Lines,
    CohortAverage? Average,
    int Offsets,
    bool AsOfMonthIncomplete)
{
    public const string AllMarketplaces = "all";

    public bool IsAll => Marketplace == AllMarketplaces;

    public static CohortTriangle From(IReadOnlyList<CohortRow> rows, string marketplace, CohortMetric metric, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var incomplete = asOf.Day < DateTime.DaysInMonth(asOf.Year, asOf.Month);
        var chosen = rows
            .Where(r => marketplace == AllMarketplaces || r.Marketplace == marketplace)
            .OrderBy(r => r.Cohort)
            .ThenBy(r => r.Marketplace, StringComparer.Ordinal)
            .ToList();
        var lines = chosen
            .Select(row =>
            {
                var rounded = row.Rounded();
                var values = CohortExport.Series(row, metric);
                var cells = values
                    .Select((value, k) => Cell(metric, k, value, rounded.Cac, incomplete && k == values.Count - 1))
                    .ToList();
                return new CohortLine(row.Marketplace, row.Cohort, row.Customers, rounded.Spend, rounded.Cac, row.PaybackMonth, cells);
            })
            .ToList();
        var offsets = lines.Count == 0 ? 0 : lines.Max(l => l.Cells.Count);
        return new CohortTriangle(marketplace, metric, lines, Averaged(chosen, metric, offsets, incomplete), offsets, incomplete);
    }

    private static CohortAverage? Averaged(IReadOnlyList<CohortRow> rows, CohortMetric metric, int offsets, bool incomplete)
    {
        var customers = rows.Sum(r => r.Customers);
        if (customers == 0)
        {
            return null;
        }

        var cac = Rounding.Money(rows.Sum(r => r.Spend) / customers);
        var cells = new List<CohortCell>();
        for (var k = 0; k < offsets; k++)
        {
            // Only months that are over: a cohort whose month k is the unfinished as_of month is left out at k.
            var reached = rows.Where(r => Exact(r, metric).Count > k && !(incomplete && Exact(r, metric).Count - 1 == k)).ToList();
            var weight = reached.Sum(r => r.Customers);
            if (weight == 0)
            {
                break;
            }

            var value = reached.Sum(r => Exact(r, metric)[k] * r.Customers) / weight;
            var rounded = metric == CohortMetric.Retention ? Rounding.Ratio(value) : Rounding.Money(value);
            cells.Add(Cell(metric, k, rounded, cac, immature: false));
        }

        return new CohortAverage(customers, cac, cells);
    }

    private static IReadOnlyList<decimal> Exact(CohortRow row, CohortMetric metric) => metric switch
    {
        CohortMetric.Revenue => row.RevenueLtv,
        CohortMetric.Retention => row.Retention,
        _ => row.Ltv,
    };

    private static CohortCell Cell(CohortMetric metric, int offset, decimal value, decimal cac, bool immature) =>
        new(offset, value, immature, metric != CohortMetric.Retention && value >= cac, Colour(metric, value, cac));

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
