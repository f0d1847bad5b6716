using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

[Collection(BrowserTests.Name)]
public sealed class ConnectionsPageTests(SellerDeskApp app)
{
    // A month the test ledger (Jan to Mar 2026) does not touch: the sandbox's rows change no other test's figures.
    private const string From = "2025-10-01";
    private const string To = "2025-10-31";
    private const string Query = "from=2025-10-01&to=2025-10-31&as_of=2025-10-31";

    [Fact]
    public async Task Adding_a_sandbox_connection_and_pulling_a_month_shows_progress_success_and_fills_the_dashboard()
    {
        (await app.Reports.MarketplacesAsync(Query)).Should().BeEmpty("nothing was sold in the test month before the pull");
        var ops = new ConnectionsPage(await app.NewPageAsync());
        await ops.OpenAsync();
        await Assertions.Expect(ops.Heading).ToHaveTextAsync("Подключения маркетплейсов");

        var name = "Песочница E2E";
        await ops.AddAsync("sandbox", name, new Dictionary<string, string> { ["seed"] = "11" });
        var card = ops.Card(name);
        // A new connection first pulls its last 90 days by default (issue 8); one run of a connection waits at a time
        // (issue 10), so the month is asked for once that first pull has finished.
        await Assertions.Expect(card.Locator("[data-testid=connection-status]")).ToHaveTextAsync("работает", new() { Timeout = 60_000 });
        await Assertions.Expect(card.Locator("[data-testid=run-progress]")).ToHaveCountAsync(0, new() { Timeout = 60_000 });

        await ops.SetScheduleAsync(name, "Daily", "7");
        await Assertions.Expect(card.Locator("[data-testid=connection-schedule]")).ToContainTextAsync("каждый день в 06:00, последние 7 дн.");

        await ops.BackfillAsync(name, From, To);
        await Assertions.Expect(card.Locator("[data-testid=run-progress]")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(ops.Page, "connections-running");
        await Assertions.Expect(card.Locator("[data-testid=connection-status]")).ToHaveTextAsync("работает", new() { Timeout = 60_000 });
        await Assertions.Expect(card.Locator("[data-testid=run-progress]")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await Assertions.Expect(card.Locator("[data-testid=connection-reconciliation]")).ToContainTextAsync("совпадает с маркетплейсом");
        // The history lists every connection of the workspace; other tests' runs are there too.
        await Assertions.Expect(ops.History.Locator("tr").Filter(new() { HasText = name }).Locator("[data-testid=run-row][data-status=succeeded]"))
            .ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Screenshots.SaveAsync(ops.Page, "connections-succeeded");
        (await ops.HistoryClippedByAsync()).Should().Be(0, "the run history fits a 1440 px window without a column cut off");

        var api = (await app.Reports.MarketplacesAsync(Query)).Should().ContainSingle().Subject;
        api.Text("marketplace").Should().Be("sandbox");
        api.Number("revenue").Should().BePositive();

        var overview = new OverviewPage(await app.NewPageAsync());
        await overview.OpenAsync(Query);
        (await overview.MarketplacesAsync()).Should().Contain("sandbox");
        (await overview.CellAsync("sandbox", "revenue")).Should().Be(api.Number("revenue"));
        (await overview.CellAsync("sandbox", "contribution_margin")).Should().Be(api.Number("contribution_margin"));
        await Screenshots.SaveAsync(overview.Page, "connections-dashboard-after-pull");
    }

    [Fact]
    public async Task The_page_speaks_english_and_a_marketplace_without_its_token_is_refused_with_a_plain_reason()
    {
        var ops = new ConnectionsPage(await app.NewPageAsync("en-US"));
        await ops.OpenAsync();
        await ops.SwitchLanguageAsync("en-US");
        await Assertions.Expect(ops.Heading).ToHaveTextAsync("Marketplace connections");

        // The browser itself asks for the token first; a blank token of spaces reaches the server and is refused there.
        await ops.ChooseAsync(ops.Page.Locator("[data-testid=add-marketplace]"), "wildberries");
        await ops.Page.Locator("[data-testid=add-connection] [data-testid=credential-token]").FillAsync("   ");
        await ops.Page.Locator("[data-testid=add-name]").FillAsync("WB without token");
        await ops.Page.Locator("[data-testid=add-name]").PressAsync("Enter");
        await Assertions.Expect(ops.Page.Locator("[data-testid=add-connection]")).ToContainTextAsync("Wildberries needs 'token'");
        await Assertions.Expect(ops.Card("WB without token")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(ops.Page, "connections-refused");
    }

    [Fact]
    public async Task The_form_says_what_is_not_pulled_without_Ozon_Performance_credentials_and_what_Yandex_Market_cannot_in_both_languages()
    {
        var ops = new ConnectionsPage(await app.NewPageAsync("en-US"));
        await ops.OpenAsync();
        await ops.SwitchLanguageAsync("en-US");
        await ops.ChooseAsync(ops.Page.Locator("[data-testid=add-marketplace]"), "ozon");
        var form = ops.Page.Locator("[data-testid=add-connection]");
        await Assertions.Expect(form).ToContainTextAsync("Performance API client ID (ads)");
        await Assertions.Expect(form).ToContainTextAsync("without the Performance API client ID and secret, Ozon ad spend and orders attributed to campaigns are not pulled");
        await Screenshots.SaveAsync(ops.Page, "connections-ozon-performance");
        await ops.ChooseAsync(ops.Page.Locator("[data-testid=add-marketplace]"), "yandex_market");
        await Assertions.Expect(form).ToContainTextAsync("no orders per boost campaign");

        await ops.SwitchLanguageAsync("ru-RU");
        await ops.ChooseAsync(ops.Page.Locator("[data-testid=add-marketplace]"), "ozon");
        await Assertions.Expect(form).ToContainTextAsync("расходы на рекламу Ozon и заказы, приписанные кампаниям, не загружаются");
        await ops.ChooseAsync(ops.Page.Locator("[data-testid=add-marketplace]"), "yandex_market");
        await Assertions.Expect(form).ToContainTextAsync("не число заказов по кампании буста");
        await Screenshots.SaveAsync(ops.Page, "connections-yandex-market-boosts-ru");
    }
}
