using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Overview;

/// <summary>Workspace totals over all marketplaces, summed exactly and rounded once for output.</summary>
public sealed record OverviewTotals(
    decimal Revenue,
    decimal NetRevenue,
    decimal ContributionMargin,
    decimal PeriodFees,
    decimal AdSpend,
    decimal Profit,
    decimal ReturnLoss,
    decimal? ReturnLossShare,
    decimal? ReturnRate,
    decimal? MarginShareOfRevenue,
    int NewCustomers,
    decimal? BlendedCac,
    decimal? IdentifiedShare,
    int CogsMissingLines);

/// <summary>One bar of the margin chart: a marketplace's contribution margin in one month.</summary>
public sealed record MarginPoint(YearMonth Month, decimal ContributionMargin);

/// <summary>One marketplace's bars, a bar for every month of the period (zero where it sold nothing).</summary>
public sealed record MarginSeries(string Marketplace, IReadOnlyList<MarginPoint> Points);

/// <summary>What the overview shows: totals, the marketplace table (rounded rows) and the margin chart.</summary>
public sealed record OverviewSummary(
    OverviewTotals Totals,
    IReadOnlyList<MarketplaceRow> Marketplaces,
    IReadOnlyList<MarginSeries> MarginByMonth)
{
    public bool IsEmpty => Marketplaces.Count == 0;

    public static OverviewSummary From(UnitEconomicsReports reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var rows = reports.Marketplaces();
        var revenue = rows.Sum(r => r.Revenue);
        var margin = rows.Sum(r => r.ContributionMargin);
        var adSpend = rows.Sum(r => r.AdSpend);
        var returnLoss = rows.Sum(r => r.ReturnLoss);
        var newCustomers = rows.Sum(r => r.NewCustomers);
        var identified = reports.Channels().Sum(c => c.IdentifiedCustomers);
        var totals = new OverviewTotals(
            Rounding.Money(revenue),
            Rounding.Money(rows.Sum(r => r.NetRevenue)),
            Rounding.Money(margin),
            Rounding.Money(rows.Sum(r => r.PeriodFees)),
            Rounding.Money(adSpend),
            Rounding.Money(rows.Sum(r => r.Profit)),
            Rounding.Money(returnLoss),
            Rounding.Ratio(Rounding.Divide(returnLoss, revenue)),
            Rounding.Ratio(Rounding.Divide(rows.Sum(r => r.ReturnedUnits), rows.Sum(r => r.Quantity))),
            Rounding.Ratio(Rounding.Divide(margin, revenue)),
            newCustomers,
            Rounding.Money(Rounding.Divide(adSpend, newCustomers)),
            Rounding.Ratio(Rounding.Divide(identified, newCustomers)),
            rows.Sum(r => r.CogsMissingLines));

        var period = reports.Period;
        var last = YearMonth.Of(period.To < period.AsOf ? period.To : period.AsOf);
        var months = new List<YearMonth>();
        for (var month = YearMonth.Of(period.From); month <= last; month = Next(month))
        {
            months.Add(month);
        }

        var byKey = reports.MarginByMonth().ToDictionary(m => (m.Marketplace, m.Month), m => m.ContributionMargin);
        var series = rows
            .Select(r => r.Marketplace)
            .Where(m => byKey.Keys.Any(k => k.Marketplace == m))
            .Select(m => new MarginSeries(
                m,
                months.Select(month => new MarginPoint(month, Rounding.Money(byKey.GetValueOrDefault((m, month))))).ToList()))
            .ToList();

        return new OverviewSummary(totals, rows.Select(r => r.Rounded()).ToList(), series);
    }

    private static YearMonth Next(YearMonth month) =>
        month.Month == 12 ? new YearMonth(month.Year + 1, 1) : new YearMonth(month.Year, month.Month + 1);
}
