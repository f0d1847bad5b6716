using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Integration.Tests.Api;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>
/// A connection's life over the API (issue 8): safe defaults when it is made, one connection per marketplace account,
/// reports of one account, the rows a run could not map, and a deletion that asks what becomes of its data and keeps
/// its run history.
/// </summary>
public sealed class ConnectionLifecycleTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);

    [Fact]
    public async Task A_new_connection_is_pulled_daily_at_six_in_the_workspace_zone_and_first_pulls_its_last_90_days()
    {
        var (status, body, raw) = await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "sandbox",
            Name = "Sandbox with defaults",
            Credentials = new Dictionary<string, string> { [SandboxConnector.SeedKey] = "501" },
        });

        status.Should().Be(HttpStatusCode.Created, raw);
        var id = body.GetProperty("id").GetGuid();
        var runId = body.GetProperty("backfill_run_id").GetGuid();
        var (_, connection, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        connection.GetProperty("cron").GetString().Should().Be("0 0 6 * * ?");
        connection.GetProperty("enabled").GetBoolean().Should().BeTrue();
        connection.GetProperty("window_days").GetInt32().Should().Be(14);
        var next = TimeZoneInfo.ConvertTime(connection.GetProperty("next_run_at").GetDateTimeOffset(), Moscow);
        (next.Hour, next.Minute).Should().Be((6, 0), "06:00 in the workspace's zone (Europe/Moscow)");
        var run = await WaitForRunAsync(host.Client, runId, RunTimeout);
        run.GetProperty("status").GetString().Should().Be("succeeded", run.ToString());
        run.GetProperty("trigger").GetString().Should().Be("backfill");
        run.GetProperty("from").GetString().Should().Be(Today.AddDays(-89).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        run.GetProperty("to").GetString().Should().Be(Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        run.GetProperty("connection_name").GetString().Should().Be("Sandbox with defaults");
        run.GetProperty("reconciliation").GetProperty("en").GetString().Should().StartWith("The ledger matches the marketplace to the kopeck");
        run.GetProperty("reconciliation").GetProperty("ru").GetString().Should().StartWith("Учёт совпадает с маркетплейсом до копейки");
    }

    [Fact]
    public async Task The_first_pull_and_the_schedule_of_a_new_connection_can_be_asked_otherwise()
    {
        var (_, shorter, shorterRaw) = await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "sandbox",
            Name = "Sandbox with 30 days",
            Credentials = new Dictionary<string, string> { [SandboxConnector.SeedKey] = "502" },
            BackfillDays = 30,
            Schedule = new { Cron = "0 30 7 * * ?", WindowDays = 3 },
        });
        var (_, none, noneRaw) = await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "sandbox",
            Name = "Sandbox with nothing",
            Credentials = new Dictionary<string, string> { [SandboxConnector.SeedKey] = "503" },
            BackfillDays = 0,
            Schedule = new { Enabled = false },
        });

        var run = await WaitForRunAsync(host.Client, shorter.GetProperty("backfill_run_id").GetGuid(), RunTimeout);
        run.GetProperty("from").GetString().Should().Be(Today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), shorterRaw);
        var (_, scheduled, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{shorter.GetProperty("id").GetGuid()}");
        (scheduled.GetProperty("cron").GetString(), scheduled.GetProperty("window_days").GetInt32()).Should().Be(("0 30 7 * * ?", 3));
        none.GetProperty("backfill_run_id").ValueKind.Should().Be(JsonValueKind.Null, noneRaw);
        var noneId = none.GetProperty("id").GetGuid();
        var (_, unscheduled, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{noneId}");
        unscheduled.GetProperty("enabled").GetBoolean().Should().BeFalse();
        unscheduled.GetProperty("next_run_at").ValueKind.Should().Be(JsonValueKind.Null);
        (await CountAsync("SELECT count(*) FROM pull_runs WHERE connection_id = $1", noneId)).Should().Be(0);
    }

    [Fact]
    public async Task The_same_account_connected_twice_is_refused_in_plain_words_and_another_account_of_the_marketplace_is_welcome()
    {
        await CreateAsync(host.Client, "sandbox", "Sandbox shop 611", new() { [SandboxConnector.SeedKey] = "611" });
        await CreateAsync(host.Client, "ozon", "Ozon cabinet 1", new() { ["client_id"] = "836472", ["api_key"] = "ozon-key-one" });
        await CreateAsync(host.Client, "wildberries", "WB seller A", new() { ["token"] = Jwt("""{"sid":"5a1b7c3d-seller-a","exp":1900000000}""") });

        var cases = new (string Marketplace, string Name, Dictionary<string, string> Credentials, string Holder)[]
        {
            ("sandbox", "Sandbox shop 611 again", new() { [SandboxConnector.SeedKey] = " 611" }, "Sandbox shop 611"),
            ("ozon", "Ozon cabinet 1 again", new() { ["client_id"] = "836472", ["api_key"] = "ozon-key-two" }, "Ozon cabinet 1"),
            ("wildberries", "WB seller A again", new() { ["token"] = Jwt("""{"sid":"5a1b7c3d-seller-a","exp":1900000999}""") }, "WB seller A"),
        };
        foreach (var (marketplace, name, credentials, holder) in cases)
        {
            var (status, body, raw) = await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new { Marketplace = marketplace, Name = name, Credentials = credentials, BackfillDays = 0 });
            status.Should().Be(HttpStatusCode.BadRequest, raw);
            body.GetProperty("errors").GetProperty("credentials")[0].GetString().Should()
                .Contain($"account is already connected as '{holder}': one account, one connection");
            (await CountAsync("SELECT count(*) FROM connections WHERE name = $1", name)).Should().Be(0);
        }

        await CreateAsync(host.Client, "sandbox", "Sandbox shop 612", new() { [SandboxConnector.SeedKey] = "612" });
        await CreateAsync(host.Client, "ozon", "Ozon cabinet 2", new() { ["client_id"] = "836473", ["api_key"] = "ozon-key-one" });
        var other = await CreateAsync(host.Client, "wildberries", "WB seller B", new() { ["token"] = Jwt("""{"sid":"9f8e7d6c-seller-b"}""") });
        await CreateAsync(host.Client, "wildberries", "WB token that is no JWT", new() { ["token"] = "plain-token-nothing-to-read" });

        var (replaced, replacedBody, replacedRaw) = await SendAsync(host.Client, HttpMethod.Put, $"/api/v1/connections/{other}/credentials", new Dictionary<string, string>
        {
            ["token"] = Jwt("""{"sid":"5a1b7c3d-seller-a"}"""),
        });
        replaced.Should().Be(HttpStatusCode.BadRequest, replacedRaw);
        replacedBody.GetProperty("errors").GetProperty("credentials")[0].GetString().Should()
            .Contain("another Wildberries account than the one 'WB seller B' is connected to");
    }

    [Fact]
    public async Task Reports_can_show_one_account_files_alone_or_everything_and_say_what_a_bad_source_is()
    {
        var a = await CreateAsync(host.Client, "sandbox", "Sandbox for reports A", new() { [SandboxConnector.SeedKey] = "701" });
        var b = await CreateAsync(host.Client, "sandbox", "Sandbox for reports B", new() { [SandboxConnector.SeedKey] = "702" });
        var (from, to) = (Today.AddDays(-120), Today.AddDays(-114));
        await PullAsync(a, from, to);
        await PullAsync(b, from, to);
        var query = $"/api/v1/reports/marketplaces?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&as_of={to:yyyy-MM-dd}";

        var all = await RevenueAsync(query);
        var onlyA = await RevenueAsync(query + $"&source={a}");
        var onlyB = await RevenueAsync(query + $"&source={b}");
        var files = await RevenueAsync(query + "&source=file");
        var (bad, problem, badRaw) = await SendAsync(host.Client, HttpMethod.Get, query + "&source=amazon");

        onlyA.Should().BePositive();
        onlyB.Should().BePositive();
        (onlyA + onlyB).Should().Be(all, "two accounts of one marketplace add up");
        files.Should().Be(0m);
        bad.Should().Be(HttpStatusCode.BadRequest, badRaw);
        problem.GetProperty("title").GetString().Should().Be("Query parameter 'source': 'amazon' is neither 'file' nor a connection id.");
    }

    [Fact]
    public async Task Deleting_a_connection_asks_what_becomes_of_its_data_keeps_or_removes_its_rows_and_keeps_its_runs()
    {
        var kept = await CreateAsync(host.Client, "sandbox", "Sandbox kept", new() { [SandboxConnector.SeedKey] = "801" });
        var removed = await CreateAsync(host.Client, "sandbox", "Sandbox removed", new() { [SandboxConnector.SeedKey] = "802" });
        var keptRun = await PullAsync(kept, Today.AddDays(-60), Today.AddDays(-54));
        var removedRun = await PullAsync(removed, Today.AddDays(-60), Today.AddDays(-54));
        var keptRows = await CountAsync("SELECT count(*) FROM sales_lines WHERE source = $1", kept);

        var (status, data, dataRaw) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{kept}/data");
        status.Should().Be(HttpStatusCode.OK, dataRaw);
        data.GetProperty("sales_lines").GetInt64().Should().Be(keptRows).And.BePositive();
        data.GetProperty("fees").GetInt64().Should().Be(7);
        data.GetProperty("orders").GetInt64().Should().BePositive();
        data.GetProperty("ledger_rows").GetInt64().Should().Be(
            data.GetProperty("sales_lines").GetInt64() + data.GetProperty("returns").GetInt64() + data.GetProperty("ad_spend").GetInt64() + data.GetProperty("fees").GetInt64());
        var (unsaid, problem, unsaidRaw) = await SendAsync(host.Client, HttpMethod.Delete, $"/api/v1/connections/{kept}");
        unsaid.Should().Be(HttpStatusCode.BadRequest, unsaidRaw);
        problem.GetProperty("title").GetString().Should().Contain("?data=keep").And.Contain("?data=remove");

        (await SendAsync(host.Client, HttpMethod.Delete, $"/api/v1/connections/{kept}?data=keep")).Status.Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(host.Client, HttpMethod.Delete, $"/api/v1/connections/{removed}?data=remove")).Status.Should().Be(HttpStatusCode.NoContent);

        (await CountAsync("SELECT count(*) FROM sales_lines WHERE order_id LIKE 'SB801-%' AND source = '00000000-0000-0000-0000-000000000000'"))
            .Should().Be(keptRows, "kept rows stay, as files' rows");
        (await CountAsync("SELECT count(*) FROM period_fees WHERE source = '00000000-0000-0000-0000-000000000000'")).Should().Be(7);
        (await CountAsync("SELECT count(*) FROM sales_lines WHERE order_id LIKE 'SB802-%'")).Should().Be(0, "removed rows go with their connection");
        (await CountAsync("SELECT count(*) FROM period_fees WHERE source = $1", removed)).Should().Be(0);
        (await CountAsync("SELECT count(*) FROM source_rows WHERE connection_id IN ($1, $2)", kept, removed)).Should().Be(0);
        foreach (var (runId, name) in new[] { (keptRun, "Sandbox kept"), (removedRun, "Sandbox removed") })
        {
            var (found, run, runRaw) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/pulls/{runId}");
            found.Should().Be(HttpStatusCode.OK, "the run history outlives the connection: " + runRaw);
            run.GetProperty("connection_id").ValueKind.Should().Be(JsonValueKind.Null);
            run.GetProperty("connection_name").GetString().Should().Be(name);
            run.GetProperty("marketplace").GetString().Should().Be("sandbox");
            run.GetProperty("status").GetString().Should().Be("succeeded");
        }

        (await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{kept}/data")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_rows_a_run_could_not_map_are_listed_with_why_and_their_raw_content()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox with waiting returns", new() { [SandboxConnector.SeedKey] = "901" });
        var runId = await PullAsync(id, Today.AddDays(-40), Today.AddDays(-34));

        var (status, gaps, raw) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/pulls/{runId}/gaps");
        var (_, run, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/pulls/{runId}");

        status.Should().Be(HttpStatusCode.OK, raw);
        gaps.GetArrayLength().Should().BePositive("returns in the window of orders placed before it wait for their orders");
        var gap = gaps[0];
        gap.GetProperty("reason").GetString().Should().Contain("has not been pulled yet");
        gap.GetProperty("order_key").GetString().Should().StartWith("SB901-");
        gap.GetProperty("current").GetBoolean().Should().BeTrue();
        gap.GetProperty("payout_effect").GetDecimal().Should().BeNegative();
        gap.GetProperty("payloads")[0].GetString().Should().Contain(gap.GetProperty("source_ids")[0].GetString());
        run.GetProperty("notices").EnumerateArray().Should().ContainSingle().Which.GetProperty("en").GetString().Should().Contain("could not be mapped");
        run.GetProperty("unmapped_payout").GetDecimal().Should().Be(gaps.EnumerateArray().Sum(g => g.GetProperty("payout_effect").GetDecimal()));
        run.GetProperty("ledger_payout").GetDecimal().Should().Be(run.GetProperty("marketplace_payout").GetDecimal());
    }

    /// <summary>An unsigned JWT with the given payload, as WB tokens are shaped.</summary>
    private static string Jwt(string payload) =>
        "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";

    private async Task<Guid> PullAsync(Guid connectionId, DateOnly from, DateOnly to)
    {
        var (status, body, raw) = await SendAsync(host.Client, HttpMethod.Post, $"/api/v1/connections/{connectionId}/pulls", new { From = from, To = to });
        status.Should().Be(HttpStatusCode.Accepted, raw);
        var runId = body.GetProperty("id").GetGuid();
        var run = await WaitForRunAsync(host.Client, runId, RunTimeout);
        run.GetProperty("status").GetString().Should().Be("succeeded", run.ToString());
        return runId;
    }

    private async Task<decimal> RevenueAsync(string url)
    {
        var (status, body, raw) = await SendAsync(host.Client, HttpMethod.Get, url);
        status.Should().Be(HttpStatusCode.OK, raw);
        return body.GetProperty("marketplaces").EnumerateArray().Where(m => m.GetProperty("marketplace").GetString() == "sandbox")
            .Sum(m => m.GetProperty("revenue").GetDecimal());
    }

    private async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var command = host.Database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
