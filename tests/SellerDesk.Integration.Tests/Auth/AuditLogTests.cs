using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Testing;
using SellerDesk.Web.Auth;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Auth;

/// <summary>
/// The audit log (issue 10 point 5) over a real database: every kind of change to connections, schedules, pulls, files
/// and costs, from the HTTP API (a token) and from the pages' path (a signed-in member at an address), leaves exactly
/// one entry naming who did it, in its own workspace; another workspace's entries never show; only Owners read or
/// export it. Runs on the authorization matrix's app: a member and a token of each role in "matrix-home", an Owner and
/// a token in "matrix-other".
/// </summary>
public sealed class AuditLogTests(AuditLogTests.AuditHost host) : IClassFixture<AuditLogTests.AuditHost>
{
    [Fact]
    public async Task Each_change_through_the_api_leaves_exactly_one_entry_naming_the_token()
    {
        using var ops = host.CreateClient(host.Tokens[WorkspaceRoles.Ops]);
        using var finance = host.CreateClient(host.Tokens[WorkspaceRoles.Finance]);
        const string OpsToken = "API token: matrix Ops";
        const string FinanceToken = "API token: matrix Finance";

        var id = Guid.Empty;
        var created = await OneEntryAsync(AuditActions.ConnectionCreated, OpsToken, async () =>
            id = await CreateAsync(ops, "sandbox", "Audit shop api", new() { [SandboxConnector.SeedKey] = "901" }));
        created.Text.En.Should().Contain("Audit shop api").And.Contain("no first pull");
        created.Text.Ru.Should().Contain("Audit shop api").And.Contain("без первой загрузки");

        var schedule = await OneEntryAsync(AuditActions.ScheduleChanged, OpsToken, () => ScheduleAsync(ops, id, "0 0 7 * * ?", 10, enabled: true));
        schedule.Text.En.Should().Contain("cron '0 0 7 * * ?', 10 days back").And.Contain("was:");

        var credentials = await OneEntryAsync(AuditActions.CredentialsReplaced, OpsToken, async () =>
        {
            var (status, _, raw) = await SendAsync(ops, HttpMethod.Put, $"/api/v1/connections/{id}/credentials", new Dictionary<string, string> { [SandboxConnector.SeedKey] = "901" });
            status.Should().Be(HttpStatusCode.NoContent, raw);
        });
        credentials.Text.En.Should().Contain("Audit shop api").And.NotContain("901", "a credential's value is never written to the log");

        var pull = await OneEntryAsync(AuditActions.PullStarted, OpsToken, async () =>
        {
            var (status, body, raw) = await SendAsync(ops, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { From = "2026-01-01", To = "2026-01-05" });
            status.Should().Be(HttpStatusCode.Accepted, raw);
            await WaitForRunAsync(ops, body.GetProperty("id").GetGuid(), TimeSpan.FromSeconds(60));
        });
        pull.Text.En.Should().Contain("2026-01-01..2026-01-05").And.Contain("through the API");

        var deleted = await OneEntryAsync(AuditActions.ConnectionDeleted, OpsToken, async () =>
        {
            var (status, _, raw) = await SendAsync(ops, HttpMethod.Delete, $"/api/v1/connections/{id}?data=keep");
            status.Should().Be(HttpStatusCode.NoContent, raw);
        });
        deleted.Text.En.Should().Contain("Audit shop api").And.Contain("kept");
        deleted.Text.Ru.Should().Contain("оставлены");

        var costs = await OneEntryAsync(AuditActions.CostsUploaded, FinanceToken, () => UploadAsync(finance, "costs", HttpStatusCode.OK));
        costs.Text.En.Should().Contain("costs file").And.Contain("added");

        var sales = await OneEntryAsync(AuditActions.Import, FinanceToken, () => UploadAsync(finance, "sales", HttpStatusCode.OK));
        sales.Text.En.Should().Contain("sales file").And.Contain("13 rows");

        var rejected = await OneEntryAsync(AuditActions.Import, FinanceToken, async () =>
        {
            using var content = new StringContent("order_id,nonsense\n1,2\n", Encoding.UTF8, "text/csv");
            using var response = await finance.PostAsync(new Uri("/api/v1/imports/returns", UriKind.Relative), content);
            response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        });
        rejected.Text.En.Should().Contain("rejected").And.Contain("nothing was written");

        var export = await OneEntryAsync(AuditActions.Export, FinanceToken, async () =>
        {
            using var response = await finance.GetAsync(new Uri("/api/v1/reports/cohorts?from=2026-01-01&to=2026-03-31&as_of=2026-03-31&format=csv", UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        });
        export.Text.En.Should().Contain("Cohorts as csv");
    }

    [Fact]
    public async Task A_refused_change_leaves_no_entry()
    {
        using var viewer = host.CreateClient(host.Tokens[WorkspaceRoles.Viewer]);
        var before = await CountAsync();

        var (status, _, _) = await SendAsync(viewer, HttpMethod.Post, "/api/v1/connections", new { Marketplace = "sandbox", Name = "nope", Credentials = new Dictionary<string, string> { ["seed"] = "1" } });
        using var export = await viewer.GetAsync(new Uri("/api/v1/reports/cohorts?from=2026-01-01&to=2026-03-31&as_of=2026-03-31&format=xlsx", UriKind.Relative));

        status.Should().Be(HttpStatusCode.Forbidden);
        export.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a Viewer token reads reports but does not export them");
        (await CountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Each_change_from_the_pages_path_names_the_member_and_the_address_they_came_from()
    {
        // What the connections, upload and jobs pages call, with the actor they pass: the signed-in member and the
        // address the page was opened from.
        var actions = host.Services.GetRequiredService<AuditedActions>();
        var member = await host.MemberAsync(WorkspaceRoles.Ops);
        var me = Actor.Of(member, "198.51.100.23");
        var workspace = new SellerDesk.Data.Workspaces.WorkspaceContext(host.WorkspaceId, AuthorizationMatrixTests.Host.WorkspaceName, "UTC");
        const string Who = "ops@matrix.test";

        ConnectionCreated? created = null;
        await OneEntryAsync(AuditActions.ConnectionCreated, Who, async () => created = await actions.CreateConnectionAsync(
            me, host.WorkspaceId, new NewConnection("sandbox", "Audit shop page", new Dictionary<string, string> { ["seed"] = "902" }, null)
            {
                Schedule = new PullSchedule(ConnectionService.DailyAtSix, 14, false),
                BackfillDays = 0,
            }, default), address: "198.51.100.23");
        var id = created!.Id;
        (await OneEntryAsync(AuditActions.ScheduleChanged, Who, () => actions.SetEnabledAsync(me, host.WorkspaceId, id, true, default)))
            .Text.En.Should().Contain("Audit shop page");
        await OneEntryAsync(AuditActions.CredentialsReplaced, Who, () => actions.ReplaceCredentialsAsync(me, host.WorkspaceId, id, new Dictionary<string, string> { ["seed"] = "902" }, default));
        var backfill = await OneEntryAsync(AuditActions.PullStarted, Who, () => actions.QueuePullAsync(
            me, host.WorkspaceId, id, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 3), ConnectionService.ManualTrigger, PullStart.Backfill, default));
        backfill.Text.En.Should().Contain("a backfill").And.Contain("2026-02-01..2026-02-03");
        backfill.Text.Ru.Should().Contain("догрузка");

        // A failed run retried from the jobs page: one entry saying it is a retry, and the run queued with the same days.
        var connections = host.Services.GetRequiredService<ConnectionService>();
        await WaitForQueueAsync(connections, id);
        var failedId = Guid.NewGuid();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to, error) VALUES ({0}, {1}, {2}, 'schedule', 'failed', '2026-01-10', '2026-01-12', 'boom')",
                [failedId, host.WorkspaceId, id]);
        }

        Guid? retried = null;
        var retry = await OneEntryAsync(AuditActions.PullStarted, Who, async () => retried = await actions.RetryAsync(me, host.WorkspaceId, failedId, default));
        retry.Text.En.Should().Contain("retry").And.Contain(failedId.ToString()).And.Contain("2026-01-10..2026-01-12");
        var run = await connections.GetRunAsync(host.WorkspaceId, retried!.Value, default);
        (run!.From, run.To).Should().Be((new DateOnly(2026, 1, 10), new DateOnly(2026, 1, 12)));
        await WaitForQueueAsync(connections, id);

        await using (var costs = File.OpenRead(SharedExamples.Tiny("costs.csv")))
        {
            var entry = await OneEntryAsync(AuditActions.CostsUploaded, Who, () => actions.ImportAsync(me, workspace, LedgerFileKind.Costs, costs, "my costs.csv", null, default));
            entry.Text.En.Should().Contain("'my costs.csv'");
        }

        (await OneEntryAsync(AuditActions.ConnectionDeleted, Who, () => actions.DeleteConnectionAsync(me, host.WorkspaceId, id, ConnectionDataChoice.Remove, default)))
            .Text.En.Should().Contain("removed");
    }

    [Fact]
    public async Task A_retry_refused_by_the_one_queued_run_guard_queues_nothing_and_leaves_no_entry()
    {
        var connections = host.Services.GetRequiredService<ConnectionService>();
        var created = await connections.CreateAsync(host.WorkspaceId, new NewConnection("sandbox", "Audit shop guard", new Dictionary<string, string> { ["seed"] = "904" }, null)
        {
            Schedule = new PullSchedule(null, 14, false),
            BackfillDays = 0,
        }, default);
        var failed = Guid.NewGuid();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to, error) VALUES ({0}, {1}, {2}, 'api', 'failed', '2026-01-10', '2026-01-12', 'boom'), ({3}, {1}, {2}, 'manual', 'queued', '2026-01-13', '2026-01-14', NULL)",
                [failed, host.WorkspaceId, created.Id, Guid.NewGuid()]);
        }

        var before = await CountAsync();
        var runsBefore = (await connections.RunsAsync(host.WorkspaceId, created.Id, 50, default)).Count;
        var actions = host.Services.GetRequiredService<AuditedActions>();

        var me = Actor.Of(await host.MemberAsync(WorkspaceRoles.Ops), "198.51.100.24");
        var retry = () => actions.RetryAsync(me, host.WorkspaceId, failed, default);

        (await retry.Should().ThrowAsync<ConnectionValidationException>()).Which.Texts.Values.SelectMany(t => t).Should().Contain(t => t.Ru.Contains("уже ждёт запуска"));
        (await CountAsync()).Should().Be(before);
        (await connections.RunsAsync(host.WorkspaceId, created.Id, 50, default)).Should().HaveCount(runsBefore);

        // A run of another workspace, or one that has not failed, is not retried at all.
        (await actions.RetryAsync(Actor.App, Guid.NewGuid(), failed, default)).Should().BeNull();
    }

    [Fact]
    public async Task Another_workspaces_entries_never_show_on_the_page_or_in_the_export()
    {
        using var other = host.CreateClient(host.OtherToken);
        await CreateAsync(other, "sandbox", "Other workspace's secret shop", new() { [SandboxConnector.SeedKey] = "903" });

        using var owner = host.CreateCookieClient(WorkspaceRoles.Owner);
        var csv = await owner.GetStringAsync(new Uri("/export/audit", UriKind.Relative));
        var page = await owner.GetStringAsync(new Uri("/settings/audit", UriKind.Relative));
        var filtered = await owner.GetStringAsync(new Uri("/export/audit?kind=connection-created", UriKind.Relative));

        csv.Should().StartWith("at,actor,action,what_en,what_ru,address\n");
        csv.Should().NotContain("Other workspace's secret shop").And.NotContain("API token: other owner");
        page.Should().NotContain("Other workspace's secret shop");
        filtered.Split('\n').Skip(1).Where(l => l.Length > 0).Should().OnlyContain(l => l.Contains(",connection-created,", StringComparison.Ordinal));

        // The other workspace's Owner, with the browser's workspace cookie forged to name this workspace, gets their own log.
        using var forged = host.CreateCookieClient(AuthorizationMatrixTests.Host.OtherOwner, forgedWorkspace: host.WorkspaceId);
        var theirs = await forged.GetStringAsync(new Uri("/export/audit", UriKind.Relative));
        theirs.Should().Contain("Other workspace's secret shop").And.NotContain("matrix Ops").And.NotContain("ops@matrix.test");
    }

    [Theory]
    [InlineData(WorkspaceRoles.Finance)]
    [InlineData(WorkspaceRoles.Ops)]
    [InlineData(WorkspaceRoles.Viewer)]
    public async Task A_member_who_is_not_an_Owner_can_neither_read_nor_export_the_log(string role)
    {
        using var client = host.CreateCookieClient(role);
        foreach (var path in new[] { "/settings/audit", "/export/audit", "/export/audit?kind=sign-in" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().NotBe(HttpStatusCode.OK, path);
            body.Should().NotContain("at,actor,action", path);
        }
    }

    [Fact]
    public async Task The_export_takes_the_pages_filter_and_refuses_a_bad_one_in_plain_words()
    {
        using var owner = host.CreateCookieClient(WorkspaceRoles.Owner);
        using var bad = await owner.GetAsync(new Uri("/export/audit?kind=everything", UriKind.Relative));
        using var badDate = await owner.GetAsync(new Uri("/export/audit?from=yesterday", UriKind.Relative));
        var future = await owner.GetStringAsync(new Uri("/export/audit?from=2099-01-01", UriKind.Relative));

        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("is not one of");
        badDate.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        future.Trim().Should().Be("at,actor,action,what_en,what_ru,address");
    }

    private async Task<int> CountAsync()
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
        return await db.AuditLog.CountAsync();
    }

    /// <summary>Runs <paramref name="act"/> and checks it wrote exactly one entry, of <paramref name="action"/>, by <paramref name="actor"/>, in the home workspace.</summary>
    private async Task<(AuditEntry Entry, SellerDesk.Ingestion.Connectors.Common.LocalText Text)> OneEntryAsync(string action, string actor, Func<Task> act, string? address = null)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
        var last = await db.AuditLog.MaxAsync(a => (long?)a.Id) ?? 0;
        await act();
        var added = await db.AuditLog.AsNoTracking().Where(a => a.Id > last).ToListAsync();
        added.Should().ContainSingle($"{action} writes one entry, got: {string.Join(" | ", added.Select(a => a.Action + " " + a.Details))}");
        var entry = added[0];
        entry.Action.Should().Be(action);
        entry.Actor.Should().Be(actor);
        entry.WorkspaceId.Should().Be(host.WorkspaceId);
        if (address is not null)
        {
            entry.Address.Should().Be(address);
        }

        return (entry, SellerDesk.Ingestion.Connectors.Common.LocalText.Decode(entry.Details)!);
    }

    private static async Task UploadAsync(HttpClient client, string kind, HttpStatusCode expected)
    {
        using var content = new StringContent(await File.ReadAllTextAsync(SharedExamples.Tiny(kind + ".csv")), Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync(new Uri($"/api/v1/imports/{kind}", UriKind.Relative), content);
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the connection has no queued or running run (so the next one may be queued).</summary>
    private async Task WaitForQueueAsync(ConnectionService connections, Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await connections.RunsAsync(host.WorkspaceId, id, 10, default)).Any(r => r.Status is "queued" or "running"))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the connection's runs should finish");
            await Task.Delay(200);
        }
    }

    /// <summary>The matrix's app, and the signed-in principal of a home member as the pages see it.</summary>
    public sealed class AuditHost : AuthorizationMatrixTests.Host
    {
        public async Task<ClaimsPrincipal> MemberAsync(string role)
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
            var email = role.ToLowerInvariant() + "@matrix.test";
            var user = await db.Users.SingleAsync(u => u.Email == email);
            return new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Role, role), new Claim(WorkspaceClaims.Id, WorkspaceId.ToString())],
                "test"));
        }
    }
}
