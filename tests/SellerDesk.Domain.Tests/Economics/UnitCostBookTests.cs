using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Tests.Economics;

public sealed class UnitCostBookTests
{
    private readonly UnitCostBook _book = new(
    [
        new UnitCost("MUG-01", new DateOnly(2026, 2, 1), 250m),
        new UnitCost("MUG-01", new DateOnly(2025, 1, 1), 200m),
    ]);

    [Fact]
    public void The_cost_on_a_date_is_the_latest_entry_valid_from_on_or_before_it()
    {
        _book.CostOn("MUG-01", new DateOnly(2026, 1, 31)).Should().Be(200m);
        _book.CostOn("MUG-01", new DateOnly(2026, 2, 1)).Should().Be(250m);
        _book.CostOn("MUG-01", new DateOnly(2027, 1, 1)).Should().Be(250m);
    }

    [Fact]
    public void Before_the_first_entry_or_for_an_unknown_sku_there_is_no_cost()
    {
        _book.CostOn("MUG-01", new DateOnly(2024, 12, 31)).Should().BeNull();
        _book.CostOn("CAP-03", new DateOnly(2026, 1, 1)).Should().BeNull();
    }
}
