using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// Reads what the reports need from the stored order facts (<c>order_facts</c>, <c>order_return_facts</c>; decision
/// 0014), which the domain computed when the ledger was written: <see cref="OrderDay"/> rows are plain sums of them,
/// with as_of only choosing which orders (ordered up to it) and which return effects (dated up to it) count. No metric
/// formula is written here; plus ad spend and fees.
/// </summary>
public sealed class ReportQueries(NpgsqlDataSource dataSource)
{
    // $1 workspace, $2 as_of. The rollups of the stored facts (migration 0015, decision 0016), one row per
    // (marketplace, order date, first-order date, acquisition channel) and its return effects per return date: the
    // orders up to as_of and the effects dated up to it, summed by the same keys. Rows in proportion to days and
    // cohorts, not to orders; as_of only filters.
    private const string OrderDaysSql = """
        WITH parts AS (
            SELECT marketplace, local_date, first_date, acquisition_channel,
                   revenue, net_revenue, margin, return_loss, units, 0::bigint AS returned_units, cogs_missing,
                   new_customers, new_identified, first_margin, active
            FROM report_days
            WHERE workspace_id = $1 AND local_date <= $2
            UNION ALL
            SELECT marketplace, local_date, first_date, acquisition_channel,
                   0, sum(net_revenue), sum(margin), sum(return_loss), 0, sum(returned_units), 0, 0, 0, sum(first_margin), 0
            FROM report_day_returns
            WHERE workspace_id = $1 AND return_date <= $2 AND local_date <= $2
            GROUP BY marketplace, local_date, first_date, acquisition_channel
        )
        SELECT marketplace, local_date, first_date, acquisition_channel,
               sum(revenue), sum(net_revenue), sum(margin), sum(return_loss),
               sum(units)::int, sum(returned_units)::int, sum(cogs_missing)::int,
               sum(new_customers)::int, sum(new_identified)::int, sum(first_margin), sum(active)::int
        FROM parts
        GROUP BY marketplace, local_date, first_date, acquisition_channel
        """;

    // Each order with its return effects dated up to as_of ($2), of one source ($3) or all.
    private const string OrderFactsTemplate = """
        SELECT f.marketplace, f.order_id, f.customer_id, f.channel, f.ordered_at, f.local_date,
               f.revenue, f.net_revenue + coalesce(r.net_revenue, 0), f.margin + coalesce(r.margin, 0),
               f.return_loss + coalesce(r.return_loss, 0), f.units, coalesce(r.returned_units, 0)::int, f.cogs_missing
        FROM order_facts AS f
        LEFT JOIN (
            SELECT marketplace, order_id, sum(net_revenue) AS net_revenue, sum(margin) AS margin,
                   sum(return_loss) AS return_loss, sum(returned_units) AS returned_units
            FROM order_return_facts
            WHERE workspace_id = $1 AND return_date <= $2
            GROUP BY marketplace, order_id
        ) AS r ON r.marketplace = f.marketplace AND r.order_id = f.order_id
        WHERE f.workspace_id = $1 AND f.local_date <= $2{source}
        """;

    private readonly LedgerReader _ledger = new(dataSource);

    /// <summary>The workspace's ledger rows as domain records, of one source or all.</summary>
    public Task<LedgerRows> LoadLedgerAsync(Guid workspaceId, LedgerSource? source, CancellationToken cancellationToken = default) =>
        _ledger.ReadAsync(workspaceId, source, cancellationToken);

    /// <summary>The ledger's version: every write that changes ledger rows increments it.</summary>
    public async Task<long> LedgerVersionAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT ledger_version FROM workspaces WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : -1;
    }

    /// <summary>
    /// Every order of the workspace as of <paramref name="asOf"/> (metrics.md section 2 figures with the returns dated
    /// up to it), read from the stored facts; of the rows of <paramref name="source"/> only when given.
    /// </summary>
    public async Task<List<OrderFact>> LoadOrderFactsAsync(
        Guid workspaceId, DateOnly asOf, LedgerSource? source = null, CancellationToken cancellationToken = default)
    {
        var facts = new List<OrderFact>();
        await using var command = dataSource.CreateCommand(
            OrderFactsTemplate.Replace("{source}", source is null ? "" : " AND f.source = $3", StringComparison.Ordinal));
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf, NpgsqlDbType = NpgsqlDbType.Date });
        if (source is { } only)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = only.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new OrderFact(
                NamePool.Get(reader.GetString(0)),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                NamePool.Get(reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateOnly>(5),
                reader.GetDecimal(6),
                reader.GetDecimal(7),
                reader.GetDecimal(8),
                reader.GetDecimal(9),
                reader.GetInt32(10),
                reader.GetInt32(11),
                reader.GetInt32(12)));
        }

        return facts;
    }

    /// <summary>Order days, ad spend and period fees of one workspace that exist on <paramref name="asOf"/>.</summary>
    public Task<ReportInputs> LoadInputsAsync(Guid workspaceId, string timeZone, DateOnly asOf, CancellationToken cancellationToken = default) =>
        LoadInputsOfSourceAsync(workspaceId, timeZone, asOf, null, cancellationToken);

    /// <summary>
    /// Order days, ad spend and period fees of one workspace that exist on <paramref name="asOf"/>, of the rows of
    /// <paramref name="source"/> only when given (one connection, or files): the reports of a workspace that held
    /// only those rows. The whole workspace's days are sums of the stored facts; one source's customers are not those
    /// of the whole workspace (a buyer's first order may be another source's), so its orders are read and the domain
    /// groups them into customers (<see cref="ReportInputs.FromOrders"/>).
    /// </summary>
    public async Task<ReportInputs> LoadInputsOfSourceAsync(
        Guid workspaceId, string timeZone, DateOnly asOf, LedgerSource? source, CancellationToken cancellationToken = default)
    {
        var spend = await ReadDatedAsync(
            "SELECT date, marketplace, channel, amount FROM ad_spend WHERE workspace_id = $1 AND date <= $2" + (source is null ? "" : " AND source = $3"),
            workspaceId, asOf, source, r => new AdSpend(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)), cancellationToken);
        var fees = await ReadDatedAsync(
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1 AND date <= $2" + (source is null ? "" : " AND source = $3"),
            workspaceId, asOf, source, r => new PeriodFee(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)), cancellationToken);
        if (source is not null)
        {
            var orders = await LoadOrderFactsAsync(workspaceId, asOf, source, cancellationToken);
            return ReportInputs.FromOrders(orders, spend, fees, asOf);
        }

        var days = new List<OrderDay>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand(
            // The sums group the rollup rows up to as_of: hash aggregates in memory (not sorts spilled to disk at the
            // default 4 MB), and no JIT compilation, which costs more than it saves at these sizes. Session settings;
            // the pool resets them when the connection goes back.
            "SET work_mem = '64MB'; SET jit = off",
            connection))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(OrderDaysSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = asOf, NpgsqlDbType = NpgsqlDbType.Date });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add(new OrderDay(
                    NamePool.Get(reader.GetString(0)),
                    reader.GetFieldValue<DateOnly>(1),
                    reader.GetFieldValue<DateOnly>(2),
                    NamePool.Get(reader.GetString(3)),
                    reader.GetDecimal(4),
                    reader.GetDecimal(5),
                    reader.GetDecimal(6),
                    reader.GetDecimal(7),
                    reader.GetInt32(8),
                    reader.GetInt32(9),
                    reader.GetInt32(10),
                    reader.GetInt32(11),
                    reader.GetInt32(12),
                    reader.GetDecimal(13),
                    reader.GetInt32(14)));
            }
        }

        return new ReportInputs(asOf, days, spend, fees);
    }

    private async Task<List<T>> ReadDatedAsync<T>(
        string sql, Guid workspaceId, DateOnly asOf, LedgerSource? source, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf, NpgsqlDbType = NpgsqlDbType.Date });
        if (source is { } only)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = only.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

}

/// <summary>
/// One instance per distinct short text (marketplace codes, channel names) that many kept records repeat; shared by
/// every query of the process, at most <see cref="Capacity"/> texts (beyond that a text is kept as it came).
/// </summary>
internal static class NamePool
{
    private const int Capacity = 4_096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Shared = new(StringComparer.Ordinal);

    public static string Get(string text)
    {
        if (Shared.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        return Shared.Count < Capacity ? Shared.GetOrAdd(text, text) : text;
    }
}

