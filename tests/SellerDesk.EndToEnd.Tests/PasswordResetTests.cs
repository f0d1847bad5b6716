using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SellerDesk.Data.Accounts;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;
using SellerDesk.Testing;
using SellerDesk.Web.Auth;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// Password reset: by mail through a real SMTP listener on this machine (a second app configured for it), and, with no
/// mail server, by a one-time link an Owner makes on the Members page. Links expire, work once, and end sessions.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class PasswordResetTests(SellerDeskApp app)
{
    [Fact]
    public async Task Without_mail_an_owner_hands_a_member_a_one_time_link_that_ends_their_sessions()
    {
        const string email = "reset@e2e.test";
        const string oldPassword = "reset old password 1";
        const string newPassword = "reset new password 2";
        await TestAccounts.EnsureUserAsync(app.Services, email, oldPassword, WorkspaceRoles.Viewer);
        var member = await app.NewPageAsync(state: await app.SignInStateAsync(email, oldPassword));

        // No SMTP here: the forgot-password page says to ask an Owner, with no form that could tell addresses apart.
        var visitor = await app.NewPageAsync(signedIn: false);
        await visitor.GotoAsync(SignInPage.Path);
        await visitor.Locator("[data-testid=signin-forgot]").ClickAsync();
        (await visitor.Locator("[data-testid=forgot-no-mail]").InnerTextAsync()).Should().Contain("владельца");
        (await visitor.Locator("[data-testid=forgot-form]").CountAsync()).Should().Be(0);

        var owner = await app.NewPageAsync();
        await owner.GotoAsync("settings/members");
        await new OverviewPage(owner).WaitUntilInteractiveAsync();
        var row = owner.Locator($"[data-testid='member-{email}']");
        await row.Locator("[data-testid=member-reset-link]").ClickAsync();
        var first = await owner.Locator("[data-testid=reset-link]").InnerTextAsync();
        await row.Locator("[data-testid=member-reset-link]").ClickAsync();
        await owner.WaitForFunctionAsync("first => document.querySelector('[data-testid=reset-link]')?.textContent !== first", first);
        var second = await owner.Locator("[data-testid=reset-link]").InnerTextAsync();
        (await owner.Locator("[data-testid=reset-link-created]").InnerTextAsync()).Should().Contain(email).And.Contain("24");
        await Screenshots.SaveAsync(owner, "members-reset-link");

        // Making the link ended the member's sessions and the newer link replaced the first.
        await member.GotoAsync("cohorts");
        member.Url.Should().Contain("/account/signin");
        await visitor.GotoAsync(first);
        (await visitor.Locator("[data-testid=reset-unusable]").InnerTextAsync()).Should().Contain("заменена более новой");

        // The reset page keeps Identity's rules.
        await visitor.GotoAsync(second);
        (await visitor.Locator("input[data-testid=reset-password]").GetAttributeAsync("autocomplete")).Should().Be("new-password");
        await FillResetAsync(visitor, "aaaaaaaaaa");
        (await visitor.Locator("[data-testid=reset-error]").InnerTextAsync()).Should().Contain("разных символов");
        await FillResetAsync(visitor, newPassword);
        (await visitor.Locator("[data-testid=reset-done]").InnerTextAsync()).Should().Contain("Новый пароль сохранён");
        await Screenshots.SaveAsync(visitor, "password-reset-done");

        var check = await app.NewPageAsync(signedIn: false);
        await check.GotoAsync(SignInPage.Path);
        await SignInPage.SubmitAsync(check, email, oldPassword);
        (await SignInPage.Error(check).InnerTextAsync()).Should().Be("Неверный адрес почты или пароль.");
        await app.SignInStateAsync(email, newPassword);

        // Used once: the link is spent.
        await visitor.GotoAsync(second);
        (await visitor.Locator("[data-testid=reset-unusable]").CountAsync()).Should().Be(1);
        (await visitor.Locator("[data-testid=reset-form]").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_reset_link_older_than_a_day_or_mangled_is_refused()
    {
        const string email = "expired-reset@e2e.test";
        var userId = await TestAccounts.EnsureUserAsync(app.Services, email, "expired reset password 1", WorkspaceRoles.Viewer);
        var page = await app.NewPageAsync(signedIn: false);

        // Tokens written as Identity's token provider writes them, with the app's own data protection keys: one made
        // now works (so the format is right), one made 25 hours ago does not.
        await page.GotoAsync(PasswordResets.LinkFor(userId, await ResetTokenAsync(userId, DateTimeOffset.UtcNow.AddMinutes(-1))));
        (await page.Locator("[data-testid=reset-form]").CountAsync()).Should().Be(1);

        await page.GotoAsync(PasswordResets.LinkFor(userId, await ResetTokenAsync(userId, DateTimeOffset.UtcNow.AddHours(-25))));
        (await page.Locator("[data-testid=reset-unusable]").InnerTextAsync()).Should().Contain("истекла");
        (await page.Locator("[data-testid=reset-form]").CountAsync()).Should().Be(0);

        await page.GotoAsync($"account/reset?user={userId}&code=bm90LWEtdG9rZW4");
        (await page.Locator("[data-testid=reset-unusable]").CountAsync()).Should().Be(1);
        await page.GotoAsync("account/reset?user=nobody&code=%%%");
        (await page.Locator("[data-testid=reset-unusable]").CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task A_reset_mail_goes_through_the_configured_smtp_server_and_an_unknown_address_gets_the_same_answer_and_no_mail()
    {
        const string email = "mail-reset@e2e.test";
        const string newPassword = "mailed new password 3";
        await using var smtp = new SmtpListener();
        var database = new TestDatabase();
        await database.InitializeAsync();
        WebApplicationFactory<Program>? factory = null;
        try
        {
            Uri address;
            (factory, address) = await AppHost.StartAsync(database.ConnectionString, "mail-" + Guid.NewGuid().ToString("N"), settings: new Dictionary<string, string>
            {
                ["Smtp:Host"] = "127.0.0.1",
                ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Smtp:User"] = "sellerdesk-mailer",
                ["Smtp:Password"] = "smtp secret 1",
                ["Smtp:From"] = "SellerDesk <noreply@e2e.test>",
                ["Smtp:UseTls"] = "false",
            });
            await TestAccounts.EnsureUserAsync(factory.Services, email, "mailed old password 1", WorkspaceRoles.Finance);
            var page = await app.NewPageAsync(signedIn: false);

            await page.GotoAsync(new Uri(address, SignInPage.Path).ToString());
            await page.Locator("[data-testid=signin-forgot]").ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/account/forgot", StringComparison.Ordinal));
            (await page.Locator("input[data-testid=forgot-email]").GetAttributeAsync("autocomplete")).Should().Be("username");
            await page.Locator("input[data-testid=forgot-email]").FillAsync("nobody-here@e2e.test");
            await page.Locator("input[data-testid=forgot-email]").PressAsync("Enter");
            var answerForUnknown = await page.Locator("[data-testid=forgot-sent]").InnerTextAsync();
            await Screenshots.SaveAsync(page, "forgot-password-sent");

            await page.GotoAsync(new Uri(address, "account/forgot").ToString());
            await page.Locator("input[data-testid=forgot-email]").FillAsync(email.ToUpperInvariant());
            await page.Locator("input[data-testid=forgot-email]").PressAsync("Enter");
            var answerForKnown = await page.Locator("[data-testid=forgot-sent]").InnerTextAsync();
            answerForKnown.Should().Be(answerForUnknown, "the page never tells whether an address has an account");

            // The requests are sent in order: had the unknown address produced a mail, it would come first.
            var mail = await smtp.NextAsync(TimeSpan.FromSeconds(30));
            mail.To.Should().Equal(email);
            mail.From.Should().Be("noreply@e2e.test");
            (mail.User, mail.Password).Should().Be(("sellerdesk-mailer", "smtp secret 1"));
            var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data)));
            message.Subject.Should().Be("SellerDesk: смена пароля");
            var link = ResetLink().Match(message.TextBody ?? string.Empty).Value;
            link.Should().StartWith(new Uri(address, "account/reset?user=").ToString());
            smtp.Mails.Should().BeEmpty();

            await page.GotoAsync(link);
            await FillResetAsync(page, newPassword);
            await page.Locator("[data-testid=reset-done]").WaitForAsync();
            await page.GotoAsync(new Uri(address, SignInPage.Path).ToString());
            await SignInPage.SubmitAsync(page, email, newPassword);
            await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));

            await page.GotoAsync(link);
            (await page.Locator("[data-testid=reset-unusable]").CountAsync()).Should().Be(1, "the mailed link works once");
        }
        finally
        {
            if (factory is not null)
            {
                await factory.DisposeAsync();
            }

            await database.DisposeAsync();
        }
    }

    private static async Task FillResetAsync(Microsoft.Playwright.IPage page, string password)
    {
        await page.Locator("input[data-testid=reset-password]").FillAsync(password);
        await page.Locator("input[data-testid=reset-confirm]").FillAsync(password);
        await page.Locator("input[data-testid=reset-confirm]").PressAsync("Enter");
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
    }

    /// <summary>A reset token laid out as <c>DataProtectorTokenProvider</c> lays it out, made at <paramref name="createdAt"/>.</summary>
    private async Task<string> ResetTokenAsync(Guid userId, DateTimeOffset createdAt)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        var stamp = await users.GetSecurityStampAsync(user!);
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DataProtectorTokenProvider");
        using var stream = new MemoryStream();
        await using (var writer = new BinaryWriter(stream, new UTF8Encoding(false, true), leaveOpen: true))
        {
            writer.Write(createdAt.UtcTicks);
            writer.Write(userId.ToString());
            writer.Write(UserManager<SellerDeskUser>.ResetPasswordTokenPurpose);
            writer.Write(stamp ?? string.Empty);
        }

        return Convert.ToBase64String(protector.Protect(stream.ToArray()));
    }

    [GeneratedRegex(@"https?://\S+/account/reset\?user=[0-9a-f-]+&code=[A-Za-z0-9_-]+")]
    private static partial Regex ResetLink();
}
