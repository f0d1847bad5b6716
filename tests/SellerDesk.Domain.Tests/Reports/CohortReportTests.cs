using static SellerDesk.Domain.Tests.Reports.ReportTestData;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class CohortReportTests
{
    private static readonly ReportPeriod Q1 = new(D("2026-01-01"), D("2026-03-31"), D("2026-03-31"));

    [Fact]
    public void Ltv_accumulates_margin_per_customer_month_by_month_up_to_the_as_of_month()
    {
        var customers = OrderDay.FromOrders(
        [
            Order("A", "2026-01-10", 100m, "c1", "vk_ads"),
            Order("B", "2026-01-20", 50m, "c2", "vk_ads"),
            Order("C", "2026-03-05", 250m, "c1", "organic"),
        ], Q1.AsOf);

        var row = CohortReport.Compute(Q1, customers, [new AdSpend(D("2026-01-02"), "own_store", "vk_ads", 300m)]).Single();

        row.Cohort.Should().Be(new YearMonth(2026, 1));
        row.Customers.Should().Be(2);
        row.Cac.Should().Be(150m);
        row.Ltv.Should().Equal(75m, 75m, 200m);
        row.Retention.Should().Equal(1m, 0m, 0.5m);
        row.PaybackMonth.Should().Be(2);
    }

    [Fact]
    public void Payback_month_stays_empty_until_ltv_reaches_cac()
    {
        var customers = OrderDay.FromOrders([Order("A", "2026-03-10", 10m, "c1")], Q1.AsOf);
        var row = CohortReport.Compute(Q1, customers, [new AdSpend(D("2026-03-01"), "own_store", "vk_ads", 100m)]).Single();

        row.PaybackMonth.Should().BeNull();
        row.Ltv.Should().ContainSingle();
    }

    [Fact]
    public void A_channel_filter_keeps_only_customers_acquired_there_and_that_channels_spend()
    {
        var customers = OrderDay.FromOrders(
            [Order("A", "2026-01-10", 100m, "c1", "vk_ads"), Order("B", "2026-01-12", 40m, "c2", "blogger_anna")],
            Q1.AsOf);
        var spend = new[]
        {
            new AdSpend(D("2026-01-02"), "own_store", "vk_ads", 300m),
            new AdSpend(D("2026-01-02"), "own_store", "blogger_anna", 60m),
        };

        var row = CohortReport.Compute(Q1, customers, spend, new CohortFilter(Channel: "blogger_anna")).Single();

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
