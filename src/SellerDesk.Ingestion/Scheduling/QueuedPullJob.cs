using Quartz;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>Carries out one queued run (run now, a backfill, an API request) on whichever node picked it up.</summary>
public sealed class QueuedPullJob(PullExecutor executor) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var runId = Guid.Parse(context.MergedJobDataMap.GetString(QuartzPullScheduler.RunIdKey)!);
        await executor.ExecuteAsync(runId, context.Scheduler.SchedulerInstanceId, cancellationToken);
    }
}
