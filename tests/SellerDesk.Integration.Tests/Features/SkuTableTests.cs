using System.Globalization;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Features.Skus;

namespace SellerDesk.Integration.Tests.Features;

/// <summary>What the SKUs page makes of the domain's 4.4 rows: the order, the filters and the costs no SKU carries.</summary>
public sealed class SkuTableTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly ReportPeriod Q1 = new(D("2026-01-01"), D("2026-03-31"), D("2026-03-31"));

    private static DateOnly D(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);

    private static DateTimeOffset At(string date) => new(D(date).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(3));

    private static SaleLine Sale(string marketplace, string order, string date, string sku, int quantity, decimal revenue, decimal commission) =>
        new(marketplace, order, "1", At(date), null, "organic", sku, quantity, revenue, commission, 0m, 0m, 0m);

    /// <summary>
    /// Ozon: MUG-01 earns 600, CAP-03 loses 770 (a return), TEE-02 earns 100 with no unit cost; Wildberries: MUG-01
    /// loses 50. Ad spend and a period fee on Ozon.
    /// </summary>
    private static FactReports Reports(ReportPeriod? period = null)
    {
        var sales = new[]
        {
            Sale("ozon", "O1", "2026-01-10", "MUG-01", 2, 1000m, 0m),
            Sale("ozon", "O2", "2026-02-10", "CAP-03", 1, 1000m, 250m),
            Sale("ozon", "O3", "2026-03-10", "TEE-02", 1, 300m, 200m),
            Sale("wildberries", "W1", "2026-02-15", "MUG-01", 1, 200m, 50m),
        };
        var returns = new[] { new ReturnEvent("ozon", "O2", "1", "R1", At("2026-02-20"), 1, 1000m, 0m, 120m, false, null) };
        var costs = new[] { new UnitCost("MUG-01", D("2025-01-01"), 200m), new UnitCost("CAP-03", D("2025-01-01"), 400m) };
        var facts = EconomicsFacts.Build(sales, returns, costs, [], Moscow);
        return new FactReports(ReportSums.Of(
            period ?? Q1,
            facts,
            [new AdSpend(D("2026-01-05"), "ozon", "ozon_ads", 300m)],
            [new PeriodFee(D("2026-02-01"), "ozon", "storage", 45.5m)]));
    }

    private static SkuTable Table() => SkuTable.From(Reports(), code => code.ToUpperInvariant());

    [Fact]
    public void The_skus_that_lose_the_most_money_come_first()
    {
        var lines = Table().Lines;

        lines.Select(l => (l.Marketplace, l.Sku)).Should().Equal(
            ("ozon", "CAP-03"), ("wildberries", "MUG-01"), ("ozon", "TEE-02"), ("ozon", "MUG-01"));
        lines[0].ContributionMargin.Should().Be(-770m);
        lines[0].MoneyLost.Should().Be(770m);
        lines[^1].MoneyLost.Should().Be(0m);
        lines.Single(l => l.Sku == "TEE-02").CogsMissingLines.Should().Be(1);
        lines[0].MarketplaceName.Should().Be("OZON");
    }

    [Fact]
    public void Filters_by_marketplace_by_part_of_the_sku_in_any_case_by_losses_and_by_missing_costs()
    {
        var table = Table();

        table.Showing(SkuFilter.Parse("wildberries", null, null)).Select(l => l.Sku).Should().Equal("MUG-01");
        table.Showing(SkuFilter.Parse(null, "mug", null)).Select(l => l.Marketplace).Should().Equal("wildberries", "ozon");
        table.Showing(SkuFilter.Parse(null, null, "losses")).Select(l => l.Sku).Should().Equal("CAP-03", "MUG-01");
        table.Showing(SkuFilter.Parse("ozon", null, "losses")).Select(l => l.Sku).Should().Equal("CAP-03");
        table.Showing(SkuFilter.Parse(null, null, "cogs_missing")).Select(l => l.Sku).Should().Equal("TEE-02");
        table.Showing(SkuFilter.Parse(null, "  cap ", "losses,cogs_missing")).Should().BeEmpty();
        table.Showing(SkuFilter.Parse(" ", "", "nonsense")).Should().HaveCount(4);
    }

    [Fact]
    public void A_filter_goes_back_into_the_address_as_it_came()
    {
        var filter = SkuFilter.Parse("ozon", " mug ", "cogs_missing,losses");

        filter.Should().Be(new SkuFilter("ozon", "mug", true, true));
        filter.OnlyQuery.Should().Be("losses,cogs_missing");
        (filter with { LossesOnly = false }).OnlyQuery.Should().Be("cogs_missing");
        SkuFilter.All.OnlyQuery.Should().BeNull();
    }

    [Fact]
    public void Ad_spend_and_period_fees_are_shown_once_per_marketplace_choice_and_leave_the_marketplaces_profit()
    {
        var reports = Reports();
        var table = SkuTable.From(reports, code => code);

        var ozon = table.Unsplit("ozon");
        ozon.AdSpend.Should().Be(300m);
        ozon.PeriodFees.Should().Be(45.5m);
        ozon.ContributionMargin.Should().Be(table.Lines.Where(l => l.Marketplace == "ozon").Sum(l => l.ContributionMargin));
        ozon.Profit.Should().Be(reports.Marketplaces().Single(m => m.Marketplace == "ozon").Profit);

        var all = table.Unsplit(null);
        all.AdSpend.Should().Be(300m);
        all.ContributionMargin.Should().Be(table.Lines.Sum(l => l.ContributionMargin));
        all.Profit.Should().Be(reports.Marketplaces().Sum(m => m.Profit));
        table.Unsplit("wildberries").AdSpend.Should().Be(0m);
    }

    [Fact]
    public void The_months_of_a_trend_are_the_periods_months_cut_to_the_range_and_to_as_of()
    {
        var months = SkuTrend.MonthsOf(new ReportPeriod(D("2026-01-15"), D("2026-04-10"), D("2026-03-05")));

        months.Should().Equal(
            (new YearMonth(2026, 1), D("2026-01-15"), D("2026-01-31")),
            (new YearMonth(2026, 2), D("2026-02-01"), D("2026-02-28")),
            (new YearMonth(2026, 3), D("2026-03-01"), D("2026-03-31")));
        SkuTrend.MonthsOf(new ReportPeriod(D("2026-02-01"), D("2026-02-10"), D("2026-01-31"))).Should().BeEmpty();
    }

    [Fact]
    public void A_trend_holds_each_months_row_of_the_sku_and_its_months_add_up_to_the_period()
    {
        var months = SkuTrend.MonthsOf(Q1)
            .Select(m => (m.Month, Reports(new ReportPeriod(m.From, m.To, Q1.AsOf)).Skus()))
            .ToList();

        var trend = SkuTrend.From("MUG-01", months, code => code);

        trend.Marketplaces.Should().Equal("ozon", "wildberries");
        trend.Months.Should().HaveCount(3);
        trend.Cell("ozon", new YearMonth(2026, 1))!.ContributionMargin.Should().Be(600m);
        trend.Cell("ozon", new YearMonth(2026, 2)).Should().BeNull();
        trend.Cell("wildberries", new YearMonth(2026, 2))!.Units.Should().Be(1);
        foreach (var whole in Table().Lines.Where(l => l.Sku == "MUG-01"))
        {
            trend.Months.Sum(m => trend.Cell(whole.Marketplace, m)?.ContributionMargin ?? 0m).Should().Be(whole.ContributionMargin);
            trend.Months.Sum(m => trend.Cell(whole.Marketplace, m)?.Revenue ?? 0m).Should().Be(whole.Revenue);
        }
    }
}
