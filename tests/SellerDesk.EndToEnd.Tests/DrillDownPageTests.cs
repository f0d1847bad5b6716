using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// Issue 12 point 4 in the browser: a figure opens the orders behind it, whose sum is the figure, with each line's
/// source; in Russian and English, at desktop and phone width.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class DrillDownPageTests(SellerDeskApp app)
{
    [Theory]
    [InlineData("ru-RU", "desktop")]
    [InlineData("en-US", "desktop")]
    [InlineData("ru-RU", "phone")]
    [InlineData("en-US", "phone")]
    public async Task A_pnl_cell_opens_its_orders_whose_sum_is_the_cell_with_each_lines_source(string culture, string size)
    {
        var phone = size == "phone";
        var pnl = new PnlPage(await app.NewPageAsync(viewport: phone ? SellerDeskApp.Phone : SellerDeskApp.Desktop, touch: phone));
        await pnl.OpenAsync(TestLedger.Query);
        if (culture == "en-US")
        {
            await pnl.SwitchLanguageAsync(culture);
            await pnl.Page.Locator("[data-testid=pnl-table]").WaitForAsync();
        }

        var revenue = await pnl.ValueAsync("revenue", "2026-01");
        var margin = await pnl.ValueAsync("contribution_margin", "2026-01");
        revenue.Should().BeGreaterThan(0);

        await pnl.Cell("revenue", "2026-01").Locator("a.drill-link").ClickAsync();
        var drill = new DrillDownPage(pnl.Page);
        await drill.WaitAsync();

        drill.Page.Url.Should().Contain("drilldown").And.Contain("month=2026-01").And.Contain("from=2026-01-01");
        (await drill.Heading.InnerTextAsync()).Should().Be(culture == "en-US" ? "Orders behind the figure" : "Заказы за цифрой");
        (await drill.TotalAsync("revenue")).Should().Be(revenue, "the orders add up to the cell they came from");
        (await drill.TotalAsync("margin")).Should().Be(margin);
        (await drill.Orders.CountAsync()).Should().BeGreaterThan(0);
        var margins = new List<decimal>();
        for (var i = 0; i < await drill.Orders.CountAsync(); i++)
        {
            margins.Add((await drill.OrderMarginAsync(i))!.Value);
        }

        margins.Sum().Should().Be(margin!.Value, "each order's margin, as the domain computes it, adds up to the cell");
        (await drill.Sources.First.InnerTextAsync()).Should().Contain(culture == "en-US" ? "line" : "строка", "a file-imported line names its file and line");
        if (phone)
        {
            (await drill.SidewaysOverflowAsync()).Should().Be(0, "the orders scroll inside their panel, not the page");
        }

        await Screenshots.SaveAsync(drill.Page, $"drilldown-{culture[..2]}-{size}");
    }

    [Fact]
    public async Task A_channels_margin_to_date_opens_the_orders_of_the_customers_it_brought()
    {
        var channels = await app.Reports.ChannelsAsync(TestLedger.Query);
        var row = channels.First(r => r.Number("new_customers") > 0);
        var page = await app.NewPageAsync();

        // Opened through the page object, which waits for the circuit: clicked while the Channels page's circuit was
        // still starting, the enhanced navigation left the drill-down page without a circuit of its own, showing its
        // loading state (about half the runs on 2026-12-07; noted in issue 11's note as a product problem left open).
        await new ChannelsPage(page).OpenAsync(TestLedger.Query);
        var link = page.Locator($"a[data-drill=ltv_to_date][href$='marketplace={row.Text("marketplace")}&channel={row.Text("channel")}']");
        await link.First.ClickAsync();
        var drill = new DrillDownPage(page);
        await drill.WaitAsync();

        var newCustomers = row.Number("new_customers")!.Value;
        var ltv = row.Number("ltv_to_date")!.Value;
        var sum = (await drill.TotalAsync("margin"))!.Value;
        Math.Round(sum / newCustomers, 2, MidpointRounding.AwayFromZero).Should().Be(ltv, "margin to date is the customers' orders' margin per customer");
        await Screenshots.SaveAsync(page, "drilldown-channel-ru-desktop");
    }

    [Fact]
    public async Task A_link_clicked_before_the_page_is_interactive_opens_the_next_page_which_becomes_interactive()
    {
        var page = await app.NewPageAsync();

        // A slow network: the circuit cannot start until the link is clicked, its negotiation is held. The prerendered
        // link must still lead to a drill-down page that shows its orders and becomes interactive. (This does not
        // reproduce the race noted in the test above: a click while the circuit's connection is being set up.)
        var clicked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            await clicked.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await route.ContinueAsync();
        });
        await page.GotoAsync("channels?" + TestLedger.Query);
        var link = page.Locator("a[data-drill=ltv_to_date]").First;
        await link.WaitForAsync();
        (await page.Locator(".app-shell").GetAttributeAsync("data-interactive")).Should().Be("false", "the click must come before the circuit");
        await link.ClickAsync();
        clicked.SetResult();

        var drill = new DrillDownPage(page);
        await drill.WaitAsync();
        page.Url.Should().Contain("drilldown");
        (await drill.TotalAsync("margin")).Should().NotBeNull();
        await drill.Page.Locator("[data-testid=drill-table]").WaitForAsync();
    }
}
