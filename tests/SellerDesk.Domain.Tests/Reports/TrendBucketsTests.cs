using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class TrendBucketsTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-01", "2026-03-01", TrendGrain.Day)]
    [InlineData("2026-03-01", "2026-03-31", "2026-03-31", TrendGrain.Day)]
    [InlineData("2026-03-01", "2026-04-01", "2026-04-01", TrendGrain.Week)]
    [InlineData("2026-01-01", "2026-03-31", "2026-03-31", TrendGrain.Week)]
    [InlineData("2026-01-01", "2026-07-02", "2026-07-02", TrendGrain.Week)]
    [InlineData("2026-01-01", "2026-07-03", "2026-07-03", TrendGrain.Month)]
    [InlineData("2025-01-01", "2025-12-31", "2026-03-31", TrendGrain.Month)]
    // A year picked as of its tenth day has ten days that exist: by day.
    [InlineData("2026-01-01", "2026-12-31", "2026-01-10", TrendGrain.Day)]
    public void The_grain_follows_the_days_of_the_period_that_exist(string from, string to, string asOf, TrendGrain grain) =>
        TrendBuckets.GrainFor(Period(from, to, asOf)).Should().Be(grain);

    [Fact]
    public void Weeks_run_monday_to_sunday_and_the_first_and_last_are_cut_to_the_period()
    {
        // 1 January 2026 is a Thursday.
        var buckets = TrendBuckets.For(Period("2026-01-01", "2026-01-20", "2026-03-31"), TrendGrain.Week);

        buckets.Select(b => (b.From.ToString("MM-dd"), b.To.ToString("MM-dd"))).Should().Equal(
            ("01-01", "01-04"), ("01-05", "01-11"), ("01-12", "01-18"), ("01-19", "01-20"));
    }

    [Fact]
    public void Months_and_days_stop_at_as_of()
    {
        TrendBuckets.For(Period("2026-01-15", "2026-12-31", "2026-03-10"), TrendGrain.Month)
            .Select(b => (b.From.ToString("MM-dd"), b.To.ToString("MM-dd")))
            .Should().Equal(("01-15", "01-31"), ("02-01", "02-28"), ("03-01", "03-10"));
        TrendBuckets.For(Period("2026-03-08", "2026-03-31", "2026-03-10"), TrendGrain.Day).Should().HaveCount(3);
        TrendBuckets.For(Period("2026-04-01", "2026-04-30", "2026-03-10"), TrendGrain.Day).Should().BeEmpty();
    }

    [Theory]
    [InlineData(TrendGrain.Day)]
    [InlineData(TrendGrain.Week)]
    [InlineData(TrendGrain.Month)]
    public void Each_marketplaces_buckets_add_up_to_its_marketplace_row(TrendGrain grain)
    {
        var ledger = RandomLedger.Generate(17);
        var facts = EconomicsFacts.Build(ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, RandomLedger.Moscow);
        var random = new Random(17);
        for (var i = 0; i < 5; i++)
        {
            var period = RandomLedger.Period(random);
            var reports = new FactReports(ReportSums.Of(period, facts, ledger.Spend, ledger.Fees));
            var trend = reports.Trend(grain);
            var buckets = TrendBuckets.For(period, grain);

            trend.Select(p => p.Bucket).Except(buckets).Should().BeEmpty("every point falls in a bucket of the period");
            foreach (var row in reports.Marketplaces())
            {
                trend.Where(p => p.Marketplace == row.Marketplace).Sum(p => p.ContributionMargin).Should().Be(row.ContributionMargin, $"{row.Marketplace} {grain}");
                trend.Where(p => p.Marketplace == row.Marketplace).Sum(p => p.Revenue).Should().Be(row.Revenue);
            }
        }
    }

    private static ReportPeriod Period(string from, string to, string asOf) =>
        new(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture));
}
