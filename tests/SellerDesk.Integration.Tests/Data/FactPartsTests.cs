using SellerDesk.Data.Facts;
using SellerDesk.Data.Ledger;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The facts refresh computes a write's days in parts of at most <see cref="OrderFactStore.PartSize"/> orders, each
/// (marketplace, day) whole (<see cref="LineFactStore.Parts"/>), so that its memory follows the busiest day and not
/// the size of the write or of the ledger. A write of more orders than a part still stores the domain's facts.
/// </summary>
public sealed class FactPartsTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public FactPartsTests(TestDatabase database) => _database = database;

    [Fact]
    public void A_part_is_closed_before_a_day_would_take_it_over_the_size_and_a_larger_day_is_a_part_of_its_own()
    {
        var day = new DateOnly(2026, 1, 1);
        (string, DateOnly, long)[] days =
        [
            ("wildberries", day, 6), ("ozon", day, 3), ("wildberries", day.AddDays(1), 2), ("ozon", day.AddDays(1), 25),
            ("wildberries", day.AddDays(2), 4), ("ozon", day.AddDays(2), 6), ("wildberries", day.AddDays(3), 10),
        ];

        var parts = LineFactStore.Parts(days, size: 10).ToList();

        parts.Select(p => p.Part).Should().Equal([0, 0, 1, 2, 3, 3, 4], "6+3 fit, 9+2 would not, 25 is alone, 4+6 fit, 10 starts anew");
        parts.Select(p => (p.Marketplace, p.Date)).Should().Equal(days.Select(d => (d.Item1, d.Item2)), "every day once, in the order given");
        parts.GroupBy(p => p.Part)
            .Select(g => g.Sum(p => days.Single(d => (d.Item1, d.Item2) == (p.Marketplace, p.Date)).Item3))
            .Should().OnlyContain(orders => orders <= 10 || orders == 25, "no part takes more than the size unless one day does");
        LineFactStore.Parts([], size: 10).Should().BeEmpty();
    }

    [Fact]
    public void A_parts_line_facts_are_computed_a_few_lines_at_a_time_each_order_whole()
    {
        var sales = StoredFactsMatchTheDomainTests.Ledger(52, orders: 400).Sales
            .OrderBy(s => s.Marketplace, StringComparer.Ordinal).ThenBy(s => s.OrderId, StringComparer.Ordinal).ThenBy(s => s.LineId, StringComparer.Ordinal)
            .ToList();

        var chunks = LineFactStore.WholeOrders(sales, lines: 50).ToList();

        chunks.SelectMany(c => c).Should().Equal(sales, "every line once, in the order given");
        chunks.Should().HaveCountGreaterThan(5);
        chunks.SkipLast(1).Should().OnlyContain(c => c.Count >= 50);
        chunks.SkipLast(1).Should().OnlyContain(c => c.Count < 50 + 10, "a run ends with the order it reached its size in");
        chunks.SelectMany(c => c.Select(s => (s.Marketplace, s.OrderId)).Distinct()).Should().OnlyHaveUniqueItems("no order is split between runs");
        LineFactStore.WholeOrders([], lines: 50).Should().BeEmpty();
    }

    [Fact]
    public async Task A_write_of_more_orders_than_a_part_stores_the_domains_facts()
    {
        // 45,000 orders in 180 days: three parts of at most 20,000 orders, each written LinesAtATime lines at a time.
        var ledger = StoredFactsMatchTheDomainTests.Ledger(51, orders: 45_000);
        ledger.Sales.Select(s => (s.Marketplace, s.OrderId)).Distinct().Count().Should().BeGreaterThan(2 * OrderFactStore.PartSize);
        var workspace = await _database.NewWorkspaceAsync("parts");
        await _database.WriteLedgerAsync(workspace, new LedgerBatch
        {
            Sales = ledger.Sales,
            Returns = ledger.Returns,
            Costs = ledger.Costs,
            Attribution = ledger.Attribution,
            AdSpend = ledger.Spend,
            Fees = ledger.Fees,
        });

        await StoredFactsMatchTheDomainTests.ExpectSameSumsAsync(
            _database, workspace, ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, ledger.Spend, ledger.Fees, 51);
    }
}
