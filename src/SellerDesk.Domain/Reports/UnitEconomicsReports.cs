using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>Everything the three reports read as of one date: orders summed by <see cref="OrderDay"/>, ad spend and period fees.</summary>
public sealed record ReportInputs(
    DateOnly AsOf,
    IReadOnlyList<OrderDay> Days,
    IReadOnlyList<AdSpend> Spend,
    IReadOnlyList<PeriodFee> Fees)
{
    /// <summary>Inputs computed in memory from order facts (the domain's own path, used on small ledgers and in tests).</summary>
    public static ReportInputs FromOrders(IEnumerable<OrderFact> orders, IEnumerable<AdSpend> spend, IEnumerable<PeriodFee> fees, DateOnly asOf) =>
        new(asOf, OrderDay.FromOrders(orders, asOf), spend.Where(s => s.Date <= asOf).ToList(), fees.Where(f => f.Date <= asOf).ToList());
}

/// <summary>One marketplace's margin and gross revenue in one month.</summary>
public sealed record MonthlyMargin(string Marketplace, YearMonth Month, decimal ContributionMargin, decimal Revenue);

/// <summary>
/// The reports 4.1 to 4.3 over <see cref="OrderDay"/> rows, the sums Data computes today. The rows are turned into the
/// calculators' inputs here and computed by the same calculators as <see cref="FactReports"/>; this path knows no
/// attribution (every order keeps its ledger channel) and has no SKU, P&amp;L or channel revenue.
/// </summary>
public sealed class UnitEconomicsReports
{
    private readonly ReportInputs _inputs;
    private IReadOnlyList<CustomerMonth>? _customers;

    public UnitEconomicsReports(ReportPeriod period, ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Period = period ?? throw new ArgumentNullException(nameof(period));
        if (inputs.AsOf != period.AsOf)
        {
            throw new ArgumentException($"The inputs are as of {inputs.AsOf:yyyy-MM-dd}, the period as of {period.AsOf:yyyy-MM-dd}.", nameof(inputs));
        }

        _inputs = inputs;
    }

    public ReportPeriod Period { get; }

    /// <summary>The days of the customers whose first order is in range, by acquisition channel, cohort and order month.</summary>
    private IReadOnlyList<CustomerMonth> Customers => _customers ??= _inputs.Days
        .Where(d => Period.InRange(d.FirstOrderDate))
        .GroupBy(d => (d.Marketplace, d.AcquisitionChannel, Cohort: YearMonth.Of(d.FirstOrderDate), Month: YearMonth.Of(d.OrderDate)))
        .Select(g => new CustomerMonth(
            g.Key.Marketplace,
            g.Key.AcquisitionChannel,
            g.Key.Cohort,
            g.Key.Month,
            g.Sum(d => d.NewCustomers),
            g.Sum(d => d.NewIdentifiedCustomers),
            AttributedCustomers: 0,
            g.Sum(d => d.ActiveCustomers),
            g.Sum(d => d.FirstOrderMargin),
            g.Sum(d => d.ContributionMargin),
            g.Sum(d => d.NetRevenue)))
        .ToList();

    public IReadOnlyList<ChannelRow> Channels() => ChannelReport.Compute(Period, Customers, _inputs.Spend);

    public IReadOnlyList<MarketplaceRow> Marketplaces()
    {
        var lines = _inputs.Days
            .Where(d => Period.InRange(d.OrderDate))
            .GroupBy(d => d.Marketplace)
            .Select(g => new MarketplaceLines(
                g.Key,
                g.Sum(d => d.Revenue),
                g.Sum(d => d.NetRevenue),
                g.Sum(d => d.ContributionMargin),
                g.Sum(d => d.ReturnLoss),
                g.Sum(d => d.Quantity),
                g.Sum(d => d.ReturnedUnits),
                g.Sum(d => d.CogsMissingLines)));
        return MarketplaceReport.Compute(Period, lines, Customers, _inputs.Spend, _inputs.Fees, []);
    }

    public IReadOnlyList<CohortRow> Cohorts(CohortFilter? filter = null) =>
        CohortReport.Compute(Period, Customers, _inputs.Spend, filter);

    /// <summary>Contribution margin of orders placed in range, per marketplace and local month (the overview's chart).</summary>
    public IReadOnlyList<MonthlyMargin> MarginByMonth() =>
        _inputs.Days
            .Where(o => Period.InRange(o.OrderDate))
            .GroupBy(o => (o.Marketplace, Month: YearMonth.Of(o.OrderDate)))
            .OrderBy(g => g.Key.Month)
            .ThenBy(g => g.Key.Marketplace, StringComparer.Ordinal)
            .Select(g => new MonthlyMargin(g.Key.Marketplace, g.Key.Month, g.Sum(o => o.ContributionMargin), g.Sum(o => o.Revenue)))
            .ToList();
}
