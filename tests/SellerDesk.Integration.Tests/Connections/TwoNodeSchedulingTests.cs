using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Npgsql;
using SellerDesk.Testing;
using Xunit.Abstractions;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>
/// Two real app processes on one database (issue 3, point 5; issue 9, point 3): Hangfire's shared PostgreSQL storage
/// hands each scheduled slot to exactly one node, and when a node dies the other keeps the schedule going.
/// </summary>
[Collection(nameof(RunAlone))]
public sealed class TwoNodeSchedulingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Token = "two-nodes-owner-token";
    private const string EveryTwoSeconds = "0/2 * * * * ?";
    private static readonly TimeSpan Slot = TimeSpan.FromSeconds(2);

    private readonly TestDatabase _database = new();
    private readonly List<AppProcess> _nodes = [];
    private readonly Dictionary<string, AppProcess> _byInstance = [];

    public async Task InitializeAsync()
    {
        // xunit does not call DisposeAsync when InitializeAsync fails: clean up here, or processes and a database stay.
        try
        {
            await StartNodesAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartNodesAsync()
    {
        await _database.InitializeAsync();

        // Both at once, as a cluster restarting together would: they race to install Hangfire's schema and the key ring.
        var started = await Task.WhenAll(new[] { "a", "b" }.Select(async name =>
        {
            var logPath = Path.Combine(Path.GetTempPath(), "sellerdesk-test-logs", $"{_database.Name}-node-{name}.log");
            var node = await AppProcess.StartAsync(WebDll(), _database.ConnectionString, "two-nodes", Token, logPath, new Dictionary<string, string>
            {
                ["Demo__Seed"] = "false",
                ["Scheduler__Enabled"] = "true",
                ["Scheduler__ShortestInterval"] = "00:00:01",
            });
            lock (_nodes)
            {
                _nodes.Add(node);
            }

            return (Name: name, Node: node);
        }));
        _nodes.Clear();
        _nodes.AddRange(started.Select(s => s.Node));

        foreach (var (name, node) in started)
        {
            var instance = await ServerIdAsync(node);
            _byInstance[instance] = node;
            output.WriteLine($"node {name}: pid {node.Pid}, {node.BaseAddress}, Hangfire server {instance}, log {node.LogPath}");
        }

        (await ServerIdsAsync()).Should().BeEquivalentTo(_byInstance.Keys, "both nodes announced their servers");
    }

    public async Task DisposeAsync()
    {
        List<AppProcess> nodes;
        lock (_nodes)
        {
            nodes = [.. _nodes];
            _nodes.Clear();
        }

        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task With_two_nodes_on_one_database_each_scheduled_slot_runs_exactly_once_and_the_survivor_keeps_firing_when_a_node_is_killed()
    {
        var (a, b) = (_nodes[0], _nodes[1]);
        var id = await CreateAsync(a.Http, "sandbox", "Sandbox on two nodes", new() { ["seed"] = "31" });

        // Phase 1: both nodes up, a slot every 2 s until at least five slots have run (about 10 s on a quiet machine;
        // waited for rather than timed, so a busy machine only makes it slower); planned through one node, stopped
        // through the other.
        var planned = await ScheduleAsync(a.Http, id, EveryTwoSeconds, windowDays: 1, enabled: true);
        var plannedAt = DateTimeOffset.UtcNow;
        planned.GetProperty("next_run_at").GetDateTimeOffset().Should().BeAfter(plannedAt.AddSeconds(-3));
        (await EventuallyAsync(async () => (await ScheduledRunsAsync(_database.DataSource, id)).Count >= 5, TimeSpan.FromSeconds(120)))
            .Should().BeTrue("slots of a schedule every 2 s are run");
        await ScheduleAsync(b.Http, id, EveryTwoSeconds, windowDays: 1, enabled: false);
        var stoppedAt = DateTimeOffset.UtcNow;
        (await EventuallyAsync(async () => await UnfinishedRunsAsync(_database.DataSource, id) == 0, TimeSpan.FromSeconds(90)))
            .Should().BeTrue("the runs of phase 1 finish");
        var phase1 = await ScheduledRunsAsync(_database.DataSource, id);
        Report("phase 1 (both nodes)", phase1, plannedAt, stoppedAt);

        phase1.Should().HaveCountGreaterThanOrEqualTo(5, "the schedule was stopped after five slots had started");
        phase1.Should().OnlyContain(r => r.ScheduledFor != null);
        phase1.Select(r => r.ScheduledFor).Should().OnlyHaveUniqueItems("each slot is carried out by exactly one node");
        phase1.Should().OnlyContain(r => r.Status == "succeeded", Describe(phase1));
        phase1.Should().OnlyContain(r => r.Node != null && _byInstance.ContainsKey(r.Node), "each run names the node that carried it out");
        phase1.Should().OnlyContain(r => r.ScheduledFor!.Value.Millisecond == 0 && r.ScheduledFor.Value.Second % 2 == 0, "slots are the cron's fire times");
        Gaps(phase1).Should().OnlyContain(g => g == Slot, "no slot was skipped between the first and the last: " + Describe(phase1));
        phase1[0].ScheduledFor!.Value.Should().BeOnOrBefore(plannedAt.AddSeconds(6), "the first slot after planning ran");
        phase1[^1].ScheduledFor!.Value.Should().BeOnOrAfter(stoppedAt.AddSeconds(-10), "slots ran until the schedule was stopped");

        // Phase 2: resume, then kill the node that carried the latest run; the other must keep the schedule going.
        await ScheduleAsync(b.Http, id, EveryTwoSeconds, windowDays: 1, enabled: true);
        output.WriteLine($"resumed at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        (await EventuallyAsync(async () => (await ScheduledRunsAsync(_database.DataSource, id)).Count(r => r.ScheduledFor > phase1[^1].ScheduledFor && r.Status == "succeeded") >= 2, TimeSpan.FromSeconds(60)))
            .Should().BeTrue("the resumed schedule fires");
        var latest = (await ScheduledRunsAsync(_database.DataSource, id)).Last(r => r.Status == "succeeded");
        var victim = _byInstance[latest.Node!];
        var survivor = _nodes.Single(n => n != victim);
        var survivorInstance = _byInstance.Single(x => x.Value == survivor).Key;
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"killed pid {victim.Pid} ({latest.Node}) at {killedAt:HH:mm:ss.fff}; survivor {survivorInstance}");

        var failover = Stopwatch.StartNew();
        (await EventuallyAsync(
            async () => (await ScheduledRunsAsync(_database.DataSource, id)).Count(r => r.ScheduledFor > killedAt && r.Status == "succeeded" && r.Node == survivorInstance) >= 3,
            TimeSpan.FromMinutes(2)))
            .Should().BeTrue("the surviving node keeps firing: " + Describe(await ScheduledRunsAsync(_database.DataSource, id)));
        output.WriteLine($"survivor had 3 slots after the kill within {failover.Elapsed.TotalSeconds:0.0} s");
        survivor.HasExited.Should().BeFalse();

        await ScheduleAsync(survivor.Http, id, EveryTwoSeconds, windowDays: 1, enabled: false);
        var endedAt = DateTimeOffset.UtcNow;
        await EventuallyAsync(
            async () => (await ScheduledRunsAsync(_database.DataSource, id)).All(r => r.Status is "succeeded" or "failed" || r.ScheduledFor <= killedAt),
            TimeSpan.FromSeconds(90));
        var all = await ScheduledRunsAsync(_database.DataSource, id);
        Report("whole test", all, plannedAt, endedAt);
        var afterKill = all.Where(r => r.ScheduledFor > killedAt).ToList();

        all.Select(r => r.ScheduledFor).Should().OnlyHaveUniqueItems("no slot ran twice, not even across the failover");
        afterKill.Should().OnlyContain(r => r.Node == survivorInstance && r.Status == "succeeded", Describe(afterKill));
        // The survivor's own scheduler keeps firing. Only if the dead node died holding one of Hangfire's lock rows does
        // it wait for that row to expire (30 s); the slots missed meanwhile fold into one run of the latest slot.
        Gaps(afterKill).Should().OnlyContain(g => g > TimeSpan.Zero && g <= TimeSpan.FromSeconds(62), "once the survivor took over it served the slots: " + Describe(afterKill));
        afterKill.Should().HaveCountGreaterThanOrEqualTo(3);
    }

    private static string WebDll() =>
        typeof(TwoNodeSchedulingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SellerDeskWebDll").Value!;

    private static IEnumerable<TimeSpan> Gaps(IReadOnlyList<ScheduledRun> runs) =>
        runs.Zip(runs.Skip(1), (x, y) => y.ScheduledFor!.Value - x.ScheduledFor!.Value);

    private static string Describe(IEnumerable<ScheduledRun> runs) =>
        string.Join("; ", runs.Select(r => $"{r.ScheduledFor:HH:mm:ss.fff} {r.Status} {r.Node} {r.Error}"));

    private void Report(string phase, IReadOnlyList<ScheduledRun> runs, DateTimeOffset from, DateTimeOffset to)
    {
        var expected = (int)((to - from) / Slot);
        output.WriteLine($"{phase}: {runs.Count} scheduled runs for about {expected} slots between {from:HH:mm:ss.fff} and {to:HH:mm:ss.fff}");
        foreach (var node in runs.GroupBy(r => r.Node ?? "(none)"))
        {
            output.WriteLine($"  node {node.Key}: {node.Count()} run(s), {node.Count(r => r.Status == "succeeded")} succeeded");
        }

        output.WriteLine("  " + Describe(runs));
    }

    /// <summary>
    /// The node's Hangfire server id (<c>name:pid:guid</c>, what <c>pull_runs.node</c> records), found by the node's
    /// process id once its server has announced itself.
    /// </summary>
    private async Task<string> ServerIdAsync(AppProcess node)
    {
        for (var attempt = 0; attempt < 80; attempt++)
        {
            var mine = (await ServerIdsAsync()).Where(id => id.Split(':') is { Length: >= 3 } parts && parts[^2] == node.Pid.ToString(CultureInfo.InvariantCulture)).ToList();
            if (mine.Count == 1)
            {
                return mine[0];
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"No Hangfire server of pid {node.Pid} announced itself; see {node.LogPath}");
    }

    private async Task<List<string>> ServerIdsAsync()
    {
        await using var command = _database.DataSource.CreateCommand("SELECT id FROM hangfire.server");
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            var ids = new List<string>();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return [];
        }
    }
}

/// <summary>
/// Tests that start app processes of their own and time 2-second slots: run after the others, on their own, so they
/// neither starve nor are starved by the rest of the assembly on a small machine.
/// </summary>
[CollectionDefinition(nameof(RunAlone), DisableParallelization = true)]
public sealed class RunAlone;
