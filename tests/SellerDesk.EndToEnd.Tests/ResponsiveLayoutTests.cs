using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>Every page on a phone (390×844) and a laptop (1440×900), in both languages: nothing scrolls sideways.</summary>
[Collection(BrowserTests.Name)]
public sealed class ResponsiveLayoutTests(SellerDeskApp app)
{
    public static TheoryData<string, string, string> Pages()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var size in new[] { "phone", "desktop" })
        {
            foreach (var culture in new[] { "ru-RU", "en-US" })
            {
                data.Add("overview", "?" + TestLedger.Query, size + "|" + culture);
                data.Add("channels", "channels?" + TestLedger.Query, size + "|" + culture);
                data.Add("cohorts", "cohorts?" + TestLedger.Query, size + "|" + culture);
                data.Add("cohorts-all", "cohorts?" + TestLedger.Query + "&marketplace=all", size + "|" + culture);
                data.Add("upload", "upload", size + "|" + culture);
                data.Add("connections", "connections", size + "|" + culture);
                data.Add("not-found", "no-such-page", size + "|" + culture);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_never_scrolls_sideways(string name, string address, string where)
    {
        var (size, culture) = (where.Split('|')[0], where.Split('|')[1]);
        var page = await app.NewPageAsync(viewport: size == "phone" ? SellerDeskApp.Phone : SellerDeskApp.Desktop);
        var view = new Shell(page);
        await view.OpenAsync(address, culture);

        await Screenshots.SaveAsync(page, $"layout-{name}-{size}-{culture[..2]}");
        (await view.SidewaysOverflowAsync()).Should().Be(0, $"{name} at {size} in {culture} fits the window");
    }

    public static TheoryData<string, string, string> AccountPages()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var size in new[] { "phone", "desktop" })
        {
            foreach (var culture in new[] { "ru-RU", "en-US" })
            {
                data.Add("signin", "account/signin", size + "|" + culture);
                data.Add("password", "account/password", size + "|" + culture);
                data.Add("two-factor", "account/two-factor", size + "|" + culture);
                data.Add("forgot", "account/forgot", size + "|" + culture);
                data.Add("reset", "account/reset?user=00000000-0000-0000-0000-000000000001&code=c3BlbnQ", size + "|" + culture);
                data.Add("denied", "account/denied", size + "|" + culture);
                data.Add("members", "settings/members", size + "|" + culture);
                data.Add("tokens", "settings/tokens", size + "|" + culture);
                data.Add("audit", "settings/audit", size + "|" + culture);
                data.Add("jobs", "ops/jobs", size + "|" + culture);
            }
        }

        return data;
    }

    /// <summary>The account and settings pages of issue 10 (sign-in anonymous, the others as the Owner), in the language asked for.</summary>
    [Theory]
    [MemberData(nameof(AccountPages))]
    public async Task The_account_and_settings_pages_never_scroll_sideways(string name, string address, string where)
    {
        var (size, culture) = (where.Split('|')[0], where.Split('|')[1]);
        var page = await app.NewPageAsync(
            locale: culture, viewport: size == "phone" ? SellerDeskApp.Phone : SellerDeskApp.Desktop, signedIn: name is not ("signin" or "forgot" or "reset"));
        await page.GotoAsync($"culture/set?culture={culture}&redirectUri={Uri.EscapeDataString("/" + address)}");
        await page.Locator("h1").First.WaitForAsync();
        page.Url.Should().Contain("/" + address.Split('?')[0], "the page opens for this visitor");
        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be(culture[..2]);

        await Screenshots.SaveAsync(page, $"layout-{name}-{size}-{culture[..2]}");
        (await page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"))
            .Should().Be(0, $"{name} at {size} in {culture} fits the window");
    }

    [Fact]
    public async Task On_a_phone_the_navigation_folds_into_a_menu_that_opens_and_navigates()
    {
        var page = await app.NewPageAsync(viewport: SellerDeskApp.Phone);
        var overview = new OverviewPage(page);
        await overview.OpenAsync(TestLedger.Query);

        (await page.Locator("[data-testid=nav-channels]").IsVisibleAsync()).Should().BeFalse("the drawer is folded on a phone");
        await page.Locator("[data-testid=nav-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav-channels]")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "layout-phone-menu-open");
        await page.Locator("[data-testid=nav-channels]").ClickAsync();

        await page.WaitForURLAsync("**/channels?*");
        page.Url.Should().Contain(TestLedger.Query, "the period travels with the navigation");
    }

    [Fact]
    public async Task On_a_phone_a_row_definition_opens_with_a_tap()
    {
        var page = await app.NewPageAsync(viewport: SellerDeskApp.Phone, touch: true);
        var overview = new OverviewPage(page);
        await overview.OpenAsync(TestLedger.Query);

        var button = page.Locator("[data-testid=marketplace-table] tr[data-metric=return_loss] [data-testid=definition]");
        var definition = await button.GetAttributeAsync("data-definition");
        await button.TapAsync();

        await Assertions.Expect(page.Locator(".mud-popover-open").GetByText(definition!)).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "layout-phone-definition");
    }

    [Fact]
    public async Task The_dark_theme_is_remembered_after_a_reload()
    {
        var page = await app.NewPageAsync();
        var overview = new OverviewPage(page);
        await overview.OpenAsync(TestLedger.Query);
        (await overview.ThemeAsync()).Should().Be("light");

        await overview.ToggleThemeAsync();
        await Assertions.Expect(page.Locator(".app-shell")).ToHaveAttributeAsync("data-theme", "dark");
        await page.ReloadAsync();
        await overview.WaitUntilInteractiveAsync();

        (await overview.ThemeAsync()).Should().Be("dark");
        await Screenshots.SaveAsync(page, "overview-dark");
        await overview.ToggleThemeAsync();
        await Assertions.Expect(page.Locator(".app-shell")).ToHaveAttributeAsync("data-theme", "light");
    }

    /// <summary>Any page: the layout is enough to open it in a language and measure it.</summary>
    private sealed class Shell(IPage page) : AppPage(page)
    {
        public async Task OpenAsync(string address, string culture)
        {
            await GotoAsync(address);
            if (Culture != culture)
            {
                await SwitchLanguageAsync(culture);
            }

            // The figures (or the page's own content) are on screen, not just the frame.
            await Page.Locator("[data-testid=marketplace-table], [data-testid=channels-grid], [data-testid=cohort-table], [data-testid=upload-form], [data-testid=add-connection], [data-testid=not-found], [data-testid=empty-state]").First.WaitForAsync();
        }
    }
}
