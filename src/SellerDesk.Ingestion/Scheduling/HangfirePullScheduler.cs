using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// Pull schedules as Hangfire recurring jobs in the shared PostgreSQL storage: one per connection
/// (<see cref="ScheduledPullJob"/>) with its cron in the workspace zone, and queued runs as background jobs
/// (<see cref="QueuedPullJob"/>, one per run). Whichever node's server fetches a job runs it; the storage hands each
/// job to one worker, and a run takes its connection's turn (<see cref="ConnectionTurns"/>) before it starts.
/// </summary>
public sealed class HangfirePullScheduler(
    IRecurringJobManager recurring, IBackgroundJobClient jobs, JobStorage storage, ILogger<HangfirePullScheduler> logger) : IPullScheduler
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

        // Strict misfires: one job per fire time, each knowing its slot, also for slots found a little late (a busy
        // node); the job drops slots that were missed long ago (ScheduledPullJob.MisfireThreshold).
        recurring.AddOrUpdate<ScheduledPullJob>(
            RecurringJobId(connectionId),
            job => job.RunAsync(connectionId, null, CancellationToken.None),
            PullCron.ForHangfire(cron),
            new RecurringJobOptions { TimeZone = zone, MisfireHandling = MisfireHandlingMode.Strict });
        return Task.CompletedTask;
    }

    /// <summary>
    /// Hangfire keeps the next fire time of a recurring job whose cron and zone did not change. A stored cron this
    /// scheduler cannot read (one written for Quartz with a year field) is left unplanned with an error in the log,
    /// rather than stopping the start-up of every schedule.
    /// </summary>
    public Task EnsurePlannedAsync(Guid connectionId, string cron, TimeZoneInfo zone, CancellationToken ct)
    {
        if (PullCron.Problem(cron) is { } problem)
        {
            logger.LogError("The schedule of connection {Connection} is not planned: {Problem}; set it again", connectionId, problem);
            return Task.CompletedTask;
        }

        return PlanAsync(connectionId, cron, zone, ct);
    }

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
