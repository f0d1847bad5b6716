using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>Calls of the connections and pulls API as an ops script makes them (snake_case JSON), and waits on runs.</summary>
internal static class ConnectionsApi
{
    private static readonly JsonSerializerOptions Snake = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A JSON body; property names become snake_case (<c>WindowDays</c> is sent as <c>window_days</c>).</summary>
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body, Snake), Encoding.UTF8, "application/json");

    public static async Task<(HttpStatusCode Status, JsonElement Body, string Raw)> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = Json(body);
        }

        using var response = await client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var json = raw.Length == 0 ? default : JsonDocument.Parse(raw).RootElement.Clone();
        return (response.StatusCode, json, raw);
    }

    /// <summary>
    /// Creates a connection with no schedule and no first pull (unlike a new connection's defaults, which the tests of
    /// defaults ask for themselves) and returns its id; fails the test unless the API answers 201 with it.
    /// </summary>
    public static async Task<Guid> CreateAsync(HttpClient client, string marketplace, string name, Dictionary<string, string> credentials)
    {
        var (status, body, raw) = await SendAsync(client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = marketplace,
            Name = name,
            Credentials = credentials,
            Schedule = new { Enabled = false },
            BackfillDays = 0,
        });
        status.Should().Be(HttpStatusCode.Created, raw);
        body.GetProperty("backfill_run_id").ValueKind.Should().Be(JsonValueKind.Null);
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>Sets a schedule; returns the connection as the API answers.</summary>
    public static async Task<JsonElement> ScheduleAsync(HttpClient client, Guid id, string? cron, int windowDays, bool enabled)
    {
        var (status, body, raw) = await SendAsync(client, HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = cron, WindowDays = windowDays, Enabled = enabled });
        status.Should().Be(HttpStatusCode.OK, raw);
        return body;
    }

    /// <summary>Polls GET /api/v1/pulls/{id} until the run has finished (succeeded or failed).</summary>
    public static async Task<JsonElement> WaitForRunAsync(HttpClient client, Guid runId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (status, body, raw) = await SendAsync(client, HttpMethod.Get, $"/api/v1/pulls/{runId}");
            status.Should().Be(HttpStatusCode.OK, raw);
            var state = body.GetProperty("status").GetString();
            if (state is "succeeded" or "failed")
            {
                return body;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Pull run {runId} still '{state}' after {timeout.TotalSeconds:0} s: {raw}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false when the time is up.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return await condition();
    }

    /// <summary>The scheduled runs of a connection, oldest slot first, straight from pull_runs.</summary>
    public static async Task<IReadOnlyList<ScheduledRun>> ScheduledRunsAsync(NpgsqlDataSource database, Guid connectionId)
    {
        await using var command = database.CreateCommand(
            "SELECT id, scheduled_for, status, node, error FROM pull_runs WHERE connection_id = $1 AND trigger = 'schedule' ORDER BY scheduled_for, created_at");
        command.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<ScheduledRun>();
        while (await reader.ReadAsync())
        {
            runs.Add(new ScheduledRun(
                reader.GetGuid(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return runs;
    }

    /// <summary>How many runs of a connection are still queued or running.</summary>
    public static async Task<long> UnfinishedRunsAsync(NpgsqlDataSource database, Guid connectionId)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM pull_runs WHERE connection_id = $1 AND status IN ('queued', 'running')");
        command.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>One row of pull_runs with trigger 'schedule'.</summary>
internal sealed record ScheduledRun(Guid Id, DateTimeOffset? ScheduledFor, string Status, string? Node, string? Error);
