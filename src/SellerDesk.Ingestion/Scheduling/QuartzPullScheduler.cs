using Quartz;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// Pull schedules as Quartz jobs in the clustered PostgreSQL store: one durable job per connection
/// (<see cref="ScheduledPullJob"/>, never two at once) with its cron trigger in the workspace zone, and one shared
/// durable job (<see cref="QueuedPullJob"/>) that queued runs trigger once each. Whichever node acquires a trigger
/// runs it; the store's row locks make sure only one does.
/// </summary>
public sealed class QuartzPullScheduler(ISchedulerFactory factory) : IPullScheduler
{
    public const string ConnectionGroup = "connection-pulls";
    public const string QueuedGroup = "queued-pulls";
    public const string ConnectionIdKey = "connection_id";
    public const string RunIdKey = "run_id";

    public static readonly JobKey QueuedJob = new("run-queued-pull", QueuedGroup);

    public async Task PlanAsync(Guid connectionId, string? cron, TimeZoneInfo zone, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var jobKey = JobKeyOf(connectionId);
        if (cron is null)
        {
            await scheduler.DeleteJob(jobKey, ct);
            return;
        }

        var job = JobBuilder.Create<ScheduledPullJob>()
            .WithIdentity(jobKey)
            .UsingJobData(ConnectionIdKey, connectionId.ToString())
            .StoreDurably()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKeyOf(connectionId))
            .ForJob(jobKey)
            .WithCronSchedule(cron, b => b.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, ct);
    }

    public async Task EnsurePlannedAsync(Guid connectionId, string cron, TimeZoneInfo zone, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        if (await scheduler.GetTrigger(TriggerKeyOf(connectionId), ct) is ICronTrigger existing
            && existing.CronExpressionString == cron
            && existing.TimeZone.Id == zone.Id)
        {
            return;
        }

        await PlanAsync(connectionId, cron, zone, ct);
    }

    public async Task EnqueueAsync(Guid runId, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var trigger = TriggerBuilder.Create()
            .WithIdentity("run-" + runId.ToString("N"), QueuedGroup)
            .ForJob(QueuedJob)
            .UsingJobData(RunIdKey, runId.ToString())
            .StartNow()
            .Build();
        await scheduler.ScheduleJob(trigger, default, ct);
    }

    public async Task<DateTimeOffset?> NextRunAsync(Guid connectionId, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var trigger = await scheduler.GetTrigger(TriggerKeyOf(connectionId), ct);
        return trigger?.NextFireTimeUtc;
    }

    private static JobKey JobKeyOf(Guid connectionId) => new(connectionId.ToString("N"), ConnectionGroup);

    private static TriggerKey TriggerKeyOf(Guid connectionId) => new(connectionId.ToString("N"), ConnectionGroup);
}
