using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SellerDesk.Data;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;
using SellerDesk.Web.Features.Alerts;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// The bell follows the workspace's alerts while a page is open (issue 13 point 3), and the alerts page lists each
/// digest sent with how it went (point 5), in Russian and English. The test ledger has no sales yesterday, so a floor of
/// 100 ₽ holds; this app has no SMTP server, so a digest mail fails and the page says so in plain words.
/// </summary>
[Collection(AlertBellBrowserTests.Name)]
public sealed class AlertBellLiveTests(SellerDeskApp app)
{
    [Fact]
    public async Task A_new_alert_shows_in_the_bell_of_pages_already_open_without_a_reload_in_russian_and_english()
    {
        var russian = await OpenAsync("ru-RU");
        var english = await OpenAsync("en-US");
        foreach (var page in new[] { russian, english })
        {
            (await page.Locator("[data-testid=alert-bell-badge] .mud-badge").IsVisibleAsync()).Should().BeFalse("no alert yet");
        }

        // What the daily job or a pull's evaluation does on the server while the pages stay open.
        var (alerts, workspace) = await DemoAsync();
        await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 100m, true, [], default);
        (await alerts.EvaluateAsync(workspace, default)).Opened.Should().Be(1);

        foreach (var (page, kind) in new[] { (russian, "Вчерашняя прибыль ниже порога"), (english, "Yesterday's profit is below a floor") })
        {
            await Assertions.Expect(page.Locator("[data-testid=alert-bell-badge] .mud-badge")).ToHaveTextAsync("1", new() { Timeout = 5_000 });
            await page.Locator("[data-testid=alert-bell] button").ClickAsync();
            var item = page.Locator("[data-testid=alert-bell-item]").First;
            await item.WaitForAsync();
            (await item.InnerTextAsync()).Should().Contain(kind);
            await Screenshots.SaveAsync(page, "alerts-bell-live-" + (page == russian ? "ru" : "en"));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Each_digest_sent_is_listed_on_the_alerts_page_with_its_attempts_in_plain_words_in_russian_and_english()
    {
        var (alerts, workspace) = await DemoAsync();
        await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Утренняя почта", "morning@alerts.e2e.test", null, "ru", true), default);
        var page = await app.NewPageAsync();
        var shell = new Shell(page);
        await page.GotoAsync("alerts");
        await shell.WaitUntilInteractiveAsync();
        await page.Locator("[data-testid=alert-digest-history-empty]").WaitForAsync();

        await page.Locator("[data-testid=alert-digest-send]").ClickAsync();

        var send = page.Locator("[data-testid=alert-digest-delivery]");
        await send.WaitForAsync();
        (await send.GetAttributeAsync("data-status")).Should().Be("pending", "the mail failed and waits for its retry");
        (await send.InnerTextAsync()).Should().Contain("Сводка за").And.Contain("Утренняя почта")
            .And.Contain("Попытка 1").And.Contain("для почты не настроен SMTP-сервер").And.NotContain("no SMTP server is configured", "the page says it in words, not the exception's");
        (await send.Locator("[data-testid=delivery-attempt]").GetAttributeAsync("data-error-code")).Should().Be("smtp_not_configured");
        await Screenshots.SaveAsync(page, "alerts-digest-history-ru");

        await shell.SwitchLanguageAsync("en-US");
        var english = page.Locator("[data-testid=alert-digest-delivery]");
        (await english.InnerTextAsync()).Should().Contain("Digest of").And.Contain("Attempt 1").And.Contain("no SMTP server is set up for e-mail");
        (await shell.SidewaysOverflowAsync()).Should().Be(0);
        await Screenshots.SaveAsync(page, "alerts-digest-history-en");
        await page.Context.CloseAsync();
    }

    private async Task<IPage> OpenAsync(string locale)
    {
        var page = await app.NewPageAsync(locale: locale);
        var shell = new Shell(page);
        await page.GotoAsync("connections");
        await shell.WaitUntilInteractiveAsync();
        if (shell.Culture != locale)
        {
            await shell.SwitchLanguageAsync(locale);
        }

        return page;
    }

    private async Task<(AlertService Alerts, Guid Workspace)> DemoAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
        var demo = await db.Workspaces.SingleAsync(w => w.Name == "demo");
        return (app.Services.GetRequiredService<AlertService>(), demo.Id);
    }

    private sealed class Shell(IPage page) : AppPage(page);
}

/// <summary>An app of its own: these tests open alerts and send digests in the demo workspace, which the alerts page tests must see empty.</summary>
[CollectionDefinition(Name)]
public sealed class AlertBellBrowserTests : ICollectionFixture<SellerDeskApp>
{
    public const string Name = "browser-alert-bell";
}
