using System.Text.Json;
using SellerDesk.Integration.Tests.Api;
using Xunit.Abstractions;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>Pause and resume of a pull schedule (issue 3, point 5) on the app's Hangfire scheduler.</summary>
public sealed class PausedScheduleTests(ApiHost host, ITestOutputHelper output) : IClassFixture<ApiHost>
{
    private const string EveryTwoSeconds = "0/2 * * * * ?";

    [Fact]
    public async Task Setting_a_schedule_answers_its_next_run_a_paused_schedule_does_not_fire_and_resuming_brings_it_back()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Sandbox paused and resumed", new() { ["seed"] = "23" });

        var planned = await ScheduleAsync(host.Client, id, EveryTwoSeconds, windowDays: 1, enabled: true);
        var plannedAt = DateTimeOffset.UtcNow;
        planned.GetProperty("cron").GetString().Should().Be(EveryTwoSeconds);
        planned.GetProperty("window_days").GetInt32().Should().Be(1);
        planned.GetProperty("enabled").GetBoolean().Should().BeTrue();
        NextRunAt(planned).Should().NotBeNull("an enabled schedule has a next run");
        NextRunAt(planned)!.Value.Should().BeAfter(plannedAt.AddSeconds(-3)).And.BeBefore(plannedAt.AddSeconds(5));
        NextRunAt(planned)!.Value.Second.Should().Match(s => s % 2 == 0, "the cron fires on even seconds");

        (await EventuallyAsync(async () => (await Succeeded()).Count >= 2, TimeSpan.FromSeconds(90)))
            .Should().BeTrue("an enabled schedule fires every 2 s; runs so far: " + Describe(await ScheduledRunsAsync(host.Database.DataSource, id)));

        var paused = await ScheduleAsync(host.Client, id, EveryTwoSeconds, windowDays: 1, enabled: false);
        var pausedAt = DateTimeOffset.UtcNow;
        paused.GetProperty("enabled").GetBoolean().Should().BeFalse();
        NextRunAt(paused).Should().BeNull("a paused schedule has no next run");
        paused.GetProperty("cron").GetString().Should().Be(EveryTwoSeconds, "pausing keeps the cron");

        // A slot that fired just before the pause may still be finishing: let it, then count.
        (await EventuallyAsync(async () => await UnfinishedRunsAsync(host.Database.DataSource, id) == 0, TimeSpan.FromSeconds(60))).Should().BeTrue();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var beforeQuiet = await ScheduledRunsAsync(host.Database.DataSource, id);

        // Five fire times pass while paused.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var afterQuiet = await ScheduledRunsAsync(host.Database.DataSource, id);
        output.WriteLine($"paused at {pausedAt:HH:mm:ss.fff}; runs before the quiet spell {beforeQuiet.Count}, after it {afterQuiet.Count}");
        afterQuiet.Should().HaveCount(beforeQuiet.Count, "a paused schedule does not fire: " + Describe(afterQuiet));
        afterQuiet.Should().NotContain(r => r.ScheduledFor > pausedAt.AddSeconds(1));

        var resumed = await ScheduleAsync(host.Client, id, EveryTwoSeconds, windowDays: 1, enabled: true);
        var resumedAt = DateTimeOffset.UtcNow;
        NextRunAt(resumed).Should().NotBeNull("a resumed schedule has a next run again");
        NextRunAt(resumed)!.Value.Should().BeAfter(resumedAt.AddSeconds(-3)).And.BeBefore(resumedAt.AddSeconds(5));
        (await EventuallyAsync(async () => (await Succeeded()).Count(r => r.ScheduledFor >= resumedAt.AddSeconds(-2)) >= 2, TimeSpan.FromSeconds(90)))
            .Should().BeTrue("resuming brings the schedule back: " + Describe(await ScheduledRunsAsync(host.Database.DataSource, id)));

        await ScheduleAsync(host.Client, id, EveryTwoSeconds, windowDays: 1, enabled: false);
        var all = await ScheduledRunsAsync(host.Database.DataSource, id);
        all.Should().NotContain(r => r.ScheduledFor > pausedAt.AddSeconds(1) && r.ScheduledFor < resumedAt.AddSeconds(-2), "nothing fired for the paused slots");
        all.Select(r => r.ScheduledFor).Should().OnlyHaveUniqueItems();
        output.WriteLine(Describe(all));

        async Task<IReadOnlyList<ScheduledRun>> Succeeded() =>
            [.. (await ScheduledRunsAsync(host.Database.DataSource, id)).Where(r => r.Status == "succeeded")];
    }

    private static DateTimeOffset? NextRunAt(JsonElement connection) =>
        connection.GetProperty("next_run_at") is { ValueKind: JsonValueKind.String } next ? next.GetDateTimeOffset() : null;

    private static string Describe(IEnumerable<ScheduledRun> runs) =>
        string.Join("; ", runs.Select(r => $"{r.ScheduledFor:HH:mm:ss.fff} {r.Status} {r.Node} {r.Error}"));
}
