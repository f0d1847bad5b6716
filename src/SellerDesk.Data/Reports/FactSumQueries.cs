using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Facts;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// <see cref="ReportSums"/> read from the stored facts of migration 0017 (the rollups of <c>line_facts</c>,
/// <c>line_return_facts</c> and <c>customer_order_facts</c> per day and report key, and <c>attribution_claims</c>),
/// which the domain computed when the ledger was written: the same sums as <see cref="ReportSums.Of"/>, with sums and
/// GROUP BY only, over rows in proportion to days and keys. The period and as_of only filter: a line
/// counts when its order is dated in range (customer sums: when its customer's first order is, and its own order up to
/// as_of), with its return effects dated up to as_of.
/// </summary>
internal sealed class FactSumQueries(NpgsqlDataSource dataSource)
{
    // $1 workspace, $2 from, $3 to, $4 as_of. The rollups of the line facts (migration 0017): the sale side of the
    // orders dated up to as_of (effect_date is the order date) and the return effects dated up to as_of.
    private static readonly string SkusSql = $"""
        SELECT marketplace, sku, {EconomicsColumns.Sums("r")}
        FROM fact_sku_days AS r
        WHERE workspace_id = $1 AND order_date BETWEEN $2 AND $3 AND order_date <= $4 AND effect_date <= $4
        GROUP BY marketplace, sku
        """;

    // Per order date (the trend chart's buckets); the months of 4.2 and 4.5 are their sums.
    private static readonly string DaysSql = $"""
        SELECT marketplace, order_date, {EconomicsColumns.Sums("r")}
        FROM fact_channel_days AS r
        WHERE workspace_id = $1 AND order_date BETWEEN $2 AND $3 AND order_date <= $4 AND effect_date <= $4
        GROUP BY marketplace, order_date
        """;

    private static readonly string ChannelsSql = $"""
        SELECT marketplace, channel, {EconomicsColumns.Sums("r")}
        FROM fact_channel_days AS r
        WHERE workspace_id = $1 AND order_date BETWEEN $2 AND $3 AND order_date <= $4 AND effect_date <= $4
        GROUP BY marketplace, channel
        """;

    private static readonly string CustomerLinesSql = $"""
        SELECT marketplace, acquisition_channel, date_trunc('month', first_date)::date, date_trunc('month', order_date)::date,
               is_first, {EconomicsColumns.Sums("r")}
        FROM fact_customer_days AS r
        WHERE workspace_id = $1 AND first_date BETWEEN $2 AND $3 AND first_date <= $4 AND order_date <= $4 AND effect_date <= $4
        GROUP BY marketplace, acquisition_channel, date_trunc('month', first_date), date_trunc('month', order_date), is_first
        """;

    private const string CustomerCountsSql = """
        SELECT marketplace, acquisition_channel, date_trunc('month', first_date)::date, date_trunc('month', order_date)::date,
               sum(new_customers)::int, sum(identified_customers)::int, sum(attributed_customers)::int, sum(active_customers)::int
        FROM fact_customer_counts
        WHERE workspace_id = $1 AND order_date <= $4 AND first_date BETWEEN $2 AND $3 AND first_date <= $4
        GROUP BY marketplace, acquisition_channel, date_trunc('month', first_date), date_trunc('month', order_date)
        """;

    private const string ClaimsSql = """
        SELECT marketplace, sum(claimed)::int, sum(taken)::int
        FROM attribution_claims
        WHERE workspace_id = $1 AND date BETWEEN $2 AND $3 AND date <= $4
        GROUP BY marketplace
        """;

    public async Task<ReportSums> LoadAsync(Guid workspaceId, ReportPeriod period, IReadOnlyList<AdSpend> spend, IReadOnlyList<PeriodFee> fees, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(period);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var settings = new NpgsqlCommand("SET work_mem = '64MB'; SET jit = off", connection))
        {
            await settings.ExecuteNonQueryAsync(ct);
        }

        var skus = await ReadAsync(connection, SkusSql, workspaceId, period, r => new SkuLines(NamePool.Get(r.GetString(0)), NamePool.Get(r.GetString(1)), EconomicsColumns.Read(r, 2)), ct);
        var days = await ReadAsync(connection, DaysSql, workspaceId, period, r => new DayLines(NamePool.Get(r.GetString(0)), r.GetFieldValue<DateOnly>(1), EconomicsColumns.Read(r, 2)), ct);
        var months = days
            .GroupBy(d => (d.Marketplace, YearMonth.Of(d.Date)))
            .Select(g => new MonthLines(g.Key.Marketplace, g.Key.Item2, LineEconomics.Sum(g.Select(d => d.Lines))))
            .ToList();
        var channels = await ReadAsync(connection, ChannelsSql, workspaceId, period, r => new ChannelOrderLines(NamePool.Get(r.GetString(0)), NamePool.Get(r.GetString(1)), EconomicsColumns.Read(r, 2)), ct);

        var customers = new Dictionary<(string, string, YearMonth, YearMonth), CustomerMonthLines>();
        CustomerMonthLines Row(string marketplace, string channel, YearMonth cohort, YearMonth month) =>
            customers.GetValueOrDefault((marketplace, channel, cohort, month)) ?? new CustomerMonthLines(marketplace, channel, cohort, month, 0, 0, 0, 0, default, default);

        foreach (var (marketplace, channel, cohort, month, first, lines) in await ReadAsync(
            connection, CustomerLinesSql, workspaceId, period,
            r => (NamePool.Get(r.GetString(0)), NamePool.Get(r.GetString(1)), Month(r, 2), Month(r, 3), r.GetBoolean(4), EconomicsColumns.Read(r, 5)),
            ct))
        {
            var row = Row(marketplace, channel, cohort, month);
            customers[(marketplace, channel, cohort, month)] = row with
            {
                FirstOrders = first ? row.FirstOrders + lines : row.FirstOrders,
                Orders = row.Orders + lines,
            };
        }

        foreach (var (marketplace, channel, cohort, month, counts) in await ReadAsync(
            connection, CustomerCountsSql, workspaceId, period,
            r => (NamePool.Get(r.GetString(0)), NamePool.Get(r.GetString(1)), Month(r, 2), Month(r, 3), (New: r.GetInt32(4), Identified: r.GetInt32(5), Attributed: r.GetInt32(6), Active: r.GetInt32(7))),
            ct))
        {
            var row = Row(marketplace, channel, cohort, month);
            customers[(marketplace, channel, cohort, month)] = row with
            {
                NewCustomers = row.NewCustomers + counts.New,
                IdentifiedCustomers = row.IdentifiedCustomers + counts.Identified,
                AttributedCustomers = row.AttributedCustomers + counts.Attributed,
                ActiveCustomers = row.ActiveCustomers + counts.Active,
            };
        }

        var claims = await ReadAsync(connection, ClaimsSql, workspaceId, period, r => new AttributionCoverage(NamePool.Get(r.GetString(0)), r.GetInt32(1), r.GetInt32(2)), ct);
        return new ReportSums(period, skus, months, days, channels, [.. customers.Values], spend, fees, claims);
    }

    private static YearMonth Month(NpgsqlDataReader reader, int column) => YearMonth.Of(reader.GetFieldValue<DateOnly>(column));

    private static Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, Guid workspaceId, ReportPeriod period, Func<NpgsqlDataReader, T> map, CancellationToken ct) =>
        ReadAsync(connection, sql, workspaceId, period, [], map, ct);

    /// <summary>Rows of <paramref name="sql"/> with $1 workspace, $2 from, $3 to, $4 as_of, then <paramref name="texts"/> (null: SQL NULL).</summary>
    internal static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, Guid workspaceId, ReportPeriod period, IReadOnlyList<string?> texts, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        var rows = new List<T>();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = period.From, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = period.To, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = period.AsOf, NpgsqlDbType = NpgsqlDbType.Date });
        foreach (var text in texts)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
