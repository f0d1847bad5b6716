using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>The sign-in page: a plain form (no live connection), used with the keyboard as a person would.</summary>
public static class SignInPage
{
    public const string Path = "account/signin";

    /// <summary>Opens the sign-in page, types the e-mail and password and presses Enter; waits until the app has let the user in.</summary>
    public static async Task SignInAsync(IPage page, string email, string password, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(returnUrl is null ? Path : Path + "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await SubmitAsync(page, email, password);
        await page.WaitForURLAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));
    }

    /// <summary>Fills the form and presses Enter, without waiting for the outcome.</summary>
    public static async Task SubmitAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Locator("input[data-testid=signin-email]").FillAsync(email);
        await page.Locator("input[data-testid=signin-password]").FillAsync(password);
        await page.Locator("input[data-testid=signin-password]").PressAsync("Enter");
    }

    public static ILocator Error(IPage page) => page.Locator("[data-testid=signin-error]");
}
