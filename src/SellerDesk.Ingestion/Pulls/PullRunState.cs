using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// A run's state in <c>pull_runs</c> and its connection's in <c>connections</c> (decision 0006): a queued run is
/// started under its lock, a finished one records its outcome in both languages, a failed one also tells what happens
/// next (the next scheduled run tries again, or the user starts it), and runs whose process is gone are cleaned up.
/// </summary>
internal sealed class PullRunState(NpgsqlDataSource dataSource, TimeProvider time)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly TimeProvider _time = time;

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
    public static bool Retries(ConnectorFailure failure) => failure is not (ConnectorFailure.Unauthorized or ConnectorFailure.MethodRetired);

    private static LocalText Then(LocalText first, LocalText next) => new(first.En + " " + next.En, first.Ru + " " + next.Ru);

    public async Task<(PullWindow Window, bool Upload)> StartAsync(NpgsqlConnection session, Guid runId, ConnectionSettings connection, CancellationToken ct)
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
            RETURNING connection_id, period_from, period_to, trigger
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
        var upload = reader.GetString(3) == PullRunner.UploadTrigger;
        await reader.DisposeAsync();
        if (connectionId != connection.Id)
        {
            await PullLocks.ReleaseRunAsync(session, runId);
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} belongs to connection {connectionId}, not {connection.Id}."));
        }

        return (window, upload);
    }

    /// <summary>
    /// <paramref name="error"/>, followed (when the next run may succeed) by what happens next: the next scheduled
    /// run tries again, or nothing is scheduled and the user starts it.
    /// </summary>
    public async Task<LocalText> NextStepAsync(Guid connectionId, LocalText error, bool retries)
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

    public async Task<PullRunResult> FailAsync(
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

    public async Task FinishAsync(Guid runId, PullRunResult result, CancellationToken ct)
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

    public async Task SetConnectionAsync(Guid connectionId, string status, LocalText? error, CancellationToken ct)
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
