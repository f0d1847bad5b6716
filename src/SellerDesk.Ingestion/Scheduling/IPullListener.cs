namespace SellerDesk.Ingestion.Scheduling;

/// <summary>Told when a queued or scheduled pull run is over (succeeded, failed or skipped): alerts hook in here.</summary>
public interface IPullListener
{
    /// <summary>Should return quickly (queue work rather than do it); an exception is logged and does not touch the run.</summary>
    Task PullFinishedAsync(Guid runId, CancellationToken cancellationToken);
}
