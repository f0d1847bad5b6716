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

/// <summary>The three reports of metrics.md section 4 over one set of inputs, customers derived once.</summary>
public sealed class UnitEconomicsReports
{
    private readonly ReportInputs _inputs;

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

    public IReadOnlyList<ChannelRow> Channels() => ChannelReport.Compute(Period, _inputs.Days, _inputs.Spend);

    public IReadOnlyList<MarketplaceRow> Marketplaces() =>
        MarketplaceReport.Compute(Period, _inputs.Days, _inputs.Spend, _inputs.Fees);

    public IReadOnlyList<CohortRow> Cohorts(CohortFilter? filter = null) =>
        CohortReport.Compute(Period, _inputs.Days, _inputs.Spend, filter);

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
