using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Tests.Economics;

public sealed class LineEconomicsTests
{
    private static LineSale Sale(int quantity, decimal revenue, decimal commission, decimal logistics, decimal acquiring, decimal otherFees, decimal? unitCost) =>
        new(quantity, revenue, commission, logistics, acquiring, otherFees, unitCost);

    [Fact]
    public void A_line_without_returns_earns_revenue_minus_fees_minus_cost_of_every_unit()
    {
        var line = LineEconomics.Compute(Sale(2, 1000m, 100m, 150m, 20m, 5m, 200m), LineReturns.None);

        line.NetRevenue.Should().Be(1000m);
        line.Fees.Should().Be(275m);
        line.NetCogs.Should().Be(400m);
        line.ContributionMargin.Should().Be(325m);
        line.ReturnLoss.Should().Be(0m);
        line.CogsMissingLines.Should().Be(0);
    }

    [Fact]
    public void A_restockable_return_takes_back_the_refund_and_gives_back_the_unit_cost()
    {
        // Tiny example W2: 3 mugs, one returned restockable.
        var returns = LineReturns.None.Add(1, 500m, 125m, 50m, restockable: true);
        var line = LineEconomics.Compute(Sale(3, 1500m, 375m, 210m, 0m, 0m, 200m), returns);

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
        var line = LineEconomics.Compute(Sale(1, 1000m, 250m, 70m, 0m, 0m, 400m), returns);

        line.NetCogs.Should().Be(400m);
        line.ContributionMargin.Should().Be(0m - 370m - 400m);
        line.ReturnLoss.Should().Be(320m + 50m + 400m);
    }

    [Fact]
    public void The_return_loss_shares_the_sale_fees_by_the_returned_fraction_exactly()
    {
        var returns = LineReturns.None.Add(1, 0m, 0m, 0m, restockable: true);
        var line = LineEconomics.Compute(Sale(3, 300m, 100m, 0m, 0m, 0m, 0m), returns);

        line.ReturnLoss.Should().Be(100m / 3m);
    }

    [Fact]
    public void A_line_without_a_known_cost_counts_zero_cost_and_is_flagged()
    {
        var line = LineEconomics.Compute(Sale(1, 700m, 175m, 70m, 0m, 0m, null), LineReturns.None);

        line.NetCogs.Should().Be(0m);
        line.ContributionMargin.Should().Be(455m);
        line.CogsMissingLines.Should().Be(1);
    }

    [Fact]
    public void Returning_more_units_than_were_sold_is_refused()
    {
        var returns = LineReturns.None.Add(2, 0m, 0m, 0m, restockable: true);
        var act = () => LineEconomics.Compute(Sale(1, 100m, 0m, 0m, 0m, 0m, 10m), returns);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_sale_has_no_return_side_and_a_return_effect_no_sale_side()
    {
        var sale = Sale(2, 1000m, 100m, 150m, 20m, 5m, 200m);
        var sold = LineEconomics.Sold(sale);
        var returned = LineEconomics.Returned(sale, LineReturns.None.Add(1, 500m, 50m, 30m, restockable: false));

        sold.Should().Be(sold with
        {
            ReturnedUnits = 0, NonrestockUnits = 0, Refund = 0, CommissionRefund = 0, ReturnLogistics = 0, ReturnedCogs = 0, NonrestockCogs = 0,
            ReturnedShareOfRevenue = 0, ReturnedShareOfCommission = 0, ReturnedShareOfLogistics = 0, ReturnedShareOfAcquiring = 0,
            ReturnedShareOfOtherFees = 0,
        });
        returned.Should().Be(returned with
        {
            Units = 0, Revenue = 0, Commission = 0, Logistics = 0, Acquiring = 0, OtherFees = 0, SoldCogs = 0, CogsMissingLines = 0,
        });
        returned.ReturnLoss.Should().Be(((100m + 150m + 20m + 5m) / 2) - 50m + 30m + 200m);
        (sold + returned).ContributionMargin.Should().Be(1000m - 500m - (100m - 50m + 150m + 30m + 20m + 5m) - (200m * 2));
    }

    [Fact]
    public void Two_return_events_add_up_to_their_sum_as_one_return()
    {
        var sale = Sale(4, 1000m, 120m, 80m, 8m, 4m, 150m);
        var first = LineReturns.None.Add(1, 250m, 30m, 20m, restockable: true);
        var second = LineReturns.None.Add(2, 500m, 60m, 40m, restockable: false);

        var apart = LineEconomics.Returned(sale, first) + LineEconomics.Returned(sale, second);
        var together = LineEconomics.Returned(sale, first.Add(2, 500m, 60m, 40m, restockable: false));

        apart.Should().Be(together);
    }
}
