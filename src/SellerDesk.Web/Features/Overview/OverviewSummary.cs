using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Overview;

/// <summary>Workspace totals over the marketplaces shown, summed exactly and rounded once for output.</summary>
public sealed record OverviewTotals(
    decimal Revenue,
    decimal NetRevenue,
    decimal ContributionMargin,
    decimal PeriodFees,
    decimal AdSpend,
    decimal Profit,
    decimal ReturnLoss,
    decimal? ReturnLossShare,
    decimal? ReturnRate,
    decimal? MarginShareOfRevenue,
    int NewCustomers,
    decimal? BlendedCac,
    decimal? IdentifiedShare,
    int CogsMissingLines);

/// <summary>One bar of the margin chart: a marketplace's contribution margin in one day, week or month.</summary>
public sealed record MarginPoint(TrendBucket Bucket, decimal ContributionMargin);

/// <summary>One marketplace's bars, a bar for every bucket of the period (zero where it sold nothing).</summary>
public sealed record MarginSeries(string Marketplace, IReadOnlyList<MarginPoint> Points);

/// <summary>
/// What the overview shows: totals, the marketplace table (rounded rows) and the margin chart, by day, week or month
/// as the period's length suits (<see cref="TrendBuckets"/>). Marketplaces in
/// <c>hidden</c> (the demo's sandbox, when the seller hides it) are left out of all three. A total is the rounded sum
/// of the exact values, so it can differ by a kopeck from the sum of the rounded cells beside it;
/// <see cref="RoundingGaps"/> names the money lines where it does, for the table's footnote.
/// </summary>
public sealed record OverviewSummary(
    OverviewTotals Totals,
    IReadOnlyList<MarketplaceRow> Marketplaces,
    IReadOnlyList<MarginSeries> MarginByMonth,
    IReadOnlySet<string> RoundingGaps,
    IReadOnlyList<string> HiddenMarketplaces)
{
    public bool IsEmpty => Marketplaces.Count == 0;

    /// <summary>
    /// Platform concentration (metrics.md 4.7) of the marketplaces shown, unrounded: with none hidden it is the
    /// marketplaces report's own; with the demo hidden the shares are taken of the margin of those shown.
    /// </summary>
    public PlatformConcentration Concentration { get; init; } = new(null, null, null);

    /// <summary>What one bar of <see cref="MarginByMonth"/> covers: a day, a week or a month.</summary>
    public TrendGrain Grain { get; init; } = TrendGrain.Month;

    /// <summary>The money lines of the table, by the API's field names, with their exact value per row.</summary>
    private static readonly (string Code, Func<MarketplaceRow, decimal> Value)[] MoneyLines =
    [
        ("revenue", r => r.Revenue),
        ("net_revenue", r => r.NetRevenue),
        ("contribution_margin", r => r.ContributionMargin),
        ("period_fees", r => r.PeriodFees),
        ("ad_spend", r => r.AdSpend),
        ("profit", r => r.Profit),
        ("return_loss", r => r.ReturnLoss),
    ];

    public static OverviewSummary From(FactReports reports, IReadOnlySet<string>? hidden = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        hidden ??= new HashSet<string>(StringComparer.Ordinal);
        var all = reports.Marketplaces();
        var rows = all.Where(r => !hidden.Contains(r.Marketplace)).ToList();
        var revenue = rows.Sum(r => r.Revenue);
        var margin = rows.Sum(r => r.ContributionMargin);
        var adSpend = rows.Sum(r => r.AdSpend);
        var returnLoss = rows.Sum(r => r.ReturnLoss);
        var newCustomers = rows.Sum(r => r.NewCustomers);
        var identified = reports.Channels().Where(c => !hidden.Contains(c.Marketplace)).Sum(c => c.IdentifiedCustomers);
        var totals = new OverviewTotals(
            Rounding.Money(revenue),
            Rounding.Money(rows.Sum(r => r.NetRevenue)),
            Rounding.Money(margin),
            Rounding.Money(rows.Sum(r => r.PeriodFees)),
            Rounding.Money(adSpend),
            Rounding.Money(rows.Sum(r => r.Profit)),
            Rounding.Money(returnLoss),
            Rounding.Ratio(Rounding.Divide(returnLoss, revenue)),
            Rounding.Ratio(Rounding.Divide(rows.Sum(r => r.ReturnedUnits), rows.Sum(r => r.Quantity))),
            Rounding.Ratio(Rounding.Divide(margin, revenue)),
            newCustomers,
            Rounding.Money(Rounding.Divide(adSpend, newCustomers)),
            Rounding.Ratio(Rounding.Divide(identified, newCustomers)),
            rows.Sum(r => r.CogsMissingLines));

        var gaps = MoneyLines
            .Where(line => rows.Sum(r => Rounding.Money(line.Value(r))) != Rounding.Money(rows.Sum(line.Value)))
            .Select(line => line.Code)
            .ToHashSet(StringComparer.Ordinal);

        var grain = TrendBuckets.GrainFor(reports.Period);
        var buckets = TrendBuckets.For(reports.Period, grain);
        var byKey = reports.Trend(grain).ToDictionary(p => (p.Marketplace, p.Bucket.From), p => p.ContributionMargin);
        var series = rows
            .Select(r => r.Marketplace)
            .Where(m => byKey.Keys.Any(k => k.Marketplace == m))
            .Select(m => new MarginSeries(
                m,
                buckets.Select(bucket => new MarginPoint(bucket, Rounding.Money(byKey.GetValueOrDefault((m, bucket.From))))).ToList()))
            .ToList();

        var hiddenShown = all.Where(r => hidden.Contains(r.Marketplace)).Select(r => r.Marketplace).ToList();
        return new OverviewSummary(totals, rows.Select(r => r.Rounded()).ToList(), series, gaps, hiddenShown)
        {
            Grain = grain,
            Concentration = PlatformConcentration.Of(hiddenShown.Count == 0 ? rows : rows.Select(r => r with { CmShare = margin > 0 ? r.ContributionMargin / margin : null })),
        };
    }
}
