using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion.Tests.Files;

public sealed class SalesOrderRunsTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 10, 12, 0, 0, TimeSpan.FromHours(3));

    private static SaleLine Line(string order, string line, DateTimeOffset? at = null, string? customer = "c1", string channel = "organic", string marketplace = "ozon") =>
        new(marketplace, order, line, at ?? At, customer, channel, "MUG-01", 1, 100m, 0m, 0m, 0m, 0m);

    private static bool Verified(params SaleLine[] lines)
    {
        var runs = new SalesOrderRuns();
        foreach (var line in lines)
        {
            runs.Add(line);
        }

        return runs.Verified;
    }

    [Fact]
    public void Adjacent_agreeing_lines_of_each_order_are_verified() =>
        Verified(Line("O1", "1"), Line("O1", "2"), Line("O2", "1"), Line("O3", "1"), Line("O3", "2", at: At.ToUniversalTime())).Should().BeTrue();

    [Fact]
    public void An_order_that_comes_back_after_another_is_not_verified() =>
        Verified(Line("O1", "1"), Line("O2", "1"), Line("O1", "2")).Should().BeFalse();

    [Fact]
    public void The_same_order_id_on_another_marketplace_is_another_order() =>
        Verified(Line("O1", "1"), Line("O1", "1", marketplace: "wildberries")).Should().BeTrue();

    [Theory]
    [InlineData("ordered_at")]
    [InlineData("customer_id")]
    [InlineData("no customer_id")]
    [InlineData("channel")]
    public void A_line_that_disagrees_with_the_first_of_its_run_is_not_verified(string attribute)
    {
        var second = attribute switch
        {
            "ordered_at" => Line("O1", "2", at: At.AddTicks(1)),
            "customer_id" => Line("O1", "2", customer: "c2"),
            "no customer_id" => Line("O1", "2", customer: null),
            _ => Line("O1", "2", channel: "ozon_ads"),
        };

        Verified(Line("O1", "1"), second, Line("O2", "1")).Should().BeFalse();
    }

    [Fact]
    public void An_empty_customer_id_equals_an_absent_one() =>
        Verified(Line("O1", "1", customer: null), Line("O1", "2", customer: string.Empty)).Should().BeTrue();

    [Fact]
    public void A_hundred_thousand_distinct_orders_in_runs_are_verified()
    {
        var runs = new SalesOrderRuns();
        for (var i = 0; i < 100_000; i++)
        {
            runs.Add(Line($"O{i}", "1"));
            runs.Add(Line($"O{i}", "2"));
        }

        runs.Verified.Should().BeTrue();
        runs.Add(Line("O500", "3"));
        runs.Verified.Should().BeFalse();
    }
}
