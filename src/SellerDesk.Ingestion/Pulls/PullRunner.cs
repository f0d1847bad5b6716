using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// Runs one pull (docs/decisions/0006-marketplace-pulls.md): fetches the run's window page by page into
/// <c>pull_staging</c> (committed per page, with live progress in <c>pull_runs</c>), merges the staging into
/// <c>source_rows</c> in one transaction, derives the ledger from every flagged row's orders and dates, reconciles
/// the payouts and records the outcome on the run and its connection. A run that is cancelled or killed before its
/// merge leaves nothing but its own staging rows, which <see cref="CleanUpAbandonedAsync"/> (or the cancellation
/// itself) deletes; a run that stops between merge and derivation is finished by the connection's next run.
/// </summary>
public sealed class PullRunner
{
    /// <summary>The error of a run whose cancellation token fired.</summary>
    public const string CancelledMessage = "cancelled before it finished; nothing of it was kept, the next run pulls the window again";

    /// <summary>The error of a run found abandoned by <see cref="CleanUpAbandonedAsync"/>.</summary>
    public const string InterruptedMessage = "interrupted; the next run pulls the window again";

    private const string StagingCopy =
        "COPY pull_staging (run_id, feed, source_id, order_key, business_date, payload) FROM STDIN (FORMAT BINARY)";

    // Advisory lock held by the process running a run, for as long as it runs: a killed process loses it with its
    // connection, so a 'running' run whose lock is free is abandoned.
    private const string RunLockKey = "hashtextextended('sellerdesk.pull_run:' || $1::text, 0)";

    // Held from merge to the end of derivation, so two runs of one connection never derive at the same time.
    private const string ConnectionLockKey = "hashtextextended('sellerdesk.pull_connection:' || $1::text, 0)";

    // The merge, with STAGED the run's staged rows: the last copy of each source id (staged twice: a page sent again),
    // or all of them when the fetch saw no source id twice (no sort of the whole staging then). Changed rows are not
    // flagged one by one: their dates go to source_pending_dates in the same statement, so each row is written once.
    private const string MergeSql = """
        WITH staged AS (
            STAGED
        ), merged AS (
            INSERT INTO source_rows AS s
                (connection_id, feed, source_id, workspace_id, order_key, business_date, payload, needs_derivation, last_run_id)
            SELECT $2, feed, source_id, $3, order_key, business_date, payload, false, $1 FROM staged
            ON CONFLICT (connection_id, feed, source_id) DO UPDATE
                SET order_key = EXCLUDED.order_key,
                    business_date = EXCLUDED.business_date,
                    payload = EXCLUDED.payload,
                    last_run_id = EXCLUDED.last_run_id
                WHERE (s.payload <> EXCLUDED.payload AND s.payload::jsonb <> EXCLUDED.payload::jsonb)
                   OR s.order_key IS DISTINCT FROM EXCLUDED.order_key
                   OR s.business_date IS DISTINCT FROM EXCLUDED.business_date
            RETURNING (xmax = 0) AS inserted, business_date
        ), pending AS (
            INSERT INTO source_pending_dates (connection_id, business_date)
            SELECT DISTINCT $2::uuid, business_date FROM merged
            ON CONFLICT DO NOTHING
        )
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM merged
        """;

    private const string StagedLatest = """
        SELECT DISTINCT ON (feed, source_id) feed, source_id, order_key, business_date, payload
        FROM pull_staging
        WHERE run_id = $1
        ORDER BY feed, source_id, ctid DESC
        """;

    private const string StagedAll = "SELECT feed, source_id, order_key, business_date, payload FROM pull_staging WHERE run_id = $1";

    // A row that moves to another order or date leaves its old order and date to be derived again without it: the old
    // date, and every date of the old order, become pending.
    private const string FlagVacatedSql = """
        WITH vacated AS MATERIALIZED (
            SELECT s.order_key, s.business_date,
                   s.order_key IS DISTINCT FROM st.order_key AS key_moved,
                   s.business_date <> st.business_date AS date_moved
            FROM pull_staging AS st
            JOIN source_rows AS s ON s.connection_id = $2 AND s.feed = st.feed AND s.source_id = st.source_id
            WHERE st.run_id = $1 AND (s.order_key IS DISTINCT FROM st.order_key OR s.business_date <> st.business_date)
        )
        INSERT INTO source_pending_dates (connection_id, business_date)
        SELECT $2, o.business_date FROM source_rows AS o
        WHERE o.connection_id = $2 AND o.order_key IN (SELECT order_key FROM vacated WHERE key_moved)
        UNION
        SELECT $2, business_date FROM vacated WHERE date_moved
        ON CONFLICT DO NOTHING
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerImporter _ledger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ILedgerPayoutStrategy> _payouts;

    public PullRunner(
        NpgsqlDataSource dataSource, LedgerImporter ledger, TimeProvider time, IEnumerable<ILedgerPayoutStrategy>? payoutStrategies = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        _dataSource = dataSource;
        _ledger = ledger;
        _time = time;
        _payouts = new Dictionary<string, ILedgerPayoutStrategy>(StringComparer.Ordinal);
        foreach (var strategy in payoutStrategies ?? [new WildberriesLedgerPayoutStrategy()])
        {
            _payouts[strategy.Marketplace] = strategy;
        }
    }

    /// <summary>
    /// Optional: told how long each phase of a run took, once per phase and run (<c>fetch</c>: waiting for the
    /// connector's pages, which includes the HTTP transfer and the JSON parse; <c>stage</c>: COPY of the pages into
    /// pull_staging; <c>vacate</c>: rows moving to another order or date; <c>merge</c>: staging into source_rows;
    /// <c>unstage</c>: staging deleted and the merge committed; <c>derive</c>: scope, read and map the rows; <c>write</c>: the ledger write;
    /// <c>clean</c>: stale ledger records and pending dates; <c>reconcile</c>). Phases follow each other, none
    /// contains another. For benchmarks and diagnostics; null costs nothing.
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

    private readonly int _mappingPartRows = 10_000;

    /// <summary>
    /// Source rows mapped between two writes of a derivation's orders, when the connector's mapping can hand its orders
    /// over part by part (<see cref="ILedgerMappingSession.TakeOrders"/>) and its payout adds up over parts: bounds
    /// the ledger records a derivation holds, so memory stays flat however big the pull; at least 1.
    /// </summary>
    public int WritePartRows
    {
        get => _writePartRows;
        init => _writePartRows = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one row.");
    }

    private readonly int _writePartRows = 50_000;

    /// <summary>
    /// Runs the queued run <paramref name="runId"/> of <paramref name="connection"/> to its end and returns how it ended
    /// (also stored in <c>pull_runs</c>). Failures of the marketplace, the mapping or the ledger end the run as failed
    /// with a plain message rather than throwing; a run that is not queued throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public async Task<PullRunResult> RunAsync(
        Guid runId, ConnectionSettings connection, IMarketplaceConnector connector, TimeZoneInfo zone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(zone);

        await using var session = await _dataSource.OpenConnectionAsync(ct);
        var window = await StartAsync(session, runId, connection, ct);
        var progress = new Progress();
        try
        {
            await FetchAsync(session, runId, connection, connector, window, progress, ct);
            PhaseTimed?.Invoke("fetch", progress.Fetch);
            PhaseTimed?.Invoke("stage", progress.Stage);

            // Runs of one connection fetch side by side, but merge and derive one at a time.
            Derivation derivation;
            await LockConnectionAsync(session, connection.Id, ct);
            try
            {
                (progress.Inserted, progress.Updated) = await MergeAsync(session, runId, connection, progress.MaybeDuplicates, ct);
                try
                {
                    derivation = await DeriveAsync(session, connection, connector, zone, window, ct);
                }
                catch
                {
                    await FlagPendingAsync(connection.Id);
                    throw;
                }

                if (derivation.Error is not null)
                {
                    await FlagPendingAsync(connection.Id);
                }
            }
            finally
            {
                await UnlockConnectionAsync(session, connection.Id);
            }

            if (derivation.Error is not null)
            {
                return await FailAsync(runId, connection, progress, derivation.Error, ConnectionStatus.Failing);
            }

            var reconciling = Stopwatch.GetTimestamp();
            var (marketplacePayout, ledgerPayout) = await ReconcileAsync(session, connection, connector, window, zone, derivation, ct);
            derivation = Derivation.None; // its rows may be many: let them go before the bookkeeping
            PhaseTimed?.Invoke("reconcile", Stopwatch.GetElapsedTime(reconciling));
            var result = new PullRunResult(
                PullRunStatus.Succeeded, progress.Pages, progress.Rows, progress.Inserted, progress.Updated, null, marketplacePayout, ledgerPayout);
            await FinishAsync(runId, result, CancellationToken.None);
            await SetConnectionAsync(connection.Id, ConnectionStatus.Healthy, null, CancellationToken.None);
            return result;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return await FailAsync(runId, connection, progress, CancelledMessage, connectionStatus: null);
        }
        catch (ConnectorException ex)
        {
            var status = ex.Failure == ConnectorFailure.Unauthorized ? ConnectionStatus.NeedsToken : ConnectionStatus.Failing;
            return await FailAsync(runId, connection, progress, ex.Message, status);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var message = $"the pull stopped on an unexpected error: {ex.Message}";
            return await FailAsync(runId, connection, progress, message, ConnectionStatus.Failing);
        }
        finally
        {
            await ReleaseRunLockAsync(session, runId);
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
        var candidates = new List<Guid>();
        await using (var find = new NpgsqlCommand(
            "SELECT id FROM pull_runs WHERE status = 'running' AND (started_at IS NULL OR started_at < $1) ORDER BY started_at", session))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = cutoff });
            await using var reader = await find.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                candidates.Add(reader.GetGuid(0));
            }
        }

        var cleaned = new List<Guid>();
        foreach (var runId in candidates)
        {
            if (!await TryRunLockAsync(session, runId, ct))
            {
                continue; // its process is alive and still holds it
            }

            try
            {
                await using var transaction = await session.BeginTransactionAsync(ct);
                var marked = await ExecuteAsync(
                    session,
                    "UPDATE pull_runs SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1 AND status = 'running'",
                    ct,
                    runId,
                    InterruptedMessage,
                    _time.GetUtcNow());
                await ExecuteAsync(session, "DELETE FROM pull_staging WHERE run_id = $1", ct, runId);
                await transaction.CommitAsync(ct);
                if (marked > 0)
                {
                    cleaned.Add(runId);
                }
            }
            finally
            {
                await ReleaseRunLockAsync(session, runId);
            }
        }

        return cleaned;
    }

    private async Task<PullWindow> StartAsync(NpgsqlConnection session, Guid runId, ConnectionSettings connection, CancellationToken ct)
    {
        if (!await TryRunLockAsync(session, runId, ct))
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} is being run by another process."));
        }

        await using var start = new NpgsqlCommand(
            """
            UPDATE pull_runs SET status = 'running', started_at = $2, error = NULL
            WHERE id = $1 AND status = 'queued'
            RETURNING connection_id, period_from, period_to
            """,
            session);
        start.Parameters.Add(new NpgsqlParameter { Value = runId });
        start.Parameters.Add(new NpgsqlParameter { Value = _time.GetUtcNow() });
        await using var reader = await start.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            await reader.DisposeAsync();
            await ReleaseRunLockAsync(session, runId);
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} does not exist or is not queued."));
        }

        var connectionId = reader.GetGuid(0);
        var window = new PullWindow(reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(2));
        await reader.DisposeAsync();
        if (connectionId != connection.Id)
        {
            await ReleaseRunLockAsync(session, runId);
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} belongs to connection {connectionId}, not {connection.Id}."));
        }

        return window;
    }

    private static async Task FetchAsync(
        NpgsqlConnection session,
        Guid runId,
        ConnectionSettings connection,
        IMarketplaceConnector connector,
        PullWindow window,
        Progress progress,
        CancellationToken ct)
    {
        await using var pages = connector.FetchAsync(connection, window, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            var waited = Stopwatch.GetTimestamp();
            var more = await pages.MoveNextAsync();
            progress.Fetch += Stopwatch.GetElapsedTime(waited);
            if (!more)
            {
                break;
            }

            ct.ThrowIfCancellationRequested();
            var page = pages.Current;
            var staged = Stopwatch.GetTimestamp();
            await using var transaction = await session.BeginTransactionAsync(ct);

            // A page's commit need not wait for the disk: staging is unlogged and dies with the run, and a crash that
            // loses the progress update only loses the run, which housekeeping then fails and the next run repeats.
            await ExecuteAsync(session, "SET LOCAL synchronous_commit TO off", ct);
            if (page.Rows.Count > 0)
            {
                // Encoded by the importer's own binary COPY writer: large writes, no per-value async call.
                await using var copy = await session.BeginRawBinaryCopyAsync(StagingCopy, ct);
                try
                {
                    var buffer = new BinaryCopyBuffer();
                    buffer.Header();
                    foreach (var row in page.Rows)
                    {
                        if (!progress.Seen.Add(row.Feed, row.SourceId))
                        {
                            progress.MaybeDuplicates = true;
                        }

                        buffer.StartRow(6);
                        buffer.Uuid(runId);
                        buffer.Text(row.Feed);
                        buffer.Text(row.SourceId);
                        buffer.Text(row.OrderKey);
                        buffer.Date(row.BusinessDate);
                        buffer.Text(row.Payload);
                        if (buffer.Full)
                        {
                            await buffer.FlushAsync(copy, ct);
                        }
                    }

                    buffer.Trailer();
                    await buffer.FlushAsync(copy, ct);
                }
                catch
                {
                    await LedgerImporter.CancelQuietlyAsync(copy);
                    throw;
                }
            }

            progress.Pages++;
            progress.Rows += page.Rows.Count;
            // Updating the run locks its row until the page commits: it stands for the foreign key staging has not.
            var running = await ExecuteAsync(
                session, "UPDATE pull_runs SET pages_read = $2, rows_read = $3 WHERE id = $1", ct, runId, progress.Pages, progress.Rows);
            if (running == 0)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} was deleted while it ran."));
            }

            await transaction.CommitAsync(ct);
            progress.Stage += Stopwatch.GetElapsedTime(staged);
        }
    }

    private async Task<(int Inserted, int Updated)> MergeAsync(
        NpgsqlConnection session, Guid runId, ConnectionSettings connection, bool maybeDuplicates, CancellationToken ct)
    {
        var vacating = Stopwatch.GetTimestamp();
        await using var transaction = await session.BeginTransactionAsync(ct);

        // What the foreign keys of source_rows checked row by row, once: the connection exists and stays until commit.
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM connections WHERE id = $1 AND workspace_id = $2 FOR KEY SHARE", session))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = connection.Id });
            exists.Parameters.Add(new NpgsqlParameter { Value = connection.WorkspaceId });
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"Connection {connection.Id} of workspace {connection.WorkspaceId} no longer exists."));
            }
        }

        await ExecuteAsync(session, FlagVacatedSql, ct, runId, connection.Id);
        PhaseTimed?.Invoke("vacate", Stopwatch.GetElapsedTime(vacating));
        var merging = Stopwatch.GetTimestamp();
        int inserted, updated;
        var sql = MergeSql.Replace("STAGED", maybeDuplicates ? StagedLatest : StagedAll, StringComparison.Ordinal);
        await using (var merge = new NpgsqlCommand(sql, session) { CommandTimeout = 0 })
        {
            merge.Parameters.Add(new NpgsqlParameter { Value = runId });
            merge.Parameters.Add(new NpgsqlParameter { Value = connection.Id });
            merge.Parameters.Add(new NpgsqlParameter { Value = connection.WorkspaceId });
            await using var reader = await merge.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            inserted = reader.GetInt32(0);
            updated = reader.GetInt32(1);
        }

        PhaseTimed?.Invoke("merge", Stopwatch.GetElapsedTime(merging));
        var unstaging = Stopwatch.GetTimestamp();
        await ExecuteAsync(session, "DELETE FROM pull_staging WHERE run_id = $1", ct, runId);
        await ExecuteAsync(session, "UPDATE pull_runs SET inserted = $2, updated = $3 WHERE id = $1", ct, runId, inserted, updated);
        await transaction.CommitAsync(ct);
        PhaseTimed?.Invoke("unstage", Stopwatch.GetElapsedTime(unstaging));
        return (inserted, updated);
    }

    /// <summary>
    /// Derives the ledger of the connection's pending dates (<c>source_pending_dates</c>, filled by the merges, and the
    /// dates of rows flagged <c>needs_derivation</c>). The dates are re-derived whole: every row of those dates, and
    /// every row of every order with a row on them (an order's rows are mapped together, wherever their dates); the
    /// orders are re-derived whole too. The mapping then carries the complete orders and the complete dates; period
    /// fees and ad spend of the other dates it touches are partial and are dropped (those dates are not changed).
    /// Writes the ledger, deletes what those orders and dates no longer produce, and clears the pending dates and
    /// flags. Returns the ledger's rejection in plain words, or the rows it read and their mapping (for reconciliation).
    /// </summary>
    private async Task<Derivation> DeriveAsync(
        NpgsqlConnection session,
        ConnectionSettings connection,
        IMarketplaceConnector connector,
        TimeZoneInfo zone,
        PullWindow reconcileWindow,
        CancellationToken ct)
    {
        var deriving = Stopwatch.GetTimestamp();
        await DropScopeAsync(session);
        try
        {
            await ExecuteAsync(
                session,
                """
                CREATE TEMP TABLE pull_derive_dates AS
                SELECT business_date FROM source_pending_dates WHERE connection_id = $1
                UNION
                SELECT business_date FROM source_rows WHERE connection_id = $1 AND needs_derivation
                """,
                ct,
                connection.Id);
            await ExecuteAsync(
                session,
                """
                CREATE TEMP TABLE pull_derive_keys AS
                SELECT DISTINCT order_key FROM source_rows
                WHERE connection_id = $1 AND order_key IS NOT NULL
                  AND business_date IN (SELECT business_date FROM pull_derive_dates)
                """,
                ct,
                connection.Id);
            await ExecuteAsync(session, "ANALYZE pull_derive_dates", ct);
            await ExecuteAsync(session, "ANALYZE pull_derive_keys", ct);

            var dates = new HashSet<DateOnly>(await ListAsync<DateOnly>(session, "SELECT business_date FROM pull_derive_dates", ct));
            if (dates.Count == 0)
            {
                return Derivation.None;
            }

            // Read in order of order key, so each order's rows come together and the mapping takes them part by part;
            // a session that can hand its orders over has them written every WritePartRows rows (memory stays flat:
            // each part is whole orders, written idempotently, and the pending dates stay until the end, so a run
            // that stops half-way is completed by the next one).
            var mapping = StartMapping(connector, zone);
            var window = new WindowCheck(reconcileWindow);
            var parts = new PartWriter(this, connection.WorkspaceId, connector, mapping, _payouts.GetValueOrDefault(connector.Marketplace));
            try
            {
                await StreamAsync(
                    session,
                    """
                    SELECT feed, source_id, order_key, business_date, payload FROM source_rows
                    WHERE connection_id = $1
                      AND (business_date IN (SELECT business_date FROM pull_derive_dates)
                           OR order_key IN (SELECT order_key FROM pull_derive_keys))
                    ORDER BY order_key
                    """,
                    mapping,
                    row =>
                    {
                        window.See(row);
                        parts.See(row);
                    },
                    parts.AfterPartAsync,
                    ct,
                    connection.Id);
                var mapped = mapping.Finish();
                parts.Count(mapped);
                PhaseTimed?.Invoke("derive", Stopwatch.GetElapsedTime(deriving));
                var writing = Stopwatch.GetTimestamp();
                await parts.WriteAsync(
                    new DerivedLedger(
                        mapped.Sales,
                        mapped.Returns,
                        [.. mapped.AdSpend.Where(a => dates.Contains(a.Date))],
                        [.. mapped.Fees.Where(f => dates.Contains(f.Date))]),
                    ct);
                PhaseTimed?.Invoke("write", Stopwatch.GetElapsedTime(writing));
            }
            catch (LedgerRejectedException)
            {
                return new Derivation(parts.Rejection, null, null);
            }
            finally
            {
                // A part still being written when the stream failed is waited for before the lock goes.
                await parts.DrainAsync();
            }

            var ledger = mapping.Finish();
            var cleaning = Stopwatch.GetTimestamp();
            await using var transaction = await session.BeginTransactionAsync(ct);
            await DeleteStalePeriodRowsAsync(
                session,
                connection.WorkspaceId,
                connector.Marketplace,
                new DerivedLedger([], [], [.. ledger.AdSpend.Where(a => dates.Contains(a.Date))], [.. ledger.Fees.Where(f => dates.Contains(f.Date))]),
                ct);
            await ExecuteAsync(
                session,
                "DELETE FROM source_pending_dates WHERE connection_id = $1 AND business_date IN (SELECT business_date FROM pull_derive_dates)",
                ct,
                connection.Id);
            await ExecuteAsync(
                session,
                """
                UPDATE source_rows SET needs_derivation = false
                WHERE connection_id = $1 AND needs_derivation AND business_date IN (SELECT business_date FROM pull_derive_dates)
                """,
                ct,
                connection.Id);
            await transaction.CommitAsync(ct);
            PhaseTimed?.Invoke("clean", Stopwatch.GetElapsedTime(cleaning));
            // The reconciliation of the window can take this mapping when its rows were exactly the window's rows.
            return window.AllInside && Covers(dates, reconcileWindow) ? new Derivation(null, mapping, parts.LedgerPayout) : Derivation.None;
        }
        finally
        {
            await DropScopeAsync(session);
        }
    }

    /// <summary>
    /// After a derivation that failed or was cancelled, flags the rows of the pending dates <c>needs_derivation</c>,
    /// so what waits for the next run shows on the rows themselves (the pending dates alone already make the next run
    /// derive them, so this is best effort).
    /// </summary>
    private async Task FlagPendingAsync(Guid connectionId)
    {
        try
        {
            await using var session = await _dataSource.OpenConnectionAsync(CancellationToken.None);
            await ExecuteAsync(
                session,
                """
                UPDATE source_rows SET needs_derivation = true
                WHERE connection_id = $1 AND NOT needs_derivation
                  AND business_date IN (SELECT business_date FROM source_pending_dates WHERE connection_id = $1)
                """,
                CancellationToken.None,
                connectionId);
        }
        catch (NpgsqlException)
        {
            // The pending dates stay, and the next run derives them all the same.
        }
    }

    private static async Task DropScopeAsync(NpgsqlConnection session)
    {
        try
        {
            await ExecuteAsync(session, "DROP TABLE IF EXISTS pg_temp.pull_derive_dates, pg_temp.pull_derive_keys", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken session has lost its temporary tables with it.
        }
    }

    /// <summary>
    /// Deletes the period fees and ad spend of the derived dates (the temporary scope table) that the new mapping no
    /// longer produces, and bumps the ledger version if it deleted any. Ad spend is only deleted for channels the
    /// mapping still produces, so ad spend loaded from files stays. Sales lines and returns are checked part by part
    /// as they are written (<see cref="DeleteStaleOrderRowsAsync"/>).
    /// </summary>
    private static async Task DeleteStalePeriodRowsAsync(
        NpgsqlConnection session,
        Guid workspaceId,
        string marketplace,
        DerivedLedger ledger,
        CancellationToken ct)
    {
        var fees = ledger.Fees.Where(f => f.Marketplace == marketplace).Select(f => Key(DateKey(f.Date), f.Kind)).ToHashSet(StringComparer.Ordinal);
        var ads = ledger.AdSpend.Where(a => a.Marketplace == marketplace).ToList();
        var adChannels = ads.Select(a => a.Channel).Distinct(StringComparer.Ordinal).ToArray();
        var adKeys = ads.Select(a => Key(DateKey(a.Date), a.Channel)).ToHashSet(StringComparer.Ordinal);

        var deleted = await DeleteMissingAsync(
            session,
            "SELECT date::text, kind FROM period_fees WHERE workspace_id = $1 AND marketplace = $2 AND date IN (SELECT business_date FROM pull_derive_dates)",
            [workspaceId, marketplace],
            fees,
            """
            DELETE FROM period_fees AS f USING unnest($3::text[], $4::text[]) AS k (d, kind)
            WHERE f.workspace_id = $1 AND f.marketplace = $2 AND f.date = k.d::date AND f.kind = k.kind
            """,
            2,
            null,
            ct);
        if (adChannels.Length > 0)
        {
            deleted += await DeleteMissingAsync(
                session,
                "SELECT date::text, channel FROM ad_spend WHERE workspace_id = $1 AND marketplace = $2 AND date IN (SELECT business_date FROM pull_derive_dates) AND channel = ANY($3)",
                [workspaceId, marketplace, adChannels],
                adKeys,
                """
                DELETE FROM ad_spend AS a USING unnest($3::text[], $4::text[]) AS k (d, c)
                WHERE a.workspace_id = $1 AND a.marketplace = $2 AND a.date = k.d::date AND a.channel = k.c
                """,
                2,
                null,
                ct);
        }

        if (deleted > 0)
        {
            await LogChangeAsync(session, workspaceId, marketplace, [], spendOrFees: true, ct);
        }
    }

    /// <summary>
    /// Deletes the sales lines and returns of some derived orders (<paramref name="orderKeys"/>: every order whose
    /// source rows were mapped into <paramref name="written"/>, so whole orders) that the mapping no longer produces
    /// (a line restated to another day, an order that lost its sale), in one transaction with a ledger version bump
    /// naming the orders, if it deleted any. The stored keys are read by index lookups per order, whatever the ledger's
    /// statistics say, and compared here, so this stays cheap when nothing is stale; it holds one part's keys only.
    /// </summary>
    private async Task DeleteStaleOrderRowsAsync(
        Guid workspaceId, string marketplace, IReadOnlyCollection<string> orderKeys, DerivedLedger written, CancellationToken ct)
    {
        if (orderKeys.Count == 0)
        {
            return;
        }

        var orders = orderKeys.ToArray();
        var sales = written.Sales.Where(s => s.Marketplace == marketplace).Select(s => Key(s.OrderId, s.LineId)).ToHashSet(StringComparer.Ordinal);
        var returns = written.Returns.Where(r => r.Marketplace == marketplace).Select(r => Key(r.OrderId, r.LineId, r.ReturnId)).ToHashSet(StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        await using var session = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await session.BeginTransactionAsync(ct);
        var deleted = await DeleteMissingAsync(
            session,
            """
            SELECT r.order_id, r.line_id, r.return_id FROM unnest($3::text[]) AS k (order_key)
            CROSS JOIN LATERAL (SELECT order_id, line_id, return_id FROM returns
                                WHERE workspace_id = $1 AND marketplace = $2 AND order_id = k.order_key) AS r
            """,
            [workspaceId, marketplace, orders],
            returns,
            """
            DELETE FROM returns AS r USING unnest($3::text[], $4::text[], $5::text[]) AS k (o, l, i)
            WHERE r.workspace_id = $1 AND r.marketplace = $2 AND r.order_id = k.o AND r.line_id = k.l AND r.return_id = k.i
            """,
            3,
            touched,
            ct);
        deleted += await DeleteMissingAsync(
            session,
            """
            SELECT s.order_id, s.line_id FROM unnest($3::text[]) AS k (order_key)
            CROSS JOIN LATERAL (SELECT order_id, line_id FROM sales_lines
                                WHERE workspace_id = $1 AND marketplace = $2 AND order_id = k.order_key) AS s
            """,
            [workspaceId, marketplace, orders],
            sales,
            """
            DELETE FROM sales_lines AS s USING unnest($3::text[], $4::text[]) AS k (o, l)
            WHERE s.workspace_id = $1 AND s.marketplace = $2 AND s.order_id = k.o AND s.line_id = k.l
            """,
            2,
            touched,
            ct);
        if (deleted > 0)
        {
            await LogChangeAsync(session, workspaceId, marketplace, touched, spendOrFees: false, ct);
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Reads the stored keys <paramref name="select"/> returns (its first parameters <paramref name="values"/>),
    /// deletes those not in <paramref name="kept"/> with <paramref name="delete"/> (the same first parameters, then
    /// one text array per key column) and returns how many it deleted. <paramref name="touchedOrders"/>, when given,
    /// gets the first key column of what it deleted (an order id).
    /// </summary>
    private static async Task<int> DeleteMissingAsync(
        NpgsqlConnection session,
        string select,
        object[] values,
        HashSet<string> kept,
        string delete,
        int columns,
        HashSet<string>? touchedOrders,
        CancellationToken ct)
    {
        var stale = new List<string[]>();
        await using (var command = new NpgsqlCommand(select, session) { CommandTimeout = 0 })
        {
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = new string[columns];
                for (var c = 0; c < columns; c++)
                {
                    key[c] = reader.GetString(c);
                }

                if (!kept.Contains(Key(key)))
                {
                    stale.Add(key);
                }
            }
        }

        if (stale.Count == 0)
        {
            return 0;
        }

        touchedOrders?.UnionWith(stale.Select(v => v[0]));
        await using var remove = new NpgsqlCommand(delete, session) { CommandTimeout = 0 };
        remove.Parameters.Add(new NpgsqlParameter { Value = values[0] });
        remove.Parameters.Add(new NpgsqlParameter { Value = values[1] });
        for (var c = 0; c < columns; c++)
        {
            var column = c;
            remove.Parameters.Add(new NpgsqlParameter { Value = stale.Select(v => v[column]).ToArray() });
        }

        return await remove.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Bumps the ledger version with a change log row naming the orders that lost rows (decision 0009).</summary>
    private static async Task LogChangeAsync(
        NpgsqlConnection session, Guid workspaceId, string marketplace, IReadOnlyCollection<string> orders, bool spendOrFees, CancellationToken ct)
    {
        await using var bump = new NpgsqlCommand(
            """
            WITH bumped AS (UPDATE workspaces SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING ledger_version)
            INSERT INTO ledger_changes (workspace_id, version, scope, marketplaces, order_ids, spend_or_fees)
            SELECT $1, ledger_version, 'orders', $2, $3, $4 FROM bumped
            """,
            session);
        bump.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        bump.Parameters.Add(new NpgsqlParameter { Value = orders.Select(_ => marketplace).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        bump.Parameters.Add(new NpgsqlParameter { Value = orders.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        bump.Parameters.Add(new NpgsqlParameter { Value = spendOrFees });
        await bump.ExecuteNonQueryAsync(ct);
    }

    private static string Key(params string[] parts) => string.Join('\u001f', parts);

    private static string DateKey(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<(decimal? Marketplace, decimal? Ledger)> ReconcileAsync(
        NpgsqlConnection session,
        ConnectionSettings connection,
        IMarketplaceConnector connector,
        PullWindow window,
        TimeZoneInfo zone,
        Derivation derivation,
        CancellationToken ct)
    {
        var mapping = derivation.WindowMapping;
        var strategy = _payouts.GetValueOrDefault(connector.Marketplace);
        if (mapping is not null && derivation.LedgerPayout is { } derived)
        {
            return (mapping.MarketplacePayout, derived);
        }

        decimal? drained = null;
        if (mapping is null)
        {
            mapping = StartMapping(connector, zone);
            var counting = mapping;

            // With an additive strategy the orders are summed part by part and let go (memory stays flat).
            Func<int, CancellationToken, Task>? afterPart = null;
            if (strategy is { Additive: true })
            {
                drained = 0m;
                afterPart = (_, _) =>
                {
                    if (counting.TakeOrders() is { } part)
                    {
                        drained += strategy.ComputeFromMapping(connector, part) ?? 0m;
                    }

                    return Task.CompletedTask;
                };
            }

            await StreamAsync(
                session,
                "SELECT feed, source_id, order_key, business_date, payload FROM source_rows WHERE connection_id = $1 AND business_date BETWEEN $2 AND $3 ORDER BY order_key",
                mapping,
                null,
                afterPart,
                ct,
                connection.Id,
                window.From,
                window.To);
        }

        var marketplace = mapping.MarketplacePayout;
        decimal? ledger = null;
        if (strategy is not null)
        {
            ledger = strategy.ComputeFromMapping(connector, mapping.Finish()) + (drained ?? 0m);
            if (ledger is null && mapping is CollectingMappingSession collected)
            {
                ledger = strategy.Compute(connector, collected.Rows, zone);
            }
        }

        return (marketplace, ledger);
    }

    private static ILedgerMappingSession StartMapping(IMarketplaceConnector connector, TimeZoneInfo zone) =>
        connector is IStreamingLedgerMapper streaming ? streaming.StartMapping(zone) : new CollectingMappingSession(connector, zone);

    private static bool Covers(HashSet<DateOnly> dates, PullWindow window)
    {
        for (var day = window.From; day <= window.To; day = day.AddDays(1))
        {
            if (!dates.Contains(day))
            {
                return false;
            }

            if (day == DateOnly.MaxValue)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>
    /// Reads source rows (feed, source id, order key, date, payload) ordered by order key and hands them to
    /// <paramref name="mapping"/> in parts of about <see cref="MappingPartRows"/> rows, never splitting an order.
    /// </summary>
    private async Task StreamAsync(
        NpgsqlConnection session,
        string sql,
        ILedgerMappingSession mapping,
        Action<SourceRow>? seen,
        Func<int, CancellationToken, Task>? afterPart,
        CancellationToken ct,
        params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, session) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var part = new List<SourceRow>(Math.Min(_mappingPartRows, 100_000) + 16);
        string? lastKey = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new SourceRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateOnly>(3),
                reader.GetString(4));
            if (part.Count >= _mappingPartRows && (row.OrderKey is null || !string.Equals(row.OrderKey, lastKey, StringComparison.Ordinal)))
            {
                mapping.Add(part);
                var added = part.Count;
                part.Clear();
                if (afterPart is not null)
                {
                    await afterPart(added, ct);
                }
            }

            part.Add(row);
            lastKey = row.OrderKey;
            seen?.Invoke(row);
        }

        if (part.Count > 0)
        {
            mapping.Add(part);
        }
    }

    /// <summary>
    /// Writes the orders a mapping session hands over every <see cref="WritePartRows"/> source rows (when it can and
    /// the payout strategy adds up over parts), then deletes what those orders no longer produce, keeping only the
    /// running ledger payout between parts; a part is written while the next is read and mapped. A rejection by the
    /// ledger stops the stream.
    /// </summary>
    private sealed class PartWriter(PullRunner runner, Guid workspaceId, IMarketplaceConnector connector, ILedgerMappingSession mapping, ILedgerPayoutStrategy? strategy)
    {
        private readonly HashSet<string> _orderKeys = new(StringComparer.Ordinal);
        private Task _pending = Task.CompletedTask;
        private int _rowsSinceWrite;

        public bool Enabled { get; } = strategy is null || strategy.Additive;

        /// <summary>The ledger payout of the orders written so far (null without an additive strategy).</summary>
        public decimal? LedgerPayout { get; private set; } = strategy is { Additive: true } ? 0m : null;

        public string? Rejection { get; private set; }

        /// <summary>Notes the order of a source row handed to the mapping (the orders of the next part).</summary>
        public void See(SourceRow row)
        {
            if (row.OrderKey is not null)
            {
                _orderKeys.Add(row.OrderKey);
            }
        }

        /// <summary>
        /// After the mapping took a part: every <see cref="WritePartRows"/> rows, hands the orders mapped so far to a
        /// write that runs while the next rows are read and mapped (PostgreSQL writes while this process parses). One
        /// write at a time: the next part waits for the previous one, which also brings its rejection or error here.
        /// </summary>
        public async Task AfterPartAsync(int rows, CancellationToken ct)
        {
            _rowsSinceWrite += rows;
            if (!Enabled || _rowsSinceWrite < runner._writePartRows)
            {
                return;
            }

            _rowsSinceWrite = 0;
            if (mapping.TakeOrders() is { } part)
            {
                Count(part);
                var orders = TakeOrderKeys();
                await _pending;
                _pending = WritePartAsync(part, orders, ct);
            }
        }

        /// <summary>Writes the last of the orders with the period rows, once the part before it is written.</summary>
        public async Task WriteAsync(DerivedLedger part, CancellationToken ct)
        {
            var pending = _pending;
            _pending = Task.CompletedTask;
            await pending;
            await WritePartAsync(part, TakeOrderKeys(), ct);
        }

        /// <summary>Waits for a write still running (its failure has already ended the derivation, or will be seen).</summary>
        public async Task DrainAsync()
        {
            // Whatever it failed with, the derivation is already failing with its own error, the one reported.
            await _pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _pending = Task.CompletedTask;
        }

        private string[] TakeOrderKeys()
        {
            var orders = _orderKeys.ToArray();
            _orderKeys.Clear();
            return orders;
        }

        /// <summary>
        /// Writes a part, then deletes the stale sales lines and returns of the orders mapped into it (every order seen
        /// has been mapped whole by then).
        /// </summary>
        private async Task WritePartAsync(DerivedLedger part, string[] orders, CancellationToken ct)
        {
            if (part.Sales.Count + part.Returns.Count + part.AdSpend.Count + part.Fees.Count > 0)
            {
                var written = await runner._ledger.WriteAsync(
                    workspaceId,
                    new LedgerBatch { Sales = part.Sales, Returns = part.Returns, AdSpend = part.AdSpend, Fees = part.Fees },
                    ct);
                if (!written.Succeeded)
                {
                    var shown = string.Join("; ", written.Errors.Take(5).Select(e => e.ToString()));
                    var more = written.Errors.Count > 5
                        ? string.Create(CultureInfo.InvariantCulture, $" (and {written.Errors.Count - 5} more)")
                        : "";
                    Rejection = $"the ledger rejected what the pulled rows map to: {shown}{more}";
                    throw new LedgerRejectedException();
                }
            }

            await runner.DeleteStaleOrderRowsAsync(workspaceId, connector.Marketplace, orders, part, ct);
        }

        /// <summary>Adds a part's records to the running ledger payout (orders taken, or what the session finished with).</summary>
        public void Count(DerivedLedger mapped)
        {
            if (LedgerPayout is { } sum && strategy is not null)
            {
                LedgerPayout = sum + (strategy.ComputeFromMapping(connector, mapped) ?? 0m);
            }
        }
    }

    /// <summary>Stops a derivation's stream when the ledger rejected a part.</summary>
    private sealed class LedgerRejectedException : Exception
    {
        public LedgerRejectedException()
        {
        }

        public LedgerRejectedException(string message)
            : base(message)
        {
        }

        public LedgerRejectedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }

    private async Task<PullRunResult> FailAsync(
        Guid runId, ConnectionSettings connection, Progress progress, string error, string? connectionStatus)
    {
        // The caller's token may have fired: the bookkeeping of a failure always completes.
        await using (var session = await _dataSource.OpenConnectionAsync(CancellationToken.None))
        {
            await ExecuteAsync(session, "DELETE FROM pull_staging WHERE run_id = $1", CancellationToken.None, runId);
        }

        var result = new PullRunResult(
            PullRunStatus.Failed, progress.Pages, progress.Rows, progress.Inserted, progress.Updated, error, null, null);
        await FinishAsync(runId, result, CancellationToken.None);
        if (connectionStatus is not null)
        {
            await SetConnectionAsync(connection.Id, connectionStatus, error, CancellationToken.None);
        }

        return result;
    }

    private async Task FinishAsync(Guid runId, PullRunResult result, CancellationToken ct)
    {
        await using var session = await _dataSource.OpenConnectionAsync(ct);
        await using var finish = new NpgsqlCommand(
            """
            UPDATE pull_runs
            SET status = $2, pages_read = $3, rows_read = $4, inserted = $5, updated = $6, error = $7,
                marketplace_payout = $8, ledger_payout = $9, finished_at = $10
            WHERE id = $1
            """,
            session);
        finish.Parameters.Add(new NpgsqlParameter { Value = runId });
        finish.Parameters.Add(new NpgsqlParameter { Value = result.Status });
        finish.Parameters.Add(new NpgsqlParameter { Value = result.PagesRead });
        finish.Parameters.Add(new NpgsqlParameter { Value = result.RowsRead });
        finish.Parameters.Add(new NpgsqlParameter { Value = result.Inserted });
        finish.Parameters.Add(new NpgsqlParameter { Value = result.Updated });
        finish.Parameters.Add(new NpgsqlParameter { Value = (object?)result.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        finish.Parameters.Add(new NpgsqlParameter { Value = (object?)result.MarketplacePayout ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        finish.Parameters.Add(new NpgsqlParameter { Value = (object?)result.LedgerPayout ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        finish.Parameters.Add(new NpgsqlParameter { Value = _time.GetUtcNow() });
        await finish.ExecuteNonQueryAsync(ct);
    }

    private async Task SetConnectionAsync(Guid connectionId, string status, string? error, CancellationToken ct)
    {
        await using var session = await _dataSource.OpenConnectionAsync(ct);
        await using var update = new NpgsqlCommand(
            "UPDATE connections SET status = $2, last_error = $3, updated_at = $4 WHERE id = $1", session);
        update.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        update.Parameters.Add(new NpgsqlParameter { Value = status });
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter { Value = _time.GetUtcNow() });
        await update.ExecuteNonQueryAsync(ct);
    }

    private static async Task<bool> TryRunLockAsync(NpgsqlConnection session, Guid runId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(" + RunLockKey + ")", session);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        return await command.ExecuteScalarAsync(ct) is true;
    }

    private static async Task LockConnectionAsync(NpgsqlConnection session, Guid connectionId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(" + ConnectionLockKey + ")", session);
        command.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        await command.ExecuteScalarAsync(ct);
    }

    private static async Task UnlockConnectionAsync(NpgsqlConnection session, Guid connectionId)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(" + ConnectionLockKey + ")", session);
            command.Parameters.Add(new NpgsqlParameter { Value = connectionId });
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken session has lost its locks with it.
        }
    }

    private static async Task ReleaseRunLockAsync(NpgsqlConnection session, Guid runId)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(" + RunLockKey + ")", session);
            command.Parameters.Add(new NpgsqlParameter { Value = runId });
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken session has lost its locks with it.
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection session, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, session) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection session, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, session);
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(reader.GetFieldValue<T>(0));
        }

        return list;
    }

    private sealed class Progress
    {
        public int Pages { get; set; }

        public int Rows { get; set; }

        public int Inserted { get; set; }

        public int Updated { get; set; }

        public TimeSpan Fetch { get; set; }

        public TimeSpan Stage { get; set; }

        /// <summary>
        /// The (feed, source id) staged so far, to know whether the merge must deduplicate: a Bloom filter of 4 MB
        /// however long the report (about one false "maybe" in 50 pulls of a million rows, which only costs a sort).
        /// </summary>
        public KeyFilter Seen { get; } = new(log2Bits: 25);

        /// <summary>Whether a (feed, source id) may have been staged twice (or the filter answered "maybe").</summary>
        public bool MaybeDuplicates { get; set; }
    }

    /// <summary>
    /// What a derivation ended with: the ledger's rejection, or (when the rows it mapped were exactly the rows of the
    /// run's window) its mapping, which the reconciliation takes instead of reading and mapping the window again.
    /// </summary>
    private sealed record Derivation(string? Error, ILedgerMappingSession? WindowMapping, decimal? LedgerPayout)
    {
        public static Derivation None { get; } = new(null, null, null);
    }

    /// <summary>Whether every row seen lies in the window.</summary>
    private sealed class WindowCheck(PullWindow window)
    {
        public bool AllInside { get; private set; } = true;

        public void See(SourceRow row)
        {
            if (row.BusinessDate < window.From || row.BusinessDate > window.To)
            {
                AllInside = false;
            }
        }
    }
}
