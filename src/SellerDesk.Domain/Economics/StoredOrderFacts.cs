using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Economics;

/// <summary>Return effects of one order dated on one local day, summed (metrics.md section 2, return side).</summary>
public sealed record DatedReturnEffect(DateOnly Date, LineEconomics Effect);

/// <summary>
/// What a store of facts keeps of one order, independent of as_of (issue 11, decision 0014): the order as the ledger
/// gives it, its lines' sale side summed, and its lines' return effects summed per local return date. As of a date the
/// order is <see cref="Sale"/> plus the effects dated up to it (<see cref="AsOf"/>), which is what
/// <see cref="OrderFactBuilder"/> computes from the whole ledger; the store sums the same components in SQL with
/// as_of only filtering the dates.
/// </summary>
/// <param name="Order">The order's header (<c>ordered_at</c>, local date, buyer, ledger channel, SKUs).</param>
/// <param name="Sale">The sale side of its lines, summed.</param>
/// <param name="Returns">Its lines' return effects summed per local return date, earliest first.</param>
public sealed record StoredOrderFacts(LedgerOrder Order, LineEconomics Sale, IReadOnlyList<DatedReturnEffect> Returns)
{
    /// <summary>The order as of <paramref name="asOf"/> (it must exist then), as <see cref="OrderFactBuilder"/> gives it.</summary>
    public OrderFact AsOf(DateOnly asOf)
    {
        if (Order.LocalDate > asOf)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"Order {Order.OrderId} of {Order.LocalDate:yyyy-MM-dd} does not exist as of {asOf:yyyy-MM-dd}.");
        }

        var economics = Sale;
        foreach (var effect in Returns)
        {
            if (effect.Date <= asOf)
            {
                economics += effect.Effect;
            }
        }

        return Of(Order, economics);
    }

    /// <summary>An order's report figures from its economics (the one place the order-level fields are read off).</summary>
    public static OrderFact Of(LedgerOrder order, LineEconomics economics)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderFact(
            order.Marketplace,
            order.OrderId,
            order.CustomerId,
            order.Channel,
            order.OrderedAt,
            order.LocalDate,
            economics.Revenue,
            economics.NetRevenue,
            economics.ContributionMargin,
            economics.ReturnLoss,
            economics.Units,
            (int)economics.ReturnedUnits,
            economics.CogsMissingLines);
    }

    /// <summary>
    /// The stored facts of every order of <paramref name="sales"/> (whole orders: every line of each), with the
    /// returns of their lines, costed by <paramref name="costs"/> on each order's local date.
    /// </summary>
    public static IReadOnlyList<StoredOrderFacts> Build(
        IEnumerable<SaleLine> sales, IEnumerable<ReturnEvent> returns, UnitCostBook costs, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(sales);
        var lines = sales.ToList();
        var facts = LineFact.Build(lines, returns, costs, zone);
        var headers = LedgerOrder.FromLines(lines, zone).ToDictionary(o => (o.Marketplace, o.OrderId));
        var result = new List<StoredOrderFacts>(headers.Count);
        foreach (var group in facts.GroupBy(f => (f.Marketplace, f.OrderId)))
        {
            var sale = default(LineEconomics);
            var returned = new SortedDictionary<DateOnly, LineEconomics>();
            foreach (var line in group)
            {
                sale += line.Sale;
                foreach (var effect in line.Returns)
                {
                    returned[effect.Date] = returned.GetValueOrDefault(effect.Date) + effect.Effect;
                }
            }

            result.Add(new StoredOrderFacts(headers[group.Key], sale, [.. returned.Select(r => new DatedReturnEffect(r.Key, r.Value))]));
        }

        return result;
    }

    /// <summary>
    /// The customer facts (metrics.md section 3, no attribution rows) of every order of some customers: all their
    /// orders must be given.
    /// </summary>
    public static IReadOnlyList<CustomerOrder> Customers(IEnumerable<LedgerOrder> orders) =>
        CustomerOrder.Build(orders, AttributionResult.None);
}
