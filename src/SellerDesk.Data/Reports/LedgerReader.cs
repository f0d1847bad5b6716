using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Data.Reports;

/// <summary>A workspace's ledger rows as the domain takes them (of one source, or all).</summary>
public sealed record LedgerRows(
    IReadOnlyList<SaleLine> Sales,
    IReadOnlyList<ReturnEvent> Returns,
    IReadOnlyList<UnitCost> Costs,
    IReadOnlyList<AttributionRow> Attribution,
    IReadOnlyList<AdSpend> Spend,
    IReadOnlyList<PeriodFee> Fees);

/// <summary>
/// Reads a workspace's ledger rows (sales, returns, unit costs, attribution rows, ad spend, period fees) as domain
/// records; of the rows of one source only when given (unit costs belong to the workspace, not to a source).
/// Attribution rows of several sources with the same (date, marketplace, channel, sku) are one row with their orders
/// added up (migration 0016).
/// </summary>
public sealed class LedgerReader(NpgsqlDataSource dataSource)
{
    public async Task<LedgerRows> ReadAsync(Guid workspaceId, LedgerSource? source, CancellationToken cancellationToken = default)
    {
        var filter = source is null ? "" : " AND source = $2";
        var sales = await ReadAsync(
            "SELECT marketplace, order_id, line_id, ordered_at, customer_id, channel, sku, quantity, revenue, commission, logistics, acquiring, other_fees FROM sales_lines WHERE workspace_id = $1" + filter,
            workspaceId, source, r => new SaleLine(
                NamePool.Get(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                r.IsDBNull(4) ? null : r.GetString(4), NamePool.Get(r.GetString(5)), NamePool.Get(r.GetString(6)), r.GetInt32(7),
                r.GetDecimal(8), r.GetDecimal(9), r.GetDecimal(10), r.GetDecimal(11), r.GetDecimal(12)),
            cancellationToken);
        var returns = await ReadAsync(
            "SELECT marketplace, order_id, line_id, return_id, returned_at, quantity, refund, commission_refund, return_logistics, restockable FROM returns WHERE workspace_id = $1" + filter,
            workspaceId, source, r => new ReturnEvent(
                NamePool.Get(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt32(5),
                r.GetDecimal(6), r.GetDecimal(7), r.GetDecimal(8), r.GetBoolean(9), null),
            cancellationToken);
        var costs = await ReadAsync(
            "SELECT sku, valid_from, unit_cost FROM unit_costs WHERE workspace_id = $1",
            workspaceId, null, r => new UnitCost(NamePool.Get(r.GetString(0)), r.GetFieldValue<DateOnly>(1), r.GetDecimal(2)),
            cancellationToken);
        var spend = await ReadAsync(
            "SELECT date, marketplace, channel, amount FROM ad_spend WHERE workspace_id = $1" + filter,
            workspaceId, source, r => new AdSpend(r.GetFieldValue<DateOnly>(0), NamePool.Get(r.GetString(1)), NamePool.Get(r.GetString(2)), r.GetDecimal(3)),
            cancellationToken);
        var fees = await ReadAsync(
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1" + filter,
            workspaceId, source, r => new PeriodFee(r.GetFieldValue<DateOnly>(0), NamePool.Get(r.GetString(1)), NamePool.Get(r.GetString(2)), r.GetDecimal(3)),
            cancellationToken);
        var attribution = await AttributionAsync(workspaceId, source, cancellationToken);
        return new LedgerRows(sales, returns, costs, attribution, spend, fees);
    }

    private async Task<IReadOnlyList<AttributionRow>> AttributionAsync(Guid workspaceId, LedgerSource? source, CancellationToken cancellationToken)
    {
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('attribution_rows') IS NOT NULL"))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return [];
            }
        }

        return await ReadAsync(
            "SELECT date, marketplace, channel, sku, sum(orders)::int FROM attribution_rows WHERE workspace_id = $1"
            + (source is null ? "" : " AND source = $2")
            + " GROUP BY date, marketplace, channel, sku",
            workspaceId, source, r => new AttributionRow(r.GetFieldValue<DateOnly>(0), NamePool.Get(r.GetString(1)), NamePool.Get(r.GetString(2)), NamePool.Get(r.GetString(3)), r.GetInt32(4)),
            cancellationToken);
    }

    private async Task<List<T>> ReadAsync<T>(
        string sql, Guid workspaceId, LedgerSource? source, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
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
