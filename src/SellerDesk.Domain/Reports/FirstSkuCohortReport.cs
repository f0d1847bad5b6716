using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Reports;

/// <summary>One SKU's lines in one customer's first order: their SKU and gross revenue (before refunds).</summary>
public sealed record FirstOrderSkuLines(string Marketplace, string CustomerKey, string Sku, decimal Revenue);

/// <summary>
/// One customer's orders of one month, up to as_of, with their returns up to as_of: the lines of all of them and of
/// the first order among them (section 2 sums).
/// </summary>
public sealed record CustomerMonthOrders(string Marketplace, string CustomerKey, YearMonth Cohort, YearMonth Month, LineEconomics FirstOrder, LineEconomics Orders);

/// <summary>
/// One (marketplace, first SKU, cohort month) row: the customers of that marketplace whose first order is in range,
/// in that month, led by that SKU (<see cref="FirstSku"/>), with section 4.3's series over them; no spend, CAC or
/// payback (ad spend has no SKU, as 4.4 says).
/// </summary>
/// <param name="Marketplace">The customers' marketplace.</param>
/// <param name="Sku">The SKU that led their first orders.</param>
/// <param name="Cohort">The month of their first orders.</param>
/// <param name="Customers">How many they are.</param>
/// <param name="FirstOrderMargin">Mean <c>cm</c> of their first orders (4.1's <c>first_order_margin</c> for these customers).</param>
/// <param name="Ltv">4.3's <c>ltv[k]</c> over these customers.</param>
/// <param name="RevenueLtv">4.3's <c>revenue_ltv[k]</c>.</param>
/// <param name="Retention">4.3's <c>retention[k]</c>.</param>
public sealed record FirstSkuCohortRow(
    string Marketplace,
    string Sku,
    YearMonth Cohort,
    int Customers,
    decimal FirstOrderMargin,
    IReadOnlyList<decimal> Ltv,
    IReadOnlyList<decimal> RevenueLtv,
    IReadOnlyList<decimal> Retention)
{
    /// <summary>Margin per customer of all their orders up to as_of (4.1's <c>ltv_to_date</c>): the last offset.</summary>
    public decimal LtvToDate => Ltv[^1];

    public FirstSkuCohortRow Rounded() => this with
    {
        FirstOrderMargin = Rounding.Money(FirstOrderMargin),
        Ltv = Ltv.Select(Rounding.Money).ToArray(),
        RevenueLtv = RevenueLtv.Select(Rounding.Money).ToArray(),
        Retention = Retention.Select(Rounding.Ratio).ToArray(),
    };
}

/// <summary>
/// LTV by first SKU (decision 0029): section 4.3's cohorts, split by the SKU that led each customer's first order.
/// Every customer of a 4.3 cohort is in exactly one SKU's row, so a cohort's SKU rows add up to it: their customers
/// to its customers, their <c>ltv[k] * customers</c> to its <c>ltv[k] * customers</c>.
/// </summary>
public static class FirstSkuCohortReport
{
    /// <param name="period">from, to and as_of.</param>
    /// <param name="firstOrders">The lines of the first orders of the customers whose first order is in range, per SKU.</param>
    /// <param name="months">Those customers' orders up to as_of, per month.</param>
    public static IReadOnlyList<FirstSkuCohortRow> Compute(ReportPeriod period, IEnumerable<FirstOrderSkuLines> firstOrders, IEnumerable<CustomerMonthOrders> months)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(firstOrders);
        ArgumentNullException.ThrowIfNull(months);

        var skuOf = firstOrders
            .GroupBy(l => (l.Marketplace, l.CustomerKey))
            .ToDictionary(g => g.Key, g => FirstSku.Of(g.Select(l => (l.Sku, l.Revenue))));
        var asOfMonth = YearMonth.Of(period.AsOf);

        return months
            .Where(m => skuOf.ContainsKey((m.Marketplace, m.CustomerKey)))
            .GroupBy(m => (m.Marketplace, Sku: skuOf[(m.Marketplace, m.CustomerKey)], m.Cohort))
            .OrderBy(g => g.Key.Marketplace, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Sku, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Cohort)
            .Select(g => Row(g.Key.Marketplace, g.Key.Sku, g.Key.Cohort, g.ToList(), asOfMonth))
            .ToList();
    }

    /// <summary>
    /// The inputs of <see cref="Compute"/> from the domain's facts (one source's ledger), as the stored facts give them
    /// for the whole workspace: the customers of <paramref name="filter"/>'s marketplace and acquisition channel whose
    /// first order is in range.
    /// </summary>
    public static IReadOnlyList<FirstSkuCohortRow> Of(ReportPeriod period, EconomicsFacts facts, CohortFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(facts);
        filter ??= CohortFilter.None;
        var orders = facts.Orders
            .Where(o => period.Exists(o.OrderDate) && period.InRange(o.FirstOrderDate)
                        && (filter.Marketplace is null || o.Marketplace == filter.Marketplace)
                        && (filter.Channel is null || o.AcquisitionChannel == filter.Channel))
            .ToDictionary(o => (o.Marketplace, o.OrderId));
        var firstOrders = new List<FirstOrderSkuLines>();
        var months = new Dictionary<(string, string, YearMonth, YearMonth), CustomerMonthOrders>();
        foreach (var line in facts.Lines)
        {
            if (!orders.TryGetValue((line.Marketplace, line.OrderId), out var order))
            {
                continue;
            }

            var economics = line.AsOf(period.AsOf);
            var key = (order.Marketplace, order.CustomerKey, YearMonth.Of(order.FirstOrderDate), YearMonth.Of(order.OrderDate));
            var row = months.GetValueOrDefault(key) ?? new CustomerMonthOrders(key.Marketplace, key.CustomerKey, key.Item3, key.Item4, default, default);
            months[key] = row with
            {
                FirstOrder = order.IsFirstOrder ? row.FirstOrder + economics : row.FirstOrder,
                Orders = row.Orders + economics,
            };
            if (order.IsFirstOrder)
            {
                firstOrders.Add(new FirstOrderSkuLines(order.Marketplace, order.CustomerKey, line.Sku, line.Sale.Revenue));
            }
        }

        return Compute(period, firstOrders, months.Values);
    }

    private static FirstSkuCohortRow Row(string marketplace, string sku, YearMonth cohort, List<CustomerMonthOrders> months, YearMonth asOfMonth)
    {
        var offsets = asOfMonth.MonthsSince(cohort) + 1;
        var margin = new decimal[offsets];
        var revenue = new decimal[offsets];
        var active = new int[offsets];
        foreach (var month in months)
        {
            var k = month.Month.MonthsSince(cohort);
            margin[k] += month.Orders.ContributionMargin;
            revenue[k] += month.Orders.NetRevenue;
            active[k]++;
        }

        decimal n = months.Select(m => m.CustomerKey).Distinct(StringComparer.Ordinal).Count();
        var (ltv, revenueLtv, retention) = CohortReport.Series(margin, revenue, active, n);
        return new FirstSkuCohortRow(marketplace, sku, cohort, (int)n, months.Sum(m => m.FirstOrder.ContributionMargin) / n, ltv, revenueLtv, retention);
    }
}
