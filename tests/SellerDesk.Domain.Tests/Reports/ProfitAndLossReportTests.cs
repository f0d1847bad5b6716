using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class ProfitAndLossReportTests
{
    private static IReadOnlyList<ProfitAndLossRow> Pnl(
        ReportPeriod period,
        IEnumerable<SaleLine> sales,
        IEnumerable<AdSpend>? spend = null,
        IEnumerable<PeriodFee>? fees = null,
        IEnumerable<ReturnEvent>? returns = null,
        IEnumerable<AttributionRow>? attribution = null) =>
        new FactReports(ReportSums.Of(period, EconomicsFacts.Build(sales, returns ?? [], [], attribution ?? [], Moscow), spend ?? [], fees ?? [])).ProfitAndLoss();

    [Fact]
    public void Every_month_from_the_month_of_from_to_the_month_of_as_of_gets_a_row_per_marketplace_zeros_included()
    {
        var period = new ReportPeriod(D("2026-01-20"), D("2026-06-10"), D("2026-03-05"));

        var rows = Pnl(period, [Order("A", "2026-01-25", 100m, revenue: 400m)], fees: [new PeriodFee(D("2026-02-10"), "ozon", "acceptance", 150m)]);

        rows.Select(r => (r.Month.ToString(), r.Marketplace)).Should().Equal(
            ("2026-01", "own_store"), ("2026-01", "ozon"),
            ("2026-02", "own_store"), ("2026-02", "ozon"),
            ("2026-03", "own_store"), ("2026-03", "ozon"));
        rows.Where(r => r.Marketplace == "own_store").Select(r => r.Revenue).Should().Equal(400m, 0m, 0m);
        rows.Where(r => r.Marketplace == "ozon").Select(r => r.Profit).Should().Equal(0m, -150m, 0m);
    }

    [Fact]
    public void A_month_covers_only_its_dates_in_range()
    {
        var period = new ReportPeriod(D("2026-01-15"), D("2026-02-10"), D("2026-03-31"));
        var spend = new[]
        {
            new AdSpend(D("2026-01-14"), "own_store", "vk_ads", 1m),
            new AdSpend(D("2026-01-15"), "own_store", "vk_ads", 10m),
            new AdSpend(D("2026-02-10"), "own_store", "vk_ads", 100m),
            new AdSpend(D("2026-02-11"), "own_store", "vk_ads", 1000m),
        };

        var rows = Pnl(period, [Order("A", "2026-01-14", 7m, revenue: 7m), Order("B", "2026-02-11", 9m, revenue: 9m), Order("C", "2026-01-15", 5m, revenue: 5m)], spend);

        rows.Select(r => (r.Revenue, r.AdSpend)).Should().Equal((5m, 10m), (0m, 100m));
    }

    [Fact]
    public void A_return_lands_in_its_orders_month_and_the_parts_add_up_to_the_margin()
    {
        var sale = new SaleLine("wildberries", "W2", "1", At("2026-01-25"), null, "organic", "MUG-01", 3, 1500m, 375m, 210m, 6m, 3m);
        var back = new ReturnEvent("wildberries", "W2", "1", "R1", At("2026-02-05"), 1, 500m, 125m, 50m, true, null);

        var rows = Pnl(Q1, [sale], returns: [back]);

        var january = rows[0];
        january.Should().Match<ProfitAndLossRow>(r => r.Revenue == 1500m && r.Refunds == 500m && r.Commission == 250m && r.Logistics == 260m
            && r.Acquiring == 6m && r.OtherFees == 3m && r.Cogs == 0m);
        january.ContributionMargin.Should().Be(january.Revenue - january.Refunds - january.Commission - january.Logistics - january.Acquiring - january.OtherFees - january.Cogs);
        rows.Skip(1).Should().OnlyContain(r => r.Revenue == 0m && r.Refunds == 0m && r.ContributionMargin == 0m);
    }

    [Fact]
    public void Marketplaces_with_only_attribution_rows_get_no_rows()
    {
        Pnl(Q1, [Order("A", "2026-01-10", 1m)], attribution: [new AttributionRow(D("2026-01-10"), "ozon", "ozon_ads", "SKU-1", 2)])
            .Select(r => r.Marketplace).Distinct().Should().Equal("own_store");
    }
}
