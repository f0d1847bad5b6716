using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Reports;

/// <summary>Sections 3 and 4 use the effective channel of 3.1, and the reports say how far it rests on attribution.</summary>
public sealed class AttributionInReportsTests
{
    private static FactReports Reports(ReportPeriod period, IEnumerable<SaleLine> sales, IEnumerable<AttributionRow> rows, params AdSpend[] spend) =>
        new(ReportSums.Of(period, EconomicsFacts.Build(sales, [], [], rows, Moscow), spend, []));

    private static SaleLine Wb(string id, string date, decimal margin, string? customer = null, string time = "12:00") =>
        Order(id, date, margin, customer, marketplace: "wildberries", revenue: 1000m, time: time, sku: "MUG-01");

    private static AttributionRow Row(string date, string channel, int orders, string marketplace = "wildberries") =>
        new(D(date), marketplace, channel, "MUG-01", orders);

    [Fact]
    public void Attributed_orders_acquire_customers_for_the_rows_channel_and_say_so()
    {
        var reports = Reports(
            Q1,
            [Wb("W1", "2026-01-10", 300m, time: "09:00"), Wb("W2", "2026-01-10", 200m, time: "10:00"), Wb("W3", "2026-01-10", 100m, time: "11:00")],
            [Row("2026-01-10", "wb_ads", 2)],
            new AdSpend(D("2026-01-10"), "wildberries", "wb_ads", 400m));

        var rows = reports.Channels();
        rows.Single(r => r.Channel == "wb_ads").Should().Match<ChannelRow>(r =>
            r.NewCustomers == 2 && r.AttributedCustomers == 2 && r.Cac == 200m && r.FirstOrderMargin == 250m && r.Verdict == ChannelVerdict.Profitable);
        rows.Single(r => r.Channel == "organic").Should().Match<ChannelRow>(r => r.NewCustomers == 1 && r.AttributedCustomers == 0);
    }

    [Fact]
    public void A_customer_acquired_through_its_ledger_channel_is_not_counted_as_attributed()
    {
        var reports = Reports(Q1, [Order("S1", "2026-01-10", 100m, "c1", "wb_ads", "wildberries", sku: "MUG-01")], [Row("2026-01-10", "wb_ads", 1)]);

        reports.Channels().Single().Should().Match<ChannelRow>(r => r.Channel == "wb_ads" && r.NewCustomers == 1 && r.AttributedCustomers == 0);
    }

    [Fact]
    public void Unmatched_attribution_counts_the_rows_dated_in_range_only()
    {
        var period = new ReportPeriod(D("2026-01-10"), D("2026-01-31"), D("2026-01-20"));
        var reports = Reports(
            period,
            [Wb("W1", "2026-01-05", 10m), Wb("W2", "2026-01-12", 10m)],
            [
                Row("2026-01-05", "wb_ads", 4), // before from: attributes W1, counts nothing
                Row("2026-01-12", "wb_ads", 3), // takes W2, two unmatched
                Row("2026-01-15", "blogger_anna", 2), // no orders that day: two unmatched
                Row("2026-01-25", "wb_ads", 5), // after as_of: does not exist
            ]);

        reports.Marketplaces().Single().AttributionUnmatched.Should().Be(4);
    }

    [Fact]
    public void Attribution_rows_alone_do_not_make_a_marketplace_row()
    {
        var reports = Reports(Q1, [Order("S1", "2026-01-10", 100m, "c1", "vk_ads")], [Row("2026-01-10", "ozon_ads", 3, "ozon")]);

        reports.Marketplaces().Select(r => r.Marketplace).Should().Equal("own_store");
    }

    [Fact]
    public void Channel_revenue_and_the_cohort_filter_use_the_effective_channel()
    {
        var reports = Reports(
            Q1,
            [Wb("W1", "2026-01-10", 300m, "k1"), Wb("W2", "2026-02-10", 100m, "k1")],
            [Row("2026-01-10", "wb_ads", 1)],
            new AdSpend(D("2026-01-10"), "wildberries", "wb_ads", 500m));

        reports.ChannelRevenue().Single(r => r.Channel == "wb_ads").Revenue.Should().Be(1000m, "only W1 was attributed; W2 is an organic repeat order");
        var cohort = reports.Cohorts(new CohortFilter(Channel: "wb_ads")).Single();
        cohort.Customers.Should().Be(1);
        cohort.Ltv.Should().Equal(300m, 400m, 400m);
        reports.Cohorts(new CohortFilter(Channel: "organic")).Should().BeEmpty();
    }
}
