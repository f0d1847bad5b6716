using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Integration.Tests.Exports;

/// <summary>
/// A small ledger made in the domain for the export tests: Ozon sells in January, sells and takes a return in
/// February, pays storage and acceptance and spends on VK ads; as_of lies inside February, so February is unfinished.
/// </summary>
internal static class ExportLedger
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static readonly ReportPeriod Period = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 28), new DateOnly(2026, 2, 20));

    public static FactReports Reports(ReportPeriod? period = null)
    {
        var sales = new List<SaleLine>
        {
            new("ozon", "O1", "1", At(2026, 1, 10), "c1", "vk_ads", "MUG", 2, 1000m, 150m, 100m, 20m, 5m),
            new("ozon", "O2", "1", At(2026, 2, 5), "c2", "organic", "MUG", 1, 500m, 75m, 50m, 10m, 0m),
            new("own_store", "S1", "1", At(2026, 1, 12), "c9", "organic", "CUP", 1, 700m, 0m, 90m, 14m, 0m),
        };
        var returns = new List<ReturnEvent>
        {
            new("ozon", "O2", "1", "R1", At(2026, 2, 15), 1, 500m, 75m, 60m, true, "size"),
        };
        var costs = new List<UnitCost> { new("MUG", new DateOnly(2025, 1, 1), 200m), new("CUP", new DateOnly(2025, 1, 1), 250m) };
        var spend = new List<AdSpend> { new(new DateOnly(2026, 1, 15), "ozon", "vk_ads", 300m), new(new DateOnly(2026, 2, 3), "ozon", "ozon_ads", 120.5m) };
        var fees = new List<PeriodFee>
        {
            new(new DateOnly(2026, 1, 31), "ozon", "storage", 100m),
            new(new DateOnly(2026, 2, 10), "ozon", "acceptance", 40m),
            new(new DateOnly(2026, 2, 11), "ozon", "storage", 33.335m),
        };
        var facts = EconomicsFacts.Build(sales, returns, costs, [], Moscow);
        return new FactReports(ReportSums.Of(period ?? Period, facts, spend, fees));
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.FromHours(3));
}
