using Npgsql;
using SellerDesk.Data.Facts;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// The inputs of LTV by first SKU (<see cref="FirstSkuCohortReport"/>, decision 0029) from the stored facts of
/// migration 0017: the SKUs and gross revenue of the first orders of the customers whose first order is in range, and
/// those customers' orders up to as_of per month, with their return effects up to as_of. Sums and GROUP BY only; the
/// first-SKU rule is the domain's. The rows are per customer (not per day, as the rollups are): what one
/// marketplace's cohorts of a period hold.
/// </summary>
internal sealed class FirstSkuQueries(NpgsqlDataSource dataSource)
{
    // $1 workspace, $2 from, $3 to, $4 as_of, $5 marketplace or null, $6 acquisition channel or null.
    private const string Customers = """
        c.workspace_id = $1 AND c.first_date BETWEEN $2 AND $3 AND c.first_date <= $4
        AND ($5::text IS NULL OR c.marketplace = $5) AND ($6::text IS NULL OR c.acquisition_channel = $6)
        """;

    private static readonly string FirstOrdersSql = $"""
        SELECT c.marketplace, c.customer_key, l.sku, sum(l.revenue)
        FROM customer_order_facts AS c
        JOIN line_facts AS l ON l.workspace_id = c.workspace_id AND l.marketplace = c.marketplace AND l.order_id = c.order_id
        WHERE c.is_first AND {Customers}
        GROUP BY c.marketplace, c.customer_key, l.sku
        """;

    private static readonly string MonthsSql = $"""
        SELECT c.marketplace, c.customer_key, date_trunc('month', c.first_date)::date, date_trunc('month', c.order_date)::date, c.is_first,
               {EconomicsColumns.Sums("l")}
        FROM customer_order_facts AS c
        JOIN (SELECT workspace_id, marketplace, order_id, order_date AS effect_date, {EconomicsColumns.List()} FROM line_facts WHERE workspace_id = $1
              UNION ALL
              SELECT workspace_id, marketplace, order_id, return_date, {EconomicsColumns.List()} FROM line_return_facts WHERE workspace_id = $1) AS l
            ON l.workspace_id = c.workspace_id AND l.marketplace = c.marketplace AND l.order_id = c.order_id
        WHERE c.order_date <= $4 AND l.effect_date <= $4 AND {Customers}
        GROUP BY c.marketplace, c.customer_key, date_trunc('month', c.first_date), date_trunc('month', c.order_date), c.is_first
        """;

    public async Task<IReadOnlyList<FirstSkuCohortRow>> LoadAsync(Guid workspaceId, ReportPeriod period, CohortFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var firstOrders = await FactSumQueries.ReadAsync(
            connection, FirstOrdersSql, workspaceId, period, [filter.Marketplace, filter.Channel],
            r => new FirstOrderSkuLines(NamePool.Get(r.GetString(0)), r.GetString(1), NamePool.Get(r.GetString(2)), r.GetDecimal(3)), ct);
        var months = new Dictionary<(string, string, YearMonth), CustomerMonthOrders>();
        foreach (var (marketplace, customer, cohort, month, first, lines) in await FactSumQueries.ReadAsync(
            connection, MonthsSql, workspaceId, period, [filter.Marketplace, filter.Channel],
            r => (NamePool.Get(r.GetString(0)), r.GetString(1), YearMonth.Of(r.GetFieldValue<DateOnly>(2)), YearMonth.Of(r.GetFieldValue<DateOnly>(3)), r.GetBoolean(4), EconomicsColumns.Read(r, 5)),
            ct))
        {
            var row = months.GetValueOrDefault((marketplace, customer, month)) ?? new CustomerMonthOrders(marketplace, customer, cohort, month, default, default);
            months[(marketplace, customer, month)] = row with
            {
                FirstOrder = first ? row.FirstOrder + lines : row.FirstOrder,
                Orders = row.Orders + lines,
            };
        }

        return FirstSkuCohortReport.Compute(period, firstOrders, months.Values);
    }
}
