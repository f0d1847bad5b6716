using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Scenarios;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Scenarios;

/// <summary>metrics.md section 6, field by field, on one line of the tiny example (W2: three mugs, one returned).</summary>
public sealed class ScenarioTests
{
    private static readonly LineSale W2 = new(3, 1500m, 375m, 210m, 30m, 12m, 200m);

    private static readonly LineEconomics Line = LineEconomics.Compute(W2, LineReturns.None.Add(1, 500m, 125m, 50m, restockable: false));

    private static LineEconomics Adjust(params ScenarioAdjustment[] adjustments) => new Scenario(adjustments).Adjust("wildberries", Line);

    [Fact]
    public void A_price_change_scales_revenue_refund_commission_and_acquiring_but_not_logistics_or_cost()
    {
        var line = Adjust(new ScenarioAdjustment(PricePct: -10m));

        line.Revenue.Should().Be(1350m);
        line.Refund.Should().Be(450m);
        line.Commission.Should().Be(337.5m);
        line.CommissionRefund.Should().Be(112.5m);
        line.Acquiring.Should().Be(27m);
        line.Logistics.Should().Be(210m);
        line.OtherFees.Should().Be(12m);
        line.NetCogs.Should().Be(Line.NetCogs);
        line.ReturnLoss.Should().Be(((337.5m + 210m + 27m + 12m) / 3) - 112.5m + 50m + 200m);
    }

    [Fact]
    public void A_commission_rise_in_points_is_charged_on_revenue_and_refunded_on_refunds()
    {
        var line = Adjust(new ScenarioAdjustment(CommissionPp: 5m));

        line.Commission.Should().Be(375m + 75m);
        line.CommissionRefund.Should().Be(125m + 25m);
        line.Fees.Should().Be(Line.Fees + 50m);
        line.ReturnLoss.Should().Be(Line.ReturnLoss + 25m - 25m, "a third of the extra 75 is lost with the returned unit, 25 comes back");
    }

    [Fact]
    public void A_logistics_change_scales_delivery_both_ways()
    {
        var line = Adjust(new ScenarioAdjustment(LogisticsPct: 20m));

        line.Logistics.Should().Be(252m);
        line.ReturnLogistics.Should().Be(60m);
        line.ContributionMargin.Should().Be(Line.ContributionMargin - 42m - 10m);
    }

    [Fact]
    public void Returns_scaled_to_zero_are_a_world_without_returns()
    {
        var line = Adjust(new ScenarioAdjustment(ReturnsScale: 0m));

        line.Should().Be(LineEconomics.Sold(W2));
        line.ReturnLoss.Should().Be(0m);
    }

    [Fact]
    public void Half_the_returns_leave_half_a_unit_returned()
    {
        var line = Adjust(new ScenarioAdjustment(ReturnsScale: 0.5m));

        line.ReturnedUnits.Should().Be(0.5m);
        line.Refund.Should().Be(250m);
        line.NetCogs.Should().Be(600m - 100m + 100m);
        line.ReturnLoss.Should().Be(Line.ReturnLoss / 2);
    }

    [Fact]
    public void Every_matching_adjustment_applies_and_their_order_does_not_change_the_outcome()
    {
        // Each field is a scaling or a commission shear of the components: they commute, so "in the order given" is
        // also "in any order".
        ScenarioAdjustment[] adjustments =
        [
            new(PricePct: 100m),
            new("wildberries", CommissionPp: 5m),
            new(ReturnsScale: 0.5m),
            new(LogisticsPct: -25m),
            new(CommissionPp: 1m),
        ];

        var line = Adjust(adjustments);

        line.Commission.Should().Be((375m * 2) + (3000m * 0.06m));
        line.CommissionRefund.Should().Be(((125m * 2) + (1000m * 0.06m)) / 2);
        Adjust([.. adjustments.Reverse()]).Should().Be(line);
        Adjust(adjustments[2], adjustments[0], adjustments[4], adjustments[3], adjustments[1]).Should().Be(line);
    }

    [Fact]
    public void An_adjustment_for_another_marketplace_changes_nothing()
    {
        new Scenario([new ScenarioAdjustment("ozon", PricePct: 50m, CommissionPp: 3m)]).Adjust("wildberries", Line).Should().Be(Line);
    }

    [Fact]
    public void A_channel_limits_only_the_ad_spend_change()
    {
        var scenario = new Scenario([new ScenarioAdjustment("wildberries", "wb_ads", CommissionPp: 1m, AdSpendPct: 50m)]);

        scenario.Adjust("wildberries", Line).Commission.Should().Be(390m, "the commission change applies to every line of the marketplace");
        scenario.Adjust(new AdSpend(D("2026-01-10"), "wildberries", "wb_ads", 900m)).Amount.Should().Be(1350m);
        scenario.Adjust(new AdSpend(D("2026-01-10"), "wildberries", "blogger_anna", 900m)).Amount.Should().Be(900m);
        scenario.Adjust(new AdSpend(D("2026-01-10"), "ozon", "wb_ads", 900m)).Amount.Should().Be(900m);
    }

    [Fact]
    public void Ad_spend_changes_move_cac_but_not_new_customers()
    {
        var sums = ReportSums.Of(
            Q1,
            EconomicsFacts.Build([Order("A", "2026-01-10", 500m, "c1", "vk_ads")], [], [], [], Moscow),
            [new AdSpend(D("2026-01-05"), "own_store", "vk_ads", 400m)],
            []);

        var result = new Scenario([new ScenarioAdjustment(AdSpendPct: 50m)]).Evaluate(sums);

        result.Baseline.Channels.Single().Should().Match<ChannelRow>(r => r.Cac == 400m && r.Verdict == ChannelVerdict.Profitable);
        result.Scenario.Channels.Single().Should().Match<ChannelRow>(r => r.NewCustomers == 1 && r.Cac == 600m && r.Verdict == ChannelVerdict.Cut);
        result.Scenario.Marketplaces.Single().AdSpend.Should().Be(600m);
        result.Scenario.ProfitAndLoss.Sum(r => r.AdSpend).Should().Be(600m);
    }

    [Fact]
    public void A_returns_scale_outside_zero_to_one_is_refused()
    {
        var act = () => new Scenario([new ScenarioAdjustment(ReturnsScale: 1.5m)]);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
