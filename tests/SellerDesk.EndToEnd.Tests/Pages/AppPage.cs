using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>What every page has: the layout (navigation, language switch) and a circuit that must be up before clicking.</summary>
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

    public async Task NavigateAsync(string testId)
    {
        await Page.Locator($"[data-testid=nav-{testId}]").ClickAsync();
    }

    protected decimal? Number(string text) => Infrastructure.UiNumbers.Parse(text, Culture);

    protected decimal? Percent(string text) => Infrastructure.UiNumbers.ParsePercent(text, Culture);
}

/// <summary>The period picker every report page shares.</summary>
public sealed class PeriodPicker(IPage page)
{
    public ILocator Summary => page.Locator("[data-testid=period-summary]");

    public async Task SetFromAsync(string isoDate) => await page.Locator("[data-testid=period-from]").FillAsync(isoDate);

    public async Task SetToAsync(string isoDate) => await page.Locator("[data-testid=period-to]").FillAsync(isoDate);

    public async Task SetAsOfAsync(string isoDate) => await page.Locator("[data-testid=period-as-of]").FillAsync(isoDate);

    /// <summary>Enter in a date field submits the form, as a keyboard user would.</summary>
    public async Task PressEnterAsync() => await page.Locator("[data-testid=period-as-of]").PressAsync("Enter");
}
