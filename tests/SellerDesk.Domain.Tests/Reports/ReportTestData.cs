using System.Globalization;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

/// <summary>
/// How the domain computes 4.1 to 4.3: the sums of facts (<see cref="ReportSums"/>, <see cref="FactReports"/>), the
/// one engine every report uses (the order-day path was removed, issue 11).
/// </summary>
public enum ReportPath
{
    Facts,
}

/// <summary>The reports 4.1 to 4.3 of one ledger, by one path.</summary>
internal sealed record PathReports(
    Func<IReadOnlyList<ChannelRow>> Channels,
    Func<IReadOnlyList<MarketplaceRow>> Marketplaces,
    Func<CohortFilter?, IReadOnlyList<CohortRow>> Cohorts);

/// <summary>Ledgers built by hand for report rules.</summary>
internal static class ReportTestData
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static readonly ReportPeriod Q1 = new(D("2026-01-01"), D("2026-03-31"), D("2026-03-31"));

    public static TheoryData<ReportPath> BothPaths => [ReportPath.Facts];

    /// <summary>
    /// A one-line order whose contribution margin is <paramref name="margin"/>: its revenue less a commission, with
    /// no known unit cost.
    /// </summary>
    public static SaleLine Order(
        string id,
        string date,
        decimal margin,
        string? customer = null,
        string channel = "organic",
        string marketplace = "own_store",
        decimal revenue = 0m,
        string time = "12:00",
        string sku = "SKU-1",
        int quantity = 1) =>
        new(marketplace, id, "1", At(date, time), customer, channel, sku, quantity, revenue, revenue - margin, 0m, 0m, 0m);

    public static DateTimeOffset At(string date, string time = "12:00") =>
        new(D(date).ToDateTime(TimeOnly.Parse(time, CultureInfo.InvariantCulture)), TimeSpan.FromHours(3));

    public static DateOnly D(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);

    public static PathReports Run(
        ReportPath path,
        ReportPeriod period,
        IEnumerable<SaleLine> sales,
        IEnumerable<AdSpend>? spend = null,
        IEnumerable<PeriodFee>? fees = null,
        IEnumerable<ReturnEvent>? returns = null,
        IEnumerable<UnitCost>? costs = null)
    {
        var lines = sales.ToList();
        List<ReturnEvent> returned = [.. returns ?? []];
        List<UnitCost> cost = [.. costs ?? []];
        List<AdSpend> spent = [.. spend ?? []];
        List<PeriodFee> charged = [.. fees ?? []];
        var facts = new FactReports(ReportSums.Of(period, EconomicsFacts.Build(lines, returned, cost, [], Moscow), spent, charged));
        return new PathReports(facts.Channels, facts.Marketplaces, facts.Cohorts);
    }
}
