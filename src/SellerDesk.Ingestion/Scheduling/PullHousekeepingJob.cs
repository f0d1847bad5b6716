using Hangfire;
using Microsoft.Extensions.Logging;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>Every five minutes, on one node: runs left 'running' by a process that died are failed and their staging dropped.</summary>
public sealed class PullHousekeepingJob(PullRunner runner, ILogger<PullHousekeepingJob> logger)
{
    public const string RecurringJobId = "pull-housekeeping";

    public const string Cron = "0 */5 * * * *";

    /// <summary>
    /// Not retried (the next one comes in five minutes) and not kept when it fails (the log says why); two at once would
    /// do no harm either, as a run is only taken whose process no longer holds its lock.
    /// </summary>
    [JobDisplayName("Pull housekeeping: fail runs whose process died")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var cleaned = await runner.CleanUpAbandonedAsync(TimeSpan.FromMinutes(2), cancellationToken);
        if (cleaned.Count > 0)
        {
            logger.LogWarning("Marked {Count} abandoned pull run(s) as failed: {Runs}", cleaned.Count, string.Join(", ", cleaned));
        }
    }
}
