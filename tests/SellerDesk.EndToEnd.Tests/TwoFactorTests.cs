using Microsoft.Playwright;
using SellerDesk.Data.Accounts;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;
using SellerDesk.Testing;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// Optional TOTP two-step sign-in: turned on with a code the test computes from the page's key (RFC 6238), then
/// sign-in asks for a code (or a recovery code, each once) after the right password.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class TwoFactorTests(SellerDeskApp app)
{
    private const string Email = "totp@e2e.test";
    private const string Password = "totp user password 1";

    [Fact]
    public async Task A_user_turns_on_two_step_sign_in_and_then_needs_a_valid_code_or_a_recovery_code_once()
    {
        await TestAccounts.EnsureUserAsync(app.Services, Email, Password, WorkspaceRoles.Finance);
        var page = await app.NewPageAsync(state: await app.SignInStateAsync(Email, Password));

        // The password page leads to the set-up; the set-up shows the key, the otpauth address and a QR code.
        await page.GotoAsync("account/password");
        await page.Locator("[data-testid=password-two-factor]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/two-factor", StringComparison.Ordinal));
        (await page.Locator("[data-testid=two-factor-state]").GetAttributeAsync("data-state")).Should().Be("off");
        var shownKey = await page.Locator("[data-testid=two-factor-key]").InnerTextAsync();
        shownKey.Should().MatchRegex("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", "the key is shown in groups of four");
        var key = shownKey.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        (await page.Locator("[data-testid=two-factor-uri]").InnerTextAsync()).Should()
            .Be($"otpauth://totp/SellerDesk:{Uri.EscapeDataString(Email)}?secret={key}&issuer=SellerDesk&digits=6");
        (await page.Locator("[data-testid=two-factor-qr] svg").CountAsync()).Should().Be(1);
        (await page.Locator("input[data-testid=two-factor-code]").GetAttributeAsync("autocomplete")).Should().Be("one-time-code");
        await Screenshots.SaveAsync(page, "two-factor-setup");

        // A wrong code does not turn it on; the key stays the same for the next try.
        await page.Locator("input[data-testid=two-factor-code]").FillAsync(Totp.WrongCode(key));
        await page.Locator("input[data-testid=two-factor-code]").PressAsync("Enter");
        (await page.Locator("[data-testid=two-factor-error]").InnerTextAsync()).Should().Contain("Код не подходит");
        (await page.Locator("[data-testid=two-factor-key]").InnerTextAsync()).Should().Be(shownKey);

        await page.Locator("input[data-testid=two-factor-code]").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.Locator("input[data-testid=two-factor-code]").PressAsync("Enter");
        await page.Locator("[data-testid=recovery-codes]").WaitForAsync();
        var recoveryCodes = await page.Locator("[data-testid=recovery-codes] code").AllInnerTextsAsync();
        recoveryCodes.Should().HaveCount(10).And.OnlyHaveUniqueItems();
        (await page.Locator("[data-testid=two-factor-state]").GetAttributeAsync("data-state")).Should().Be("on");
        await Screenshots.SaveAsync(page, "two-factor-recovery-codes");

        // Shown once: opening the page again lists no codes, only how many are left. This session stayed signed in.
        await page.GotoAsync("account/two-factor");
        (await page.Locator("[data-testid=recovery-codes]").CountAsync()).Should().Be(0);
        (await page.Locator("[data-testid=two-factor-state]").InnerTextAsync()).Should().Contain("10");

        // Sign-in now asks for a code after the right password; a wrong one is refused, a valid one lets in.
        var next = await app.NewPageAsync(signedIn: false);
        await next.GotoAsync(SignInPage.Path + "?returnUrl=" + Uri.EscapeDataString("/cohorts"));
        await SignInPage.SubmitAsync(next, Email, Password);
        await next.WaitForURLAsync(url => url.Contains("/account/signin/code", StringComparison.Ordinal));
        (await next.Locator("input[data-testid=code-input]").GetAttributeAsync("autocomplete")).Should().Be("one-time-code");
        await Screenshots.SaveAsync(next, "two-factor-sign-in");
        await SubmitCodeAsync(next, Totp.WrongCode(key));
        (await next.Locator("[data-testid=code-error]").InnerTextAsync()).Should().Contain("Код не подходит");
        await next.GotoAsync("cohorts");
        next.Url.Should().Contain("/account/signin", "the right password alone does not sign in");

        await next.GotoAsync(SignInPage.Path + "?returnUrl=" + Uri.EscapeDataString("/cohorts"));
        await SignInPage.SubmitAsync(next, Email, Password);
        await next.WaitForURLAsync(url => url.Contains("/account/signin/code", StringComparison.Ordinal));
        await SubmitCodeAsync(next, Totp.Code(key, DateTimeOffset.UtcNow));
        await next.WaitForURLAsync(url => url.Contains("/cohorts", StringComparison.Ordinal));
        await new CohortsPage(next).WaitUntilInteractiveAsync();

        // A recovery code works once.
        var recovery = await SignInWithRecoveryCodeAsync(recoveryCodes[0]);
        await recovery.WaitForURLAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));
        var again = await SignInWithRecoveryCodeAsync(recoveryCodes[0]);
        (await again.Locator("[data-testid=code-error]").InnerTextAsync()).Should().Contain("уже использован");
        again.Url.Should().Contain("/account/signin/code");
        var other = await SignInWithRecoveryCodeAsync(recoveryCodes[1]);
        await other.WaitForURLAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));

        // Turning it off takes the password; then the password alone signs in again.
        await page.GotoAsync("account/two-factor");
        (await page.Locator("[data-testid=two-factor-state]").InnerTextAsync()).Should().Contain("8");
        await page.Locator("input[data-testid=two-factor-off-password]").FillAsync("not the password");
        await page.Locator("input[data-testid=two-factor-off-password]").PressAsync("Enter");
        (await page.Locator("[data-testid=two-factor-error]").InnerTextAsync()).Should().Contain("Пароль указан неверно");
        await page.Locator("input[data-testid=two-factor-off-password]").FillAsync(Password);
        await page.Locator("input[data-testid=two-factor-off-password]").PressAsync("Enter");
        (await page.Locator("[data-testid=two-factor-notice]").InnerTextAsync()).Should().Contain("выключен");
        (await page.Locator("[data-testid=two-factor-state]").GetAttributeAsync("data-state")).Should().Be("off");
        (await page.Locator("[data-testid=two-factor-key]").InnerTextAsync()).Should().NotBe(shownKey, "a new set-up gets a new key");
        await app.SignInStateAsync(Email, Password);
    }

    private async Task<IPage> SignInWithRecoveryCodeAsync(string code)
    {
        var page = await app.NewPageAsync(signedIn: false);
        await page.GotoAsync(SignInPage.Path);
        await SignInPage.SubmitAsync(page, Email, Password);
        await page.WaitForURLAsync(url => url.Contains("/account/signin/code", StringComparison.Ordinal));
        await page.Locator("[data-testid=code-use-recovery]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("recovery=true", StringComparison.Ordinal));
        // The address changes before the page's new form is in place: wait for the recovery form itself, or the code
        // goes into the authenticator field (seven characters at most) or into a field that is then replaced.
        await page.Locator("[data-testid=code-form] input[name='Input.Recovery']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await SubmitCodeAsync(page, code);
        return page;
    }

    private static async Task SubmitCodeAsync(IPage page, string code)
    {
        await page.Locator("input[data-testid=code-input]").FillAsync(code);
        (await page.Locator("input[data-testid=code-input]").InputValueAsync()).Should().Be(code);
        await page.Locator("input[data-testid=code-input]").PressAsync("Enter");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}
