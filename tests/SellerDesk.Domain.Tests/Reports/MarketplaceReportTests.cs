using static SellerDesk.Domain.Tests.Reports.ReportTestData;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class MarketplaceReportTests
{
    private static readonly ReportPeriod Q1 = new(D("2026-01-01"), D("2026-03-31"), D("2026-03-31"));

    [Fact]
    public void Profit_is_margin_minus_period_fees_minus_ad_spend()
    {
        var rows = MarketplaceReport.Compute(
            Q1,
            OrderDay.FromOrders([Order("A", "2026-01-10", 1000m, revenue: 3000m, marketplace: "ozon")], Q1.AsOf),
            [new AdSpend(D("2026-01-05"), "ozon", "ozon_ads", 300m)],
            [new PeriodFee(D("2026-02-15"), "ozon", "acceptance", 150m)]);

        var row = rows.Single();
        row.Profit.Should().Be(550m);
        row.BlendedCac.Should().Be(300m);
        row.CmShare.Should().Be(1m);
    }

    [Fact]
    public void Margin_share_is_null_when_the_total_margin_is_not_positive_and_can_be_negative_otherwise()
    {
        var customers = OrderDay.FromOrders(
            [Order("A", "2026-01-10", 300m, marketplace: "ozon"), Order("B", "2026-01-10", -100m, marketplace: "wildberries")],
            Q1.AsOf);
        var rows = MarketplaceReport.Compute(Q1, customers, [], []);
        rows.Single(r => r.Marketplace == "wildberries").CmShare.Should().Be(-0.5m);

        var losing = OrderDay.FromOrders([Order("B", "2026-01-10", -100m, marketplace: "wildberries")], Q1.AsOf);
        MarketplaceReport.Compute(Q1, losing, [], []).Single().CmShare.Should().BeNull();
    }

    [Fact]
    public void Return_rate_and_return_loss_share_come_from_lines_ordered_in_the_period()
    {
        var order = new OrderFact("wildberries", "W1", null, "organic", DateTimeOffset.Parse("2026-01-10T12:00:00+03:00", System.Globalization.CultureInfo.InvariantCulture),
            D("2026-01-10"), 1000m, 500m, 100m, 250m, 4, 1, 1);
        var row = MarketplaceReport.Compute(Q1, OrderDay.FromOrders([order], Q1.AsOf), [], []).Single();

        row.ReturnRate.Should().Be(0.25m);
        row.ReturnLossShare.Should().Be(0.25m);
        row.CogsMissingLines.Should().Be(1);
        row.IdentifiedShare.Should().Be(0m);
    }

    [Fact]
    public void A_marketplace_with_only_fees_in_the_period_still_gets_a_row()
    {
        var rows = MarketplaceReport.Compute(Q1, Array.Empty<OrderDay>(), [], [new PeriodFee(D("2026-01-31"), "wildberries", "storage", 320m)]);

        var row = rows.Single();
        row.Profit.Should().Be(-320m);
        row.ReturnLossShare.Should().BeNull();
        row.BlendedCac.Should().BeNull();
    }
}
