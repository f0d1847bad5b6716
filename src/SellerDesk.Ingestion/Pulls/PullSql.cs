using Npgsql;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>Small helpers for the pull's SQL: commands with positional parameters ($1, $2, ...) on one session.</summary>
internal static class PullSql
{
    /// <summary>A command on <paramref name="session"/> without a timeout (pulls can be long), with <paramref name="values"/> as $1, $2, ...</summary>
    public static NpgsqlCommand Command(NpgsqlConnection session, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, session) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection session, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = Command(session, sql, values);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of every row.</summary>
    public static async Task<List<T>> ListAsync<T>(NpgsqlConnection session, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = Command(session, sql, values);
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(reader.GetFieldValue<T>(0));
        }

        return list;
    }
}

/// <summary>
/// The advisory locks of pulls: a run's lock is held by the process running it for as long as it runs (a killed
/// process loses it with its connection, so a 'running' run whose lock is free is abandoned); a connection's lock is
/// held from merge to the end of reconciliation, so two runs of one connection never derive at the same time.
/// </summary>
internal static class PullLocks
{
    public const string RunLockKey = "hashtextextended('sellerdesk.pull_run:' || $1::text, 0)";

    private const string ConnectionLockKey = "hashtextextended('sellerdesk.pull_connection:' || $1::text, 0)";

    public static async Task<bool> TryRunAsync(NpgsqlConnection session, Guid runId, CancellationToken ct)
    {
        await using var command = PullSql.Command(session, "SELECT pg_try_advisory_lock(" + RunLockKey + ")", runId);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    public static Task ReleaseRunAsync(NpgsqlConnection session, Guid runId) => UnlockAsync(session, RunLockKey, runId);

    public static async Task LockConnectionAsync(NpgsqlConnection session, Guid connectionId, CancellationToken ct)
    {
        await using var command = PullSql.Command(session, "SELECT pg_advisory_lock(" + ConnectionLockKey + ")", connectionId);
        await command.ExecuteScalarAsync(ct);
    }

    public static Task UnlockConnectionAsync(NpgsqlConnection session, Guid connectionId) => UnlockAsync(session, ConnectionLockKey, connectionId);

    private static async Task UnlockAsync(NpgsqlConnection session, string key, Guid id)
    {
        try
        {
            await using var command = PullSql.Command(session, "SELECT pg_advisory_unlock(" + key + ")", id);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken session has lost its locks with it.
        }
    }
}
