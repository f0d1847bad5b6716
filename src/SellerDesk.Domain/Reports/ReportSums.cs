using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>Lines ordered in range, with their returns up to as_of, summed per (marketplace, SKU): section 4.4.</summary>
public sealed record SkuLines(string Marketplace, string Sku, LineEconomics Lines);

/// <summary>Lines ordered in range, with their returns up to as_of, summed per (marketplace, month of the order date): 4.2 and 4.5.</summary>
public sealed record MonthLines(string Marketplace, YearMonth Month, LineEconomics Lines);

/// <summary>
/// Lines ordered in range, with their returns up to as_of, summed per (marketplace, local order date): the trend
/// chart's day, week and month buckets (<see cref="TrendBuckets"/>); <see cref="MonthLines"/> are their month sums.
/// </summary>
public sealed record DayLines(string Marketplace, DateOnly Date, LineEconomics Lines);

/// <summary>Lines of the orders placed in range, summed per (marketplace, the order's effective channel): 4.6.</summary>
public sealed record ChannelOrderLines(string Marketplace, string Channel, LineEconomics Lines);

/// <summary>
/// The orders up to as_of of the customers whose first order is in range, summed per (marketplace, acquisition
/// channel, cohort month, order month): 4.1, the new customers of 4.2, and 4.3.
/// </summary>
/// <param name="Marketplace">The customers' marketplace.</param>
/// <param name="AcquisitionChannel">The effective channel of their first orders.</param>
/// <param name="Cohort">The month of their first orders.</param>
/// <param name="Month">The month of the orders summed here.</param>
/// <param name="NewCustomers">First orders among them (so only where <paramref name="Month"/> is the cohort).</param>
/// <param name="IdentifiedCustomers">Of the new customers, those with a real buyer id.</param>
/// <param name="AttributedCustomers">Of the new customers, those whose acquisition channel came from attribution.</param>
/// <param name="ActiveCustomers">Orders that are their customer's first order in <paramref name="Month"/>.</param>
/// <param name="FirstOrders">The lines of the first orders among them.</param>
/// <param name="Orders">The lines of all of them.</param>
public sealed record CustomerMonthLines(
    string Marketplace,
    string AcquisitionChannel,
    YearMonth Cohort,
    YearMonth Month,
    int NewCustomers,
    int IdentifiedCustomers,
    int AttributedCustomers,
    int ActiveCustomers,
    LineEconomics FirstOrders,
    LineEconomics Orders)
{
    /// <summary>The figures the customer reports read of these sums.</summary>
    public CustomerMonth Figures() => new(
        Marketplace,
        AcquisitionChannel,
        Cohort,
        Month,
        NewCustomers,
        IdentifiedCustomers,
        AttributedCustomers,
        ActiveCustomers,
        FirstOrders.ContributionMargin,
        Orders.ContributionMargin,
        Orders.NetRevenue);
}

/// <summary>Attribution rows dated in range, per marketplace: the orders they claimed and the orders they took (3.1).</summary>
public sealed record AttributionCoverage(string Marketplace, int Claimed, int Taken)
{
    /// <summary><c>attribution_unmatched</c> of 4.2.</summary>
    public int Unmatched => Claimed - Taken;
}

/// <summary>
/// What the reports of section 4 read for one request: sums of the <see cref="EconomicsFacts"/>, grouped by the keys
/// each report needs, plus ad spend and period fees up to as_of. These are the sums a store of facts computes with
/// <c>GROUP BY</c>; <see cref="Of"/> is their in-memory definition. Money stays additive vectors
/// (<see cref="LineEconomics"/>) so a scenario (section 6) can act on the sums themselves.
/// </summary>
/// <param name="Period">from, to and as_of.</param>
/// <param name="Skus">4.4's sums.</param>
/// <param name="Months">4.2's and 4.5's sums of lines.</param>
/// <param name="Days">The same lines per order date (the trend chart).</param>
/// <param name="Channels">4.6's sums.</param>
/// <param name="Customers">4.1's and 4.3's sums, and 4.2's new customers.</param>
/// <param name="Spend">Every ad spend row dated up to as_of (cohorts take whole calendar months, the others the range).</param>
/// <param name="Fees">Every period fee dated up to as_of.</param>
/// <param name="Attribution">4.2's attribution coverage.</param>
public sealed record ReportSums(
    ReportPeriod Period,
    IReadOnlyList<SkuLines> Skus,
    IReadOnlyList<MonthLines> Months,
    IReadOnlyList<DayLines> Days,
    IReadOnlyList<ChannelOrderLines> Channels,
    IReadOnlyList<CustomerMonthLines> Customers,
    IReadOnlyList<AdSpend> Spend,
    IReadOnlyList<PeriodFee> Fees,
    IReadOnlyList<AttributionCoverage> Attribution)
{
    /// <summary>
    /// Sums the facts for a period. A line counts when its order is dated in range (customer sums: when its
    /// customer's first order is, and its own order up to as_of), with its return effects dated up to as_of.
    /// </summary>
    public static ReportSums Of(ReportPeriod period, EconomicsFacts facts, IEnumerable<AdSpend> spend, IEnumerable<PeriodFee> fees)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(fees);

        var orders = facts.Orders.ToDictionary(o => (o.Marketplace, o.OrderId));
        var skus = new Dictionary<(string, string), LineEconomics>();
        var months = new Dictionary<(string, YearMonth), LineEconomics>();
        var days = new Dictionary<(string, DateOnly), LineEconomics>();
        var channels = new Dictionary<(string, string), LineEconomics>();
        var customers = new Dictionary<(string, string, YearMonth, YearMonth), CustomerMonthLines>();

        foreach (var line in facts.Lines)
        {
            if (!period.Exists(line.OrderDate))
            {
                continue;
            }

            var order = orders[(line.Marketplace, line.OrderId)];
            var economics = line.AsOf(period.AsOf);
            if (period.InRange(line.OrderDate))
            {
                Add(skus, (line.Marketplace, line.Sku), economics);
                Add(months, (line.Marketplace, YearMonth.Of(line.OrderDate)), economics);
                Add(days, (line.Marketplace, line.OrderDate), economics);
                Add(channels, (line.Marketplace, order.Channel), economics);
            }

            if (period.InRange(order.FirstOrderDate))
            {
                var row = Customer(customers, order);
                customers[Key(order)] = row with
                {
                    FirstOrders = order.IsFirstOrder ? row.FirstOrders + economics : row.FirstOrders,
                    Orders = row.Orders + economics,
                };
            }
        }

        foreach (var order in facts.Orders)
        {
            if (period.Exists(order.OrderDate) && period.InRange(order.FirstOrderDate))
            {
                var row = Customer(customers, order);
                var first = order.IsFirstOrder ? 1 : 0;
                customers[Key(order)] = row with
                {
                    NewCustomers = row.NewCustomers + first,
                    IdentifiedCustomers = row.IdentifiedCustomers + (order.Identified ? first : 0),
                    AttributedCustomers = row.AttributedCustomers + (order.AcquisitionAttributed ? first : 0),
                    ActiveCustomers = row.ActiveCustomers + (order.FirstInMonth ? 1 : 0),
                };
            }
        }

        var attribution = facts.Claims
            .Where(c => period.InRange(c.Row.Date))
            .GroupBy(c => c.Row.Marketplace)
            .Select(g => new AttributionCoverage(g.Key, g.Sum(c => c.Claimed), g.Sum(c => c.Taken)))
            .ToList();

        return new ReportSums(
            period,
            [.. skus.Select(x => new SkuLines(x.Key.Item1, x.Key.Item2, x.Value))],
            [.. months.Select(x => new MonthLines(x.Key.Item1, x.Key.Item2, x.Value))],
            [.. days.Select(x => new DayLines(x.Key.Item1, x.Key.Item2, x.Value))],
            [.. channels.Select(x => new ChannelOrderLines(x.Key.Item1, x.Key.Item2, x.Value))],
            [.. customers.Values],
            [.. spend.Where(s => period.Exists(s.Date))],
            [.. fees.Where(f => period.Exists(f.Date))],
            attribution);
    }

    private static (string, string, YearMonth, YearMonth) Key(CustomerOrder order) =>
        (order.Marketplace, order.AcquisitionChannel, YearMonth.Of(order.FirstOrderDate), YearMonth.Of(order.OrderDate));

    private static CustomerMonthLines Customer(Dictionary<(string, string, YearMonth, YearMonth), CustomerMonthLines> rows, CustomerOrder order) =>
        rows.GetValueOrDefault(Key(order))
        ?? new CustomerMonthLines(order.Marketplace, order.AcquisitionChannel, YearMonth.Of(order.FirstOrderDate), YearMonth.Of(order.OrderDate), 0, 0, 0, 0, default, default);

    private static void Add<TKey>(Dictionary<TKey, LineEconomics> sums, TKey key, LineEconomics economics)
        where TKey : notnull =>
        sums[key] = sums.GetValueOrDefault(key) + economics;
}
