using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// Reads what the reports need as aggregates (<see cref="OrderDay"/> rows), computed set-based in PostgreSQL by the
/// same rules as <see cref="LineEconomics"/> (metrics.md section 2) and <see cref="Customer"/> (section 3), plus ad
/// spend and fees. ReportAggregatesMatchTheDomainTests hold the SQL and the domain in step.
/// </summary>
public sealed class ReportQueries(NpgsqlDataSource dataSource)
{
    // The per-order part of the report SQL, as a template: {returns} narrows returns and {lines} sales lines to some orders.
    private const string OrdersCtes = """
        WITH cost_ranges AS (
            SELECT sku, valid_from, unit_cost,
                   lead(valid_from) OVER (PARTITION BY sku ORDER BY valid_from) AS valid_to
            FROM unit_costs
            WHERE workspace_id = $1
        ), line_returns AS (
            SELECT marketplace, order_id, line_id,
                   sum(quantity) AS units,
                   sum(refund) AS refund,
                   sum(commission_refund) AS commission_refund,
                   sum(return_logistics) AS return_logistics,
                   sum(CASE WHEN restockable THEN 0 ELSE quantity END) AS nonrestock
            FROM returns
            WHERE workspace_id = $1 AND (returned_at AT TIME ZONE $2)::date <= $3{returns}
            GROUP BY marketplace, order_id, line_id
        ), lines AS (
            SELECT s.marketplace, s.order_id, s.ordered_at, s.customer_id, s.channel,
                   (s.ordered_at AT TIME ZONE $2)::date AS local_date,
                   s.quantity, s.revenue,
                   s.commission + s.logistics + s.acquiring + s.other_fees AS sale_fees,
                   coalesce(r.units, 0) AS units,
                   coalesce(r.refund, 0) AS refund,
                   coalesce(r.commission_refund, 0) AS commission_refund,
                   coalesce(r.return_logistics, 0) AS return_logistics,
                   coalesce(r.nonrestock, 0) AS nonrestock,
                   c.unit_cost
            FROM sales_lines s
            LEFT JOIN line_returns r
                   ON r.marketplace = s.marketplace AND r.order_id = s.order_id AND r.line_id = s.line_id
            LEFT JOIN cost_ranges c
                   ON c.sku = s.sku
                  AND c.valid_from <= (s.ordered_at AT TIME ZONE $2)::date
                  AND (c.valid_to IS NULL OR c.valid_to > (s.ordered_at AT TIME ZONE $2)::date)
            WHERE s.workspace_id = $1
              AND s.ordered_at < (($3 + 1)::timestamp AT TIME ZONE $2){lines}
        ), orders AS (
            SELECT marketplace, order_id, min(customer_id) AS customer_id, min(channel) AS channel,
                   min(ordered_at) AS ordered_at, min(local_date) AS local_date,
                   sum(revenue) AS revenue,
                   sum(revenue - refund) AS net_revenue,
                   sum(revenue - refund - (sale_fees - commission_refund + return_logistics)
                       - coalesce(unit_cost, 0) * (quantity - units + nonrestock)) AS margin,
                   sum(CASE WHEN units = 0 THEN 0
                            ELSE units * sale_fees / quantity - commission_refund + return_logistics
                                 + coalesce(unit_cost, 0) * nonrestock END) AS return_loss,
                   sum(quantity)::int AS quantity, sum(units)::int AS units,
                   (count(*) FILTER (WHERE unit_cost IS NULL))::int AS cogs_missing
            FROM lines
            GROUP BY marketplace, order_id
        )
        """;

    // Of the orders given as two parallel arrays $4 (marketplaces) and $5 (order ids).
    private const string ReturnsOfKeys = " AND (marketplace, order_id) IN (SELECT k.m, k.o FROM unnest($4::text[], $5::text[]) AS k (m, o))";
    private const string LinesOfKeys = " AND (s.marketplace, s.order_id) IN (SELECT k.m, k.o FROM unnest($4::text[], $5::text[]) AS k (m, o))";

    private static readonly string OrderDaysSql = OrderDays(string.Empty, string.Empty);

    // Of one source only ($4, decision 0010): what a workspace holding only that connection's (or the files') rows shows.
    private static readonly string SourceOrderDaysSql = OrderDays(" AND source = $4", " AND s.source = $4");

    private static string OrderDays(string returnsFilter, string linesFilter) => Orders(returnsFilter, linesFilter) + """
        , ranked AS (
            -- metrics.md section 3: a customer is (marketplace, customer_id), or the order itself without one;
            -- the first order is the earliest, ties broken by the smaller order id (ordinal, hence COLLATE "C").
            SELECT o.*,
                   first_value(local_date) OVER customer AS first_date,
                   first_value(channel) OVER customer AS acquisition_channel,
                   row_number() OVER customer AS nth,
                   lag(local_date) OVER customer AS previous_date
            FROM orders o
            WINDOW customer AS (PARTITION BY marketplace, coalesce(customer_id, 'order:' || order_id)
                                ORDER BY ordered_at, order_id COLLATE "C")
        )
        SELECT marketplace, local_date, first_date, acquisition_channel,
               sum(revenue), sum(net_revenue), sum(margin), sum(return_loss),
               sum(quantity)::int, sum(units)::int, sum(cogs_missing)::int,
               (count(*) FILTER (WHERE nth = 1))::int,
               (count(*) FILTER (WHERE nth = 1 AND customer_id IS NOT NULL))::int,
               coalesce(sum(margin) FILTER (WHERE nth = 1), 0),
               (count(*) FILTER (WHERE previous_date IS NULL
                                   OR date_trunc('month', previous_date) <> date_trunc('month', local_date)))::int
        FROM ranked
        GROUP BY marketplace, local_date, first_date, acquisition_channel
        """;

    private static readonly string AllOrderFactsSql = Orders(string.Empty, string.Empty) + OrderFactsSelect;

    private static readonly string SomeOrderFactsSql = Orders(ReturnsOfKeys, LinesOfKeys) + OrderFactsSelect;

    private const string OrderFactsSelect = """
        SELECT marketplace, order_id, customer_id, channel, ordered_at, local_date, revenue, net_revenue, margin, return_loss,
               quantity, units, cogs_missing
        FROM orders
        """;

    private static string Orders(string returnsFilter, string linesFilter) =>
        OrdersCtes.Replace("{returns}", returnsFilter, StringComparison.Ordinal).Replace("{lines}", linesFilter, StringComparison.Ordinal);

    /// <summary>The ledger's version: every write that changes ledger rows increments it.</summary>
    public async Task<long> LedgerVersionAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT ledger_version FROM workspaces WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : -1;
    }

    /// <summary>
    /// Per-order facts (metrics.md sections 2 and 3) of the workspace as of <paramref name="asOf"/>: of every order, or
    /// only of <paramref name="keys"/> (an order among them that is gone has no row).
    /// </summary>
    public async Task<List<OrderFact>> LoadOrderFactsAsync(
        Guid workspaceId, string timeZone, DateOnly asOf, IReadOnlyCollection<(string Marketplace, string OrderId)>? keys, CancellationToken cancellationToken = default)
    {
        var facts = new List<OrderFact>();
        if (keys is { Count: 0 })
        {
            return facts;
        }

        await using var command = dataSource.CreateCommand(keys is null ? AllOrderFactsSql : SomeOrderFactsSql);
        AddScope(command, workspaceId, timeZone, asOf);
        if (keys is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Marketplace).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.OrderId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }

        // Marketplace and channel repeat on every order: one string each, not one per order (the facts are kept).
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

    /// <summary>Ad spend and period fees dated on or before <paramref name="asOf"/>.</summary>
    public async Task<(List<AdSpend> Spend, List<PeriodFee> Fees)> LoadSpendAndFeesAsync(Guid workspaceId, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        var spend = await ReadDatedAsync(
            "SELECT date, marketplace, channel, amount FROM ad_spend WHERE workspace_id = $1 AND date <= $2",
            workspaceId, asOf, r => new AdSpend(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)), cancellationToken);
        var fees = await ReadDatedAsync(
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1 AND date <= $2",
            workspaceId, asOf, r => new PeriodFee(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)), cancellationToken);
        return (spend, fees);
    }

    /// <summary>
    /// What the versions after <paramref name="since"/> up to <paramref name="upTo"/> changed: how many orders they
    /// rewrote (an order rewritten by two versions counts twice) and whether spend or fees changed; null when any of
    /// them may have changed anything (or is not recorded). The orders themselves are read by
    /// <see cref="ChangedOrdersAsync"/>, a part at a time.
    /// </summary>
    public async Task<LedgerChangeSet?> ChangesAsync(Guid workspaceId, long since, long upTo, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*),
                   coalesce(bool_and(scope = 'orders' AND marketplaces IS NOT NULL AND order_ids IS NOT NULL), true),
                   coalesce(bool_or(spend_or_fees), false),
                   coalesce(sum(cardinality(order_ids)), 0)::bigint
            FROM ledger_changes
            WHERE workspace_id = $1 AND version > $2 AND version <= $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = since, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = upTo, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var versions = reader.GetInt64(0);
        return versions == upTo - since && reader.GetBoolean(1) ? new LedgerChangeSet(reader.GetInt64(3), reader.GetBoolean(2)) : null;
    }

    /// <summary>
    /// The (marketplace, order id) pairs that the versions after <paramref name="since"/> up to <paramref name="upTo"/>
    /// rewrote, in version order, at most <paramref name="partSize"/> at a time (one change row is read at a time, so
    /// memory does not grow with the number of orders changed). An order rewritten by two versions comes twice.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<(string Marketplace, string OrderId)>> ChangedOrdersAsync(
        Guid workspaceId, long since, long upTo, int partSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 1);
        await using var command = dataSource.CreateCommand(
            """
            SELECT marketplaces, order_ids FROM ledger_changes
            WHERE workspace_id = $1 AND version > $2 AND version <= $3
              AND scope = 'orders' AND marketplaces IS NOT NULL AND order_ids IS NOT NULL
            ORDER BY version
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = since, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = upTo, NpgsqlDbType = NpgsqlDbType.Bigint });

        // One query, read a row at a time; the caller's own queries meanwhile take other connections of the pool.
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var marketplaces = reader.GetFieldValue<string[]>(0);
            var orders = reader.GetFieldValue<string[]>(1);
            for (var start = 0; start < orders.Length; start += partSize)
            {
                var part = new List<(string, string)>(Math.Min(partSize, orders.Length - start));
                for (var i = start; i < orders.Length && i < start + partSize; i++)
                {
                    part.Add((NamePool.Get(marketplaces[i]), orders[i]));
                }

                yield return part;
            }
        }
    }

    /// <summary>Order days, ad spend and period fees of one workspace that exist on <paramref name="asOf"/>.</summary>
    public Task<ReportInputs> LoadInputsAsync(Guid workspaceId, string timeZone, DateOnly asOf, CancellationToken cancellationToken = default) =>
        LoadInputsOfSourceAsync(workspaceId, timeZone, asOf, null, cancellationToken);

    /// <summary>
    /// Order days, ad spend and period fees of one workspace that exist on <paramref name="asOf"/>, of the rows of
    /// <paramref name="source"/> only when given (one connection, or files): the reports of a workspace that held
    /// only those rows.
    /// </summary>
    public async Task<ReportInputs> LoadInputsOfSourceAsync(
        Guid workspaceId, string timeZone, DateOnly asOf, LedgerSource? source, CancellationToken cancellationToken = default)
    {
        var days = new List<OrderDay>();
        await using (var command = dataSource.CreateCommand(source is null ? OrderDaysSql : SourceOrderDaysSql))
        {
            AddScope(command, workspaceId, timeZone, asOf);
            if (source is { } only)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = only.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                days.Add(new OrderDay(
                    reader.GetString(0),
                    reader.GetFieldValue<DateOnly>(1),
                    reader.GetFieldValue<DateOnly>(2),
                    reader.GetString(3),
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

        var spend = await ReadDatedAsync(
            "SELECT date, marketplace, channel, amount FROM ad_spend WHERE workspace_id = $1 AND date <= $2" + (source is null ? "" : " AND source = $3"),
            workspaceId, asOf, source, r => new AdSpend(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)), cancellationToken);
        var fees = await ReadDatedAsync(
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1 AND date <= $2" + (source is null ? "" : " AND source = $3"),
            workspaceId, asOf, source, r => new PeriodFee(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetString(2), r.GetDecimal(3)), cancellationToken);

        return new ReportInputs(asOf, days, spend, fees);
    }

    private Task<List<T>> ReadDatedAsync<T>(
        string sql, Guid workspaceId, DateOnly asOf, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken) =>
        ReadDatedAsync(sql, workspaceId, asOf, null, map, cancellationToken);

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

    private static void AddScope(NpgsqlCommand command, Guid workspaceId, string timeZone, DateOnly asOf)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = timeZone, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf, NpgsqlDbType = NpgsqlDbType.Date });
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

/// <summary>How many orders some ledger versions rewrote whole (with repeats), and whether they changed ad spend or fees.</summary>
public sealed record LedgerChangeSet(long Orders, bool SpendOrFees);
