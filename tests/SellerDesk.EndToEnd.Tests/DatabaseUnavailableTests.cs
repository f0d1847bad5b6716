using Microsoft.AspNetCore.Mvc.Testing;
using SellerDesk.EndToEnd.Tests.Infrastructure;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>A second app whose database never answers: pages and downloads say so in plain words.</summary>
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

    /// <summary>
    /// Since accounts (issue 10) a page needs the session checked against the database (security stamp, membership):
    /// with the database down that cannot happen, so the page is the app's own error page saying why, not a live page.
    /// </summary>
    [Fact]
    public async Task A_page_opened_while_the_database_is_down_says_so_in_plain_words_with_a_way_back()
    {
        var page = await app.NewPageAsync();

        var response = await page.GotoAsync(new Uri(_address, "channels?" + TestLedger.Query).ToString());

        response!.Status.Should().Be(503);
        var error = page.Locator("[data-testid=error-page]");
        (await error.TextContentAsync()).Should().Contain("База данных недоступна").And.Contain("Попробовать снова");
        (await page.Locator("[data-testid=error-page] a[href^='/channels']").CountAsync()).Should().Be(1, "try again repeats the same request");
        await Screenshots.SaveAsync(page, "database-unavailable");
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
