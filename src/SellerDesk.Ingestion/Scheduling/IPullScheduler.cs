namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// Where pulls get their turn: Hangfire on its PostgreSQL storage, shared by every node (decision 0012). Schedules are
/// ours (<c>connections.schedule_cron</c>); the recurring jobs are copies that can be planned again at any time.
/// </summary>
public interface IPullScheduler
{
    /// <summary>Sets (or, with a null cron, removes) the recurring schedule of a connection.</summary>
    Task PlanAsync(Guid connectionId, string? cron, TimeZoneInfo zone, CancellationToken ct);

    /// <summary>Plans the schedule unless the same cron and zone are already planned (keeps its next fire time).</summary>
    Task EnsurePlannedAsync(Guid connectionId, string cron, TimeZoneInfo zone, CancellationToken ct);

    /// <summary>Hands a queued run to whichever node is free first.</summary>
    Task EnqueueAsync(Guid runId, CancellationToken ct);

    /// <summary>When the connection's schedule fires next, if it has one.</summary>
    Task<DateTimeOffset?> NextRunAsync(Guid connectionId, CancellationToken ct);
}
