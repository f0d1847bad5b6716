using Npgsql;
using SellerDesk.Data.Ledger;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// The ledger rows a connection owns (decision 0010): counted for the confirmation of its deletion, and at its deletion
/// either kept as files' rows or removed. Both take the workspace's ledger lock and the connection's pull lock, so no
/// import and no derivation of that connection writes in between; a run that fetched before the deletion then fails
/// at its merge ("the connection no longer exists").
/// </summary>
internal static class ConnectionData
{
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
        await LedgerWriter.LockAsync(session, workspaceId, ct);
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

        // The ledger's one writer releases its rows (decision 0005), in this transaction.
        await LedgerWriter.ReleaseSourceAsync(session, workspaceId, connectionId, choice == ConnectionDataChoice.Remove, ct);
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
