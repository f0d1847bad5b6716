using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class ChannelReportTests
{
    private static IReadOnlyList<ChannelRow> Run(ReportPath path, IEnumerable<SaleLine> orders, params AdSpend[] spend) =>
        ReportTestData.Run(path, Q1, orders, spend).Channels();

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_channel_whose_first_orders_cover_cac_is_profitable(ReportPath path)
    {
        var row = Run(path, [Order("A", "2026-01-10", 500m, "c1", "vk_ads")], new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.Profitable);
        row.Cac.Should().Be(400m);
        row.FirstOrderProfit.Should().Be(100m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_channel_whose_repeat_orders_cover_cac_pays_back(ReportPath path)
    {
        var row = Run(
            path,
            [Order("A", "2026-01-10", 300m, "c1", "vk_ads"), Order("B", "2026-02-10", 200m, "c1", "organic")],
            new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.PaysBack);
        row.LtvToDate.Should().Be(500m);
        row.LtvCac.Should().Be(1.25m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_first_order_margin_or_ltv_equal_to_cac_is_enough(ReportPath path)
    {
        var profitable = Run(path, [Order("A", "2026-01-10", 400m, "c1", "vk_ads")], new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();
        var paysBack = Run(
            path,
            [Order("A", "2026-01-10", 300m, "c1", "vk_ads"), Order("B", "2026-02-10", 100m, "c1", "organic")],
            new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();

        profitable.Verdict.Should().Be(ChannelVerdict.Profitable);
        paysBack.Verdict.Should().Be(ChannelVerdict.PaysBack);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_channel_whose_customers_cost_more_than_they_brought_is_cut(ReportPath path)
    {
        var row = Run(path, [Order("A", "2026-01-10", 100m, "c1", "vk_ads")], new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.Cut);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Spend_without_new_customers_shows_a_row_with_no_cac(ReportPath path)
    {
        var row = Run(path, [], new AdSpend(D("2026-02-01"), "ozon", "vk_ads", 500m)).Single();

        row.Verdict.Should().Be(ChannelVerdict.NoNewCustomers);
        row.Cac.Should().BeNull();
        row.LtvCac.Should().BeNull();
        row.Spend.Should().Be(500m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_channel_without_spend_has_zero_cac_and_no_ltv_to_cac_ratio(ReportPath path)
    {
        var row = Run(path, [Order("A", "2026-01-10", 100m, "c1", "organic")]).Single();

        row.Cac.Should().Be(0m);
        row.LtvCac.Should().BeNull();
        row.Verdict.Should().Be(ChannelVerdict.Profitable);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_repeat_order_under_another_channel_does_not_move_the_customer(ReportPath path)
    {
        var rows = Run(path, [Order("A", "2026-01-10", 100m, "c1", "vk_ads"), Order("B", "2026-02-10", 100m, "c1", "referral")]);

        rows.Should().ContainSingle(r => r.Channel == "vk_ads" && r.NewCustomers == 1);
        rows.Should().NotContain(r => r.Channel == "referral");
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Customers_first_seen_before_the_period_are_not_new(ReportPath path)
    {
        var rows = Run(path, [Order("A", "2025-12-20", 100m, "c1", "vk_ads"), Order("B", "2026-01-10", 100m, "c1", "vk_ads")]);

        rows.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Spend_outside_the_period_or_after_as_of_is_not_counted(ReportPath path)
    {
        var period = new ReportPeriod(D("2026-01-01"), D("2026-03-31"), D("2026-02-28"));
        var rows = ReportTestData.Run(path, period, [], [
            new AdSpend(D("2025-12-31"), "ozon", "ozon_ads", 1m),
            new AdSpend(D("2026-01-15"), "ozon", "ozon_ads", 10m),
            new AdSpend(D("2026-03-01"), "ozon", "ozon_ads", 100m),
        ]).Channels();

        rows.Single().Spend.Should().Be(10m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Orders_at_the_same_moment_make_the_smaller_order_id_the_first(ReportPath path)
    {
        var rows = Run(path, [Order("O2", "2026-01-10", 1m, "c1", "b_channel"), Order("O10", "2026-01-10", 2m, "c1", "a_channel")]);

        rows.Should().ContainSingle().Which.Should().Match<ChannelRow>(r => r.Channel == "a_channel" && r.FirstOrderMargin == 2m && r.LtvToDate == 3m);
    }
}
