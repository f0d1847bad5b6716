using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class CohortReportTests
{
    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Ltv_accumulates_margin_per_customer_month_by_month_up_to_the_as_of_month(ReportPath path)
    {
        var reports = Run(
            path,
            Q1,
            [
                Order("A", "2026-01-10", 100m, "c1", "vk_ads"),
                Order("B", "2026-01-20", 50m, "c2", "vk_ads"),
                Order("C", "2026-03-05", 250m, "c1", "organic"),
            ],
            [new AdSpend(D("2026-01-02"), "own_store", "vk_ads", 300m)]);

        var row = reports.Cohorts(null).Single();

        row.Cohort.Should().Be(new YearMonth(2026, 1));
        row.Customers.Should().Be(2);
        row.Cac.Should().Be(150m);
        row.Ltv.Should().Equal(75m, 75m, 200m);
        row.Retention.Should().Equal(1m, 0m, 0.5m);
        row.PaybackMonth.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Two_orders_of_a_customer_in_one_month_count_once_for_retention(ReportPath path)
    {
        var reports = Run(path, Q1, [Order("A", "2026-01-10", 10m, "c1"), Order("B", "2026-02-03", 10m, "c1"), Order("C", "2026-02-20", 10m, "c1")]);

        reports.Cohorts(null).Single().Retention.Should().Equal(1m, 1m, 0m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Payback_month_stays_empty_until_ltv_reaches_cac(ReportPath path)
    {
        var row = Run(path, Q1, [Order("A", "2026-03-10", 10m, "c1")], [new AdSpend(D("2026-03-01"), "own_store", "vk_ads", 100m)]).Cohorts(null).Single();

        row.PaybackMonth.Should().BeNull();
        row.Ltv.Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_channel_filter_keeps_only_customers_acquired_there_and_that_channels_spend(ReportPath path)
    {
        var reports = Run(
            path,
            Q1,
            [Order("A", "2026-01-10", 100m, "c1", "vk_ads"), Order("B", "2026-01-12", 40m, "c2", "blogger_anna")],
            [
                new AdSpend(D("2026-01-02"), "own_store", "vk_ads", 300m),
                new AdSpend(D("2026-01-02"), "own_store", "blogger_anna", 60m),
            ]);

        var row = reports.Cohorts(new CohortFilter(Channel: "blogger_anna")).Single();

        row.Customers.Should().Be(1);
        row.Spend.Should().Be(60m);
        row.Ltv[0].Should().Be(40m);
    }

    [Fact]
    public void Rounding_is_half_away_from_zero_on_output_only()
    {
        Rounding.Money(100.005m).Should().Be(100.01m);
        Rounding.Money(-203.335m).Should().Be(-203.34m);
        Rounding.Ratio(0.33335m).Should().Be(0.3334m);
    }
}
