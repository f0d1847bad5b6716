namespace SellerDesk.Ingestion.Scheduling;

/// <summary>Where pulls get their turn: the clustered Quartz scheduler in the app.</summary>
public interface IPullScheduler
{
    /// <summary>Sets (or, with a null cron, removes) the recurring trigger of a connection.</summary>
    Task PlanAsync(Guid connectionId, string? cron, TimeZoneInfo zone, CancellationToken ct);

    /// <summary>Plans the trigger unless one with the same cron is already there (keeps its next fire time).</summary>
    Task EnsurePlannedAsync(Guid connectionId, string cron, TimeZoneInfo zone, CancellationToken ct);

    /// <summary>Hands a queued run to whichever node is free first.</summary>
    Task EnqueueAsync(Guid runId, CancellationToken ct);

    /// <summary>When the connection's schedule fires next, if it has one.</summary>
    Task<DateTimeOffset?> NextRunAsync(Guid connectionId, CancellationToken ct);
}
