using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

[Collection(BrowserTests.Name)]
public sealed class OverviewPageTests(SellerDeskApp app)
{
    [Fact]
    public async Task The_cards_show_the_totals_of_the_marketplaces_the_api_returns()
    {
        var api = await app.Reports.MarketplacesAsync(TestLedger.Query);
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync(TestLedger.Query);
        await Screenshots.SaveAsync(overview.Page, "overview-ru");

        decimal Sum(string field) => api.Sum(r => r.Number(field) ?? 0m);
        (await overview.CardAsync("revenue")).Should().Be(Sum("revenue"));
        (await overview.CardAsync("margin")).Should().Be(Sum("contribution_margin"));
        (await overview.CardAsync("profit")).Should().Be(Sum("profit"));
        (await overview.CardAsync("blended-cac")).Should().Be(Math.Round(Sum("ad_spend") / Sum("new_customers"), 2, MidpointRounding.AwayFromZero));
        (await overview.CardPercentAsync("return-loss-share")).Should().Be(Math.Round(Sum("return_loss") / Sum("revenue"), 3, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public async Task The_marketplace_table_equals_the_marketplaces_api_cell_by_cell()
    {
        var api = await app.Reports.MarketplacesAsync(TestLedger.Query);
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync(TestLedger.Query);

        (await overview.MarketplacesAsync()).Should().BeEquivalentTo(api.Select(r => r.Text("marketplace")));
        foreach (var row in api)
        {
            var code = row.Text("marketplace");
            foreach (var money in new[] { "revenue", "net_revenue", "contribution_margin", "period_fees", "ad_spend", "profit", "return_loss", "blended_cac" })
            {
                (await overview.CellAsync(code, money)).Should().Be(row.Number(money), $"{code} {money}");
            }

            (await overview.CellAsync(code, "new_customers")).Should().Be(row.Number("new_customers"), $"{code} new_customers");
            (await overview.CellAsync(code, "cogs_missing_lines")).Should().Be(row.Number("cogs_missing_lines"), $"{code} cogs_missing_lines");
            foreach (var share in new[] { "return_loss_share", "return_rate", "identified_share", "cm_share" })
            {
                // Shares are shown as percentages with one decimal.
                (await overview.CellPercentAsync(code, share)).Should().Be(
                    row.Number(share) is { } value ? Math.Round(value, 3, MidpointRounding.AwayFromZero) : null, $"{code} {share}");
            }
        }
    }

    [Fact]
    public async Task Order_lines_without_a_unit_cost_are_warned_about()
    {
        var api = await app.Reports.MarketplacesAsync(TestLedger.Query);
        var missing = api.Sum(r => r.Number("cogs_missing_lines") ?? 0m);
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync(TestLedger.Query);

        missing.Should().BeGreaterThan(0, "the tiny example has a line without COGS");
        (await overview.CogsWarning.InnerTextAsync()).Should().Contain(missing.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_chart_draws_the_margin_of_every_marketplace_by_month()
    {
        var overview = new OverviewPage(await app.NewPageAsync());

        // Seven months: long enough for the chart to go by month (decision 0029); a quarter goes by week.
        await overview.OpenAsync($"from=2025-09-01&to={TestLedger.To}&as_of={TestLedger.AsOf}");

        await overview.Chart.WaitForAsync();
        var legend = await overview.Page.Locator("[data-testid=chart-legend] li").AllTextContentsAsync();
        legend.Select(t => t.Trim()).Should().Equal("Свой магазин", "Ozon", "Wildberries");
        var labels = overview.Page.Locator("[data-testid=margin-chart] .mud-charts-xaxis text");
        await labels.First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var months = await labels.AllTextContentsAsync();
        months.Select(t => t.Trim()).Should().Equal("сент. 2025", "окт. 2025", "нояб. 2025", "дек. 2025", "янв. 2026", "февр. 2026", "март 2026");
        await Screenshots.SaveAsync(overview.Page, "overview-chart");
    }

    [Fact]
    public async Task Changing_the_period_with_the_keyboard_rerenders_the_figures_and_the_link()
    {
        var overview = new OverviewPage(await app.NewPageAsync());
        await overview.OpenAsync(TestLedger.Query);
        var before = await overview.CardAsync("revenue");

        await overview.Period.SetFromAsync("2026-02-01");
        await overview.Period.PressEnterAsync();
        await Address.WaitForAsync(overview.Page, url => url.Contains("from=2026-02-01", StringComparison.Ordinal));

        var api = await app.Reports.MarketplacesAsync($"from=2026-02-01&to={TestLedger.To}&as_of={TestLedger.AsOf}");
        var expected = api.Sum(r => r.Number("revenue") ?? 0m);
        expected.Should().NotBe(before);
        await Expect(() => overview.CardAsync("revenue"), expected);
        (await overview.Period.Summary.InnerTextAsync()).Should().Contain("1 февр. 2026");
    }

    [Fact]
    public async Task A_period_without_sales_says_what_to_do_and_links_to_the_upload_page()
    {
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync($"from={TestLedger.EmptyFrom}&to={TestLedger.EmptyTo}&as_of={TestLedger.AsOf}");

        (await overview.EmptyState.InnerTextAsync()).Should().Contain("Загрузите файл продаж или подключите маркетплейс");
        await overview.EmptyState.Locator("a[href='upload']").ClickAsync();
        await overview.Page.WaitForURLAsync("**/upload");
        await Screenshots.SaveAsync(overview.Page, "upload-from-empty-state");
    }

    [Fact]
    public async Task Each_marketplace_keeps_its_colour_whatever_the_period_shows()
    {
        var overview = new OverviewPage(await app.NewPageAsync());
        await overview.OpenAsync(TestLedger.Query);
        var quarter = await overview.LegendColoursAsync();
        var quarterBars = await overview.BarFillsAsync();

        // February alone: Ozon sold nothing then, so the series that remain shift places in the chart.
        await overview.OpenAsync($"from=2026-02-01&to=2026-02-28&as_of={TestLedger.AsOf}");
        var february = await overview.LegendColoursAsync();
        var februaryBars = await overview.BarFillsAsync();

        quarter.Keys.Should().Contain(["own_store", "ozon", "wildberries"]);
        quarter.Values.Should().OnlyHaveUniqueItems("no two marketplaces share a colour");
        foreach (var (marketplace, colour) in february)
        {
            colour.Should().Be(quarter[marketplace], $"{marketplace} keeps its colour in February");
        }

        quarterBars.Should().BeSubsetOf(quarter.Values.Select(c => c.ToLowerInvariant()), "the bars are drawn in the legend's colours");
        februaryBars.Should().BeSubsetOf(february.Values.Select(c => c.ToLowerInvariant()));
        quarterBars.Should().NotBeEmpty();
    }

    [Fact]
    public async Task One_preset_is_lit_and_only_when_it_is_the_period_shown()
    {
        var overview = new OverviewPage(await app.NewPageAsync());
        await overview.OpenAsync(string.Empty);
        (await overview.Period.ActivePresetsAsync()).Should().Equal(["Period.Preset.TwelveMonths"], "the default period is the last twelve months");

        await overview.OpenAsync(TestLedger.Query);
        (await overview.Period.ActivePresetsAsync()).Should().BeEmpty("January to March 2026 as of 31 March is none of the presets");

        await overview.Period.ChoosePresetAsync("Period.Preset.ThreeMonths");
        await Address.WaitForAsync(overview.Page, url => !url.Contains("as_of", StringComparison.Ordinal));
        await Assertions.Expect(overview.Page.Locator("[data-testid=period-presets] [aria-pressed=true]")).ToHaveCountAsync(1);
        (await overview.Period.ActivePresetsAsync()).Should().Equal("Period.Preset.ThreeMonths");
    }

    [Fact]
    public async Task Dates_are_shown_and_typed_in_the_russian_order_day_month_year()
    {
        var overview = new OverviewPage(await app.NewPageAsync(locale: "en-US"));
        await overview.OpenAsync(TestLedger.Query);

        (await overview.Period.FromTextAsync()).Should().Be("01.01.2026");
        await overview.Period.SetFromAsync("2026-02-03");
        await overview.Period.PressEnterAsync();

        await Address.WaitForAsync(overview.Page, url => url.Contains("from=2026-02-03", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_short_period_warns_that_returns_and_repeat_orders_are_still_coming()
    {
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync($"from=2026-03-01&to={TestLedger.To}&as_of={TestLedger.AsOf}");
        (await overview.Period.YoungPeriodWarning.InnerTextAsync()).Should().Contain("возвраты и повторные заказы пришли ещё не все");
        await Screenshots.SaveAsync(overview.Page, "overview-short-period");

        await overview.OpenAsync(TestLedger.Query);
        (await overview.Period.YoungPeriodWarning.CountAsync()).Should().Be(0, "a quarter as of its last day has had time");
    }

    [Fact]
    public async Task The_demo_marketplace_is_named_as_demo_data_and_can_be_left_out_of_the_totals()
    {
        await ExtraLedger.LoadDemoAsync(app.Api);
        var api = await app.Reports.MarketplacesAsync(ExtraLedger.DemoQuery);
        var ownStore = api.Single(r => r.Text("marketplace") == "own_store");
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync(ExtraLedger.DemoQuery);
        (await overview.DemoNote.InnerTextAsync()).Should().Contain("Песочница (демо-данные)");
        (await overview.Page.Locator("[data-testid=marketplace-table] th[data-marketplace=sandbox]").InnerTextAsync()).Should().Contain("демо-данные");
        (await overview.CardAsync("revenue")).Should().Be(api.Sum(r => r.Number("revenue")));

        await overview.Page.Locator("[data-testid=demo-hide]").CheckAsync();
        await Address.WaitForAsync(overview.Page, url => url.Contains("demo=hide", StringComparison.Ordinal));
        await Assertions.Expect(overview.Page.Locator("[data-testid=marketplace-table] th[data-marketplace=sandbox]")).ToHaveCountAsync(0);

        (await overview.CardAsync("revenue")).Should().Be(ownStore.Number("revenue"));
        (await overview.CellAsync("total", "contribution_margin")).Should().Be(ownStore.Number("contribution_margin"));
        await Screenshots.SaveAsync(overview.Page, "overview-demo-hidden");
    }

    [Fact]
    public async Task Totals_are_the_rounded_exact_sum_and_a_footnote_marks_where_the_cells_differ_by_a_kopeck()
    {
        await ExtraLedger.LoadRoundingAsync(app.Api);
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync(ExtraLedger.RoundingQuery);

        (await overview.CellAsync("ozon", "return_loss")).Should().Be(3.33m);
        (await overview.CellAsync("wildberries", "return_loss")).Should().Be(3.33m);
        (await overview.CellAsync("total", "return_loss")).Should().Be(6.67m, "10 × 1/3 twice is 6.666…, rounded once");
        await Assertions.Expect(overview.Page.Locator("[data-testid=rounding-mark-return_loss]")).ToBeVisibleAsync();
        (await overview.Page.Locator("[data-testid=rounding-mark-revenue]").CountAsync()).Should().Be(0, "whole rubles add up exactly");
        (await overview.RoundingFootnote.InnerTextAsync()).Should().Contain("*").And.Contain("на копейку");
        await Screenshots.SaveAsync(overview.Page, "overview-rounding-footnote");
    }

    /// <summary>Waits (briefly) for an interactive re-render to show the expected figure.</summary>
    private static async Task Expect(Func<Task<decimal?>> read, decimal expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        decimal? actual;
        while ((actual = await read()) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        actual.Should().Be(expected);
    }
}
