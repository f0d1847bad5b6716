using System.Diagnostics;
using Npgsql;

namespace SellerDesk.Bench.Steps;

/// <summary>Step 6a: the naive peer, one straightforward SQL statement over the raw ledger tables, timed beside the app.</summary>
internal static class NaivePeerStep
{
    // The naive peer (issue 11, benchmark): the marketplaces report's line figures (metrics.md sections 2 and 4.2),
    // new customers, ad spend and period fees computed by one straightforward SQL statement over the raw ledger
    // tables, as a database-only tool would: $1 workspace, $2 from, $3 to, $4 as_of, $5 the time zone.
    internal const string Sql = """
        WITH ret AS (
            SELECT marketplace, order_id, line_id, sum(quantity) AS r, sum(refund) AS refund,
                   sum(commission_refund) AS commission_refund, sum(return_logistics) AS return_logistics,
                   coalesce(sum(quantity) FILTER (WHERE NOT restockable), 0) AS nonrestock
            FROM returns
            WHERE workspace_id = $1 AND (returned_at AT TIME ZONE $5)::date <= $4
            GROUP BY marketplace, order_id, line_id
        ), lines AS (
            SELECT s.marketplace, s.quantity AS q, s.revenue, s.commission, s.logistics, s.acquiring, s.other_fees,
                   coalesce(r.r, 0) AS r, coalesce(r.refund, 0) AS refund, coalesce(r.commission_refund, 0) AS commission_refund,
                   coalesce(r.return_logistics, 0) AS return_logistics, coalesce(r.nonrestock, 0) AS nonrestock,
                   c.unit_cost
            FROM sales_lines AS s
            LEFT JOIN ret AS r ON r.marketplace = s.marketplace AND r.order_id = s.order_id AND r.line_id = s.line_id
            LEFT JOIN LATERAL (
                SELECT u.unit_cost FROM unit_costs AS u
                WHERE u.workspace_id = s.workspace_id AND u.sku = s.sku AND u.valid_from <= (s.ordered_at AT TIME ZONE $5)::date
                ORDER BY u.valid_from DESC LIMIT 1) AS c ON true
            WHERE s.workspace_id = $1 AND (s.ordered_at AT TIME ZONE $5)::date BETWEEN $2 AND least($3, $4)
        ), firsts AS (
            SELECT DISTINCT ON (marketplace, coalesce(customer_id, 'order:' || order_id))
                   marketplace, (ordered_at AT TIME ZONE $5)::date AS first_date
            FROM sales_lines
            WHERE workspace_id = $1 AND (ordered_at AT TIME ZONE $5)::date <= $4
            ORDER BY marketplace, coalesce(customer_id, 'order:' || order_id), ordered_at, order_id
        )
        SELECT l.marketplace, sum(l.revenue) AS revenue, sum(l.revenue - l.refund) AS net_revenue,
               sum(l.revenue - l.refund
                   - (l.commission - l.commission_refund + l.logistics + l.return_logistics + l.acquiring + l.other_fees)
                   - coalesce(l.unit_cost, 0) * (l.q - l.r + l.nonrestock)) AS contribution_margin,
               sum(CASE WHEN l.r = 0 THEN 0 ELSE
                   l.r::numeric / l.q * (l.commission + l.logistics + l.acquiring + l.other_fees)
                   - l.commission_refund + l.return_logistics + coalesce(l.unit_cost, 0) * l.nonrestock END) AS return_loss,
               sum(l.r)::numeric / nullif(sum(l.q), 0) AS return_rate,
               count(*) FILTER (WHERE l.unit_cost IS NULL) AS cogs_missing_lines,
               (SELECT count(*) FROM firsts AS f WHERE f.marketplace = l.marketplace AND f.first_date BETWEEN $2 AND least($3, $4)) AS new_customers,
               (SELECT coalesce(sum(amount), 0) FROM ad_spend AS a WHERE a.workspace_id = $1 AND a.marketplace = l.marketplace AND a.date BETWEEN $2 AND least($3, $4)) AS ad_spend,
               (SELECT coalesce(sum(amount), 0) FROM period_fees AS p WHERE p.workspace_id = $1 AND p.marketplace = l.marketplace AND p.date BETWEEN $2 AND least($3, $4)) AS period_fees
        FROM lines AS l
        GROUP BY l.marketplace
        ORDER BY l.marketplace
        """;

    /// <summary>
    /// Runs <see cref="Sql"/> twice (the first after the app's reports, so the ledger pages are as warm as
    /// the app's were) and checks its revenue against the app's marketplaces report.
    /// </summary>
    public static async Task<NaivePeerMeasurement> RunAsync(BenchContext context, AppProcess app)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        BenchContext.Section("6a. The naive peer: the marketplaces report as one SQL statement over the raw ledger tables");
        var workspaceId = await context.WorkspaceIdAsync();
        await using var connection = new NpgsqlConnection(context.BenchConnection);
        await connection.OpenAsync();
        var times = new List<double>();
        decimal revenue = 0;
        for (var run = 0; run < 2; run++)
        {
            await context.QuietAsync("naive peer");
            await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = 0 };
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            command.Parameters.Add(new NpgsqlParameter { Value = context.First });
            command.Parameters.Add(new NpgsqlParameter { Value = context.Last });
            command.Parameters.Add(new NpgsqlParameter { Value = context.Last });
            command.Parameters.Add(new NpgsqlParameter { Value = BenchContext.TimeZoneId });
            var clock = Stopwatch.StartNew();
            revenue = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    revenue += reader.GetDecimal(1);
                }
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            Console.WriteLine($"  run {run + 1}: {times[^1]:0} ms  load {BenchContext.LoadAverage()}");
        }

        var appRevenue = await context.RevenueAsync(app);
        Console.WriteLine($"  revenue: naive {revenue:N2}, SellerDesk {appRevenue:N2} ({(revenue == appRevenue ? "equal" : "DIFFERENT")})");
        return new NaivePeerMeasurement(times[0], times[1], revenue, appRevenue, BenchContext.LoadAverage());
    }
}
