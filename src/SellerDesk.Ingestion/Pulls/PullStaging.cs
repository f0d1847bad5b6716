using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>How far a run has come, and what its fetch learned about whole feeds.</summary>
internal sealed class PullProgress
{
    public int Pages { get; set; }

    public int Rows { get; set; }

    public int Inserted { get; set; }

    public int Updated { get; set; }

    public int Dropped { get; set; }

    public TimeSpan Fetch { get; set; }

    public TimeSpan Stage { get; set; }

    /// <summary>
    /// The (feed, source id) staged so far, to know whether the merge must deduplicate: a Bloom filter of 4 MB
    /// however long the report (about one false "maybe" in 50 pulls of a million rows, which only costs a sort).
    /// </summary>
    public KeyFilter Seen { get; } = new(log2Bits: 25);

    /// <summary>Whether a (feed, source id) may have been staged twice (or the filter answered "maybe").</summary>
    public bool MaybeDuplicates { get; set; }

    /// <summary>Feeds the connector declared complete for the window (<see cref="SourcePage.CompletedFeeds"/>).</summary>
    public HashSet<string> CompletedFeeds { get; } = new(StringComparer.Ordinal);

    /// <summary>Feeds the connector could not read (<see cref="SourcePage.FailedFeeds"/>).</summary>
    public List<FeedFailure> FailedFeeds { get; } = [];

    /// <summary>Parts of feeds the connector declared whole whatever their dates (<see cref="SourcePage.CompletedParts"/>).</summary>
    public HashSet<FeedPart> CompletedParts { get; } = [];

    /// <summary>Feeds whose rows the marketplace sent whole for the window, and none failed.</summary>
    public string[] WholeFeeds() =>
        [.. CompletedFeeds.Where(f => FailedFeeds.All(x => x.Feed != f)).Order(StringComparer.Ordinal)];
}

/// <summary>
/// The first half of a run (decision 0006): the fetch copies each page into <c>pull_staging</c> (committed per page,
/// with live progress), and the merge moves the staging into <c>source_rows</c> in one transaction, deleting the rows
/// the marketplace dropped from its restated report and noting every date and order to derive again.
/// </summary>
internal static class PullStaging
{
    private const string StagingCopy =
        "COPY pull_staging (workspace_id, run_id, feed, source_id, order_key, business_date, payload) FROM STDIN (FORMAT BINARY)";

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
            ON CONFLICT (workspace_id, connection_id, feed, source_id) DO UPDATE
                SET order_key = EXCLUDED.order_key,
                    business_date = EXCLUDED.business_date,
                    payload = EXCLUDED.payload,
                    last_run_id = EXCLUDED.last_run_id
                WHERE (s.payload <> EXCLUDED.payload AND s.payload::jsonb <> EXCLUDED.payload::jsonb)
                   OR s.order_key IS DISTINCT FROM EXCLUDED.order_key
                   OR s.business_date IS DISTINCT FROM EXCLUDED.business_date
            RETURNING (xmax = 0) AS inserted, business_date
        ), pending AS (
            INSERT INTO source_pending_dates (workspace_id, connection_id, business_date)
            SELECT DISTINCT $3::uuid, $2::uuid, business_date FROM merged
            ON CONFLICT DO NOTHING
        )
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM merged
        """;

    private const string StagedLatest = """
        SELECT DISTINCT ON (feed, source_id) feed, source_id, order_key, business_date, payload
        FROM pull_staging
        WHERE workspace_id = $3 AND run_id = $1
        ORDER BY feed, source_id, ctid DESC
        """;

    private const string StagedAll = "SELECT feed, source_id, order_key, business_date, payload FROM pull_staging WHERE workspace_id = $3 AND run_id = $1";

    // A row that moves to another order leaves its old order to be derived again without it (even if no row of it is
    // left); a row that moves to another date leaves its old date to be derived again.
    private const string FlagVacatedSql = """
        WITH vacated AS MATERIALIZED (
            SELECT s.order_key, s.business_date,
                   s.order_key IS DISTINCT FROM st.order_key AS key_moved,
                   s.business_date <> st.business_date AS date_moved
            FROM pull_staging AS st
            JOIN source_rows AS s
              ON s.workspace_id = $3 AND s.connection_id = $2 AND s.feed = st.feed AND s.source_id = st.source_id
            WHERE st.workspace_id = $3 AND st.run_id = $1 AND (s.order_key IS DISTINCT FROM st.order_key OR s.business_date <> st.business_date)
        ), orders AS (
            INSERT INTO source_pending_orders (workspace_id, connection_id, order_key)
            SELECT DISTINCT $3::uuid, $2::uuid, order_key FROM vacated WHERE key_moved AND order_key IS NOT NULL
            ON CONFLICT DO NOTHING
        )
        INSERT INTO source_pending_dates (workspace_id, connection_id, business_date)
        SELECT DISTINCT $3::uuid, $2::uuid, business_date FROM vacated WHERE date_moved
        ON CONFLICT DO NOTHING
        """;

    // Stored rows the run did not send although it sent their whole set: they go, and their orders and dates are derived
    // again without them (the ledger rows they fed go too). DROPPED names the set, with $1 the run, $2 the connection
    // and $3 the workspace.
    private const string DropTemplate = """
        WITH dropped AS (
            DELETE FROM source_rows AS s
            WHERE s.workspace_id = $3 AND s.connection_id = $2 AND DROPPED
              AND NOT EXISTS (SELECT 1 FROM pull_staging AS st
                              WHERE st.workspace_id = $3 AND st.run_id = $1 AND st.feed = s.feed AND st.source_id = s.source_id)
            RETURNING s.order_key, s.business_date
        ), orders AS (
            INSERT INTO source_pending_orders (workspace_id, connection_id, order_key)
            SELECT DISTINCT $3::uuid, $2::uuid, order_key FROM dropped WHERE order_key IS NOT NULL
            ON CONFLICT DO NOTHING
        ), dates AS (
            INSERT INTO source_pending_dates (workspace_id, connection_id, business_date)
            SELECT DISTINCT $3::uuid, $2::uuid, business_date FROM dropped
            ON CONFLICT DO NOTHING
        )
        SELECT count(*)::int FROM dropped
        """;

    // The feeds the fetch sent whole, dated in the window: the marketplace dropped what the run did not send.
    private static readonly string DropSql =
        DropTemplate.Replace("DROPPED", "s.feed = ANY($4) AND s.business_date BETWEEN $5 AND $6", StringComparison.Ordinal);

    // A feed part sent whole (an uploaded report: its source ids share a prefix), whatever its dates: the corrected
    // report no longer has what the run did not send.
    private static readonly string DropPartSql =
        DropTemplate.Replace("DROPPED", "s.feed = $4 AND starts_with(s.source_id, $5)", StringComparison.Ordinal);

    /// <summary>
    /// Streams the connector's pages of the window into <c>pull_staging</c>, one transaction per page with the run's
    /// progress, and notes what the pages say about whole feeds.
    /// </summary>
    public static async Task FetchAsync(
        NpgsqlConnection session,
        Guid runId,
        ConnectionSettings connection,
        IMarketplaceConnector connector,
        PullWindow window,
        PullProgress progress,
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
            progress.CompletedFeeds.UnionWith(page.CompletedFeeds);
            progress.FailedFeeds.AddRange(page.FailedFeeds);
            progress.CompletedParts.UnionWith(page.CompletedParts);
            var staged = Stopwatch.GetTimestamp();
            await using var transaction = await session.BeginTransactionAsync(ct);

            // A page's commit need not wait for the disk: staging is unlogged and dies with the run, and a crash that
            // loses the progress update only loses the run, which housekeeping then fails and the next run repeats.
            await PullSql.ExecuteAsync(session, "SET LOCAL synchronous_commit TO off", ct);
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

                        buffer.StartRow(7);
                        buffer.Uuid(connection.WorkspaceId);
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
                    await LedgerWriter.CancelQuietlyAsync(copy);
                    throw;
                }
            }

            progress.Pages++;
            progress.Rows += page.Rows.Count;
            // Updating the run locks its row until the page commits: it stands for the foreign key staging has not.
            var running = await PullSql.ExecuteAsync(
                session,
                "UPDATE pull_runs SET pages_read = $2, rows_read = $3 WHERE workspace_id = $4 AND id = $1",
                ct,
                runId,
                progress.Pages,
                progress.Rows,
                connection.WorkspaceId);
            if (running == 0)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"Pull run {runId} was deleted while it ran."));
            }

            await transaction.CommitAsync(ct);
            progress.Stage += Stopwatch.GetElapsedTime(staged);
        }
    }

    /// <summary>
    /// In one transaction: notes the orders and dates that staged rows leave, deletes the stored rows of whole feeds
    /// the run no longer got (dropped by the marketplace), merges the staging into <c>source_rows</c> (changed dates
    /// become pending) and deletes the staging. Sets the counts on <paramref name="progress"/>.
    /// </summary>
    public static async Task MergeAsync(
        NpgsqlConnection session,
        Guid runId,
        ConnectionSettings connection,
        PullWindow window,
        PullProgress progress,
        Action<string, TimeSpan>? phaseTimed,
        CancellationToken ct)
    {
        var vacating = Stopwatch.GetTimestamp();
        await using var transaction = await session.BeginTransactionAsync(ct);

        // What the foreign keys of source_rows checked row by row, once: the connection exists and stays until commit.
        await using (var exists = PullSql.Command(
            session, "SELECT 1 FROM connections WHERE id = $1 AND workspace_id = $2 FOR KEY SHARE", connection.Id, connection.WorkspaceId))
        {
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"connection {connection.Id} of workspace {connection.WorkspaceId} no longer exists"));
            }
        }

        await PullSql.ExecuteAsync(session, FlagVacatedSql, ct, runId, connection.Id, connection.WorkspaceId);
        var whole = progress.WholeFeeds();
        if (whole.Length > 0)
        {
            await using var drop = PullSql.Command(
                session,
                DropSql,
                runId,
                connection.Id,
                connection.WorkspaceId,
                new NpgsqlParameter { Value = whole, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                window.From,
                window.To);
            progress.Dropped = (int)(await drop.ExecuteScalarAsync(ct))!;
        }

        foreach (var part in progress.CompletedParts.Where(p => progress.FailedFeeds.All(f => f.Feed != p.Feed)))
        {
            await using var drop = PullSql.Command(
                session, DropPartSql, runId, connection.Id, connection.WorkspaceId, part.Feed, part.SourceIdPrefix);
            progress.Dropped += (int)(await drop.ExecuteScalarAsync(ct))!;
        }

        phaseTimed?.Invoke("vacate", Stopwatch.GetElapsedTime(vacating));
        var merging = Stopwatch.GetTimestamp();
        var sql = MergeSql.Replace("STAGED", progress.MaybeDuplicates ? StagedLatest : StagedAll, StringComparison.Ordinal);
        await using (var merge = PullSql.Command(session, sql, runId, connection.Id, connection.WorkspaceId))
        {
            await using var reader = await merge.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            progress.Inserted = reader.GetInt32(0);
            progress.Updated = reader.GetInt32(1);
        }

        phaseTimed?.Invoke("merge", Stopwatch.GetElapsedTime(merging));
        var unstaging = Stopwatch.GetTimestamp();
        await PullSql.ExecuteAsync(session, "DELETE FROM pull_staging WHERE workspace_id = $2 AND run_id = $1", ct, runId, connection.WorkspaceId);
        await PullSql.ExecuteAsync(
            session,
            "UPDATE pull_runs SET inserted = $2, updated = $3 WHERE workspace_id = $4 AND id = $1",
            ct,
            runId,
            progress.Inserted,
            progress.Updated,
            connection.WorkspaceId);
        await transaction.CommitAsync(ct);
        phaseTimed?.Invoke("unstage", Stopwatch.GetElapsedTime(unstaging));
    }
}
