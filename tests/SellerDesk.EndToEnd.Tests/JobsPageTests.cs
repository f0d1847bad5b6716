using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Web.Auth;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// The jobs page at /ops/jobs (issue 10 point 6): an Ops member sees the current workspace's pull runs (from the app's
/// own run table, never another workspace's), their progress and the next scheduled runs, and retries a failed run;
/// Viewers and Finance members are refused; role limits of the report pages (export buttons, channel names).
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class JobsPageTests(SellerDeskApp app)
{
    private const string Password = "jobs page password 1";

    [Fact]
    public async Task An_Ops_member_sees_their_workspaces_runs_only_and_retries_a_failed_one()
    {
        var (shop, failedRun) = await SeedAsync();
        await EnsureUserAsync("ops@jobs.e2e.test", WorkspaceRoles.Ops);
        var page = await app.NewPageAsync(state: await app.SignInStateAsync("ops@jobs.e2e.test", Password));
        var layout = new JobsLayout(page);

        await page.GotoAsync("connections");
        await layout.WaitUntilInteractiveAsync();
        await layout.NavigateAsync("ops-jobs");
        await page.WaitForURLAsync(url => url.EndsWith("/ops/jobs", StringComparison.Ordinal));
        await layout.WaitUntilInteractiveAsync();

        await page.Locator("h1", new() { HasText = "Задачи" }).WaitForAsync();
        var failed = page.Locator($"[data-testid=jobs-run][data-run='{failedRun}']");
        await failed.WaitForAsync();
        (await failed.GetAttributeAsync("data-status")).Should().Be("failed");
        var body = await page.Locator("main").InnerTextAsync();
        body.Should().Contain("Jobs page shop").And.NotContain("Jobs other workspace shop", "another workspace's runs never show");
        (await page.Locator("[data-testid=jobs-next-row][data-connection='Jobs page shop']").InnerTextAsync()).Should().Contain("следующий запуск");
        await Screenshots.SaveAsync(page, "jobs-ops");

        var runsBefore = await RunsOfAsync(shop);
        await page.Locator("tr", new() { Has = failed }).Locator("[data-testid=jobs-retry]").ClickAsync();
        await page.Locator(".mud-snackbar").Filter(new() { HasText = "Jobs page shop" }).WaitForAsync();
        (await RunsOfAsync(shop)).Should().Be(runsBefore + 1, "the retry queued one new run");
        await page.WaitForFunctionAsync($"document.querySelectorAll(\"[data-testid=jobs-run]\").length >= 2");

        // The retry is in the Owner's audit log, naming the Ops member; the kind filter narrows the log to it.
        var owner = await app.NewPageAsync();
        await owner.GotoAsync("settings/audit");
        await new JobsLayout(owner).WaitUntilInteractiveAsync();
        await owner.Locator("[data-testid=audit-kind]").First.ClickAsync();
        await owner.Locator(".mud-popover-open .mud-list-item", new() { HasText = "загрузка запущена" }).First.ClickAsync();
        var retried = owner.Locator("tr[data-action=pull-started]", new() { HasText = "ops@jobs.e2e.test" }).Filter(new() { HasText = failedRun.ToString() });
        await retried.First.WaitForAsync();
        (await retried.First.InnerTextAsync()).Should().Contain("повтор неудавшегося запуска").And.Contain("Jobs page shop");
        // The log re-renders after the filter is chosen: wait for the other kinds to leave before reading the rows.
        await Assertions.Expect(owner.Locator("tr[data-action]:not([data-action=pull-started])")).ToHaveCountAsync(0);
        (await owner.Locator("tr[data-action]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)")).Should().OnlyContain(a => a == "pull-started");
        await Screenshots.SaveAsync(owner, "audit-filtered");

        // On a phone: the same page, nothing wider than the screen.
        var phone = await app.NewPageAsync(viewport: SellerDeskApp.Phone, touch: true, state: await app.SignInStateAsync("ops@jobs.e2e.test", Password));
        await phone.GotoAsync("ops/jobs");
        var phoneLayout = new JobsLayout(phone);
        await phoneLayout.WaitUntilInteractiveAsync();
        await phone.Locator($"[data-testid=jobs-run][data-run='{failedRun}']").WaitForAsync();
        (await phoneLayout.SidewaysOverflowAsync()).Should().Be(0);
        await Screenshots.SaveAsync(phone, "jobs-ops-phone");
    }

    [Theory]
    [InlineData(WorkspaceRoles.Viewer)]
    [InlineData(WorkspaceRoles.Finance)]
    public async Task Viewers_and_Finance_members_are_refused_the_jobs_page(string role)
    {
        var email = role.ToLowerInvariant() + "@jobs.e2e.test";
        await EnsureUserAsync(email, role);
        var page = await app.NewPageAsync(state: await app.SignInStateAsync(email, Password));

        await page.GotoAsync("ops/jobs");

        page.Url.Should().Contain("/account/denied");
        (await page.Locator("[data-testid=jobs-runs]").CountAsync()).Should().Be(0);
        await page.GotoAsync("?" + TestLedger.Query);
        await new JobsLayout(page).WaitUntilInteractiveAsync();
        (await page.Locator("[data-testid=nav-ops-jobs]").CountAsync()).Should().Be(0, "the navigation offers only what the role may open");
    }

    [Fact]
    public async Task Roles_that_cannot_export_or_name_channels_get_no_buttons_for_it()
    {
        await EnsureUserAsync("viewer@jobs.e2e.test", WorkspaceRoles.Viewer);
        await EnsureUserAsync("ops@jobs.e2e.test", WorkspaceRoles.Ops);
        foreach (var email in new[] { "viewer@jobs.e2e.test", "ops@jobs.e2e.test" })
        {
            var page = await app.NewPageAsync(state: await app.SignInStateAsync(email, Password));
            await page.GotoAsync("cohorts?" + TestLedger.Query);
            await new JobsLayout(page).WaitUntilInteractiveAsync();
            await page.Locator("[data-testid=cohort-title]").WaitForAsync();
            (await page.Locator("[data-testid=export-csv], [data-testid=export-xlsx]").CountAsync()).Should().Be(0, email + " may not export");

            await page.GotoAsync("channels?" + TestLedger.Query);
            await new JobsLayout(page).WaitUntilInteractiveAsync();
            await page.Locator("#channels-grid-title").WaitForAsync();
            (await page.Locator("[data-testid=channel-names-edit]").CountAsync()).Should().Be(0, email + " may not rename channels");
        }

        // The Owner (the app's signed-in default) gets both.
        var owner = await app.NewPageAsync();
        await owner.GotoAsync("cohorts?" + TestLedger.Query);
        await owner.Locator("[data-testid=export-csv]").WaitForAsync();
        await owner.GotoAsync("channels?" + TestLedger.Query);
        await owner.Locator("[data-testid=channel-names-edit]").WaitForAsync();
    }

    /// <summary>
    /// A sandbox connection of the demo workspace scheduled daily with one failed run, and a connection with a failed run
    /// in another workspace; returns the demo connection and its failed run.
    /// </summary>
    private async Task<(Guid Connection, Guid FailedRun)> SeedAsync()
    {
        using var scope = app.Services.CreateScope();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        await using var db = await contexts.CreateDbContextAsync();
        var demo = await db.Workspaces.SingleAsync(w => w.Name == "demo");
        var other = await db.Workspaces.SingleOrDefaultAsync(w => w.Name == "jobs-other");
        if (other is null)
        {
            other = new SellerDesk.Data.Entities.Workspace { Id = Guid.NewGuid(), Name = "jobs-other" };
            db.Workspaces.Add(other);
            await db.SaveChangesAsync();
        }

        var shop = await db.Connections.Where(c => c.WorkspaceId == demo.Id && c.Name == "Jobs page shop").Select(c => (Guid?)c.Id).SingleOrDefaultAsync()
            ?? (await connections.CreateAsync(demo.Id, new NewConnection("sandbox", "Jobs page shop", new Dictionary<string, string> { [SandboxConnector.SeedKey] = "771" }, null)
            {
                Schedule = ConnectionService.DefaultSchedule,
                BackfillDays = 0,
            }, default)).Id;
        var otherShop = await db.Connections.Where(c => c.WorkspaceId == other.Id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync()
            ?? (await connections.CreateAsync(other.Id, new NewConnection("sandbox", "Jobs other workspace shop", new Dictionary<string, string> { [SandboxConnector.SeedKey] = "772" }, null)
            {
                Schedule = new PullSchedule(null, 14, false),
                BackfillDays = 0,
            }, default)).Id;

        var failed = Guid.NewGuid();
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO pull_runs (id, workspace_id, connection_id, connection_name, trigger, status, period_from, period_to, error, created_at, finished_at) VALUES ({0}, {1}, {2}, 'Jobs page shop', 'schedule', 'failed', '2019-03-01', '2019-03-03', 'the marketplace did not answer', now(), now())",
            [failed, demo.Id, shop]);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO pull_runs (id, workspace_id, connection_id, connection_name, trigger, status, period_from, period_to, error, created_at, finished_at) VALUES ({0}, {1}, {2}, 'Jobs other workspace shop', 'api', 'failed', '2019-03-01', '2019-03-03', 'other', now(), now())",
            [Guid.NewGuid(), other.Id, otherShop]);
        return (shop, failed);
    }

    private async Task<int> RunsOfAsync(Guid connection)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
        return await db.PullRuns.CountAsync(r => r.ConnectionId == connection);
    }

    private async Task EnsureUserAsync(string email, string role)
    {
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
        var workspace = await db.Workspaces.SingleAsync(w => w.Name == "demo");
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized) ?? await accounts.CreateUserAsync(email, Password);
        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspace.Id && m.UserId == user.Id))
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspace.Id, UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
    }

    private sealed class JobsLayout(IPage page) : AppPage(page);
}
