using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// Reads what the reports need as aggregates: one order fact per order up to as_of, computed set-based in
/// PostgreSQL by the same rules as <see cref="LineEconomics"/> (metrics.md section 2), plus ad spend and fees.
/// OrderFactsMatchTheDomain tests hold the two in step.
/// </summary>
public sealed class ReportQueries(NpgsqlDataSource dataSource)
{
    private const string OrderFactsSql = """
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
            WHERE workspace_id = $1 AND (returned_at AT TIME ZONE $2)::date <= $3
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
              AND s.ordered_at < (($3 + 1)::timestamp AT TIME ZONE $2)
        )
        SELECT marketplace, order_id, min(customer_id), min(channel), min(ordered_at), min(local_date),
               sum(revenue),
               sum(revenue - refund),
               sum(revenue - refund - (sale_fees - commission_refund + return_logistics)
                   - coalesce(unit_cost, 0) * (quantity - units + nonrestock)),
               sum(CASE WHEN units = 0 THEN 0
                        ELSE units * sale_fees / quantity - commission_refund + return_logistics
                             + coalesce(unit_cost, 0) * nonrestock END),
               sum(quantity)::int, sum(units)::int, (count(*) FILTER (WHERE unit_cost IS NULL))::int
        FROM lines
        GROUP BY marketplace, order_id
        """;

    /// <summary>Order facts, ad spend and period fees of one workspace that exist on <paramref name="asOf"/>.</summary>
    public async Task<ReportInputs> LoadInputsAsync(Guid workspaceId, string timeZone, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        var orders = new List<OrderFact>();
        await using (var command = dataSource.CreateCommand(OrderFactsSql))
        {
            AddScope(command, workspaceId, timeZone, asOf);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                orders.Add(new OrderFact(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3),
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
        }

        var spend = new List<AdSpend>();
        await using (var command = dataSource.CreateCommand(
            "SELECT date, marketplace, channel, amount FROM ad_spend WHERE workspace_id = $1 AND date <= $3 AND $2 = $2"))
        {
            AddScope(command, workspaceId, timeZone, asOf);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                spend.Add(new AdSpend(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3)));
            }
        }

        var fees = new List<PeriodFee>();
        await using (var command = dataSource.CreateCommand(
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1 AND date <= $3 AND $2 = $2"))
        {
            AddScope(command, workspaceId, timeZone, asOf);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                fees.Add(new PeriodFee(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3)));
            }
        }

        return new ReportInputs(orders, spend, fees);
    }

    private static void AddScope(NpgsqlCommand command, Guid workspaceId, string timeZone, DateOnly asOf)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = timeZone, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf, NpgsqlDbType = NpgsqlDbType.Date });
    }
}
