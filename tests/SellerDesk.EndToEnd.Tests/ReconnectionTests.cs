using Microsoft.AspNetCore.Mvc.Testing;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// .NET 10's own blazor.web.js, served by MapStaticAssets (docs/decisions/0011-blazor-on-net10.md): when the server
/// goes away the page says so, and when it is back the page recovers without the user doing anything.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ReconnectionTests(SellerDeskApp app)
{
    [Fact]
    public async Task When_the_server_restarts_the_page_shows_it_is_reconnecting_and_then_recovers()
    {
        var (first, address) = await AppHost.StartAsync(app.Database.ConnectionString, app.Token);
        WebApplicationFactory<Program>? second = null;
        try
        {
            var overview = new OverviewPage(await app.NewPageAsync());
            await overview.Page.GotoAsync(new Uri(address, "?" + TestLedger.Query).ToString());
            await overview.WaitUntilInteractiveAsync();
            var revenue = await overview.CardAsync("revenue");

            await first.DisposeAsync();
            first = null;
            await overview.Page.Locator("#components-reconnect-modal .reconnect-when-trying").WaitForAsync();
            (await overview.Page.Locator("#components-reconnect-modal").InnerTextAsync()).Should().Contain("Переподключаемся");
            await Screenshots.SaveAsync(overview.Page, "reconnecting");

            (second, _) = await AppHost.StartAsync(app.Database.ConnectionString, app.Token, port: address.Port);

            // The new server does not know the old circuit: the page reloads itself and is live again.
            await overview.Page.Locator("#components-reconnect-modal").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 30_000 });
            await overview.WaitUntilInteractiveAsync();
            await overview.Page.Locator("[data-testid=marketplace-table]").WaitForAsync();
            (await overview.CardAsync("revenue")).Should().Be(revenue);
        }
        finally
        {
            if (first is not null)
            {
                await first.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }
}
