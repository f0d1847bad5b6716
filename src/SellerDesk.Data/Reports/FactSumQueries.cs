using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Facts;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// <see cref="ReportSums"/> read from the stored facts of migration 0017 (the rollups of <c>line_facts</c>,
/// <c>line_return_facts</c> and <c>customer_order_facts</c> per day and report key, and <c>attribution_claims</c>)
/// and the coarser rollups of migration 0026 (per month, per day with every effect, claims per day), which the domain
/// computed when the ledger was written: the same sums as <see cref="ReportSums.Of"/>, with sums and GROUP BY only,
/// over rows in proportion to months, keys and the days at the period's edges. The period and as_of only filter: a line
/// counts when its order is dated in range (customer sums: when its customer's first order is, and its own order up to
/// as_of), with its return effects dated up to as_of.
/// </summary>
internal sealed class FactSumQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Connections the report reads of one process hold at most: under half the default pool (40).</summary>
    internal const int MaxLanes = 16;

    private static readonly SemaphoreSlim Lanes = new(MaxLanes);

    // $1 workspace, $2 from, $3 to, $4 as_of. The channel rollups (migrations 0017, 0026, 0029): every effect of an
    // order day's orders per channel (fact_channel_totals) where the last of them is dated on or before as_of, else
    // that order day and channel's day rows with their effects up to as_of (fact_channel_days). The two parts are
    // disjoint, and a total is the sum of its day rows.
    private static string ChannelRollupSql(string key) => $"""
        SELECT marketplace, {key}, {EconomicsColumns.Sums("r")}
        FROM (
            SELECT t.marketplace, t.{key}, {EconomicsColumns.List("t")} FROM fact_channel_totals AS t
            WHERE t.workspace_id = $1 AND t.order_date BETWEEN $2 AND $3 AND t.order_date <= $4 AND t.last_effect <= $4
            UNION ALL
            SELECT d.marketplace, d.{key}, {EconomicsColumns.List("d")}
            FROM fact_channel_totals AS t
            JOIN fact_channel_days AS d ON d.workspace_id = $1 AND d.marketplace = t.marketplace AND d.order_date = t.order_date
                                       AND d.channel = t.channel AND d.effect_date <= $4
            WHERE t.workspace_id = $1 AND t.order_date BETWEEN $2 AND $3 AND t.order_date <= $4 AND t.last_effect > $4
        ) AS r
        GROUP BY marketplace, {key}
        """;

    // Per order date (the trend chart's buckets); the months of 4.2 and 4.5 are their sums.
    private static readonly string DaysSql = ChannelRollupSql("order_date");

    private static readonly string ChannelsSql = ChannelRollupSql("channel");

    // The month-rollup reads (MonthReads): $1 workspace, $2 from, $3 to, $4 as_of, $5 last (the earlier of to and
    // as_of), $6 start, $7 end, $8 cut. Each sums the whole months [$6, $7) with effects before $8 from the month
    // rollups (migration 0026), and from the day rollups the days of a partial first month, the days of a partial last
    // month up to $5, and the effects from $8 up to as_of of the whole months. The parts are disjoint and positive, so
    // each sum adds the very rows the day rollups alone would. The SKU sums read the edge days' effects dated on their
    // order day (always on or before as_of) from the day blocks of migration 0028, $9 their first days and $10 their
    // sizes, and $11 the single days; the effects dated later from the day rows. (An effect dated from the cut on of an
    // order of a whole month is dated after its order day.) "$6 < $7" drops the month rows' part when the period holds
    // no whole month: the planner cannot read an empty range of months by a key that starts with the marketplace, and
    // scanned every month row instead (55 ms at 1M lines for a one-day period).
    private static readonly string SkusSql = $"""
        SELECT marketplace, sku, {EconomicsColumns.Sums("r")}
        FROM (
            SELECT marketplace, sku, {EconomicsColumns.List()} FROM fact_sku_months
            WHERE workspace_id = $1 AND $6 < $7 AND order_month >= $6 AND order_month < $7 AND effect_month < $8
            UNION ALL
            SELECT b.marketplace, b.sku, {EconomicsColumns.List("b")}
            FROM unnest($9::date[], $10::smallint[]) AS k (block_start, block_days)
            JOIN fact_sku_blocks AS b ON b.workspace_id = $1 AND b.block_start = k.block_start AND b.block_days = k.block_days
            UNION ALL
            SELECT marketplace, sku, {EconomicsColumns.List()} FROM fact_sku_days
            WHERE workspace_id = $1 AND order_date = ANY ($11::date[]) AND effect_date = order_date
            UNION ALL
            SELECT marketplace, sku, {EconomicsColumns.List()} FROM fact_sku_days
            WHERE workspace_id = $1 AND effect_date <> order_date AND order_date >= $2 AND order_date < $6 AND order_date <= $5 AND effect_date <= $4
            UNION ALL
            SELECT marketplace, sku, {EconomicsColumns.List()} FROM fact_sku_days
            WHERE workspace_id = $1 AND effect_date <> order_date AND order_date >= $7 AND order_date <= $5 AND effect_date <= $4
            UNION ALL
            SELECT marketplace, sku, {EconomicsColumns.List()} FROM fact_sku_days
            WHERE workspace_id = $1 AND effect_date <> order_date AND effect_date >= $8 AND effect_date <= $4 AND order_date >= $6 AND order_date < $7
        ) AS r
        GROUP BY marketplace, sku
        """;

    // The customers' sums by cohort month and order month: the whole months are cohort (first-order) months, and the
    // cut applies to the order date and the effect date.
    private static readonly string CustomerLinesSql = $"""
        SELECT marketplace, acquisition_channel, date_trunc('month', first_date)::date, date_trunc('month', order_date)::date,
               is_first, {EconomicsColumns.Sums("r")}
        FROM (
            SELECT marketplace, acquisition_channel, first_month AS first_date, order_month AS order_date, is_first, {EconomicsColumns.List()}
            FROM fact_customer_months
            WHERE workspace_id = $1 AND $6 < $7 AND first_month >= $6 AND first_month < $7 AND order_month < $8 AND effect_month < $8
            UNION ALL
            SELECT marketplace, acquisition_channel, first_date, order_date, is_first, {EconomicsColumns.List()} FROM fact_customer_days
            WHERE workspace_id = $1 AND first_date >= $2 AND first_date < $6 AND first_date <= $5 AND order_date <= $4 AND effect_date <= $4
            UNION ALL
            SELECT marketplace, acquisition_channel, first_date, order_date, is_first, {EconomicsColumns.List()} FROM fact_customer_days
            WHERE workspace_id = $1 AND first_date >= $7 AND first_date <= $5 AND order_date <= $4 AND effect_date <= $4
            UNION ALL
            SELECT marketplace, acquisition_channel, first_date, order_date, is_first, {EconomicsColumns.List()} FROM fact_customer_days
            WHERE workspace_id = $1 AND effect_date >= $8 AND effect_date <= $4 AND order_date <= $4 AND first_date >= $6 AND first_date < $7
            UNION ALL
            SELECT marketplace, acquisition_channel, first_date, order_date, is_first, {EconomicsColumns.List()} FROM fact_customer_days
            WHERE workspace_id = $1 AND order_date >= $8 AND order_date <= $4 AND effect_date < $8 AND first_date >= $6 AND first_date < $7
        ) AS r
        GROUP BY marketplace, acquisition_channel, date_trunc('month', first_date), date_trunc('month', order_date), is_first
        """;

    private const string CustomerCountsSql = """
        SELECT marketplace, acquisition_channel, date_trunc('month', first_date)::date, date_trunc('month', order_date)::date,
               sum(new_customers)::int, sum(identified_customers)::int, sum(attributed_customers)::int, sum(active_customers)::int
        FROM (
            SELECT marketplace, acquisition_channel, first_month AS first_date, order_month AS order_date,
                   new_customers, identified_customers, attributed_customers, active_customers
            FROM fact_customer_count_months
            WHERE workspace_id = $1 AND $6 < $7 AND first_month >= $6 AND first_month < $7 AND order_month < $8
            UNION ALL
            SELECT marketplace, acquisition_channel, first_date, order_date, new_customers, identified_customers, attributed_customers, active_customers
            FROM fact_customer_counts
            WHERE workspace_id = $1 AND first_date >= $2 AND first_date < $6 AND first_date <= $5 AND order_date <= $4
            UNION ALL
            SELECT marketplace, acquisition_channel, first_date, order_date, new_customers, identified_customers, attributed_customers, active_customers
            FROM fact_customer_counts
            WHERE workspace_id = $1 AND first_date >= $7 AND first_date <= $5 AND order_date <= $4
            UNION ALL
            SELECT marketplace, acquisition_channel, first_date, order_date, new_customers, identified_customers, attributed_customers, active_customers
            FROM fact_customer_counts
            WHERE workspace_id = $1 AND order_date >= $8 AND order_date <= $4 AND first_date >= $6 AND first_date < $7
        ) AS r
        GROUP BY marketplace, acquisition_channel, date_trunc('month', first_date), date_trunc('month', order_date)
        """;

    private const string ClaimsSql = """
        SELECT marketplace, sum(claimed)::int, sum(taken)::int
        FROM fact_claim_days
        WHERE workspace_id = $1 AND date BETWEEN $2 AND $3 AND date <= $4
        GROUP BY marketplace
        """;

    public async Task<ReportSums> LoadAsync(Guid workspaceId, ReportPeriod period, IReadOnlyList<AdSpend> spend, IReadOnlyList<PeriodFee> fees, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(period);
        var reads = MonthReads.Of(period);

        // Two lanes, each on a connection of its own, so that PostgreSQL sums on two cores at once: the SKU sums (the
        // largest read) in one, the others in turn in the other.
        // How each read groups its sums (docs/benchmarks.md, "The reads of a cold key"): the hash aggregate sets up 20
        // numeric sums for each group, and where the rows are about as many as the groups (month rows only, or one
        // row per order day) sorting them first took a half to a third of the time; where day rows add many rows to
        // each group (as_of inside a month at 10M lines) hashing was faster.
        var monthsOnly = reads.MonthsOnly(period.AsOf);
        var skusRead = LaneAsync(async connection =>
        {
            await HashAggregationAsync(connection, !monthsOnly, ct);
            return await ReadAsync(
                connection, SkusSql, workspaceId, period, reads.Parameters, reads.BlockParameters(),
                r => new SkuLines(NamePool.Get(r.GetString(0)), NamePool.Get(r.GetString(1)), EconomicsColumns.Read(r, 2)), ct);
        }, ct);
        var othersRead = LaneAsync(async connection =>
        {
            await HashAggregationAsync(connection, false, ct);
            var days = await ReadAsync(connection, DaysSql, workspaceId, period, r => new DayLines(NamePool.Get(r.GetString(0)), r.GetFieldValue<DateOnly>(1), EconomicsColumns.Read(r, 2)), ct);
            await HashAggregationAsync(connection, true, ct);
            var channels = await ReadAsync(connection, ChannelsSql, workspaceId, period, r => new ChannelOrderLines(NamePool.Get(r.GetString(0)), NamePool.Get(r.GetString(1)), EconomicsColumns.Read(r, 2)), ct);
            await HashAggregationAsync(connection, !monthsOnly, ct);
            var customerLines = await ReadAsync(
                connection, CustomerLinesSql, workspaceId, period, reads.Parameters, [],
                r => (Marketplace: NamePool.Get(r.GetString(0)), Channel: NamePool.Get(r.GetString(1)), Cohort: Month(r, 2), Month: Month(r, 3), First: r.GetBoolean(4), Lines: EconomicsColumns.Read(r, 5)),
                ct);
            await HashAggregationAsync(connection, true, ct);
            var customerCounts = await ReadAsync(
                connection, CustomerCountsSql, workspaceId, period, reads.Parameters, [],
                r => (Marketplace: NamePool.Get(r.GetString(0)), Channel: NamePool.Get(r.GetString(1)), Cohort: Month(r, 2), Month: Month(r, 3),
                      New: r.GetInt32(4), Identified: r.GetInt32(5), Attributed: r.GetInt32(6), Active: r.GetInt32(7)),
                ct);
            var claims = await ReadAsync(connection, ClaimsSql, workspaceId, period, r => new AttributionCoverage(NamePool.Get(r.GetString(0)), r.GetInt32(1), r.GetInt32(2)), ct);
            return (days, channels, customerLines, customerCounts, claims);
        }, ct);
        var skus = await skusRead;
        var (days, channels, customerLines, customerCounts, claims) = await othersRead;

        var months = days
            .GroupBy(d => (d.Marketplace, YearMonth.Of(d.Date)))
            .Select(g => new MonthLines(g.Key.Marketplace, g.Key.Item2, LineEconomics.Sum(g.Select(d => d.Lines))))
            .ToList();
        var customers = new Dictionary<(string, string, YearMonth, YearMonth), CustomerMonthLines>();
        CustomerMonthLines Row(string marketplace, string channel, YearMonth cohort, YearMonth month) =>
            customers.GetValueOrDefault((marketplace, channel, cohort, month)) ?? new CustomerMonthLines(marketplace, channel, cohort, month, 0, 0, 0, 0, default, default);

        foreach (var (marketplace, channel, cohort, month, first, lines) in customerLines)
        {
            var row = Row(marketplace, channel, cohort, month);
            customers[(marketplace, channel, cohort, month)] = row with
            {
                FirstOrders = first ? row.FirstOrders + lines : row.FirstOrders,
                Orders = row.Orders + lines,
            };
        }

        foreach (var (marketplace, channel, cohort, month, newCustomers, identified, attributed, active) in customerCounts)
        {
            var row = Row(marketplace, channel, cohort, month);
            customers[(marketplace, channel, cohort, month)] = row with
            {
                NewCustomers = row.NewCustomers + newCustomers,
                IdentifiedCustomers = row.IdentifiedCustomers + identified,
                AttributedCustomers = row.AttributedCustomers + attributed,
                ActiveCustomers = row.ActiveCustomers + active,
            };
        }

        return new ReportSums(period, skus, months, days, channels, [.. customers.Values], spend, fees, claims);
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a connection of its own, with the report reads' settings; at most
    /// <see cref="MaxLanes"/> at once in this process, so that many cold reads at once leave most of the pool to the
    /// token lookups, version reads and writes of other requests.
    /// </summary>
    private async Task<T> LaneAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken ct)
    {
        await Lanes.WaitAsync(ct);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using (var settings = new NpgsqlCommand("SET work_mem = '64MB'; SET jit = off; SET max_parallel_workers_per_gather = 0", connection))
            {
                await settings.ExecuteNonQueryAsync(ct);
            }

            return await read(connection);
        }
        finally
        {
            Lanes.Release();
        }
    }

    private static async Task HashAggregationAsync(NpgsqlConnection connection, bool on, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(on ? "SET enable_hashagg = on" : "SET enable_hashagg = off", connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static YearMonth Month(NpgsqlDataReader reader, int column) => YearMonth.Of(reader.GetFieldValue<DateOnly>(column));

    private static Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, Guid workspaceId, ReportPeriod period, Func<NpgsqlDataReader, T> map, CancellationToken ct) =>
        ReadAsync(connection, sql, workspaceId, period, [], [], map, ct);

    /// <summary>Rows of <paramref name="sql"/> with $1 workspace, $2 from, $3 to, $4 as_of, then <paramref name="texts"/> (null: SQL NULL).</summary>
    internal static Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, Guid workspaceId, ReportPeriod period, IReadOnlyList<string?> texts, Func<NpgsqlDataReader, T> map, CancellationToken ct) =>
        ReadAsync(
            connection, sql, workspaceId, period, [],
            [.. texts.Select(text => new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text })], map, ct);

    /// <summary>
    /// Rows of <paramref name="sql"/> with $1 workspace, $2 from, $3 to, $4 as_of, then <paramref name="dates"/>, then
    /// <paramref name="more"/>.
    /// </summary>
    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, Guid workspaceId, ReportPeriod period, IReadOnlyList<DateOnly> dates, IReadOnlyList<NpgsqlParameter> more,
        Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        var rows = new List<T>();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = period.From, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = period.To, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = period.AsOf, NpgsqlDbType = NpgsqlDbType.Date });
        foreach (var date in dates)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = date, NpgsqlDbType = NpgsqlDbType.Date });
        }

        foreach (var parameter in more)
        {
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
