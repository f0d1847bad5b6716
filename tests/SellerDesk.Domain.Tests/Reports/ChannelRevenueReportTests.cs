using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class ChannelRevenueReportTests
{
    private static FactReports Reports(IEnumerable<SaleLine> sales, params AdSpend[] spend) =>
        new(ReportSums.Of(Q1, EconomicsFacts.Build(sales, [], [], [], Moscow), spend, []));

    [Fact]
    public void A_repeat_order_counts_to_the_revenue_of_its_own_channel_not_its_customers_acquisition_channel()
    {
        var reports = Reports(
            [Order("A", "2026-01-10", 1m, "c1", "vk_ads", revenue: 1000m), Order("B", "2026-02-10", 1m, "c1", "blogger_anna", revenue: 300m)],
            new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 500m),
            new AdSpend(D("2026-02-05"), "own_store", "blogger_anna", 600m));

        reports.ChannelRevenue().Select(r => (r.Channel, r.Revenue, r.Drr, r.Roas)).Should().Equal(
            ("blogger_anna", 300m, 2m, 0.5m),
            ("vk_ads", 1000m, 0.5m, 2m));
    }

    [Fact]
    public void Without_revenue_drr_is_null_and_roas_zero_and_without_spend_drr_is_zero_and_roas_null()
    {
        var reports = Reports([Order("A", "2026-01-10", 1m, "c1", "organic", revenue: 800m)], new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 500m));

        reports.ChannelRevenue().Select(r => (r.Channel, r.Revenue, r.Drr, r.Roas)).Should().Equal(
            ("organic", 800m, 0m, (decimal?)null),
            ("vk_ads", 0m, (decimal?)null, 0m));
    }

    [Fact]
    public void Revenue_is_gross_of_the_orders_placed_in_range()
    {
        var sale = Order("A", "2026-03-10", 1m, "c1", "vk_ads", revenue: 1000m);
        var earlier = Order("Z", "2025-12-10", 1m, "c9", "vk_ads", revenue: 5000m);
        var back = new ReturnEvent("own_store", "A", "1", "R1", At("2026-03-20"), 1, 1000m, 0m, 0m, true, null);

        var reports = new FactReports(ReportSums.Of(Q1, EconomicsFacts.Build([sale, earlier], [back], [], [], Moscow), [], []));

        reports.ChannelRevenue().Single().Revenue.Should().Be(1000m);
    }
}
