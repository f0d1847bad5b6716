using System.Diagnostics;
using Npgsql;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Data.Ledger;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// Runs one pull (docs/decisions/0006-marketplace-pulls.md, 0010-source-ownership.md), step by step:
/// <list type="number">
/// <item>fetch the window page by page into <c>pull_staging</c> (<see cref="PullStaging.FetchAsync"/>);</item>
/// <item>under the connection's lock: merge the staging into <c>source_rows</c>, deleting the rows of whole feeds the
/// marketplace no longer sent (<see cref="PullStaging.MergeAsync"/>); derive the ledger of every pending date and
/// order as the connection's own rows, with its gaps (<see cref="PullDerivation"/>); reconcile the window against the
/// marketplace's own figures (<see cref="PullReconciliation"/>);</item>
/// <item>record the outcome on the run and its connection, in both languages (<see cref="PullRunState"/>).</item>
/// </list>
/// The runner only orchestrates: the source rows are <see cref="PullStaging"/>'s, the pending dates and orders
/// <see cref="PullPendingWork"/>'s, and every ledger write goes through the ledger's one writer
/// (<see cref="LedgerWriter"/>, decision 0005).
/// A run that is cancelled or killed before its merge leaves nothing but its own staging rows, which
/// <see cref="CleanUpAbandonedAsync"/> (or the cancellation itself) deletes; a run that stops between merge and
/// derivation is finished by the connection's next run.
/// </summary>
public sealed class PullRunner
{
    /// <summary>The trigger of the runs that land a report uploaded from a cabinet (decision 0027).</summary>
    public const string UploadTrigger = "upload";

    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerWriter _ledger;
    private readonly TimeProvider _time;
    private readonly int _mappingPartRows = 10_000;
    private readonly int _writePartRows = 50_000;

    public PullRunner(NpgsqlDataSource dataSource, LedgerWriter ledger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        _dataSource = dataSource;
        _ledger = ledger;
        _time = time;
    }

    /// <summary>
    /// Optional: told how long each phase of a run took, once per phase and run (<c>fetch</c>: waiting for the
    /// connector's pages, which includes the HTTP transfer and the JSON parse; <c>stage</c>: COPY of the pages into
    /// pull_staging; <c>vacate</c>: rows moving to another order or date, and rows dropped; <c>merge</c>: staging into
    /// source_rows; <c>unstage</c>: staging deleted and the merge committed; <c>derive</c>: scope, read and map the
    /// rows; <c>write</c>: the ledger write; <c>clean</c>: stale ledger records, gaps and pending dates;
    /// <c>reconcile</c>). Phases follow each other, none contains another. For benchmarks and diagnostics; null costs
    /// nothing.
    /// </summary>
    public Action<string, TimeSpan>? PhaseTimed { get; init; }

    /// <summary>
    /// Rows handed to a connector's mapping at a time when it maps in parts (<see cref="IStreamingLedgerMapper"/>): a
    /// part ends at the first new order after this many rows. Bounds the rows a derivation holds; at least 1.
    /// </summary>
    public int MappingPartRows
    {
        get => _mappingPartRows;
        init => _mappingPartRows = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one row.");
    }

    /// <summary>
    /// Source rows mapped between two writes of a derivation's orders, when the connector's mapping can hand its orders
    /// over part by part (<see cref="ILedgerMappingSession.TakeOrders"/>): bounds the ledger records a derivation holds,
    /// so memory stays flat however big the pull; at least 1.
    /// </summary>
    public int WritePartRows
    {
        get => _writePartRows;
        init => _writePartRows = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one row.");
    }

    /// <summary>Runs a queued run with no notices from elsewhere (see the overload).</summary>
    public Task<PullRunResult> RunAsync(
        Guid runId, ConnectionSettings connection, IMarketplaceConnector connector, TimeZoneInfo zone, CancellationToken ct) =>
        RunAsync(runId, connection, connector, zone, new PullNotices(), ct);

    /// <summary>
    /// Runs the queued run <paramref name="runId"/> of <paramref name="connection"/> to its end and returns how it ended
    /// (also stored in <c>pull_runs</c>, with <paramref name="notices"/>, where the connector's context reports its
    /// own). Failures of the marketplace, the mapping or the ledger end the run as failed with a message in both
    /// languages rather than throwing; a run that is not queued throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public async Task<PullRunResult> RunAsync(
        Guid runId, ConnectionSettings connection, IMarketplaceConnector connector, TimeZoneInfo zone, PullNotices notices, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(notices);

        await using var session = await _dataSource.OpenConnectionAsync(ct);
        var state = new PullRunState(_dataSource, _time);
        var (window, upload) = await state.StartAsync(session, runId, connection, ct);
        var progress = new PullProgress();
        var derivation = new PullDerivation(_dataSource, _ledger, _mappingPartRows, _writePartRows, PhaseTimed);
        try
        {
            await PullStaging.FetchAsync(session, runId, connection, connector, window, progress, ct);
            PhaseTimed?.Invoke("fetch", progress.Fetch);
            PhaseTimed?.Invoke("stage", progress.Stage);
            foreach (var failure in progress.FailedFeeds)
            {
                notices.Add(PullTexts.WithoutPromise(failure.Text));
            }

            // Runs of one connection fetch side by side, but merge, derive and reconcile one at a time.
            Reconciliation reconciliation;
            await PullLocks.LockConnectionAsync(session, connection.Id, ct);
            try
            {
                // Checked under the lock, so no run of the connection lands between the check and the merge.
                var refusal = await PullOverlap.StagedRefusalAsync(session, runId, connection, upload, progress.CompletedParts, ct)
                    ?? (connector is IPullMergeGuard guard ? await guard.RefusalAsync(session, runId, connection, ct) : null);
                if (refusal is not null)
                {
                    return await state.FailAsync(runId, connection, progress, notices, refusal, upload ? null : ConnectionStatus.Failing, retries: false);
                }

                await PullStaging.MergeAsync(session, runId, connection, window, progress, PhaseTimed, ct);
                LocalText? rejected;
                try
                {
                    rejected = await derivation.DeriveAsync(session, runId, connection, connector, zone, window, ct);
                }
                catch
                {
                    await PullPendingWork.FlagPendingAsync(_dataSource, connection.WorkspaceId, connection.Id);
                    throw;
                }

                if (rejected is not null)
                {
                    await PullPendingWork.FlagPendingAsync(_dataSource, connection.WorkspaceId, connection.Id);
                    return await state.FailAsync(runId, connection, progress, notices, rejected, ConnectionStatus.Failing, retries: true);
                }

                var reconciling = Stopwatch.GetTimestamp();
                reconciliation = await PullReconciliation.ReconcileAsync(session, connection, connector, window, zone, ct);
                PhaseTimed?.Invoke("reconcile", Stopwatch.GetElapsedTime(reconciling));
            }
            finally
            {
                await PullLocks.UnlockConnectionAsync(session, connection.Id);
            }

            if (reconciliation.UnmappedRows > 0)
            {
                notices.Add(PullTexts.Unmapped(reconciliation.UnmappedRows, reconciliation.Unmapped ?? 0m));
            }

            var result = new PullRunResult(
                PullRunStatus.Succeeded, progress.Pages, progress.Rows, progress.Inserted, progress.Updated, null,
                reconciliation.Marketplace, reconciliation.Ledger)
            {
                Dropped = progress.Dropped,
                UnmappedPayout = reconciliation.Unmapped,
                Reconciliation = reconciliation.Text,
                DifferingOrders = reconciliation.Orders,
                DifferingDates = reconciliation.Dates,
                Notices = notices.ToList(),
            };
            await state.FinishAsync(runId, result, CancellationToken.None);
            if (progress.FailedFeeds.FirstOrDefault() is { } failed)
            {
                await state.SetConnectionAsync(
                    connection.Id, ConnectionStatus.After(failed.Failure), await state.NextStepAsync(connection.Id, failed.Text, PullRunState.Retries(failed.Failure)), CancellationToken.None);
            }
            else
            {
                await state.SetConnectionAsync(connection.Id, ConnectionStatus.Healthy, null, CancellationToken.None);
            }

            return result;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return await state.FailAsync(runId, connection, progress, notices, PullTexts.Cancelled, connectionStatus: null, retries: true);
        }
        catch (ConnectorException ex)
        {
            return await state.FailAsync(runId, connection, progress, notices, ex.Text, ConnectionStatus.After(ex.Failure), PullRunState.Retries(ex.Failure));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return await state.FailAsync(runId, connection, progress, notices, PullTexts.Unexpected(ex.Message), ConnectionStatus.Failing, retries: true);
        }
        finally
        {
            await PullLocks.ReleaseRunAsync(session, runId);
        }
    }

    /// <summary>
    /// Marks as failed every run 'running' that started more than <paramref name="olderThan"/> ago and whose process
    /// is gone (it no longer holds the run's lock), and deletes its staging rows. Returns the runs it cleaned up.
    /// </summary>
    public Task<IReadOnlyList<Guid>> CleanUpAbandonedAsync(TimeSpan olderThan, CancellationToken ct) =>
        new PullRunState(_dataSource, _time).CleanUpAbandonedAsync(olderThan, ct);
}
