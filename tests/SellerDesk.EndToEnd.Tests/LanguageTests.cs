using System.Text.RegularExpressions;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

[Collection(BrowserTests.Name)]
public sealed partial class LanguageTests(SellerDeskApp app)
{
    [Fact]
    public async Task Russian_is_the_default_and_the_switch_turns_texts_and_money_into_english_and_back()
    {
        var overview = new OverviewPage(await app.NewPageAsync(locale: "en-US"));
        await overview.OpenAsync(TestLedger.Query);

        // Russian by default, whatever the browser asks for: 4 830,00 ₽ with a no-break space and a comma.
        (await overview.Heading.InnerTextAsync()).Should().Be("Обзор");
        var russian = await overview.Page.Locator("[data-testid='mp-own_store-revenue']").TextContentAsync();
        russian.Should().MatchRegex(RussianMoney());
        russian.Should().Be("4\u00a0830,00\u00a0₽");

        await overview.SwitchLanguageAsync("en-US");
        await Screenshots.SaveAsync(overview.Page, "overview-en");

        (await overview.Heading.InnerTextAsync()).Should().Be("Overview");
        (await overview.Page.Locator("[data-testid='mp-own_store-revenue']").TextContentAsync()).Should().Be("₽4,830.00");
        (await overview.Page.Locator("[data-testid=kpi-margin]").InnerTextAsync()).Should().Contain("Contribution margin");
        overview.Page.Url.Should().Contain(TestLedger.Query, "the switch returns to the same page and period");

        // The cookie keeps the choice on other pages.
        await overview.NavigateAsync("channels");
        await overview.Page.Locator("h1", new() { HasText = "Acquisition channels" }).WaitForAsync();
        var channels = new ChannelsPage(overview.Page);
        await channels.WaitUntilInteractiveAsync();
        await channels.WaitForFiguresAsync();
        (await channels.RowsAsync()).Should().Contain(r => r.VerdictText == "Cut");
        await Screenshots.SaveAsync(overview.Page, "channels-en");

        await channels.SwitchLanguageAsync("ru-RU");
        (await overview.Heading.InnerTextAsync()).Should().Be("Каналы привлечения");
    }

    [GeneratedRegex(@"^\d{1,3}(\u00a0\d{3})*,\d{2}\u00a0₽$")]
    private static partial Regex RussianMoney();
}
