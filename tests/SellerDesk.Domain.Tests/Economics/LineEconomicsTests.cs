using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Tests.Economics;

public sealed class LineEconomicsTests
{
    [Fact]
    public void A_line_without_returns_earns_revenue_minus_fees_minus_cost_of_every_unit()
    {
        var line = LineEconomics.Compute(2, 1000m, 100m, 150m, 20m, 5m, LineReturns.None, 200m);

        line.NetRevenue.Should().Be(1000m);
        line.Fees.Should().Be(275m);
        line.NetCogs.Should().Be(400m);
        line.ContributionMargin.Should().Be(325m);
        line.ReturnLoss.Should().Be(0m);
        line.CogsMissing.Should().BeFalse();
    }

    [Fact]
    public void A_restockable_return_takes_back_the_refund_and_gives_back_the_unit_cost()
    {
        // Tiny example W2: 3 mugs, one returned restockable.
        var returns = LineReturns.None.Add(1, 500m, 125m, 50m, restockable: true);
        var line = LineEconomics.Compute(3, 1500m, 375m, 210m, 0m, 0m, returns, 200m);

        line.NetRevenue.Should().Be(1000m);
        line.Fees.Should().Be(375m - 125m + 210m + 50m);
        line.NetCogs.Should().Be(400m);
        line.ContributionMargin.Should().Be(1000m - 510m - 400m);
        line.ReturnLoss.Should().Be(120m);
    }

    [Fact]
    public void A_non_restockable_return_loses_the_unit_cost_too()
    {
        // Tiny example W1: a defective tee, refunded in full, not restockable.
        var returns = LineReturns.None.Add(1, 1000m, 0m, 50m, restockable: false);
        var line = LineEconomics.Compute(1, 1000m, 250m, 70m, 0m, 0m, returns, 400m);

        line.NetCogs.Should().Be(400m);
        line.ContributionMargin.Should().Be(0m - 370m - 400m);
        line.ReturnLoss.Should().Be(320m + 50m + 400m);
    }

    [Fact]
    public void The_return_loss_shares_the_sale_fees_by_the_returned_fraction_exactly()
    {
        var returns = LineReturns.None.Add(1, 0m, 0m, 0m, restockable: true);
        var line = LineEconomics.Compute(3, 300m, 100m, 0m, 0m, 0m, returns, 0m);

        line.ReturnLoss.Should().Be(100m / 3m);
    }

    [Fact]
    public void A_line_without_a_known_cost_counts_zero_cost_and_is_flagged()
    {
        var line = LineEconomics.Compute(1, 700m, 175m, 70m, 0m, 0m, LineReturns.None, null);

        line.NetCogs.Should().Be(0m);
        line.ContributionMargin.Should().Be(455m);
        line.CogsMissing.Should().BeTrue();
    }

    [Fact]
    public void Returning_more_units_than_were_sold_is_refused()
    {
        var returns = LineReturns.None.Add(2, 0m, 0m, 0m, restockable: true);
        var act = () => LineEconomics.Compute(1, 100m, 0m, 0m, 0m, 0m, returns, 10m);

        act.Should().Throw<ArgumentException>();
    }
}
