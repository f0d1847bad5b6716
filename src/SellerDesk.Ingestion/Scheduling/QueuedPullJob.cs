using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SellerDesk.Data;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// Carries out one queued run (run now, a backfill, an API request) on whichever node fetched it, once the run's
/// connection is free. Retries are for the machinery only: a pull that fails ends its run as failed with a plain
/// message and does not throw, and a run that is no longer queued is never started again.
/// </summary>
public sealed class QueuedPullJob(
    IDbContextFactory<SellerDeskDbContext> contexts,
    ConnectionTurns turns,
    PullExecutor executor,
    IBackgroundJobClient jobs,
    IOptions<PullSchedulerOptions> options,
    ILogger<QueuedPullJob> logger)
{
    [JobDisplayName("Queued pull run {0}")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(Guid runId, PerformContext? context, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.PullRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.ConnectionId, r.Status }).SingleOrDefaultAsync(cancellationToken);
        if (run is not { ConnectionId: { } connectionId } || run.Status != PullRunStatus.Queued)
        {
            // A run whose connection was deleted keeps its history but has nothing left to pull.
            logger.LogInformation("Pull run {PullRun} is gone or no longer queued ({Status}); nothing to do", runId, run?.Status ?? "deleted");
            return;
        }

        var patience = options.Value.TurnPatience;
        await using var turn = await turns.WaitAsync(connectionId, patience, cancellationToken);
        if (turn is null)
        {
            // Another run of this connection is going: give the worker back and ask again later.
            jobs.Schedule<QueuedPullJob>(job => job.RunAsync(runId, null, CancellationToken.None), patience);
            logger.LogInformation("Pull run {PullRun} waits: another run of connection {Connection} is still going", runId, connectionId);
            return;
        }

        await executor.ExecuteAsync(runId, context?.ServerId, cancellationToken);
    }
}
