using Npgsql;
using SellerDesk.Data.Facts;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// The ledger rows a connection owns (decision 0010): counted for the confirmation of its deletion, and at its deletion
/// either kept as files' rows or removed. Both take the workspace's ledger lock and the connection's pull lock, so no
/// import and no derivation of that connection writes in between; a run that fetched before the deletion then fails
/// at its merge ("the connection no longer exists").
/// </summary>
internal static class ConnectionData
{
    private const string Nil = "'00000000-0000-0000-0000-000000000000'::uuid";

    public static async Task<ConnectionDataCounts> CountAsync(NpgsqlConnection session, Guid workspaceId, Guid connectionId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM sales_lines WHERE workspace_id = $1 AND source = $2),
                   (SELECT count(*) FROM returns WHERE workspace_id = $1 AND source = $2),
                   (SELECT count(*) FROM ad_spend WHERE workspace_id = $1 AND source = $2),
                   (SELECT count(*) FROM period_fees WHERE workspace_id = $1 AND source = $2),
                   (SELECT count(*) FROM (SELECT marketplace, order_id FROM sales_lines WHERE workspace_id = $1 AND source = $2
                                          UNION SELECT marketplace, order_id FROM returns WHERE workspace_id = $1 AND source = $2) AS o),
                   (SELECT count(*) FROM source_rows WHERE workspace_id = $1 AND connection_id = $2)
            """,
            session);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ConnectionDataCounts(
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    /// <summary>
    /// Deletes the connection (its source rows go with it; its runs stay, named) and, as <paramref name="choice"/> says,
    /// removes its ledger rows or hands them to files. Kept fees and ad spend whose key a file already has are added to
    /// that file row, so every figure stays what it was. Returns false when there is no such connection.
    /// </summary>
    public static async Task<bool> DeleteAsync(
        NpgsqlConnection session, Guid workspaceId, Guid connectionId, ConnectionDataChoice choice, CancellationToken ct)
    {
        await using var transaction = await session.BeginTransactionAsync(ct);
        // In the order a pull takes them (its connection's lock, then the ledger's for each write): no deadlock.
        await ExecuteAsync(session, "SELECT pg_advisory_xact_lock(hashtextextended('sellerdesk.pull_connection:' || $1::text, 0))", ct, connectionId);
        await ExecuteAsync(session, "SELECT pg_advisory_xact_lock(hashtextextended('sellerdesk.ledger:' || $1::text, 0))", ct, workspaceId);
        await ExecuteAsync(
            session,
            """
            UPDATE pull_runs AS r SET connection_name = c.name, marketplace = c.marketplace
            FROM connections AS c WHERE c.id = $2 AND c.workspace_id = $1 AND r.workspace_id = c.workspace_id AND r.connection_id = c.id
            """,
            ct,
            workspaceId,
            connectionId);
        var deleted = await ExecuteAsync(session, "DELETE FROM connections WHERE id = $2 AND workspace_id = $1", ct, workspaceId, connectionId);
        if (deleted == 0)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }

        var changed = 0;
        if (choice == ConnectionDataChoice.Remove)
        {
            // The orders that go lose their facts, and their customers' other orders are computed again (decision 0014).
            await OrderFactStore.MarkAsync(
                session, workspaceId, "SELECT marketplace, order_id FROM sales_lines WHERE workspace_id = $1 AND source = $2", ct, connectionId);

            // Its attribution rows go too: the orders of their days are attributed again without them (metrics.md 3.1).
            await OrderFactStore.MarkAsync(
                session,
                workspaceId,
                Files.LedgerImporter.OrdersOfAttributionDays("SELECT DISTINCT marketplace, date FROM attribution_rows WHERE workspace_id = $1 AND source = $2"),
                ct,
                connectionId);
            foreach (var table in new[] { "returns", "sales_lines", "ad_spend", "period_fees", "attribution_rows" })
            {
                changed += await ExecuteAsync(session, $"DELETE FROM {table} WHERE workspace_id = $1 AND source = $2", ct, workspaceId, connectionId);
            }
        }
        else
        {
            foreach (var table in new[] { "sales_lines", "returns" })
            {
                changed += await ExecuteAsync(session, $"UPDATE {table} SET source = {Nil} WHERE workspace_id = $1 AND source = $2", ct, workspaceId, connectionId);
            }

            // Rows of the same key as a file row are added to it (the reports add up the rows of one key anyway, so no
            // figure and no order's channel changes); the others become the files' own.
            foreach (var (table, keys, value, touch) in new[]
            {
                ("ad_spend", new[] { "channel" }, "amount", ""),
                ("period_fees", new[] { "kind" }, "amount", ""),
                ("attribution_rows", new[] { "channel", "sku" }, "orders", ", updated_at = now()"),
            })
            {
                var sameKey = string.Concat(keys.Select(k => $" AND f.{k} = c.{k}"));
                var sameKept = string.Concat(keys.Select(k => $" AND f.{k} = k.{k}"));
                var returned = string.Concat(keys.Select(k => $", c.{k}"));
                changed += await ExecuteAsync(
                    session,
                    $"""
                    WITH kept AS (
                        DELETE FROM {table} AS c
                        USING {table} AS f
                        WHERE c.workspace_id = $1 AND c.source = $2
                          AND f.workspace_id = $1 AND f.source = {Nil} AND f.date = c.date AND f.marketplace = c.marketplace{sameKey}
                        RETURNING c.date, c.marketplace{returned}, c.{value}
                    )
                    UPDATE {table} AS f SET {value} = f.{value} + k.{value}{touch}
                    FROM kept AS k
                    WHERE f.workspace_id = $1 AND f.source = {Nil} AND f.date = k.date AND f.marketplace = k.marketplace{sameKept}
                    """,
                    ct,
                    workspaceId,
                    connectionId);
                changed += await ExecuteAsync(session, $"UPDATE {table} SET source = {Nil} WHERE workspace_id = $1 AND source = $2", ct, workspaceId, connectionId);
            }
        }

        await OrderFactStore.RefreshAsync(session, workspaceId, ct);
        if (changed > 0)
        {
            // Removed rows may be any orders: reports read the ledger afresh. Kept rows change no figure, but reports
            // filtered by source must not serve what they cached.
            await ExecuteAsync(
                session,
                """
                WITH bumped AS (UPDATE workspaces SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING ledger_version)
                INSERT INTO ledger_changes (workspace_id, version, scope, marketplaces, order_ids, spend_or_fees)
                SELECT $1, ledger_version, CASE WHEN $2 THEN 'all' ELSE 'orders' END, '{}'::text[], '{}'::text[], true FROM bumped
                """,
                ct,
                workspaceId,
                choice == ConnectionDataChoice.Remove);
        }

        await transaction.CommitAsync(ct);
        return true;
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
}
