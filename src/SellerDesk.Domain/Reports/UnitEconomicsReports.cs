using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>Everything the three reports read: order facts up to as_of, ad spend and period fees.</summary>
public sealed record ReportInputs(
    IReadOnlyList<OrderFact> Orders,
    IReadOnlyList<AdSpend> Spend,
    IReadOnlyList<PeriodFee> Fees);

/// <summary>One marketplace's margin and gross revenue in one month.</summary>
public sealed record MonthlyMargin(string Marketplace, YearMonth Month, decimal ContributionMargin, decimal Revenue);

/// <summary>The three reports of metrics.md section 4 over one set of inputs, customers derived once.</summary>
public sealed class UnitEconomicsReports
{
    private readonly ReportInputs _inputs;

    public UnitEconomicsReports(ReportPeriod period, ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Period = period ?? throw new ArgumentNullException(nameof(period));
        _inputs = inputs;
        Customers = Customer.FromOrders(inputs.Orders, period.AsOf);
    }

    public ReportPeriod Period { get; }

    public IReadOnlyList<Customer> Customers { get; }

    public IReadOnlyList<ChannelRow> Channels() => ChannelReport.Compute(Period, Customers, _inputs.Spend);

    public IReadOnlyList<MarketplaceRow> Marketplaces() =>
        MarketplaceReport.Compute(Period, Customers, _inputs.Spend, _inputs.Fees);

    public IReadOnlyList<CohortRow> Cohorts(CohortFilter? filter = null) =>
        CohortReport.Compute(Period, Customers, _inputs.Spend, filter);

    /// <summary>Contribution margin of orders placed in range, per marketplace and local month (the overview's chart).</summary>
    public IReadOnlyList<MonthlyMargin> MarginByMonth() =>
        Customers
            .SelectMany(c => c.Orders)
            .Where(o => Period.InRange(o.LocalDate))
            .GroupBy(o => (o.Marketplace, Month: YearMonth.Of(o.LocalDate)))
            .OrderBy(g => g.Key.Month)
            .ThenBy(g => g.Key.Marketplace, StringComparer.Ordinal)
            .Select(g => new MonthlyMargin(g.Key.Marketplace, g.Key.Month, g.Sum(o => o.ContributionMargin), g.Sum(o => o.Revenue)))
            .ToList();
}
