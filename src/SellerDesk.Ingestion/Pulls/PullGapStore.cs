using Npgsql;
using NpgsqlTypes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// Keeps the gaps of derivations in <c>pull_gaps</c> (decision 0010): each with its run, connection, reason, payout
/// effect, and the source rows it came from with their raw payloads. A gap is current until its order (or, without
/// an order, its date) is derived again; reconciliation counts the current ones.
/// </summary>
internal static class PullGapStore
{
    /// <summary>
    /// In the derivation's transaction: retires the current gaps of the derived orders and dates (the temporary scope
    /// tables) and records <paramref name="gaps"/> as run <paramref name="runId"/>'s. A gap without an order takes the
    /// order of its rows, if they have one, and the earliest date of its rows (else <paramref name="fallbackDate"/>);
    /// a gap without source ids (an order another source holds) takes every row of its order.
    /// </summary>
    public static async Task SaveAsync(
        NpgsqlConnection session,
        Guid runId,
        ConnectionSettings connection,
        IReadOnlyList<MappingGap> gaps,
        IReadOnlyCollection<string> feeds,
        DateOnly fallbackDate,
        CancellationToken ct)
    {
        await PullSql.ExecuteAsync(
            session,
            """
            UPDATE pull_gaps SET is_current = false
            WHERE workspace_id = $2 AND connection_id = $1 AND is_current
              AND (order_key IN (SELECT order_key FROM pull_derive_keys)
                   OR (order_key IS NULL AND business_date IN (SELECT business_date FROM pull_derive_dates)))
            """,
            ct,
            connection.Id,
            connection.WorkspaceId);
        if (gaps.Count == 0)
        {
            return;
        }

        var ids = gaps.SelectMany(g => g.SourceIds).Distinct(StringComparer.Ordinal).ToArray();
        var bySourceId = new Dictionary<string, List<SourceRow>>(StringComparer.Ordinal);
        if (ids.Length > 0 && feeds.Count > 0)
        {
            foreach (var row in await ReadAsync(
                session,
                "SELECT feed, source_id, order_key, business_date, payload FROM source_rows WHERE workspace_id = $4 AND connection_id = $1 AND feed = ANY($2) AND source_id = ANY($3)",
                ct,
                connection.Id,
                Texts(feeds.ToArray()),
                Texts(ids),
                connection.WorkspaceId))
            {
                Add(bySourceId, row.SourceId, row);
            }
        }

        var keys = gaps.Where(g => g.SourceIds.Count == 0 && g.OrderKey is not null).Select(g => g.OrderKey!).Distinct(StringComparer.Ordinal).ToArray();
        var byOrder = new Dictionary<string, List<SourceRow>>(StringComparer.Ordinal);
        if (keys.Length > 0)
        {
            foreach (var row in await ReadAsync(
                session,
                "SELECT feed, source_id, order_key, business_date, payload FROM source_rows WHERE workspace_id = $3 AND connection_id = $1 AND order_key = ANY($2) ORDER BY feed, source_id",
                ct,
                connection.Id,
                Texts(keys),
                connection.WorkspaceId))
            {
                Add(byOrder, row.OrderKey!, row);
            }
        }

        await using var batch = new NpgsqlBatch(session);
        var seq = 0;
        foreach (var gap in gaps)
        {
            List<SourceRow> rows;
            if (gap.SourceIds.Count > 0)
            {
                rows = [.. gap.SourceIds.Select(id => Pick(bySourceId.GetValueOrDefault(id), gap.OrderKey)).OfType<SourceRow>()];
            }
            else
            {
                rows = gap.OrderKey is { } key ? byOrder.GetValueOrDefault(key) ?? [] : [];
            }

            var sourceIds = gap.SourceIds.Count > 0 ? gap.SourceIds.ToArray() : [.. rows.Select(r => r.SourceId)];
            var payloads = sourceIds.Select(id => rows.FirstOrDefault(r => r.SourceId == id)?.Payload ?? string.Empty).ToArray();
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO pull_gaps (run_id, seq, workspace_id, connection_id, order_key, business_date, reason, payout_effect, source_ids, payloads, is_current)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = runId });
            command.Parameters.Add(new NpgsqlParameter { Value = ++seq });
            command.Parameters.Add(new NpgsqlParameter { Value = connection.WorkspaceId });
            command.Parameters.Add(new NpgsqlParameter { Value = connection.Id });
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = (object?)(gap.OrderKey ?? rows.Select(r => r.OrderKey).FirstOrDefault(k => k is not null)) ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Text,
            });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Count > 0 ? rows.Min(r => r.BusinessDate) : fallbackDate });
            command.Parameters.Add(new NpgsqlParameter { Value = gap.Reason });
            command.Parameters.Add(new NpgsqlParameter { Value = gap.PayoutEffect });
            command.Parameters.Add(Texts(sourceIds));
            command.Parameters.Add(Texts(payloads));
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    private static SourceRow? Pick(List<SourceRow>? rows, string? orderKey) =>
        rows?.FirstOrDefault(r => r.OrderKey == orderKey) ?? rows?.FirstOrDefault();

    private static void Add(Dictionary<string, List<SourceRow>> index, string key, SourceRow row)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(row);
    }

    private static NpgsqlParameter Texts(string[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static async Task<List<SourceRow>> ReadAsync(NpgsqlConnection session, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = PullSql.Command(session, sql, values);
        var rows = new List<SourceRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(SourceRowStream.Read(reader));
        }

        return rows;
    }
}
