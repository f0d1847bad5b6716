using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
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
/// <item>record the outcome on the run and its connection, in both languages.</item>
/// </list>
/// A run that is cancelled or killed before its merge leaves nothing but its own staging rows, which
/// <see cref="CleanUpAbandonedAsync"/> (or the cancellation itself) deletes; a run that stops between merge and
/// derivation is finished by the connection's next run.
/// </summary>
public sealed class PullRunner
{
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
        var window = await StartAsync(session, runId, connection, ct);
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
                await PullStaging.MergeAsync(session, runId, connection, window, progress, PhaseTimed, ct);
                LocalText? rejected;
                try
                {
                    rejected = await derivation.DeriveAsync(session, runId, connection, connector, zone, window, ct);
                }
                catch
                {
                    await derivation.FlagPendingAsync(connection.WorkspaceId, connection.Id);
                    throw;
                }

                if (rejected is not null)
                {
                    await derivation.FlagPendingAsync(connection.WorkspaceId, connection.Id);
                    return await FailAsync(runId, connection, progress, notices, rejected, ConnectionStatus.Failing, retries: true);
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
            await FinishAsync(runId, result, CancellationToken.None);
            if (progress.FailedFeeds.FirstOrDefault() is { } failed)
            {
                await SetConnectionAsync(connection.Id, ConnectionStatus.After(failed.Failure), await NextStepAsync(connection.Id, failed.Text, Retries(failed.Failure)), CancellationToken.None);
            }
            else
            {
                await SetConnectionAsync(connection.Id, ConnectionStatus.Healthy, null, CancellationToken.None);
            }

            return result;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return await FailAsync(runId, connection, progress, notices, PullTexts.Cancelled, connectionStatus: null, retries: true);
        }
        catch (ConnectorException ex)
        {
            return await FailAsync(runId, connection, progress, notices, ex.Text, ConnectionStatus.After(ex.Failure), Retries(ex.Failure));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return await FailAsync(runId, connection, progress, notices, PullTexts.Unexpected(ex.Message), ConnectionStatus.Failing, retries: true);
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
    public async Task<IReadOnlyList<Guid>> CleanUpAbandonedAsync(TimeSpan olderThan, CancellationToken ct)
    {
        var cutoff = _time.GetUtcNow() - olderThan;
        await using var session = await _dataSource.OpenConnectionAsync(ct);
        var candidates = new List<(Guid Run, Guid Workspace, bool Scheduled)>();
        await using (var find = PullSql.Command(
            session,
            """
            SELECT r.id, r.workspace_id, coalesce(c.schedule_enabled AND c.schedule_cron IS NOT NULL, false)
            FROM pull_runs AS r LEFT JOIN connections AS c ON c.workspace_id = r.workspace_id AND c.id = r.connection_id
            WHERE r.status = 'running' AND (r.started_at IS NULL OR r.started_at < $1)
            ORDER BY r.started_at
            """,
            cutoff))
        {
            await using var reader = await find.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                candidates.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetBoolean(2)));
            }
        }

        var cleaned = new List<Guid>();
        foreach (var (runId, workspaceId, scheduled) in candidates)
        {
            if (!await PullLocks.TryRunAsync(session, runId, ct))
            {
                continue; // its process is alive and still holds it
            }

            try
            {
                await using var transaction = await session.BeginTransactionAsync(ct);
                var marked = await PullSql.ExecuteAsync(
                    session,
                    "UPDATE pull_runs SET status = 'failed', error = $2, finished_at = $3 WHERE workspace_id = $4 AND id = $1 AND status = 'running'",
                    ct,
                    runId,
                    Then(PullTexts.Interrupted, scheduled ? PullTexts.RetryScheduled : PullTexts.RetryByHand).Encode(),
                    _time.GetUtcNow(),
                    workspaceId);
                await PullSql.ExecuteAsync(session, "DELETE FROM pull_staging WHERE workspace_id = $2 AND run_id = $1", ct, runId, workspaceId);
                await transaction.CommitAsync(ct);
                if (marked > 0)
                {
                    cleaned.Add(runId);
                }
            }
            finally
            {
                await PullLocks.ReleaseRunAsync(session, runId);
            }
        }

        return cleaned;
    }

    /// <summary>Whether the next run may succeed where this failure stopped: not for a rejected token or a retired method.</summary>
    private static bool Retries(ConnectorFailure failure) => failure is not (ConnectorFailure.Unauthorized or ConnectorFailure.MethodRetired);

    private static LocalText Then(LocalText first, LocalText next) => new(first.En + " " + next.En, first.Ru + " " + next.Ru);

    private async Task<PullWindow> StartAsync(NpgsqlConnection session, Guid runId, ConnectionSettings connection, CancellationToken ct)
    {
        if (!await PullLocks.TryRunAsync(session, runId, ct))
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} is being run by another process."));
        }

        await using var start = PullSql.Command(
            session,
            """
            UPDATE pull_runs SET status = 'running', started_at = $2, error = NULL
            WHERE id = $1 AND status = 'queued'
            RETURNING connection_id, period_from, period_to
            """,
            runId,
            _time.GetUtcNow());
        await using var reader = await start.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            await reader.DisposeAsync();
            await PullLocks.ReleaseRunAsync(session, runId);
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} does not exist or is not queued."));
        }

        Guid? connectionId = reader.IsDBNull(0) ? null : reader.GetGuid(0);
        var window = new PullWindow(reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(2));
        await reader.DisposeAsync();
        if (connectionId != connection.Id)
        {
            await PullLocks.ReleaseRunAsync(session, runId);
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} belongs to connection {connectionId}, not {connection.Id}."));
        }

        return window;
    }

    /// <summary>
    /// <paramref name="error"/>, followed (when the next run may succeed) by what happens next: the next scheduled
    /// run tries again, or nothing is scheduled and the user starts it.
    /// </summary>
    private async Task<LocalText> NextStepAsync(Guid connectionId, LocalText error, bool retries)
    {
        error = PullTexts.WithoutPromise(error);
        if (!retries)
        {
            return error;
        }

        await using var session = await _dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var command = PullSql.Command(
            session, "SELECT schedule_enabled AND schedule_cron IS NOT NULL FROM connections WHERE id = $1", connectionId);
        var scheduled = await command.ExecuteScalarAsync(CancellationToken.None) is true;
        return Then(error, scheduled ? PullTexts.RetryScheduled : PullTexts.RetryByHand);
    }

    private async Task<PullRunResult> FailAsync(
        Guid runId, ConnectionSettings connection, PullProgress progress, PullNotices notices, LocalText error, string? connectionStatus, bool retries)
    {
        // The caller's token may have fired: the bookkeeping of a failure always completes.
        await using (var session = await _dataSource.OpenConnectionAsync(CancellationToken.None))
        {
            await PullSql.ExecuteAsync(
                session, "DELETE FROM pull_staging WHERE workspace_id = $2 AND run_id = $1", CancellationToken.None, runId, connection.WorkspaceId);
        }

        var text = await NextStepAsync(connection.Id, error, retries);
        var result = new PullRunResult(
            PullRunStatus.Failed, progress.Pages, progress.Rows, progress.Inserted, progress.Updated, text, null, null)
        {
            Notices = notices.ToList(),
        };
        await FinishAsync(runId, result, CancellationToken.None);
        if (connectionStatus is not null)
        {
            await SetConnectionAsync(connection.Id, connectionStatus, text, CancellationToken.None);
        }

        return result;
    }

    private async Task FinishAsync(Guid runId, PullRunResult result, CancellationToken ct)
    {
        await using var session = await _dataSource.OpenConnectionAsync(ct);
        await using var finish = PullSql.Command(
            session,
            """
            UPDATE pull_runs
            SET status = $2, pages_read = $3, rows_read = $4, inserted = $5, updated = $6, error = $7,
                marketplace_payout = $8, ledger_payout = $9, finished_at = $10, unmapped_payout = $11, reconciliation = $12,
                notices = $13
            WHERE id = $1
            """,
            runId,
            result.Status,
            result.PagesRead,
            result.RowsRead,
            result.Inserted,
            result.Updated,
            Text(result.Error?.Encode()),
            Money(result.MarketplacePayout),
            Money(result.LedgerPayout),
            _time.GetUtcNow(),
            Money(result.UnmappedPayout),
            Text(result.Reconciliation?.Encode()),
            Text(PullNotices.Encode(result.Notices)));
        await finish.ExecuteNonQueryAsync(ct);
    }

    private async Task SetConnectionAsync(Guid connectionId, string status, LocalText? error, CancellationToken ct)
    {
        await using var session = await _dataSource.OpenConnectionAsync(ct);
        await using var update = PullSql.Command(
            session,
            "UPDATE connections SET status = $2, last_error = $3, updated_at = $4 WHERE id = $1",
            connectionId,
            status,
            Text(error?.Encode()),
            _time.GetUtcNow());
        await update.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Money(decimal? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric };
}
