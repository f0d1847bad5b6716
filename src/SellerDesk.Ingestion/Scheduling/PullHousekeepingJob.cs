using Microsoft.Extensions.Logging;
using Quartz;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>Every few minutes: runs left 'running' by a process that died are failed and their staging dropped.</summary>
[DisallowConcurrentExecution]
public sealed class PullHousekeepingJob(PullRunner runner, ILogger<PullHousekeepingJob> logger) : IJob
{
    public static readonly JobKey Key = new("pull-housekeeping", "system");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cleaned = await runner.CleanUpAbandonedAsync(TimeSpan.FromMinutes(2), cancellationToken);
        if (cleaned.Count > 0)
        {
            logger.LogWarning("Marked {Count} abandoned pull run(s) as failed: {Runs}", cleaned.Count, string.Join(", ", cleaned));
        }
    }
}
