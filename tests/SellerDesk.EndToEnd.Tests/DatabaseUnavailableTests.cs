using Microsoft.AspNetCore.Mvc.Testing;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>A second app whose database never answers: pages say so in plain words and the circuit lives on.</summary>
[Collection(BrowserTests.Name)]
public sealed class DatabaseUnavailableTests(SellerDeskApp app) : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        // Nothing listens on port 1: every connection is refused at once.
        (_factory, _address) = await AppHost.StartAsync(
            "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Password=nothing;Timeout=2",
            "unused-token",
            waitForHealthy: false);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Fact]
    public async Task Report_pages_say_the_database_is_unavailable_and_stay_interactive()
    {
        var page = await app.NewPageAsync();
        var overview = new OverviewPage(page);

        await page.GotoAsync(new Uri(_address, "?" + TestLedger.Query).ToString());
        await overview.WaitUntilInteractiveAsync();

        (await page.Locator("[data-testid=status-database-unavailable]").InnerTextAsync()).Should().Contain("База данных недоступна, пробуем снова");
        await Screenshots.SaveAsync(page, "database-unavailable");
        await overview.NavigateAsync("channels");
        await page.Locator("h1", new() { HasText = "Каналы привлечения" }).WaitForAsync();
        await page.Locator("[data-testid=status-database-unavailable]").WaitForAsync();
        (await page.Locator(".app-shell[data-interactive=true]").CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task A_download_that_fails_shows_the_apps_own_error_page_with_a_way_back()
    {
        var page = await app.NewPageAsync();

        var response = await page.GotoAsync(new Uri(_address, "export/cohorts?" + TestLedger.Query).ToString());

        response!.Status.Should().Be(503);
        var error = page.Locator("[data-testid=error-page]");
        (await error.TextContentAsync()).Should().Contain("База данных недоступна").And.Contain("Попробовать снова");
        (await page.Locator("[data-testid=error-page] a[href^='/export/cohorts']").CountAsync()).Should().Be(1, "try again repeats the same request");
        await Screenshots.SaveAsync(page, "error-page");
    }
}
