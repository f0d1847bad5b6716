using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Demo;

namespace SellerDesk.Integration.Tests.Reports;

/// <summary>
/// Patching cached facts with some changed orders must give exactly what summing all orders afresh gives
/// (docs/decisions/0009-report-freshness.md), whatever the change: new orders, restated ones, orders gone, an
/// order moved to another customer, a new first order of a known customer.
/// </summary>
public sealed class LedgerFactsTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly DateOnly AsOf = new(2026, 10, 31);
    private static readonly List<OrderFact> Year = Build();

    private static List<OrderFact> Build()
    {
        var ledger = DemoSeller.Generate(AsOf, Moscow);
        return [.. OrderFactBuilder.Build(ledger.Sales, ledger.Returns, ledger.Costs, Moscow, AsOf)];
    }

    [Fact]
    public void Built_facts_sum_to_the_same_days_as_the_domain()
    {
        var facts = LedgerFacts.Build(AsOf, Year, [], []);

        Days(facts.Inputs.Days).Should().BeEquivalentTo(Days(OrderDay.FromOrders(Year, AsOf)));
        facts.OrderCount.Should().Be(Year.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Patching_changed_orders_gives_the_same_days_as_summing_every_order_afresh(int seed)
    {
        var random = new Random(seed);
        var orders = Year.ToDictionary(o => (o.Marketplace, o.OrderId));
        var facts = LedgerFacts.Build(AsOf, Year, [], []);

        for (var round = 0; round < 5; round++)
        {
            var changed = new List<(string, string)>();
            var reloaded = new List<OrderFact>();
            var picks = orders.Values.OrderBy(_ => random.Next()).Take(40).ToList();
            foreach (var (order, i) in picks.Select((o, i) => (o, i)))
            {
                var key = (order.Marketplace, order.OrderId);
                changed.Add(key);
                switch (i % 4)
                {
                    case 0:
                        // Gone from the ledger.
                        orders.Remove(key);
                        break;
                    case 1:
                        // Restated: a return arrived, money moved.
                        var restated = order with { NetRevenue = order.NetRevenue - 100m, ContributionMargin = order.ContributionMargin - 133.33m, ReturnLoss = order.ReturnLoss + 33.33m, ReturnedUnits = order.ReturnedUnits + 1 };
                        orders[key] = restated;
                        reloaded.Add(restated);
                        break;
                    case 2:
                        // Moved to another (maybe known) customer and earlier: first orders and channels shift.
                        var known = orders.Values.Where(o => o.Marketplace == order.Marketplace && o.CustomerId is not null).Take(10).ToList();
                        var customer = known.Count > 0 ? known[random.Next(known.Count)].CustomerId : "C-MOVED-" + round;
                        var moved = order with { CustomerId = customer, OrderedAt = order.OrderedAt.AddDays(-40), LocalDate = order.LocalDate.AddDays(-40) };
                        orders[key] = moved;
                        reloaded.Add(moved);
                        break;
                    default:
                        // A brand-new order of the same customer, earlier than all of theirs.
                        var fresh = order with { OrderId = order.OrderId + "-N" + round, OrderedAt = order.OrderedAt.AddDays(-200), LocalDate = order.LocalDate.AddDays(-200), Channel = "new_channel" };
                        orders[(fresh.Marketplace, fresh.OrderId)] = fresh;
                        changed.Add((fresh.Marketplace, fresh.OrderId));
                        reloaded.Add(fresh);

                        // The original is among the changed keys: read again, it is as it was.
                        reloaded.Add(order);
                        break;
                }
            }

            facts.Apply(changed, reloaded);

            Days(facts.Inputs.Days).Should().BeEquivalentTo(Days(OrderDay.FromOrders(orders.Values, AsOf)), $"after round {round}");
            facts.OrderCount.Should().Be(orders.Count);
        }
    }

    [Fact]
    public void An_order_after_as_of_is_left_out_as_the_domain_leaves_it_out()
    {
        var facts = LedgerFacts.Build(AsOf, Year, [], []);
        var later = Year[0] with { OrderId = "LATER", OrderedAt = new DateTimeOffset(2026, 11, 5, 12, 0, 0, TimeSpan.Zero), LocalDate = new DateOnly(2026, 11, 5) };

        facts.Apply([(later.Marketplace, later.OrderId)], [later]);

        facts.OrderCount.Should().Be(Year.Count);
        Days(facts.Inputs.Days).Should().BeEquivalentTo(Days(OrderDay.FromOrders(Year, AsOf)));
    }

    private static Dictionary<(string, DateOnly, DateOnly, string), OrderDay> Days(IEnumerable<OrderDay> days) =>
        days.ToDictionary(d => (d.Marketplace, d.OrderDate, d.FirstOrderDate, d.AcquisitionChannel));
}
