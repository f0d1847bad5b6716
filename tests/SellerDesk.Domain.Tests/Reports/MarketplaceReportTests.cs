using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class MarketplaceReportTests
{
    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Profit_is_margin_minus_period_fees_minus_ad_spend(ReportPath path)
    {
        var rows = Run(
            path,
            Q1,
            [Order("A", "2026-01-10", 1000m, revenue: 3000m, marketplace: "ozon")],
            [new AdSpend(D("2026-01-05"), "ozon", "ozon_ads", 300m)],
            [new PeriodFee(D("2026-02-15"), "ozon", "acceptance", 150m)]).Marketplaces();

        var row = rows.Single();
        row.Profit.Should().Be(550m);
        row.BlendedCac.Should().Be(300m);
        row.CmShare.Should().Be(1m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Margin_share_is_null_when_the_total_margin_is_not_positive_and_can_be_negative_otherwise(ReportPath path)
    {
        var rows = Run(path, Q1, [Order("A", "2026-01-10", 300m, marketplace: "ozon"), Order("B", "2026-01-10", -100m, marketplace: "wildberries")]).Marketplaces();
        rows.Single(r => r.Marketplace == "wildberries").CmShare.Should().Be(-0.5m);

        Run(path, Q1, [Order("B", "2026-01-10", -100m, marketplace: "wildberries")]).Marketplaces().Single().CmShare.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void Return_rate_and_return_loss_share_come_from_lines_ordered_in_the_period(ReportPath path)
    {
        // Four units for 1000 with a 200 commission and no known cost; one comes back on March 2 with a 500 refund and 50 return logistics.
        var sale = Order("W1", "2026-01-10", 800m, revenue: 1000m, marketplace: "wildberries", quantity: 4);
        var back = new ReturnEvent("wildberries", "W1", "1", "R1", At("2026-03-02"), 1, 500m, 0m, 50m, true, null);

        var row = Run(path, Q1, [sale], returns: [back]).Marketplaces().Single();

        row.ReturnRate.Should().Be(0.25m);
        row.ReturnLoss.Should().Be(100m, "a quarter of the 200 commission, plus 50 return logistics");
        row.ReturnLossShare.Should().Be(0.1m);
        row.NetRevenue.Should().Be(500m);
        row.CogsMissingLines.Should().Be(1);
        row.IdentifiedShare.Should().Be(0m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_return_after_as_of_does_not_exist_yet(ReportPath path)
    {
        var sale = Order("W1", "2026-01-10", 800m, revenue: 1000m, marketplace: "wildberries", quantity: 4);
        var back = new ReturnEvent("wildberries", "W1", "1", "R1", At("2026-03-02"), 1, 500m, 0m, 50m, true, null);
        var february = new ReportPeriod(D("2026-01-01"), D("2026-03-31"), D("2026-03-01"));

        var row = Run(path, february, [sale], returns: [back]).Marketplaces().Single();

        row.ReturnRate.Should().Be(0m);
        row.NetRevenue.Should().Be(1000m);
        row.ContributionMargin.Should().Be(800m);
    }

    [Theory]
    [MemberData(nameof(BothPaths), MemberType = typeof(ReportTestData))]
    public void A_marketplace_with_only_fees_in_the_period_still_gets_a_row(ReportPath path)
    {
        var rows = Run(path, Q1, [], fees: [new PeriodFee(D("2026-01-31"), "wildberries", "storage", 320m)]).Marketplaces();

        var row = rows.Single();
        row.Profit.Should().Be(-320m);
        row.ReturnLossShare.Should().BeNull();
        row.BlendedCac.Should().BeNull();
    }
}
