using Microsoft.Extensions.Logging;
using Quartz;
using SellerDesk.Ingestion.Connections;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>A connection's schedule fired: start a run of its trailing window and carry it out on this node.</summary>
[DisallowConcurrentExecution]
public sealed class ScheduledPullJob(ConnectionService connections, PullExecutor executor, ILogger<ScheduledPullJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connectionId = Guid.Parse(context.MergedJobDataMap.GetString(QuartzPullScheduler.ConnectionIdKey)!);
        var runId = await connections.StartScheduledRunAsync(connectionId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
        if (runId is null)
        {
            logger.LogInformation("Schedule of connection {Connection} fired while off or deleted; nothing pulled", connectionId);
            return;
        }

        await executor.ExecuteAsync(runId.Value, context.Scheduler.SchedulerInstanceId, cancellationToken);
    }
}
