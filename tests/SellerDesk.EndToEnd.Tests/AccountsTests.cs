using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;
using SellerDesk.Web.Auth;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>Accounts in the browser: sign-in, lockout, the workspace switch, an invited Finance member, token revocation.</summary>
[Collection(BrowserTests.Name)]
public sealed class AccountsTests(SellerDeskApp app)
{
    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in_and_after_signing_in_with_the_keyboard_lands_on_the_page_asked_for()
    {
        var page = await app.NewPageAsync(signedIn: false);

        await page.GotoAsync("cohorts?" + TestLedger.Query);

        page.Url.Should().Contain("/account/signin?returnUrl=");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Вход");
        (await page.Locator("[data-testid=nav-drawer]").CountAsync()).Should().Be(0, "nothing of the app shows before sign-in");
        await Screenshots.SaveAsync(page, "sign-in");

        await SignInPage.SubmitAsync(page, SellerDeskApp.OwnerEmail, SellerDeskApp.OwnerPassword);
        await page.WaitForURLAsync(url => url.Contains("/cohorts?", StringComparison.Ordinal));
        var cohorts = new CohortsPage(page);
        await cohorts.WaitUntilInteractiveAsync();
        (await page.Locator("[data-testid=workspace-name]").InnerTextAsync()).Should().Contain("demo").And.Contain("Владелец");
        await Screenshots.SaveAsync(page, "signed-in-owner");

        await page.Locator("[data-testid=user-menu] button").First.ClickAsync();
        await page.Locator("[data-testid=signout]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/signin", StringComparison.Ordinal));
        await page.GotoAsync("cohorts");
        page.Url.Should().Contain("/account/signin", "the session ended with sign-out");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused()
    {
        const string email = "lockout@e2e.test";
        const string password = "the right password 7";
        await EnsureUserAsync(email, password, WorkspaceRoles.Viewer);
        var page = await app.NewPageAsync(signedIn: false);
        await page.GotoAsync(SignInPage.Path);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await SignInPage.SubmitAsync(page, email, "wrong password " + attempt);
            (await SignInPage.Error(page).InnerTextAsync()).Should().Be("Неверный адрес почты или пароль.");
        }

        await SignInPage.SubmitAsync(page, email, "wrong password 5");
        (await SignInPage.Error(page).InnerTextAsync()).Should().Contain("закрыт на 15 минут");
        await SignInPage.SubmitAsync(page, email, password);
        (await SignInPage.Error(page).InnerTextAsync()).Should().Contain("закрыт на 15 минут");
        page.Url.Should().Contain("/account/signin");
        await Screenshots.SaveAsync(page, "sign-in-locked");
    }

    [Fact]
    public async Task In_English_the_lockout_is_told_in_plain_English_words_too()
    {
        const string email = "lockout-en@e2e.test";
        const string password = "the right password 8";
        await EnsureUserAsync(email, password, WorkspaceRoles.Viewer);
        var page = await app.NewPageAsync("en-US", signedIn: false);
        await page.GotoAsync(SignInPage.Path);
        await page.Locator("[data-testid=language-switch] [data-culture=en-US]").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('h1')?.textContent === 'Sign in'");

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await SignInPage.SubmitAsync(page, email, "wrong password " + attempt);
            (await SignInPage.Error(page).InnerTextAsync()).Should().Be("The e-mail or the password is not right.");
        }

        await SignInPage.SubmitAsync(page, email, "wrong password 5");
        (await SignInPage.Error(page).InnerTextAsync()).Should().Contain("locked for 15 minutes");
        await SignInPage.SubmitAsync(page, email, password);
        (await SignInPage.Error(page).InnerTextAsync()).Should().Contain("locked for 15 minutes");
        page.Url.Should().Contain("/account/signin");
        await Screenshots.SaveAsync(page, "sign-in-locked-en");
    }

    [Fact]
    public async Task The_header_switches_to_another_workspace_and_every_page_then_shows_that_workspace_only()
    {
        const string email = "switcher@e2e.test";
        const string password = "switcher password 1";
        await EnsureUserAsync(email, password, WorkspaceRoles.Owner);
        await EnsureUserAsync(email, password, WorkspaceRoles.Viewer, "second-shop");
        var page = await app.NewPageAsync(state: await app.SignInStateAsync(email, password));
        var overview = new OverviewPage(page);
        await page.GotoAsync("?" + TestLedger.Query);
        await overview.WaitUntilInteractiveAsync();
        (await page.Locator("[data-testid=workspace-name]").InnerTextAsync()).Should().Contain("demo");
        await page.Locator("[data-testid=marketplace-table]").WaitForAsync();

        await page.Locator("[data-testid=workspace-name]").ClickAsync();
        await page.Locator("[data-testid='workspace-option-second-shop']").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=workspace-name]')?.textContent.includes('second-shop')");
        await overview.WaitUntilInteractiveAsync();

        (await page.Locator("[data-testid=workspace-name]").InnerTextAsync()).Should().Contain("Наблюдатель");
        (await page.Locator("[data-testid=marketplace-table]").CountAsync()).Should().Be(0, "the second workspace has no sales");
        (await page.Locator("[data-testid=nav-upload]").CountAsync()).Should().Be(0, "a Viewer does not upload");
        await Screenshots.SaveAsync(page, "workspace-switched");
    }

    [Fact]
    public async Task An_invited_Finance_member_exports_cohorts_but_cannot_open_connections()
    {
        var owner = await app.NewPageAsync();
        await owner.GotoAsync("settings/members");
        await new OverviewPage(owner).WaitUntilInteractiveAsync();
        await ChooseAsync(owner, "invite-role", "Финансы");
        await owner.Locator("[data-testid=invite-submit]").ClickAsync();
        var link = await owner.Locator("[data-testid=invite-link]").InnerTextAsync();
        await Screenshots.SaveAsync(owner, "members-invitation");

        var finance = await app.NewPageAsync(signedIn: false);
        await finance.GotoAsync(link);
        (await finance.Locator("[data-testid=invitation-text]").InnerTextAsync()).Should().Contain("demo").And.Contain("Финансы");
        await finance.Locator("input[data-testid=invitation-email]").FillAsync("finance@e2e.test");
        await finance.Locator("input[data-testid=invitation-password]").FillAsync("finance password 1");
        await finance.Locator("input[data-testid=invitation-confirm]").FillAsync("finance password 1");
        await finance.Locator("input[data-testid=invitation-confirm]").PressAsync("Enter");
        await finance.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        var cohorts = new CohortsPage(finance);
        await cohorts.WaitUntilInteractiveAsync();
        (await finance.Locator("[data-testid=nav-connections]").CountAsync()).Should().Be(0);
        (await finance.Locator("[data-testid=nav-cohorts]").CountAsync()).Should().Be(1);

        await finance.GotoAsync("cohorts?" + TestLedger.Query);
        await cohorts.WaitUntilInteractiveAsync();
        var download = await cohorts.DownloadAsync("csv");
        // The page's files follow its language: Russian Excel's dialect (';', a BOM, which ReadAllText drops).
        (await File.ReadAllTextAsync((await download.PathAsync())!)).Should().StartWith("marketplace;cohort");

        await finance.GotoAsync("connections");
        finance.Url.Should().Contain("/account/denied");
        (await finance.Locator("[data-testid=denied-text]").InnerTextAsync()).Should().Contain("не даёт доступа");
        await Screenshots.SaveAsync(finance, "finance-denied-connections");

        // The link worked once.
        var again = await app.NewPageAsync(signedIn: false);
        await again.GotoAsync(link);
        (await again.Locator("[data-testid=invitation-unusable]").CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task A_token_made_on_the_tokens_page_works_until_the_owner_revokes_it()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("settings/tokens");
        await new OverviewPage(page).WaitUntilInteractiveAsync();
        await page.Locator("input[data-testid=token-name]").FillAsync("e2e script");
        await page.Locator("[data-testid=token-submit]").ClickAsync();
        var token = await page.Locator("[data-testid=token-secret]").InnerTextAsync();
        token.Should().StartWith(ApiTokens.Prefix);
        await Screenshots.SaveAsync(page, "token-created");

        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var response = await api.GetAsync(new Uri("api/v1/reports/channels?" + TestLedger.Query, UriKind.Relative)))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await page.Locator("[data-testid='token-e2e script'] [data-testid=token-revoke]").ClickAsync();
        await page.Locator("[data-testid='token-e2e script'][data-state=inactive]").WaitForAsync();
        using (var response = await api.GetAsync(new Uri("api/v1/reports/channels?" + TestLedger.Query, UriKind.Relative)))
        {
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
    }

    private static async Task ChooseAsync(IPage page, string testId, string option)
    {
        await page.Locator($"[data-testid={testId}]").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
    }

    /// <summary>An account with the role in the workspace (made if missing), arranged through the app's own services.</summary>
    private async Task EnsureUserAsync(string email, string password, string role, string workspaceName = "demo")
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Name == workspaceName);
        if (workspace is null)
        {
            workspace = new SellerDesk.Data.Entities.Workspace { Id = Guid.NewGuid(), Name = workspaceName };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
        }

        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized)
            ?? await accounts.CreateUserAsync(email, password);
        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspace.Id && m.UserId == user.Id))
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspace.Id, UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
    }
}
