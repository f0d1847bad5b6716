using Npgsql;
using SellerDesk.Ingestion.Connectors;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// A connection's pending work (decision 0006): the dates (<c>source_pending_dates</c>, filled by the merges, and the
/// dates of rows flagged <c>needs_derivation</c>) and orders (<c>source_pending_orders</c>: orders rows left) its next
/// derivation takes, scoped into temporary tables for one derivation and cleared once it is written.
/// </summary>
internal static class PullPendingWork
{
    /// <summary>
    /// Scopes the derivation: the temporary tables <c>pull_derive_dates</c> (the pending dates) and
    /// <c>pull_derive_keys</c> (every order with a row on them, and the pending orders). Returns the dates, the pending
    /// orders no source row is left of, and whether any order is pending.
    /// </summary>
    public static async Task<(HashSet<DateOnly> Dates, List<string> Vanished, bool AnyPendingOrder)> ScopeAsync(
        NpgsqlConnection session, ConnectionSettings connection, CancellationToken ct)
    {
        await PullSql.ExecuteAsync(
            session,
            """
            CREATE TEMP TABLE pull_derive_dates AS
            SELECT business_date FROM source_pending_dates WHERE workspace_id = $2 AND connection_id = $1
            UNION
            SELECT business_date FROM source_rows WHERE workspace_id = $2 AND connection_id = $1 AND needs_derivation
            """,
            ct,
            connection.Id,
            connection.WorkspaceId);
        await PullSql.ExecuteAsync(
            session,
            """
            CREATE TEMP TABLE pull_derive_keys AS
            SELECT order_key FROM source_rows
            WHERE workspace_id = $2 AND connection_id = $1 AND order_key IS NOT NULL
              AND business_date IN (SELECT business_date FROM pull_derive_dates)
            UNION
            SELECT order_key FROM source_pending_orders WHERE workspace_id = $2 AND connection_id = $1
            """,
            ct,
            connection.Id,
            connection.WorkspaceId);
        await PullSql.ExecuteAsync(session, "ANALYZE pull_derive_dates", ct);
        await PullSql.ExecuteAsync(session, "ANALYZE pull_derive_keys", ct);

        var dates = new HashSet<DateOnly>(await PullSql.ListAsync<DateOnly>(session, "SELECT business_date FROM pull_derive_dates", ct));
        var vanished = await PullSql.ListAsync<string>(
            session,
            """
            SELECT p.order_key FROM source_pending_orders AS p
            WHERE p.workspace_id = $2 AND p.connection_id = $1
              AND NOT EXISTS (SELECT 1 FROM source_rows AS s
                              WHERE s.workspace_id = p.workspace_id AND s.connection_id = p.connection_id AND s.order_key = p.order_key)
            """,
            ct,
            connection.Id,
            connection.WorkspaceId);
        var anyPendingOrder = vanished.Count > 0
            || await PullSql.ListAsync<int>(session, "SELECT 1 FROM source_pending_orders WHERE workspace_id = $2 AND connection_id = $1 LIMIT 1", ct, connection.Id, connection.WorkspaceId) is { Count: > 0 };
        return (dates, vanished, anyPendingOrder);
    }

    /// <summary>Clears the scoped pending dates and orders and the flags of their rows (in the caller's transaction).</summary>
    public static async Task ClearAsync(NpgsqlConnection session, ConnectionSettings connection, CancellationToken ct)
    {
        await PullSql.ExecuteAsync(
            session,
            "DELETE FROM source_pending_dates WHERE workspace_id = $2 AND connection_id = $1 AND business_date IN (SELECT business_date FROM pull_derive_dates)",
            ct,
            connection.Id,
            connection.WorkspaceId);
        await PullSql.ExecuteAsync(
            session,
            "DELETE FROM source_pending_orders WHERE workspace_id = $2 AND connection_id = $1 AND order_key IN (SELECT order_key FROM pull_derive_keys)",
            ct,
            connection.Id,
            connection.WorkspaceId);
        await PullSql.ExecuteAsync(
            session,
            """
            UPDATE source_rows SET needs_derivation = false
            WHERE workspace_id = $2 AND connection_id = $1 AND needs_derivation
              AND business_date IN (SELECT business_date FROM pull_derive_dates)
            """,
            ct,
            connection.Id,
            connection.WorkspaceId);
    }

    /// <summary>
    /// After a derivation that failed or was cancelled, flags the rows of the pending dates <c>needs_derivation</c>,
    /// so what waits for the next run shows on the rows themselves (the pending dates alone already make the next run
    /// derive them, so this is best effort).
    /// </summary>
    public static async Task FlagPendingAsync(NpgsqlDataSource dataSource, Guid workspaceId, Guid connectionId)
    {
        try
        {
            await using var session = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await PullSql.ExecuteAsync(
                session,
                """
                UPDATE source_rows SET needs_derivation = true
                WHERE workspace_id = $2 AND connection_id = $1 AND NOT needs_derivation
                  AND business_date IN (SELECT business_date FROM source_pending_dates WHERE workspace_id = $2 AND connection_id = $1)
                """,
                CancellationToken.None,
                connectionId,
                workspaceId);
        }
        catch (NpgsqlException)
        {
            // The pending dates stay, and the next run derives them all the same.
        }
    }

    /// <summary>Drops the scope tables of a derivation (none is left behind, whatever happened).</summary>
    public static async Task DropScopeAsync(NpgsqlConnection session)
    {
        try
        {
            await PullSql.ExecuteAsync(session, "DROP TABLE IF EXISTS pg_temp.pull_derive_dates, pg_temp.pull_derive_keys", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken session has lost its temporary tables with it.
        }
    }
}
