using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// The report inputs of one workspace as of one date, kept as per-order facts so that a write of some orders (a
/// pull) is applied by re-reading only those orders: the customers they belong to are taken out of the
/// <see cref="OrderDay"/> sums and put back with their new orders (docs/decisions/0009-report-freshness.md).
/// Every sum is additive per customer, so the result equals <see cref="OrderDay.FromOrders"/> over all orders;
/// LedgerFactsTests hold the two equal. Not thread-safe: the caller serialises access.
/// </summary>
public sealed class LedgerFacts
{
    private readonly Dictionary<(string Marketplace, string OrderId), OrderFact> _orders = [];
    private readonly Dictionary<(string Marketplace, string Id, bool Anonymous), List<OrderFact>> _customers = [];
    private readonly Dictionary<(string, DateOnly, DateOnly, string), (OrderDay Day, int Orders)> _days = [];
    private ReportInputs? _inputs;

    private LedgerFacts(DateOnly asOf, IReadOnlyList<AdSpend> spend, IReadOnlyList<PeriodFee> fees)
    {
        AsOf = asOf;
        Spend = spend;
        Fees = fees;
    }

    public DateOnly AsOf { get; }

    public IReadOnlyList<AdSpend> Spend { get; private set; }

    public IReadOnlyList<PeriodFee> Fees { get; private set; }

    public int OrderCount => _orders.Count;

    /// <summary>The inputs the reports read (built once per change).</summary>
    public ReportInputs Inputs => _inputs ??= new ReportInputs(
        AsOf, [.. _days.Values.Where(d => d.Orders > 0).Select(d => d.Day)], Spend, Fees);

    public static LedgerFacts Build(DateOnly asOf, IEnumerable<OrderFact> orders, IReadOnlyList<AdSpend> spend, IReadOnlyList<PeriodFee> fees)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var facts = new LedgerFacts(asOf, spend, fees);
        foreach (var order in orders.Where(o => o.LocalDate <= asOf))
        {
            facts._orders[(order.Marketplace, order.OrderId)] = order;
            facts.CustomerOrders(CustomerOf(order)).Add(order);
        }

        foreach (var (key, list) in facts._customers)
        {
            Sort(list);
            facts.Contribute(list, +1);
        }

        return facts;
    }

    /// <summary>
    /// Replaces the orders <paramref name="changed"/> with <paramref name="reloaded"/> (their facts as now in the
    /// ledger; an order missing from it is gone), and the spend and fees when given.
    /// </summary>
    public void Apply(
        IEnumerable<(string Marketplace, string OrderId)> changed,
        IEnumerable<OrderFact> reloaded,
        IReadOnlyList<AdSpend>? spend = null,
        IReadOnlyList<PeriodFee>? fees = null)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(reloaded);
        var fresh = reloaded.Where(o => o.LocalDate <= AsOf).ToList();
        var affected = new HashSet<(string, string, bool)>();
        foreach (var key in changed)
        {
            if (_orders.TryGetValue(key, out var old))
            {
                affected.Add(CustomerOf(old));
            }
        }

        foreach (var order in fresh)
        {
            affected.Add(CustomerOf(order));
            if (_orders.TryGetValue((order.Marketplace, order.OrderId), out var old))
            {
                affected.Add(CustomerOf(old));
            }
        }

        foreach (var customer in affected)
        {
            if (_customers.TryGetValue(customer, out var list))
            {
                Contribute(list, -1);
            }
        }

        foreach (var key in changed.Concat(fresh.Select(o => (o.Marketplace, o.OrderId))))
        {
            if (_orders.Remove(key, out var old) && _customers.TryGetValue(CustomerOf(old), out var list))
            {
                list.Remove(old);
            }
        }

        foreach (var order in fresh)
        {
            _orders[(order.Marketplace, order.OrderId)] = order;
            CustomerOrders(CustomerOf(order)).Add(order);
        }

        foreach (var customer in affected)
        {
            var list = _customers[customer];
            if (list.Count == 0)
            {
                _customers.Remove(customer);
                continue;
            }

            Sort(list);
            Contribute(list, +1);
        }

        Spend = spend ?? Spend;
        Fees = fees ?? Fees;
        _inputs = null;
    }

    private List<OrderFact> CustomerOrders((string, string, bool) key)
    {
        if (!_customers.TryGetValue(key, out var list))
        {
            list = new List<OrderFact>(1); // most customers have one order (every anonymous one)
            _customers[key] = list;
        }

        return list;
    }

    /// <summary>
    /// The customer of an order (metrics.md section 3) as a key that needs no new string: the buyer id, or for an
    /// anonymous order its own id, flagged so that it cannot meet a buyer id of the same text.
    /// </summary>
    private static (string Marketplace, string Id, bool Anonymous) CustomerOf(OrderFact order) =>
        (order.Marketplace, order.CustomerId ?? order.OrderId, order.CustomerId is null);

    private static void Sort(List<OrderFact> orders) =>
        orders.Sort((a, b) => a.OrderedAt != b.OrderedAt ? a.OrderedAt.CompareTo(b.OrderedAt) : string.CompareOrdinal(a.OrderId, b.OrderId));

    /// <summary>Adds (<paramref name="sign"/> +1) or takes out (-1) one customer's orders from the day sums.</summary>
    private void Contribute(List<OrderFact> customerOrders, int sign)
    {
        var rows = OrderDay.FromOrders(customerOrders, AsOf);
        foreach (var row in rows)
        {
            var key = (row.Marketplace, row.OrderDate, row.FirstOrderDate, row.AcquisitionChannel);
            var orders = customerOrders.Count(o => o.LocalDate == row.OrderDate);
            var (day, count) = _days.TryGetValue(key, out var existing)
                ? existing
                : (new OrderDay(row.Marketplace, row.OrderDate, row.FirstOrderDate, row.AcquisitionChannel, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
            count += sign * orders;
            if (count == 0)
            {
                _days.Remove(key);
                continue;
            }

            _days[key] = (day with
            {
                Revenue = day.Revenue + (sign * row.Revenue),
                NetRevenue = day.NetRevenue + (sign * row.NetRevenue),
                ContributionMargin = day.ContributionMargin + (sign * row.ContributionMargin),
                ReturnLoss = day.ReturnLoss + (sign * row.ReturnLoss),
                Quantity = day.Quantity + (sign * row.Quantity),
                ReturnedUnits = day.ReturnedUnits + (sign * row.ReturnedUnits),
                CogsMissingLines = day.CogsMissingLines + (sign * row.CogsMissingLines),
                NewCustomers = day.NewCustomers + (sign * row.NewCustomers),
                NewIdentifiedCustomers = day.NewIdentifiedCustomers + (sign * row.NewIdentifiedCustomers),
                FirstOrderMargin = day.FirstOrderMargin + (sign * row.FirstOrderMargin),
                ActiveCustomers = day.ActiveCustomers + (sign * row.ActiveCustomers),
            }, count);
        }
    }
}
