using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>Optional cohort filters (metrics.md 4.3).</summary>
public sealed record CohortFilter(string? Marketplace = null, string? Channel = null)
{
    public static CohortFilter None { get; } = new();
}

/// <summary>One (marketplace, cohort month) row of metrics.md 4.3; offsets run from 0 to the as_of month.</summary>
public sealed record CohortRow(
    string Marketplace,
    YearMonth Cohort,
    int Customers,
    decimal Spend,
    decimal Cac,
    IReadOnlyList<decimal> Ltv,
    IReadOnlyList<decimal> RevenueLtv,
    IReadOnlyList<decimal> Retention,
    int? PaybackMonth)
{
    public CohortRow Rounded() => this with
    {
        Spend = Rounding.Money(Spend),
        Cac = Rounding.Money(Cac),
        Ltv = Ltv.Select(Rounding.Money).ToArray(),
        RevenueLtv = RevenueLtv.Select(Rounding.Money).ToArray(),
        Retention = Retention.Select(Rounding.Ratio).ToArray(),
    };
}

/// <summary>Cumulative margin per customer by months since the first order, with payback against CAC (metrics.md 4.3).</summary>
public static class CohortReport
{
    /// <param name="period">from, to and as_of.</param>
    /// <param name="customers">Sums of the customers whose first order is in range.</param>
    /// <param name="spend">Ad spend rows; those dated up to as_of count, by calendar month.</param>
    /// <param name="filter">Optional marketplace and acquisition channel.</param>
    public static IReadOnlyList<CohortRow> Compute(
        ReportPeriod period,
        IEnumerable<CustomerMonth> customers,
        IEnumerable<AdSpend> spend,
        CohortFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(spend);
        filter ??= CohortFilter.None;

        var asOfMonth = YearMonth.Of(period.AsOf);
        var spendByMonth = spend
            .Where(s => period.Exists(s.Date)
                        && (filter.Marketplace is null || s.Marketplace == filter.Marketplace)
                        && (filter.Channel is null || s.Channel == filter.Channel))
            .GroupBy(s => (s.Marketplace, YearMonth.Of(s.Date)))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Amount));

        return customers
            .Where(c => (filter.Marketplace is null || c.Marketplace == filter.Marketplace)
                        && (filter.Channel is null || c.AcquisitionChannel == filter.Channel))
            .GroupBy(c => (c.Marketplace, c.Cohort))
            .Where(g => g.Sum(c => c.NewCustomers) > 0)
            .OrderBy(g => g.Key.Marketplace, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Cohort)
            .Select(g => Row(g.Key.Marketplace, g.Key.Cohort, g.ToList(), asOfMonth, spendByMonth.GetValueOrDefault(g.Key)))
            .ToList();
    }

    private static CohortRow Row(string marketplace, YearMonth cohort, List<CustomerMonth> months, YearMonth asOfMonth, decimal spend)
    {
        var offsets = asOfMonth.MonthsSince(cohort) + 1;
        var margin = new decimal[offsets];
        var revenue = new decimal[offsets];
        var active = new int[offsets];
        foreach (var month in months)
        {
            var k = month.Month.MonthsSince(cohort);
            margin[k] += month.ContributionMargin;
            revenue[k] += month.NetRevenue;
            active[k] += month.ActiveCustomers;
        }

        var customers = months.Sum(m => m.NewCustomers);
        decimal n = customers;
        var cac = spend / n;
        var (ltv, revenueLtv, retention) = Series(margin, revenue, active, n);
        int? payback = null;
        for (var k = 0; k < offsets && payback is null; k++)
        {
            if (ltv[k] >= cac)
            {
                payback = k;
            }
        }

        return new CohortRow(marketplace, cohort, customers, spend, cac, ltv, revenueLtv, retention, payback);
    }

    /// <summary>
    /// 4.3's series over a cohort of <paramref name="n"/> customers from its per-offset sums: <c>ltv[k]</c> and
    /// <c>revenue_ltv[k]</c> the running sums of margin and net revenue up to offset k over n, <c>retention[k]</c> the
    /// customers active at offset k over n.
    /// </summary>
    internal static (decimal[] Ltv, decimal[] RevenueLtv, decimal[] Retention) Series(decimal[] margin, decimal[] revenue, int[] active, decimal n)
    {
        var ltv = new decimal[margin.Length];
        var revenueLtv = new decimal[margin.Length];
        var retention = new decimal[margin.Length];
        decimal marginSoFar = 0, revenueSoFar = 0;
        for (var k = 0; k < margin.Length; k++)
        {
            marginSoFar += margin[k];
            revenueSoFar += revenue[k];
            ltv[k] = marginSoFar / n;
            revenueLtv[k] = revenueSoFar / n;
            retention[k] = active[k] / n;
        }

        return (ltv, revenueLtv, retention);
    }
}
