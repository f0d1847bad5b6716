using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Reports;

/// <summary>
/// The reports of metrics.md section 4 over one set of <see cref="ReportSums"/>: the sums turned into rows (ratios,
/// verdicts, shares). Rows are exact; round them with their <c>Rounded()</c> on output. One instance may serve many
/// requests at once (the report service keeps it per period and ledger version): each report's rows are computed on
/// first use and kept; two threads asking first may both compute them, and either (equal) result is kept.
/// </summary>
public sealed class FactReports
{
    private readonly ReportSums _sums;
    private IReadOnlyList<CustomerMonth>? _customers;
    private IReadOnlyList<ChannelRow>? _channels;
    private IReadOnlyList<ChannelRevenueRow>? _channelRevenue;
    private IReadOnlyList<MarketplaceRow>? _marketplaces;
    private PlatformConcentration? _concentration;
    private IReadOnlyList<CohortRow>? _cohorts;
    private IReadOnlyList<SkuRow>? _skus;
    private IReadOnlyList<ProfitAndLossRow>? _profitAndLoss;

    public FactReports(ReportSums sums) => _sums = sums ?? throw new ArgumentNullException(nameof(sums));

    public ReportPeriod Period => _sums.Period;

    /// <summary>The sums the rows come from (a scenario adjusts these).</summary>
    public ReportSums Sums => _sums;

    private IReadOnlyList<CustomerMonth> Customers => _customers ??= [.. _sums.Customers.Select(c => c.Figures())];

    /// <summary>4.1.</summary>
    public IReadOnlyList<ChannelRow> Channels() => _channels ??= ChannelReport.Compute(Period, Customers, _sums.Spend);

    /// <summary>4.6: one row per 4.1 row.</summary>
    public IReadOnlyList<ChannelRevenueRow> ChannelRevenue() => _channelRevenue ??= ChannelRevenueReport.Compute(Channels(), _sums.Channels);

    /// <summary>4.2.</summary>
    public IReadOnlyList<MarketplaceRow> Marketplaces() => _marketplaces ??= MarketplaceReport.Compute(
        Period,
        _sums.Months.GroupBy(m => m.Marketplace).Select(g => MarketplaceLines.Of(g.Key, LineEconomics.Sum(g.Select(m => m.Lines)))),
        Customers,
        _sums.Spend,
        _sums.Fees,
        _sums.Attribution);

    /// <summary>4.7, over the unrounded 4.2 rows.</summary>
    public PlatformConcentration Concentration() => _concentration ??= PlatformConcentration.Of(Marketplaces());

    /// <summary>4.3.</summary>
    public IReadOnlyList<CohortRow> Cohorts(CohortFilter? filter = null) =>
        filter is null || filter == CohortFilter.None
            ? _cohorts ??= CohortReport.Compute(Period, Customers, _sums.Spend, null)
            : CohortReport.Compute(Period, Customers, _sums.Spend, filter);

    /// <summary>4.4.</summary>
    public IReadOnlyList<SkuRow> Skus() => _skus ??= SkuReport.Compute(_sums.Skus);

    /// <summary>
    /// Contribution margin and gross revenue of the orders placed in range, per marketplace and bucket of
    /// <paramref name="grain"/> (the trend chart): the day sums of the same lines, so each marketplace's buckets add up
    /// to its 4.2 row. Buckets without orders are left out.
    /// </summary>
    public IReadOnlyList<TrendPoint> Trend(TrendGrain grain)
    {
        var buckets = TrendBuckets.For(Period, grain).ToDictionary(b => b.From);
        return _sums.Days
            .Where(d => Period.InRange(d.Date))
            .GroupBy(d => (d.Marketplace, Start: TrendBuckets.StartOf(grain, d.Date) < Period.From ? Period.From : TrendBuckets.StartOf(grain, d.Date)))
            .Select(g =>
            {
                var lines = LineEconomics.Sum(g.Select(d => d.Lines));
                return new TrendPoint(g.Key.Marketplace, buckets[g.Key.Start], lines.ContributionMargin, lines.Revenue);
            })
            .OrderBy(p => p.Bucket.From)
            .ThenBy(p => p.Marketplace, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>4.5, for every marketplace with a 4.2 row.</summary>
    public IReadOnlyList<ProfitAndLossRow> ProfitAndLoss() => _profitAndLoss ??=
        ProfitAndLossReport.Compute(Period, Marketplaces().Select(m => m.Marketplace), _sums.Months, _sums.Spend, _sums.Fees);
}
