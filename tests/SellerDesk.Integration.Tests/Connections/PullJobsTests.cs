using System.Net;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Scheduling;
using SellerDesk.Integration.Tests.Api;
using Xunit.Abstractions;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>The app with a sandbox that pauses before each day's page, so a pull lasts long enough to overlap another.</summary>
public sealed class SlowSandboxHost : ApiHost
{
    public const string PageDelay = "00:00:00.250";

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Sandbox:PageDelay", PageDelay);
}

/// <summary>
/// Pulls as Hangfire jobs (issue 9, point 3): one run per connection at a time, a scheduled slot served once however
/// often its job runs, and retries that never start a failed pull again.
/// </summary>
public sealed class PullJobsTests(SlowSandboxHost host, ITestOutputHelper output) : IClassFixture<SlowSandboxHost>
{
    // One seed (one sandbox account) per connection: a workspace connects an account once, and the sandbox numbers
    // each account's orders apart (SB41-…, SB42-…), so the connections of this class never write one another's orders.

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Runs_of_one_connection_never_overlap_while_other_connections_run_beside_them()
    {
        var busy = await CreateAsync(host.Client, "sandbox", "Sandbox asked three times", new() { ["seed"] = "41" });
        var other = await CreateAsync(host.Client, "sandbox", "Sandbox beside it", new() { ["seed"] = "42" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var period = new { From = today.AddDays(-5), To = today.AddDays(-1) };

        async Task<Guid> QueueAsync(Guid id)
        {
            var (status, body, raw) = await SendAsync(host.Client, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", period);
            status.Should().Be(HttpStatusCode.Accepted, raw);
            return body.GetProperty("id").GetGuid();
        }

        async Task StartedAsync(Guid run) =>
            (await EventuallyAsync(async () =>
            {
                var (_, body, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/pulls/{run}", null);
                return body.GetProperty("status").GetString() != "queued";
            }, RunTimeout)).Should().BeTrue("the run starts");

        // A connection has one queued run at a time (issue 10), so its second and third runs are asked for while the
        // one before is running: if runs of one connection could overlap, each would start at once beside it.
        var queued = new List<Guid> { await QueueAsync(busy), await QueueAsync(other) };
        await StartedAsync(queued[0]);
        queued.Add(await QueueAsync(busy));
        await StartedAsync(queued[^1]);
        queued.Add(await QueueAsync(busy));
        foreach (var run in queued)
        {
            var finished = await WaitForRunAsync(host.Client, run, RunTimeout);
            finished.GetProperty("status").GetString().Should().Be("succeeded", finished.ToString());
        }

        var busyRuns = await SpansAsync(busy);
        var otherRuns = await SpansAsync(other);
        output.WriteLine(string.Join("\n", busyRuns.Concat(otherRuns).Select(r => $"{r.Connection} {r.Started:HH:mm:ss.fff}-{r.Finished:HH:mm:ss.fff}")));

        busyRuns.Should().HaveCount(3);
        Overlaps(busyRuns, busyRuns).Should().BeEmpty("a connection runs one pull at a time, the others wait for its turn");
        Overlaps(busyRuns, otherRuns).Should().NotBeEmpty("another connection does not wait for this one");
    }

    [Fact]
    public async Task A_scheduled_slot_is_served_once_however_often_its_job_runs()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox slots", new() { ["seed"] = "43" });
        await ScheduleAsync(host.Client, id, "0 0 0 1 1 ?", windowDays: 2, enabled: true);
        var slot = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(3), TimeSpan.Zero);

        // The same slot twice at once: the job of a node that died mid-run comes back on another node, or a retry.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Job().RunSlotAsync(id, slot, null, CancellationToken.None)));
        await Job().RunSlotAsync(id, slot, null, CancellationToken.None);
        var served = await ScheduledRunsAsync(host.Database.DataSource, id);
        served.Should().ContainSingle("the slot was served by one run").Which.Should().Match<ScheduledRun>(r => r.ScheduledFor == slot && r.Status == "succeeded");

        // An earlier slot that comes late (its job waited longer) is served, once.
        var earlier = slot.AddHours(-1);
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Job().RunSlotAsync(id, earlier, null, CancellationToken.None)));
        (await ScheduledRunsAsync(host.Database.DataSource, id)).Select(r => r.ScheduledFor).Should().Equal(earlier, slot);

        ScheduledPullJob Job() => host.Services.CreateScope().ServiceProvider.GetRequiredService<ScheduledPullJob>();
    }

    [Fact]
    public async Task After_an_outage_a_schedule_catches_up_its_latest_slot_once_and_pulls_nothing_for_slots_missed_before()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox back from an outage", new() { ["seed"] = "44" });
        await ScheduleAsync(host.Client, id, "0 0 * * * ?", windowDays: 1, enabled: true);
        var now = DateTimeOffset.UtcNow;
        var thisHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);

        // What Hangfire's recurring scheduler does when it finds slots it missed: one job per slot, naming its time.
        var jobs = host.Services.GetRequiredService<IBackgroundJobClientV2>();
        var slots = new[] { thisHour.AddHours(-3), thisHour.AddHours(-2), thisHour };
        var created = slots.Select(slot => jobs.Create(
            Job.FromExpression<ScheduledPullJob>(job => job.RunAsync(id, null, CancellationToken.None)),
            new EnqueuedState(),
            new Dictionary<string, object> { ["Time"] = slot.ToUnixTimeSeconds() })).ToList();
        (await EventuallyAsync(async () => (await StatesAsync(created)).All(s => s == "Succeeded"), RunTimeout))
            .Should().BeTrue("the three jobs ran: " + string.Join(", ", await StatesAsync(created)));

        var runs = (await ScheduledRunsAsync(host.Database.DataSource, id)).Where(r => r.ScheduledFor <= thisHour).ToList();
        runs.Should().ContainSingle("the slots missed hours ago pull nothing").Which.ScheduledFor.Should().Be(thisHour);
    }

    [Fact]
    public async Task A_stored_cron_hangfire_cannot_read_does_not_stop_the_other_schedules_being_planned_at_start_up()
    {
        var broken = await CreateAsync(host.Client, "sandbox", "Sandbox with a Quartz year field", new() { ["seed"] = "45" });
        var fine = await CreateAsync(host.Client, "sandbox", "Sandbox planned at start-up", new() { ["seed"] = "46" });
        await ScheduleAsync(host.Client, broken, "0 0 0 1 1 ?", windowDays: 1, enabled: true);
        await ScheduleAsync(host.Client, fine, "0 0 0 1 1 ?", windowDays: 1, enabled: false);

        // As a database written under Quartz may hold them: a seventh field (the year), and a schedule on but unplanned.
        await using (var command = host.Database.DataSource.CreateCommand(
            "UPDATE connections SET schedule_cron = CASE WHEN id = $1 THEN '0 0 6 * * ? 2027' ELSE '0 0 6 * * ?' END, schedule_enabled = true WHERE id IN ($1, $2)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = broken });
            command.Parameters.Add(new NpgsqlParameter { Value = fine });
            await command.ExecuteNonQueryAsync();
        }

        var planned = await host.Services.GetRequiredService<ConnectionService>().PlanAllAsync(CancellationToken.None);

        planned.Should().BeGreaterThanOrEqualTo(2);
        using var storage = host.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = storage.GetRecurringJobs([HangfirePullScheduler.RecurringJobId(broken), HangfirePullScheduler.RecurringJobId(fine)]);
        jobs.Single(j => j.Id == HangfirePullScheduler.RecurringJobId(fine)).Cron.Should().Be("0 0 6 * * ?", "the readable schedule is planned");
        jobs.Single(j => j.Id == HangfirePullScheduler.RecurringJobId(broken)).Cron.Should().Be("0 0 0 1 1 ?", "the unreadable one keeps what it had");
    }

    [Fact]
    public async Task A_failed_pull_ends_its_job_without_a_retry_and_queuing_its_run_again_does_not_pull_again()
    {
        await using var marketplace = await RefusingMarketplace.StartAsync();
        var (created, body, raw) = await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "wildberries",
            Name = "Wildberries refusing",
            Credentials = new Dictionary<string, string> { [WildberriesConnector.TokenKey] = "wb-refused-token-1234" },
            BaseUrl = marketplace.BaseUrl.ToString(),
            BackfillDays = 0, // the one run queued is the one below (one queued run per connection)
        });
        created.Should().Be(HttpStatusCode.Created, raw);
        var id = body.GetProperty("id").GetGuid();

        var (_, queued, _) = await SendAsync(host.Client, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { });
        var runId = queued.GetProperty("id").GetGuid();
        (await WaitForRunAsync(host.Client, runId, RunTimeout)).GetProperty("status").GetString().Should().Be("failed");
        (await EventuallyAsync(async () => (await JobStatesAsync(runId)).Contains("Succeeded"), TimeSpan.FromSeconds(30)))
            .Should().BeTrue("the job did its work: the pull failed, not the job");
        var run = await WaitForRunAsync(host.Client, runId, RunTimeout);
        var error = run.GetProperty("error");
        foreach (var language in new[] { "en", "ru" })
        {
            error.GetProperty(language).GetString().Should().Contain("HTTP 400")
                .And.NotContain("wb-refused-token-1234", "the token the marketplace quoted back is redacted");
        }

        var requests = marketplace.Requests;
        requests.Should().BePositive();
        marketplace.Received.Should().Contain("wb-refused-token-1234", "the token went to the marketplace");

        // What a retry or a job coming back from a dead node amounts to: the run is queued to Hangfire again.
        await host.Services.GetRequiredService<IPullScheduler>().EnqueueAsync(runId, CancellationToken.None);
        (await EventuallyAsync(async () => (await JobStatesAsync(runId)).Count(s => s == "Succeeded") == 2, TimeSpan.FromSeconds(30)))
            .Should().BeTrue("the second job ran too");

        var states = await JobStatesAsync(runId);
        output.WriteLine(string.Join(", ", states));
        states.Should().NotContain(["Failed", "Scheduled"], "no job failed or was put off for a retry");
        marketplace.Requests.Should().Be(requests, "a run that is no longer queued is never pulled again");
        var again = await WaitForRunAsync(host.Client, runId, RunTimeout);
        again.GetProperty("finished_at").GetDateTimeOffset().Should().Be(run.GetProperty("finished_at").GetDateTimeOffset());
    }

    private static List<(Span A, Span B)> Overlaps(IReadOnlyList<Span> left, IReadOnlyList<Span> right) =>
        [.. from a in left from b in right where a.Id != b.Id && a.Started < b.Finished && b.Started < a.Finished select (a, b)];

    private async Task<List<Span>> SpansAsync(Guid connectionId)
    {
        await using var command = host.Database.DataSource.CreateCommand(
            "SELECT id, started_at, finished_at FROM pull_runs WHERE connection_id = $1 ORDER BY started_at");
        command.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        await using var reader = await command.ExecuteReaderAsync();
        var spans = new List<Span>();
        while (await reader.ReadAsync())
        {
            spans.Add(new Span(reader.GetGuid(0), connectionId, reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return spans;
    }

    private async Task<List<string>> StatesAsync(IEnumerable<string> jobIds)
    {
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return [.. jobIds.Select(jobId => connection.GetStateData(jobId)?.Name ?? "(none)")];
    }

    /// <summary>Every state each Hangfire job of the run went through, from Hangfire's own tables.</summary>
    private async Task<List<string>> JobStatesAsync(Guid runId)
    {
        await using var command = host.Database.DataSource.CreateCommand(
            "SELECT s.name FROM hangfire.job j JOIN hangfire.state s ON s.jobid = j.id WHERE j.arguments::text LIKE '%' || $1 || '%' ORDER BY s.id");
        command.Parameters.Add(new NpgsqlParameter { Value = runId.ToString() });
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync())
        {
            states.Add(reader.GetString(0));
        }

        return states;
    }

    private sealed record Span(Guid Id, Guid Connection, DateTimeOffset Started, DateTimeOffset Finished);
}
