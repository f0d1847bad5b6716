using Npgsql;

namespace SellerDesk.Data.Facts;

/// <summary>
/// The writers' entry to the stored facts (migration 0017, kept by <see cref="LineFactStore"/>): a writer marks the
/// orders it may have changed (MarkAsync, before or after its own statements, in its transaction) and calls
/// <see cref="RefreshAsync"/> before it commits; the facts of the marked orders' days and of their customers are then
/// computed again by the domain from the ledger. The caller holds the workspace's ledger lock.
/// </summary>
public static class OrderFactStore
{
    /// <summary>Orders (or customers) computed and written at a time, so memory stays flat for any write.</summary>
    public const int PartSize = 20_000;

    /// <summary>
    /// Notes orders whose facts must be computed again: <paramref name="keysSql"/> selects (marketplace, order_id)
    /// with the workspace as $1 and <paramref name="values"/> as $2, $3, ...
    /// </summary>
    public static async Task MarkAsync(NpgsqlConnection connection, Guid workspaceId, string keysSql, CancellationToken ct, params object[] values)
    {
        await RequestRefreshAsync(connection, ct);
        await InsertMarksAsync(connection, workspaceId, keysSql, false, values, ct);
    }

    /// <summary>
    /// Notes orders whose returns alone the write changes (a returns file): their sales lines, and so their sale facts,
    /// customers and attribution, stay as they are. When nothing else is marked or requested in the transaction,
    /// <see cref="RefreshAsync"/> computes again only these orders' return effects and their days' rollups
    /// (<see cref="LineFactStore.RefreshReturnsAsync"/>): the cost of the returned orders, not of their days.
    /// </summary>
    public static async Task MarkReturnsAsync(NpgsqlConnection connection, Guid workspaceId, string keysSql, CancellationToken ct, params object[] values)
    {
        await CreateMarksAsync(connection, ct);
        await InsertMarksAsync(connection, workspaceId, keysSql, true, values, ct);
    }

    /// <summary>
    /// Makes the next <see cref="RefreshAsync"/> of this transaction compute the marked orders' days whole (not only
    /// their return effects). Every writer but a returns-only one asks for it.
    /// </summary>
    public static async Task RequestRefreshAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await CreateMarksAsync(connection, ct);
        await LineFactStore.ExecuteAsync(connection, "CREATE TEMP TABLE IF NOT EXISTS fact_refresh_days () ON COMMIT DROP", ct);
    }

    /// <summary>
    /// Notes that this transaction adds, changes or deletes attribution rows: the next <see cref="RefreshAsync"/> then
    /// also computes again every day whose attribution rows differ from the claims stored with its facts, which is
    /// exactly the days the write changed (marking the orders of those days as well would read every one of them
    /// twice). That comparison reads every attribution row and claim of the workspace, so a write that leaves
    /// attribution rows alone (sales, costs) does not ask for it: its cost stays that of its orders' days.
    /// </summary>
    public static async Task AttributionChangedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await RequestRefreshAsync(connection, ct);
        await LineFactStore.ExecuteAsync(connection, "CREATE TEMP TABLE IF NOT EXISTS fact_attribution_changed () ON COMMIT DROP", ct);
    }

    private static Task CreateMarksAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return LineFactStore.ExecuteAsync(
            connection,
            "CREATE TEMP TABLE IF NOT EXISTS fact_marked (marketplace text NOT NULL, order_id text NOT NULL, returns_only boolean NOT NULL) ON COMMIT DROP",
            ct);
    }

    private static Task InsertMarksAsync(NpgsqlConnection connection, Guid workspaceId, string keysSql, bool returnsOnly, object[] values, CancellationToken ct) =>
        LineFactStore.ExecuteAsync(
            connection,
            $"INSERT INTO fact_marked (marketplace, order_id, returns_only) SELECT k.m, k.o, {(returnsOnly ? "true" : "false")} FROM ({keysSql}) AS k (m, o)",
            ct,
            [workspaceId, .. values]);

    /// <summary>Notes the orders <paramref name="orders"/>.</summary>
    public static Task MarkAsync(NpgsqlConnection connection, Guid workspaceId, IReadOnlyCollection<(string Marketplace, string OrderId)> orders, CancellationToken ct) =>
        orders.Count == 0
            ? Task.CompletedTask
            : MarkAsync(
                connection,
                workspaceId,
                "SELECT m, o FROM unnest($2::text[], $3::text[]) AS u (m, o) WHERE $1::uuid IS NOT NULL",
                ct,
                orders.Select(o => o.Marketplace).ToArray(),
                orders.Select(o => o.OrderId).ToArray());

    /// <summary>
    /// Computes the facts of the marked orders' days and of their customers again and writes them with their rollups
    /// (<see cref="LineFactStore.RefreshAsync"/>); returns how many distinct orders were marked. Nothing marked (no
    /// <see cref="MarkAsync(NpgsqlConnection, Guid, string, CancellationToken, object[])"/> in this transaction):
    /// nothing done.
    /// </summary>
    /// <remarks>
    /// The parts are read through the ledger's keys: nested loops on, whatever the writer set for its merge (a hash
    /// join per part would scan the whole ledger once per part); the writer's setting is restored afterwards.
    /// </remarks>
    public static async Task<long> RefreshAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('pg_temp.fact_marked') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        // Bulk writes turn nested loops off for their merge (LedgerImporter); the parts need index lookups.
        var nestloop = await LineFactStore.SetSettingAsync(connection, "enable_nestloop", "on", ct);
        await LineFactStore.ExecuteAsync(connection, "ANALYZE fact_marked", ct);

        // The writer may have just bulk-loaded the ledger the refresh reads by key.
        await LineFactStore.AnalyzeIfGrownAsync(
            connection,
            await LineFactStore.ScalarAsync(connection, "SELECT count(*) FROM fact_marked", ct),
            ct,
            "sales_lines",
            "returns");
        var zone = await ZoneAsync(connection, workspaceId, ct);
        await using (var days = new NpgsqlCommand("SELECT to_regclass('pg_temp.fact_refresh_days') IS NOT NULL", connection))
        {
            if ((bool)(await days.ExecuteScalarAsync(ct))!)
            {
                bool attributionChanged;
                await using (var attribution = new NpgsqlCommand("SELECT to_regclass('pg_temp.fact_attribution_changed') IS NOT NULL", connection))
                {
                    attributionChanged = (bool)(await attribution.ExecuteScalarAsync(ct))!;
                }

                await LineFactStore.RefreshAsync(connection, workspaceId, zone.Id, zone, attributionChanged, ct);
                await LineFactStore.ExecuteAsync(connection, "DROP TABLE IF EXISTS fact_refresh_days, fact_attribution_changed", ct);
            }
            else
            {
                await LineFactStore.RefreshReturnsAsync(connection, workspaceId, zone, ct);
            }
        }

        var marked = await LineFactStore.ScalarAsync(connection, "SELECT count(*) FROM (SELECT DISTINCT marketplace, order_id FROM fact_marked) AS k", ct);
        await LineFactStore.ExecuteAsync(connection, "DROP TABLE fact_marked", ct);
        await LineFactStore.RestoreSettingAsync(connection, "enable_nestloop", nestloop, ct);
        return marked;
    }

    /// <summary>
    /// Computes every fact of the workspaces listed in <c>order_facts_pending</c> (ledgers written before the facts
    /// of migration 0017 existed), one workspace per transaction under its ledger lock.
    /// </summary>
    public static async Task BuildPendingAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        List<Guid> pending = [];
        await using (var list = new NpgsqlCommand("SELECT workspace_id FROM order_facts_pending", connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                pending.Add(reader.GetGuid(0));
            }
        }

        foreach (var workspaceId in pending)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await LineFactStore.ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('sellerdesk.ledger:' || $1::text, 0))", ct, workspaceId);
            await LineFactStore.ExecuteAsync(connection, "SET LOCAL enable_nestloop = off", ct);
            await MarkAsync(connection, workspaceId, "SELECT marketplace, order_id FROM sales_lines WHERE workspace_id = $1", ct);
            await MarkAsync(connection, workspaceId, "SELECT marketplace, order_id FROM customer_order_facts WHERE workspace_id = $1", ct);
            await AttributionChangedAsync(connection, ct);
            await RefreshAsync(connection, workspaceId, ct);
            await LineFactStore.ExecuteAsync(connection, "DELETE FROM order_facts_pending WHERE workspace_id = $1", ct, workspaceId);
            await transaction.CommitAsync(ct);
        }
    }

    private static async Task<TimeZoneInfo> ZoneAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand("SELECT time_zone FROM workspaces WHERE id = $1", connection);
        read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        var name = await read.ExecuteScalarAsync(ct) as string ?? throw new InvalidOperationException($"No workspace {workspaceId}.");
        return TimeZoneInfo.FindSystemTimeZoneById(name);
    }
}
