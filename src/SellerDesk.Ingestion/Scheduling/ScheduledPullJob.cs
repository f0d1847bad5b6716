using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SellerDesk.Data;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// A connection's schedule fired: work out the slot, wait for the connection's turn, start a run of its trailing
/// window (<c>scheduled_for</c> = the slot) and carry it out on this node. A slot is served at most once: a slot that
/// already has a run pulls nothing (its job came back: a retry, or a node that died holding it).
/// </summary>
public sealed class ScheduledPullJob(
    IDbContextFactory<SellerDeskDbContext> contexts,
    ConnectionService connections,
    ConnectionTurns turns,
    PullExecutor executor,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    IOptions<PullSchedulerOptions> options,
    ILogger<ScheduledPullJob> logger)
{
    /// <summary>The parameter Hangfire's recurring scheduler gives each job it triggers: the fire time, Unix seconds.</summary>
    private const string TriggerTimeParameter = "Time";

    /// <summary>How late a slot may start while a later slot is already due (Quartz's misfire threshold, as before).</summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Entry of the recurring job. Hangfire triggers one job per fire time (strict misfires: also those it found late)
    /// and names that time; the slot is the schedule's fire time at or before it. A slot more than a minute late whose
    /// next slot is already due was missed (no node ran) and pulls nothing: a schedule that was down catches up with its
    /// latest slot only, while one that was a few seconds late serves every slot.
    /// </summary>
    [JobDisplayName("Scheduled pull of connection {0}")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(Guid connectionId, PerformContext? context, CancellationToken cancellationToken)
    {
        var schedule = await ScheduleAsync(connectionId, cancellationToken);
        if (schedule is null)
        {
            logger.LogInformation("Schedule of connection {Connection} fired while off or deleted; nothing pulled", connectionId);
            return;
        }

        var triggered = context?.GetJobParameter<long?>(TriggerTimeParameter) is { } seconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : clock.GetUtcNow();
        var slot = PullCron.LatestAtOrBefore(schedule.Value.Cron, schedule.Value.Zone, triggered) ?? triggered;
        var now = clock.GetUtcNow();
        if (now - slot > MisfireThreshold && PullCron.NextAfter(schedule.Value.Cron, schedule.Value.Zone, slot) is { } next && next <= now)
        {
            logger.LogInformation("Slot {Slot} of connection {Connection} was missed (no node ran); the latest slot pulls the window instead", slot, connectionId);
            return;
        }

        await ServeAsync(connectionId, slot, schedule.Value, context, cancellationToken);
    }

    /// <summary>Entry of a slot that had to wait for its connection (see <see cref="ServeAsync"/>).</summary>
    [JobDisplayName("Scheduled pull of connection {0}, slot {1}")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunSlotAsync(Guid connectionId, DateTimeOffset slot, PerformContext? context, CancellationToken cancellationToken)
    {
        var schedule = await ScheduleAsync(connectionId, cancellationToken);
        if (schedule is null)
        {
            logger.LogInformation("Slot {Slot} of connection {Connection} waited while the schedule was paused or deleted; nothing pulled", slot, connectionId);
            return;
        }

        await ServeAsync(connectionId, slot, schedule.Value, context, cancellationToken);
    }

    private async Task ServeAsync(Guid connectionId, DateTimeOffset slot, Schedule schedule, PerformContext? context, CancellationToken cancellationToken)
    {
        var patience = options.Value.TurnPatience;
        await using var turn = await turns.WaitAsync(connectionId, patience, cancellationToken);
        if (turn is null)
        {
            if (PullCron.NextAfter(schedule.Cron, schedule.Zone, slot) is { } next && next <= clock.GetUtcNow())
            {
                logger.LogWarning(
                    "Slot {Slot} of connection {Connection} skipped: another run of it was still going and the next slot ({Next}) is due; that one pulls the same window",
                    slot, connectionId, next);
                return;
            }

            // The latest slot waits for the run that holds the connection, without holding a worker meanwhile.
            jobs.Schedule<ScheduledPullJob>(job => job.RunSlotAsync(connectionId, slot, null, CancellationToken.None), patience);
            logger.LogInformation("Slot {Slot} of connection {Connection} waits: another run of it is still going", slot, connectionId);
            return;
        }

        // Under the turn no other run of this connection starts, so what is read here stays true until the run is in.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var served = await db.PullRuns.AsNoTracking()
            .Where(r => r.ConnectionId == connectionId && r.ScheduledFor == slot)
            .Select(r => new { r.Id, r.Status })
            .FirstOrDefaultAsync(cancellationToken);

        Guid? runId;
        if (served is { } existing)
        {
            if (existing.Status != PullRunStatus.Queued)
            {
                logger.LogInformation("Slot {Slot} of connection {Connection} already has run {PullRun} ({Status}); nothing pulled", slot, connectionId, existing.Id, existing.Status);
                return;
            }

            // The slot's run was started by an attempt that failed before the pull began (a retry of this job).
            runId = existing.Id;
        }
        else
        {
            runId = await connections.StartScheduledRunAsync(connectionId, slot, cancellationToken);
            if (runId is null)
            {
                logger.LogInformation("Schedule of connection {Connection} was paused or deleted before slot {Slot} started; nothing pulled", connectionId, slot);
                return;
            }
        }

        await executor.ExecuteAsync(runId.Value, context?.ServerId, cancellationToken);
    }

    private async Task<Schedule?> ScheduleAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.Connections.AsNoTracking()
            .Where(c => c.Id == connectionId && c.ScheduleEnabled && c.ScheduleCron != null)
            .Join(db.Workspaces, c => c.WorkspaceId, w => w.Id, (c, w) => new { c.ScheduleCron, w.TimeZone })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new Schedule(found.ScheduleCron!, TimeZoneInfo.FindSystemTimeZoneById(found.TimeZone));
    }

    private readonly record struct Schedule(string Cron, TimeZoneInfo Zone);
}
