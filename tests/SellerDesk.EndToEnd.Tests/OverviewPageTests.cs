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

        await overview.OpenAsync(TestLedger.Query);

        await overview.Chart.WaitForAsync();
        var legend = await overview.Page.Locator("[data-testid=margin-chart] .rz-legend-item-text").AllTextContentsAsync();
        legend.Select(t => t.Trim()).Should().Equal("Свой магазин", "Ozon", "Wildberries");
        var months = await overview.Page.Locator("[data-testid=margin-chart] .rz-category-axis .rz-tick-text").AllTextContentsAsync();
        months.Should().Equal("янв. 2026", "февр. 2026", "март 2026");
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
        await overview.Page.WaitForFunctionAsync("location.search.includes('from=2026-02-01')");

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
