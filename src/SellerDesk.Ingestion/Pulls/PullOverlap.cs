using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// Keeps one seller's data out of two accounts of a workspace when a report uploaded from a cabinet is involved
/// (decision 0027). Two accounts of a marketplace whose credentials identify different sellers never share an order
/// (decision 0010 refuses connecting one seller twice), but an account fed by uploaded reports has no credentials to
/// compare: its orders, or its reports, arriving in another account mean the same seller's money twice (the orders'
/// ledger rows would stay with their first account, but their period fees would count in both). So a run is refused
/// before it stores anything when it carries an order, or a report part, that another account of the workspace holds,
/// and either side came from an upload: an upload run against every other account, a pull against the accounts that
/// were ever fed by uploads.
/// </summary>
public static class PullOverlap
{
    /// <summary>The orders named in a refusal, at most.</summary>
    public const int Named = 3;

    // The other accounts of the marketplace that take part: all of them for an upload ($5), else those fed by uploads.
    private const string Others =
        """
        others AS (
            SELECT c.id, c.name FROM connections AS c
            WHERE c.workspace_id = $2 AND c.marketplace = $3 AND c.id <> $1
              AND ($4 OR EXISTS (
                  SELECT 1 FROM pull_runs AS r
                  WHERE r.workspace_id = $2 AND r.connection_id = c.id AND r.trigger = 'upload' AND r.status = 'succeeded')))
        """;

    /// <summary>
    /// Why run <paramref name="runId"/> of <paramref name="connection"/> may not land its staged rows, or null: the
    /// other account holding any of its orders or of its declared <paramref name="parts"/>.
    /// </summary>
    public static async Task<LocalText?> StagedRefusalAsync(
        NpgsqlConnection session, Guid runId, ConnectionSettings connection, bool upload, IReadOnlyCollection<FeedPart> parts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parts);
        var keys = """
            SELECT DISTINCT p.order_key FROM pull_staging AS p
            WHERE p.workspace_id = $2 AND p.run_id = $5 AND p.order_key IS NOT NULL
            """;
        return await RefusalAsync(session, connection, upload, keys, runId, parts, ct);
    }

    /// <summary>As <see cref="StagedRefusalAsync"/> for rows not staged yet (an upload checked before its run).</summary>
    public static async Task<LocalText?> RowsRefusalAsync(
        NpgsqlConnection session, ConnectionSettings connection, IReadOnlyList<SourceRow> rows, IReadOnlyCollection<FeedPart> parts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(parts);
        var orderKeys = rows.Where(r => r.OrderKey is not null).Select(r => r.OrderKey!).Distinct(StringComparer.Ordinal).ToArray();
        var keys = "SELECT DISTINCT k AS order_key FROM unnest($5::text[]) AS k";
        return await RefusalAsync(
            session, connection, upload: true, keys, new NpgsqlParameter { Value = orderKeys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }, parts, ct);
    }

    private static async Task<LocalText?> RefusalAsync(
        NpgsqlConnection session, ConnectionSettings connection, bool upload, string keys, object keysParameter, IReadOnlyCollection<FeedPart> parts, CancellationToken ct)
    {
        var sql = "WITH " + Others + ", keys AS (" + keys + """
            )
            SELECT o.name, array_agg(k.order_key ORDER BY k.order_key) FILTER (WHERE k.order_key IS NOT NULL), count(k.order_key)
            FROM others AS o
            CROSS JOIN LATERAL (
                SELECT keys.order_key FROM keys
                WHERE EXISTS (SELECT 1 FROM source_rows AS x WHERE x.connection_id = o.id AND x.order_key = keys.order_key)
                LIMIT 1000) AS k
            GROUP BY o.name
            ORDER BY o.name
            LIMIT 1
            """;
        await using (var find = PullSql.Command(session, sql, connection.Id, connection.WorkspaceId, connection.Marketplace, upload, keysParameter))
        {
            await using var reader = await find.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                var name = reader.GetString(0);
                var named = reader.GetFieldValue<string[]>(1).Take(Named).ToList();
                var count = reader.GetInt64(2);
                return OrdersHeld(name, named, count, upload);
            }
        }

        foreach (var part in parts)
        {
            await using var find = PullSql.Command(
                session,
                "WITH " + Others + """
                    SELECT o.name FROM others AS o
                    WHERE EXISTS (SELECT 1 FROM source_rows AS x WHERE x.connection_id = o.id AND x.feed = $5 AND starts_with(x.source_id, $6))
                    ORDER BY o.name LIMIT 1
                    """,
                connection.Id,
                connection.WorkspaceId,
                connection.Marketplace,
                upload,
                part.Feed,
                part.SourceIdPrefix);
            if (await find.ExecuteScalarAsync(ct) is string name)
            {
                return ReportHeld(name, part.SourceIdPrefix.TrimEnd(':'), upload);
            }
        }

        return null;
    }

    private static LocalText OrdersHeld(string account, List<string> orders, long count, bool upload)
    {
        var list = string.Join(", ", orders);
        var more = count > orders.Count ? count - orders.Count : 0;
        var en = string.Create(CultureInfo.InvariantCulture, $"{count} order(s) of this {(upload ? "report" : "pull")} ({list}{(more > 0 ? $" and {more} more" : string.Empty)}) are already in the ledger from account '{account}'");
        var ru = string.Create(CultureInfo.InvariantCulture, $"заказов этого {(upload ? "отчёта" : "запроса")} уже в учёте из аккаунта «{account}»: {count} ({list}{(more > 0 ? $" и ещё {more}" : string.Empty)})");
        return Refusal(en, ru, account, upload);
    }

    private static LocalText ReportHeld(string account, string report, bool upload) =>
        Refusal(
            $"report {report} is already in the ledger from account '{account}'",
            $"отчёт № {report} уже в учёте из аккаунта «{account}»",
            account,
            upload);

    private static LocalText Refusal(string en, string ru, string account, bool upload) => upload
        ? new LocalText(
            $"Not uploaded: {en}; landing it here too would count the same money twice. Nothing was stored. Upload it into '{account}', or, if the two accounts are the same seller, delete one of them with its data on the Connections page first.",
            $"Не загружено: {ru}; загрузка сюда посчитала бы те же деньги дважды. Ничего не сохранено. Загрузите отчёт в «{account}» или, если это один и тот же продавец, сначала удалите один из аккаунтов вместе с данными на странице «Подключения».")
        : new LocalText(
            $"Not pulled: {en}, fed by uploaded reports; pulling them here too would count the same money twice. Nothing of this run was stored. If the two accounts are the same seller, delete '{account}' with its data on the Connections page, then pull again.",
            $"Не загружено: {ru}, который пополняется загруженными отчётами; загрузка сюда посчитала бы те же деньги дважды. Из этого запуска ничего не сохранено. Если это один и тот же продавец, удалите «{account}» вместе с данными на странице «Подключения» и запустите загрузку снова.");
}

/// <summary>
/// A connector whose rows must be checked against the ledger under the connection's lock, just before the runner
/// merges them (an uploaded report that must not land over weeks a pull brought: decision 0027).
/// </summary>
public interface IPullMergeGuard
{
    /// <summary>Why the staged rows of run <paramref name="runId"/> may not land, or null.</summary>
    Task<LocalText?> RefusalAsync(NpgsqlConnection session, Guid runId, ConnectionSettings connection, CancellationToken ct);
}
