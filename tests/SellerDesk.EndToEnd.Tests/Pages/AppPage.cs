using System.Globalization;
using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>What every page has: the layout (navigation, language switch, theme) and a circuit that must be up before clicking.</summary>
public abstract class AppPage(IPage page)
{
    public IPage Page { get; } = page;

    /// <summary>The culture the page is shown in (ru-RU or en-US), for reading numbers back.</summary>
    public string Culture { get; private set; } = "ru-RU";

    protected async Task GotoAsync(string relativeUrl)
    {
        await Page.GotoAsync(relativeUrl);
        await WaitUntilInteractiveAsync();
    }

    /// <summary>The layout marks itself once the Blazor circuit has rendered interactively.</summary>
    public async Task WaitUntilInteractiveAsync()
    {
        await Page.Locator(".app-shell[data-interactive=true]").WaitForAsync();
        Culture = await Page.Locator("html").GetAttributeAsync("lang") == "en" ? "en-US" : "ru-RU";
    }

    public ILocator Heading => Page.Locator("h1");

    public async Task SwitchLanguageAsync(string culture)
    {
        await Page.Locator($"[data-testid=language-switch] a[data-culture='{culture}']").ClickAsync();
        await Page.WaitForFunctionAsync($"document.documentElement.lang === '{culture[..2]}'");
        await WaitUntilInteractiveAsync();
    }

    /// <summary>Clicks a navigation link; on a phone the menu button opens the folded navigation first.</summary>
    public async Task NavigateAsync(string testId)
    {
        var link = Page.Locator($"[data-testid=nav-{testId}]");
        if (!await link.IsVisibleAsync())
        {
            await Page.Locator("[data-testid=nav-toggle]").ClickAsync();
        }

        await link.ClickAsync();
    }

    /// <summary>Chooses an account in a report page's account filter: <c>all</c>, <c>file</c> or a connection id.</summary>
    public async Task ChooseAccountAsync(string value)
    {
        await Page.Locator("[data-testid=account-filter]").ClickAsync();
        await Page.Locator($".mud-popover-open [data-value='{value}']").ClickAsync();
    }

    public async Task ToggleThemeAsync() => await Page.Locator("[data-testid=theme-toggle]").ClickAsync();

    public async Task<string?> ThemeAsync() => await Page.Locator(".app-shell").GetAttributeAsync("data-theme");

    /// <summary>How far the page is wider than the window (0 when nothing scrolls sideways).</summary>
    public async Task<int> SidewaysOverflowAsync() =>
        await Page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)");

    protected decimal? Number(string text) => Infrastructure.UiNumbers.Parse(text, Culture);

    protected decimal? Percent(string text) => Infrastructure.UiNumbers.ParsePercent(text, Culture);
}

/// <summary>The period picker every report page shares; dates are typed as a user of that language would.</summary>
public sealed class PeriodPicker(IPage page, string culture)
{
    public ILocator Summary => page.Locator("[data-testid=period-summary]");

    public ILocator YoungPeriodWarning => page.Locator("[data-testid=young-period-warning]");

    public async Task SetFromAsync(string isoDate) => await page.Locator("#period-from").FillAsync(Typed(isoDate));

    public async Task SetToAsync(string isoDate) => await page.Locator("#period-to").FillAsync(Typed(isoDate));

    public async Task SetAsOfAsync(string isoDate) => await page.Locator("#period-as-of").FillAsync(Typed(isoDate));

    /// <summary>Enter in a date field submits the form, as a keyboard user would.</summary>
    public async Task PressEnterAsync() => await page.Locator("#period-as-of").PressAsync("Enter");

    /// <summary>The date fields' text, as shown.</summary>
    public async Task<string> FromTextAsync() => await page.Locator("#period-from").InputValueAsync();

    public async Task<IReadOnlyList<string>> ActivePresetsAsync() =>
        (await page.Locator("[data-testid=period-presets] [aria-pressed=true]").EvaluateAllAsync<string[]>(
            "buttons => buttons.map(b => b.dataset.preset)")).ToList();

    public async Task ChoosePresetAsync(string key) => await page.Locator($"[data-testid=period-presets] [data-preset='{key}']").ClickAsync();

    /// <summary>An ISO date as the UI culture writes it: <c>01.02.2026</c> in Russian, <c>2/1/2026</c> in English.</summary>
    public string Typed(string isoDate) =>
        DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString(CultureInfo.GetCultureInfo(culture).DateTimeFormat.ShortDatePattern, CultureInfo.GetCultureInfo(culture));
}
