using Hangfire;
using Hangfire.Storage;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// Pull schedules as Hangfire recurring jobs in the shared PostgreSQL storage: one per connection
/// (<see cref="ScheduledPullJob"/>) with its cron in the workspace zone, and queued runs as background jobs
/// (<see cref="QueuedPullJob"/>, one per run). Whichever node's server fetches a job runs it; the storage hands each
/// job to one worker, and a run takes its connection's turn (<see cref="ConnectionTurns"/>) before it starts.
/// </summary>
public sealed class HangfirePullScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs, JobStorage storage) : IPullScheduler
{
    /// <summary>The recurring job of a connection's schedule.</summary>
    public static string RecurringJobId(Guid connectionId) => "connection-pull-" + connectionId.ToString("N");

    public Task PlanAsync(Guid connectionId, string? cron, TimeZoneInfo zone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (cron is null)
        {
            recurring.RemoveIfExists(RecurringJobId(connectionId));
            return Task.CompletedTask;
        }

        // Relaxed misfires: a schedule that found no node running fires once when one is back, not once per missed
        // slot; the job works out which slot that is (ScheduledPullJob).
        recurring.AddOrUpdate<ScheduledPullJob>(
            RecurringJobId(connectionId),
            job => job.RunAsync(connectionId, null, CancellationToken.None),
            PullCron.ForHangfire(cron),
            new RecurringJobOptions { TimeZone = zone, MisfireHandling = MisfireHandlingMode.Relaxed });
        return Task.CompletedTask;
    }

    /// <summary>Hangfire keeps the next fire time of a recurring job whose cron and zone did not change.</summary>
    public Task EnsurePlannedAsync(Guid connectionId, string cron, TimeZoneInfo zone, CancellationToken ct) =>
        PlanAsync(connectionId, cron, zone, ct);

    public Task EnqueueAsync(Guid runId, CancellationToken ct)
    {
        jobs.Enqueue<QueuedPullJob>(job => job.RunAsync(runId, null, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> NextRunAsync(Guid connectionId, CancellationToken ct)
    {
        using var connection = storage.GetConnection();
        var job = connection.GetRecurringJobs([RecurringJobId(connectionId)]).SingleOrDefault();
        DateTimeOffset? next = job is { Removed: false, NextExecution: { } at } ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
        return Task.FromResult(next);
    }
}
