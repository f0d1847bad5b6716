using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Entities;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Integration.Tests.Api;
using SellerDesk.Testing;
using SellerDesk.Web.Auth;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>The connections and pulls API (issue 3, point 8) over HTTP, against the app on a real PostgreSQL database.</summary>
public sealed class ConnectionsApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Creating_a_sandbox_connection_answers_201_with_its_id_and_reading_it_back_never_returns_the_credentials()
    {
        var (status, body, raw) = await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "sandbox",
            Name = "Sandbox read-back",
            Credentials = new Dictionary<string, string> { [SandboxConnector.SeedKey] = "918273645" },
        });

        status.Should().Be(HttpStatusCode.Created, raw);
        var id = body.GetProperty("id").GetGuid();
        id.Should().NotBeEmpty();

        var (one, connection, oneRaw) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        var (all, _, allRaw) = await SendAsync(host.Client, HttpMethod.Get, "/api/v1/connections");
        one.Should().Be(HttpStatusCode.OK);
        all.Should().Be(HttpStatusCode.OK);
        connection.GetProperty("marketplace").GetString().Should().Be("sandbox");
        connection.GetProperty("name").GetString().Should().Be("Sandbox read-back");
        connection.GetProperty("credential_keys").EnumerateArray().Select(k => k.GetString()).Should().Equal(SandboxConnector.SeedKey);
        foreach (var json in new[] { oneRaw, allRaw })
        {
            json.Should().Contain(id.ToString());
            json.Should().NotContain("918273645", "credentials go in and never come out");
            json.Should().NotContain("\"credentials\"");
        }
    }

    [Fact]
    public async Task The_stored_row_of_a_wildberries_connection_does_not_hold_its_token_in_clear()
    {
        const string token = "wb-secret-token-7f3a9c2e51d04b8e";
        var id = await CreateAsync(host.Client, "wildberries", "WB at rest", new() { [WildberriesConnector.TokenKey] = token });

        await using var command = host.Database.DataSource.CreateCommand("SELECT c::text, c.protected_credentials FROM connections c WHERE c.id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue("the connection was stored");
        var row = reader.GetString(0);
        var stored = reader.GetString(1);

        stored.Should().NotBeNullOrWhiteSpace();
        row.Should().NotContain(token);
        row.Should().NotContain("7f3a9c2e51d04b8e");
        row.Should().NotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(token)));
        var (_, _, raw) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        raw.Should().NotContain(token);
        raw.Should().Contain("\"credential_keys\":[\"token\"]");
    }

    [Fact]
    public async Task Bad_requests_get_400_problem_details_with_a_plain_message_for_the_field_at_fault()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox for bad requests", new() { [SandboxConnector.SeedKey] = "301" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var cases = new (HttpMethod Method, string Url, object Body, string Field, string Message)[]
        {
            (HttpMethod.Post, "/api/v1/connections", new { Marketplace = "amazon", Name = "A", Credentials = new Dictionary<string, string>() }, "marketplace", "unknown marketplace 'amazon'"),
            (HttpMethod.Post, "/api/v1/connections", new { Marketplace = "wildberries", Name = "No token", Credentials = new Dictionary<string, string>() }, "credentials.token", "Wildberries needs 'token'"),
            (HttpMethod.Post, "/api/v1/connections", new { Marketplace = "sandbox", Name = "", Credentials = new Dictionary<string, string>() }, "name", "name of 1 to 100 characters"),
            (HttpMethod.Post, "/api/v1/connections", new { Marketplace = "sandbox", Name = "Typo", Credentials = new Dictionary<string, string> { ["sed"] = "1" } }, "credentials.sed", "Sandbox takes no 'sed'"),
            (HttpMethod.Post, "/api/v1/connections", new { Marketplace = "sandbox", Name = "Sandbox for bad requests", Credentials = new Dictionary<string, string>() }, "name", "already exists"),
            (HttpMethod.Post, "/api/v1/connections", new { Marketplace = "sandbox", Name = "Backfill too long", Credentials = new Dictionary<string, string>(), BackfillDays = 800 }, "backfill_days", "0 to 731 days"),
            (HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = "every morning", WindowDays = 14, Enabled = true }, "cron", "is not a cron expression of six fields, seconds first"),
            (HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = "0 0 6 ? * 0", WindowDays = 14, Enabled = true }, "cron", "numbered 1 (Sunday) to 7 (Saturday)"),
            (HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = (string?)null, WindowDays = 14, Enabled = true }, "cron", "needs a cron expression"),
            (HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = "0 0 6 * * ?", WindowDays = 0, Enabled = true }, "window_days", "1 to 366 days"),
            (HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = "0 0 6 * * ?", WindowDays = 367, Enabled = true }, "window_days", "1 to 366 days"),
            (HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { From = today.AddDays(-3), To = today.AddDays(-5) }, "from", "'from' must not be after 'to'"),
            (HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { From = today.AddDays(-3), To = today.AddDays(2) }, "to", "is in the future (today is"),
            (HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { From = today.AddDays(2), To = (DateOnly?)null }, "from", "is in the future (today is"),
            (HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { From = new DateOnly(2014, 12, 31), To = new DateOnly(2015, 1, 31) }, "from", "'from' (2014-12-31) is before 2015-01-01: marketplaces give no data that old"),
            (HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { From = new DateOnly(1999, 1, 1), To = new DateOnly(1999, 1, 2) }, "to", "'to' (1999-01-02) is before 2015-01-01"),
        };

        foreach (var (method, url, body, field, message) in cases)
        {
            using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative)) { Content = Json(body) };
            using var response = await host.Client.SendAsync(request);
            var raw = await response.Content.ReadAsStringAsync();

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"{method} {url} {JsonSerializer.Serialize(body)}: {raw}");
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var errors = JsonDocument.Parse(raw).RootElement.GetProperty("errors");
            errors.TryGetProperty(field, out var messages).Should().BeTrue($"'{field}' is named in {raw}");
            messages.EnumerateArray().Select(m => m.GetString()).Should().ContainSingle().Which.Should().Contain(message);

            // The same message in both UI languages, as {en, ru} like every text a user reads on this API.
            var problem = JsonDocument.Parse(raw).RootElement;
            var text = problem.GetProperty("error_texts").GetProperty(field).EnumerateArray().Should().ContainSingle().Subject;
            text.GetProperty("en").GetString().Should().Be(messages[0].GetString());
            text.GetProperty("ru").GetString().Should().MatchRegex("[а-яё]", "the Russian text of '{0}' is Russian: {1}", field, raw);
            problem.GetProperty("title").GetString().Should().Be(problem.GetProperty("title_text").GetProperty("en").GetString());
            problem.GetProperty("title_text").GetProperty("ru").GetString().Should().StartWith("Запрос нельзя выполнить");
        }

        var (_, connection, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        connection.GetProperty("enabled").GetBoolean().Should().BeFalse("no bad schedule was saved");
        (await CountAsync("SELECT count(*) FROM pull_runs WHERE connection_id = $1", id)).Should().Be(0, "no bad pull was queued");
        (await CountAsync("SELECT count(*) FROM connections WHERE name IN ('A', 'No token', '', 'Typo', 'Backfill too long')")).Should().Be(0);
        (await CountAsync("SELECT count(*) FROM connections WHERE name = 'Sandbox for bad requests'")).Should().Be(1);
    }

    [Fact]
    public async Task New_credentials_replace_the_old_ones_and_are_stored_encrypted_too()
    {
        var id = await CreateAsync(host.Client, "wildberries", "WB with a new token", new() { [WildberriesConnector.TokenKey] = "wb-old-token-0a1b2c3d4e" });

        var (status, _, raw) = await SendAsync(host.Client, HttpMethod.Put, $"/api/v1/connections/{id}/credentials", new Dictionary<string, string>
        {
            [WildberriesConnector.TokenKey] = "wb-new-token-9f8e7d6c5b",
            [WildberriesConnector.AdsTokenKey] = "wb-new-ads-token-1122334455",
        });
        var missing = await SendAsync(host.Client, HttpMethod.Put, $"/api/v1/connections/{id}/credentials", new Dictionary<string, string> { [WildberriesConnector.AdsTokenKey] = "x" });

        status.Should().Be(HttpStatusCode.NoContent, raw);
        missing.Status.Should().Be(HttpStatusCode.BadRequest, "the token is required: " + missing.Raw);
        var (_, connection, connectionRaw) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        connection.GetProperty("credential_keys").EnumerateArray().Select(k => k.GetString()).Should().Equal("ads_token", "token");
        connection.GetProperty("status").GetString().Should().Be("new");
        connectionRaw.Should().NotContain("wb-new-token").And.NotContain("wb-new-ads-token").And.NotContain("wb-old-token");
        await using var command = host.Database.DataSource.CreateCommand("SELECT c::text FROM connections c WHERE c.id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var row = (string)(await command.ExecuteScalarAsync())!;
        row.Should().NotContain("wb-new-token").And.NotContain("wb-new-ads-token").And.NotContain("wb-old-token");
    }

    [Fact]
    public async Task Creating_the_same_name_many_times_at_once_gives_one_connection_and_400s_never_a_500()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "sandbox",
            Name = "Sandbox created at once",
            Credentials = new Dictionary<string, string> { [SandboxConnector.SeedKey] = (400 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Schedule = new { Enabled = false },
            BackfillDays = 0,
        })));

        answers.Select(a => a.Status).Should().OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.BadRequest, string.Join("\n", answers.Select(a => $"{a.Status} {a.Raw}")));
        answers.Should().ContainSingle(a => a.Status == HttpStatusCode.Created);
        answers.Where(a => a.Status == HttpStatusCode.BadRequest).Should().OnlyContain(a => a.Body.GetProperty("errors").GetProperty("name")[0].GetString()!.Contains("already exists"));
        (await CountAsync("SELECT count(*) FROM connections WHERE name = 'Sandbox created at once'")).Should().Be(1);
    }

    [Fact]
    public async Task A_token_of_another_workspace_gets_404_for_the_connection_its_schedule_its_pulls_and_its_runs()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox of the tiny workspace", new() { [SandboxConnector.SeedKey] = "302" });
        var (queued, run, queuedRaw) = await SendAsync(host.Client, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new
        {
            From = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-70),
            To = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-70),
        });
        queued.Should().Be(HttpStatusCode.Accepted, queuedRaw);
        var runId = run.GetProperty("id").GetGuid();
        await EnsureTokenAsync("other-connections-ws", "other-connections-owner", ApiRoles.Owner);
        using var other = host.CreateClient("other-connections-owner");

        (await SendAsync(other, HttpMethod.Get, $"/api/v1/connections/{id}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(other, HttpMethod.Get, $"/api/v1/pulls/{runId}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(other, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { })).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(other, HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = "0 0 6 * * ?", WindowDays = 1, Enabled = true })).Status
            .Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(other, HttpMethod.Put, $"/api/v1/connections/{id}/credentials", new Dictionary<string, string> { ["seed"] = "1" })).Status
            .Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(other, HttpMethod.Delete, $"/api/v1/connections/{id}?data=remove")).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(other, HttpMethod.Get, $"/api/v1/connections/{id}/data")).Status.Should().Be(HttpStatusCode.NotFound);
        (await SendAsync(other, HttpMethod.Get, $"/api/v1/pulls/{runId}/gaps")).Status.Should().Be(HttpStatusCode.NotFound);
        var (_, list, _) = await SendAsync(other, HttpMethod.Get, "/api/v1/connections");
        list.GetArrayLength().Should().Be(0);

        var (still, _, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        still.Should().Be(HttpStatusCode.OK, "the other workspace could not delete it");
        (await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/pulls/{runId}")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_analyst_token_may_read_connections_but_gets_403_when_it_creates_schedules_or_starts_a_pull()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox the analyst reads", new() { [SandboxConnector.SeedKey] = "303" });
        await EnsureTokenAsync("tiny", "tiny-analyst-token", ApiRoles.Analyst);
        using var analyst = host.CreateClient("tiny-analyst-token");

        var create = await SendAsync(analyst, HttpMethod.Post, "/api/v1/connections", new { Marketplace = "sandbox", Name = "By an analyst", Credentials = new Dictionary<string, string>() });
        var pull = await SendAsync(analyst, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { });
        var schedule = await SendAsync(analyst, HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = "0 0 6 * * ?", WindowDays = 1, Enabled = true });
        var delete = await SendAsync(analyst, HttpMethod.Delete, $"/api/v1/connections/{id}?data=remove");

        create.Status.Should().Be(HttpStatusCode.Forbidden, create.Raw);
        delete.Status.Should().Be(HttpStatusCode.Forbidden, delete.Raw);
        pull.Status.Should().Be(HttpStatusCode.Forbidden, pull.Raw);
        schedule.Status.Should().Be(HttpStatusCode.Forbidden, schedule.Raw);
        (await SendAsync(analyst, HttpMethod.Get, $"/api/v1/connections/{id}")).Status.Should().Be(HttpStatusCode.OK);
        (await CountAsync("SELECT count(*) FROM connections WHERE name = 'By an analyst'")).Should().Be(0);
        (await CountAsync("SELECT count(*) FROM pull_runs WHERE connection_id = $1", id)).Should().Be(0);
    }

    [Fact]
    public async Task A_pull_over_the_api_is_accepted_succeeds_fills_the_report_reconciles_and_a_second_pull_of_the_period_changes_nothing()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox pulled over the API", new() { [SandboxConnector.SeedKey] = "11" });
        var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-35);
        var from = to.AddDays(-6);

        var first = await PullAsync(id, from, to);
        var second = await PullAsync(id, from, to);

        first.GetProperty("status").GetString().Should().Be("succeeded", first.ToString());
        first.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
        first.GetProperty("from").GetString().Should().Be(from.ToString("yyyy-MM-dd"));
        first.GetProperty("to").GetString().Should().Be(to.ToString("yyyy-MM-dd"));
        var rowsRead = first.GetProperty("rows_read").GetInt32();
        rowsRead.Should().BePositive();
        first.GetProperty("inserted").GetInt32().Should().Be(rowsRead);
        first.GetProperty("updated").GetInt32().Should().Be(0);
        first.GetProperty("started_at").GetDateTimeOffset().Should().BeOnOrBefore(first.GetProperty("finished_at").GetDateTimeOffset());
        first.GetProperty("marketplace_payout").ValueKind.Should().Be(JsonValueKind.Number);
        first.GetProperty("marketplace_payout").GetDecimal().Should().Be(first.GetProperty("ledger_payout").GetDecimal());
        first.GetProperty("payout_difference").GetDecimal().Should().Be(0m);

        second.GetProperty("status").GetString().Should().Be("succeeded", second.ToString());
        second.GetProperty("rows_read").GetInt32().Should().Be(rowsRead);
        second.GetProperty("inserted").GetInt32().Should().Be(0);
        second.GetProperty("updated").GetInt32().Should().Be(0);
        second.GetProperty("marketplace_payout").GetDecimal().Should().Be(second.GetProperty("ledger_payout").GetDecimal());

        var (status, report, raw) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/reports/marketplaces?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&as_of={to:yyyy-MM-dd}");
        status.Should().Be(HttpStatusCode.OK, raw);
        var sandbox = report.GetProperty("marketplaces").EnumerateArray().Where(m => m.GetProperty("marketplace").GetString() == "sandbox").ToList();
        sandbox.Should().ContainSingle(raw);
        sandbox[0].GetProperty("revenue").GetDecimal().Should().BePositive();
    }

    private async Task<JsonElement> PullAsync(Guid connectionId, DateOnly from, DateOnly to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/connections/{connectionId}/pulls", UriKind.Relative))
        {
            Content = Json(new { From = from, To = to }),
        };
        using var response = await host.Client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, raw);
        var runId = JsonDocument.Parse(raw).RootElement.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().Should().EndWith($"/api/v1/pulls/{runId}");
        return await WaitForRunAsync(host.Client, runId, RunTimeout);
    }

    private async Task EnsureTokenAsync(string workspaceName, string token, string role)
    {
        await using var db = new DbContextOptionsBuilder<SellerDeskDbContext>().UseNpgsqlFor(host.Database);
        var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Name == workspaceName);
        if (workspace is null)
        {
            workspace = new Workspace { Id = Guid.NewGuid(), Name = workspaceName };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
        }

        await ApiTokens.EnsureAsync(db, workspace.Id, token, role, "test", CancellationToken.None);
    }

    private async Task<long> CountAsync(string sql, Guid? id = null)
    {
        await using var command = host.Database.DataSource.CreateCommand(sql);
        if (id is { } value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
