using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Economics;

public sealed class LineFactTests
{
    private static readonly SaleLine Mugs = new("wildberries", "W2", "1", At("2026-01-25", "14:00"), null, "wb_ads", "MUG-01", 3, 1500m, 375m, 210m, 0m, 0m);

    private static readonly UnitCost MugCost = new("MUG-01", D("2025-01-01"), 200m);

    private static ReturnEvent Return(string id, string date, int units, decimal refund, bool restockable = true, string time = "12:00") =>
        new("wildberries", "W2", "1", id, At(date, time), units, refund, 0m, 50m, restockable, null);

    [Fact]
    public void As_of_a_date_a_line_holds_only_the_returns_dated_up_to_it()
    {
        var line = LineFact.Build([Mugs], [Return("R1", "2026-02-05", 1, 500m), Return("R2", "2026-03-10", 1, 500m, restockable: false)], [MugCost], Moscow).Single();

        line.AsOf(D("2026-02-04")).Should().Be(line.Sale);
        line.AsOf(D("2026-02-05")).ReturnedUnits.Should().Be(1m);
        line.AsOf(D("2026-02-05")).NetRevenue.Should().Be(1000m);
        line.AsOf(D("2026-03-31")).ReturnedUnits.Should().Be(2m);
        line.AsOf(D("2026-03-31")).NonrestockUnits.Should().Be(1m);
        line.AsOf(D("2026-03-31")).NetCogs.Should().Be(400m, "one mug sold and kept, one came back broken: 2 x 200");
    }

    [Fact]
    public void A_return_is_dated_by_its_local_date_but_lands_in_its_orders_date()
    {
        // 22:30 UTC on February 4 is February 5 in Moscow.
        var back = Return("R1", "2026-02-05", 1, 500m, time: "01:30");
        var line = LineFact.Build([Mugs], [back], [MugCost], Moscow).Single();

        line.Returns.Single().Date.Should().Be(D("2026-02-05"));
        line.OrderDate.Should().Be(D("2026-01-25"));
        line.AsOf(D("2026-02-04")).ReturnedUnits.Should().Be(0m);
    }

    [Fact]
    public void The_unit_cost_is_the_one_valid_on_the_order_date_and_a_missing_one_is_counted()
    {
        var lines = LineFact.Build(
            [Mugs, Mugs with { LineId = "2", OrderedAt = At("2026-02-01", "10:00") }, Mugs with { LineId = "3", Sku = "CAP-03" }],
            [],
            [MugCost, new UnitCost("MUG-01", D("2026-02-01"), 250m)],
            Moscow);

        lines.Select(l => l.Sale.SoldCogs).Should().Equal(600m, 750m, 0m);
        lines.Select(l => l.Sale.CogsMissingLines).Should().Equal(0, 0, 1);
    }

    [Fact]
    public void Returns_that_add_up_to_more_units_than_were_sold_are_refused()
    {
        var act = () => LineFact.Build([Mugs], [Return("R1", "2026-02-05", 2, 1000m), Return("R2", "2026-02-06", 2, 1000m)], [MugCost], Moscow);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void An_order_dated_after_as_of_has_no_economics_yet()
    {
        var line = LineFact.Build([Mugs], [], [MugCost], Moscow).Single();

        var act = () => line.AsOf(D("2026-01-24"));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
