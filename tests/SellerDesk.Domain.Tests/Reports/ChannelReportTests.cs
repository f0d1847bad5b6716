using static SellerDesk.Domain.Tests.Reports.ReportTestData;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class ChannelReportTests
{
    private static readonly ReportPeriod Q1 = new(D("2026-01-01"), D("2026-03-31"), D("2026-03-31"));

    private static IReadOnlyList<ChannelRow> Run(IEnumerable<SellerDesk.Domain.Economics.OrderFact> orders, params AdSpend[] spend) =>
        ChannelReport.Compute(Q1, OrderDay.FromOrders(orders, Q1.AsOf), spend);

    [Fact]
    public void A_channel_whose_first_orders_cover_cac_is_profitable()
    {
        var row = Run([Order("A", "2026-01-10", 500m, "c1", "vk_ads")], new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.Profitable);
        row.Cac.Should().Be(400m);
        row.FirstOrderProfit.Should().Be(100m);
    }

    [Fact]
    public void A_channel_whose_repeat_orders_cover_cac_pays_back()
    {
        var row = Run(
            [Order("A", "2026-01-10", 300m, "c1", "vk_ads"), Order("B", "2026-02-10", 200m, "c1", "organic")],
            new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.PaysBack);
        row.LtvToDate.Should().Be(500m);
        row.LtvCac.Should().Be(1.25m);
    }

    [Fact]
    public void A_channel_whose_customers_cost_more_than_they_brought_is_cut()
    {
        var row = Run([Order("A", "2026-01-10", 100m, "c1", "vk_ads")], new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.Cut);
    }

    [Fact]
    public void Spend_without_new_customers_shows_a_row_with_no_cac()
    {
        var row = Run([], new AdSpend(D("2026-02-01"), "ozon", "vk_ads", 500m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.NoNewCustomers);
        row.Cac.Should().BeNull();
        row.LtvCac.Should().BeNull();
        row.Spend.Should().Be(500m);
    }

    [Fact]
    public void A_channel_without_spend_has_zero_cac_and_no_ltv_to_cac_ratio()
    {
        var row = Run([Order("A", "2026-01-10", 100m, "c1", "organic")]).Single();

        row.Cac.Should().Be(0m);
        row.LtvCac.Should().BeNull();
        row.Verdict.Should().Be(ChannelVerdict.Profitable);
    }

    [Fact]
    public void A_repeat_order_under_another_channel_does_not_move_the_customer()
    {
        var rows = Run([Order("A", "2026-01-10", 100m, "c1", "vk_ads"), Order("B", "2026-02-10", 100m, "c1", "referral")]);

        rows.Should().ContainSingle(r => r.Channel == "vk_ads" && r.NewCustomers == 1);
        rows.Should().NotContain(r => r.Channel == "referral");
    }

    [Fact]
    public void Customers_first_seen_before_the_period_are_not_new()
    {
        var rows = Run([Order("A", "2025-12-20", 100m, "c1", "vk_ads"), Order("B", "2026-01-10", 100m, "c1", "vk_ads")]);

        rows.Should().BeEmpty();
    }

    [Fact]
    public void Spend_outside_the_period_or_after_as_of_is_not_counted()
    {
        var period = new ReportPeriod(D("2026-01-01"), D("2026-03-31"), D("2026-02-28"));
        var rows = ChannelReport.Compute(period, Array.Empty<OrderDay>(), [
            new AdSpend(D("2025-12-31"), "ozon", "ozon_ads", 1m),
            new AdSpend(D("2026-01-15"), "ozon", "ozon_ads", 10m),
            new AdSpend(D("2026-03-01"), "ozon", "ozon_ads", 100m),
        ]);

        rows.Single().Spend.Should().Be(10m);
    }
}
