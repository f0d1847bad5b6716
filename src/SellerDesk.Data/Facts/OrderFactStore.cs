using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Data.Facts;

/// <summary>
/// Keeps <c>order_facts</c> and <c>order_return_facts</c> (migration 0014, decision 0014) equal to what the domain
/// computes from the ledger: a writer marks the orders it may have changed (MarkAsync, before or after
/// its own statements, in its transaction) and calls <see cref="RefreshAsync"/> before it commits. The marked orders'
/// facts are computed again from their ledger rows in C# (<see cref="StoredOrderFacts"/>: metrics.md section 2, once),
/// and the customer facts (section 3) of every customer those orders had or have are computed again from the stored
/// facts of all that customer's orders. The cost is proportional to the marked orders and their customers' orders.
/// The caller holds the workspace's ledger lock.
/// </summary>
public static class OrderFactStore
{
    /// <summary>Orders (or customers) computed and written at a time, so memory stays flat for any write.</summary>
    public const int PartSize = 20_000;

    /// <summary>Digits kept after the point: exact for every ledger amount, and sums of them stay within decimal.</summary>
    private const int Scale = 12;

    /// <summary>
    /// Notes orders whose facts must be computed again: <paramref name="keysSql"/> selects (marketplace, order_id)
    /// with the workspace as $1 and <paramref name="values"/> as $2, $3, ...
    /// </summary>
    public static async Task MarkAsync(NpgsqlConnection connection, Guid workspaceId, string keysSql, CancellationToken ct, params object[] values)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await ExecuteAsync(
            connection,
            "CREATE TEMP TABLE IF NOT EXISTS fact_marked (marketplace text NOT NULL, order_id text NOT NULL) ON COMMIT DROP",
            ct);
        await ExecuteAsync(
            connection,
            $"INSERT INTO fact_marked (marketplace, order_id) SELECT k.m, k.o FROM ({keysSql}) AS k (m, o)",
            ct,
            [workspaceId, .. values]);
    }

    /// <summary>Notes the orders <paramref name="orders"/>.</summary>
    public static Task MarkAsync(NpgsqlConnection connection, Guid workspaceId, IReadOnlyCollection<(string Marketplace, string OrderId)> orders, CancellationToken ct) =>
        orders.Count == 0
            ? Task.CompletedTask
            : MarkAsync(
                connection,
                workspaceId,
                "SELECT m, o FROM unnest($2::text[], $3::text[]) AS u (m, o) WHERE $1::uuid IS NOT NULL",
                ct,
                orders.Select(o => o.Marketplace).ToArray(),
                orders.Select(o => o.OrderId).ToArray());

    /// <summary>
    /// Computes the facts of the marked orders and of their customers again and writes them; returns how many orders
    /// were marked. Nothing marked: nothing done.
    /// </summary>
    public static async Task<long> RefreshAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('pg_temp.fact_marked') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        var zone = await ZoneAsync(connection, workspaceId, ct);
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS pg_temp.fact_orders, pg_temp.fact_customers", ct);
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE fact_orders ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY marketplace, order_id) AS n, marketplace, order_id
            FROM (SELECT DISTINCT marketplace, order_id FROM fact_marked) AS d
            """,
            ct);
        await ExecuteAsync(connection, "DROP TABLE fact_marked", ct);
        await ExecuteAsync(connection, "CREATE INDEX ON fact_orders (n)", ct);
        await ExecuteAsync(connection, "ANALYZE fact_orders", ct);
        var marked = await ScalarAsync(connection, "SELECT count(*) FROM fact_orders", ct);
        if (marked == 0)
        {
            return 0;
        }

        // The customers the orders had: their other orders' customer facts may change when these go or move.
        await ExecuteAsync(
            connection,
            "CREATE TEMP TABLE fact_customers (marketplace text NOT NULL, customer_id text NOT NULL, PRIMARY KEY (marketplace, customer_id)) ON COMMIT DROP",
            ct);
        await ExecuteAsync(
            connection,
            """
            WITH gone AS (
                DELETE FROM order_facts AS f USING fact_orders AS k
                WHERE f.workspace_id = $1 AND f.marketplace = k.marketplace AND f.order_id = k.order_id
                RETURNING f.marketplace, f.customer_id)
            INSERT INTO fact_customers SELECT DISTINCT marketplace, customer_id FROM gone WHERE customer_id IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            ct,
            workspaceId);

        var costs = await CostsAsync(connection, workspaceId, ct);
        for (long from = 0; from < marked; from += PartSize)
        {
            await WriteOrdersAsync(connection, workspaceId, zone, costs, from, from + PartSize, ct);
        }

        // The customers the orders have now.
        await ExecuteAsync(
            connection,
            """
            INSERT INTO fact_customers
            SELECT DISTINCT f.marketplace, f.customer_id FROM order_facts AS f JOIN fact_orders AS k
                ON f.workspace_id = $1 AND f.marketplace = k.marketplace AND f.order_id = k.order_id
            WHERE f.customer_id IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            ct,
            workspaceId);
        await ExecuteAsync(connection, "DROP TABLE fact_orders", ct);
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE fact_customer_parts ON COMMIT DROP AS
            SELECT row_number() OVER () AS n, marketplace, customer_id FROM fact_customers
            """,
            ct);
        await ExecuteAsync(connection, "DROP TABLE fact_customers", ct);
        await ExecuteAsync(connection, "CREATE INDEX ON fact_customer_parts (n)", ct);
        await ExecuteAsync(connection, "ANALYZE fact_customer_parts", ct);
        var customers = await ScalarAsync(connection, "SELECT count(*) FROM fact_customer_parts", ct);
        for (long from = 0; from < customers; from += PartSize)
        {
            await WriteCustomersAsync(connection, workspaceId, from, from + PartSize, ct);
        }

        await ExecuteAsync(connection, "DROP TABLE fact_customer_parts", ct);
        return marked;
    }

    /// <summary>
    /// Computes every order's facts of the workspaces listed in <c>order_facts_pending</c> (ledgers written before
    /// migration 0014), one workspace per transaction under its ledger lock.
    /// </summary>
    public static async Task BuildPendingAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        List<Guid> pending = [];
        await using (var list = new NpgsqlCommand("SELECT workspace_id FROM order_facts_pending", connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                pending.Add(reader.GetGuid(0));
            }
        }

        foreach (var workspaceId in pending)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('sellerdesk.ledger:' || $1::text, 0))", ct, workspaceId);
            await ExecuteAsync(connection, "SET LOCAL enable_nestloop = off", ct);
            await MarkAsync(connection, workspaceId, "SELECT marketplace, order_id FROM sales_lines WHERE workspace_id = $1", ct);
            await MarkAsync(connection, workspaceId, "SELECT marketplace, order_id FROM order_facts WHERE workspace_id = $1", ct);
            await RefreshAsync(connection, workspaceId, ct);
            await ExecuteAsync(connection, "DELETE FROM order_facts_pending WHERE workspace_id = $1", ct, workspaceId);
            await transaction.CommitAsync(ct);
        }
    }

    private static async Task WriteOrdersAsync(
        NpgsqlConnection connection, Guid workspaceId, TimeZoneInfo zone, UnitCostBook costs, long from, long to, CancellationToken ct)
    {
        var sales = new List<SaleLine>();
        var returns = new List<ReturnEvent>();
        var sources = new Dictionary<(string, string), Guid>();
        await using (var read = new NpgsqlCommand(
            """
            SELECT s.marketplace, s.order_id, s.line_id, s.ordered_at, s.customer_id, s.channel, s.sku, s.quantity,
                   s.revenue, s.commission, s.logistics, s.acquiring, s.other_fees, s.source
            FROM fact_orders AS k
            JOIN sales_lines AS s ON s.workspace_id = $1 AND s.marketplace = k.marketplace AND s.order_id = k.order_id
            WHERE k.n > $2 AND k.n <= $3
            """,
            connection))
        {
            AddParameters(read, workspaceId, from, to);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var line = new SaleLine(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(7),
                    reader.GetDecimal(8), reader.GetDecimal(9), reader.GetDecimal(10), reader.GetDecimal(11), reader.GetDecimal(12));
                sales.Add(line);
                sources[(line.Marketplace, line.OrderId)] = reader.GetGuid(13);
            }
        }

        if (sales.Count == 0)
        {
            return;
        }

        await using (var read = new NpgsqlCommand(
            """
            SELECT r.marketplace, r.order_id, r.line_id, r.return_id, r.returned_at, r.quantity, r.refund,
                   r.commission_refund, r.return_logistics, r.restockable
            FROM fact_orders AS k
            JOIN returns AS r ON r.workspace_id = $1 AND r.marketplace = k.marketplace AND r.order_id = k.order_id
            WHERE k.n > $2 AND k.n <= $3
            """,
            connection))
        {
            AddParameters(read, workspaceId, from, to);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                returns.Add(new ReturnEvent(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetInt32(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetDecimal(8), reader.GetBoolean(9), null));
            }
        }

        var facts = StoredOrderFacts.Build(sales, returns, costs, zone);

        // The customer facts of the part's orders among themselves (an order without a buyer id is its own customer);
        // the customers with a buyer id are computed again afterwards from all their orders.
        var customers = StoredOrderFacts.Customers(facts.Select(f => f.Order)).ToDictionary(c => (c.Marketplace, c.OrderId));

        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY order_facts (workspace_id, marketplace, order_id, source, ordered_at, local_date, customer_id, channel,
                              revenue, net_revenue, margin, return_loss, units, cogs_missing,
                              is_first, first_in_month, first_date, acquisition_channel, identified)
            FROM STDIN (FORMAT BINARY)
            """,
            ct))
        {
            foreach (var fact in facts)
            {
                var order = fact.Order;
                var alone = customers[(order.Marketplace, order.OrderId)];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(workspaceId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(order.Marketplace, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(order.OrderId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(sources[(order.Marketplace, order.OrderId)], NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(order.OrderedAt, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(order.LocalDate, NpgsqlDbType.Date, ct);
                if (order.CustomerId is null)
                {
                    await copy.WriteNullAsync(ct);
                }
                else
                {
                    await copy.WriteAsync(order.CustomerId, NpgsqlDbType.Text, ct);
                }

                await copy.WriteAsync(order.Channel, NpgsqlDbType.Text, ct);
                var sale = StoredOrderFacts.Of(order, fact.Sale);
                await copy.WriteAsync(Round(sale.Revenue), NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(Round(sale.NetRevenue), NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(Round(sale.ContributionMargin), NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(Round(sale.ReturnLoss), NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(sale.Quantity, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(sale.CogsMissingLines, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(alone.IsFirstOrder, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(alone.FirstInMonth, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(alone.FirstOrderDate, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(alone.AcquisitionChannel, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(alone.Identified, NpgsqlDbType.Boolean, ct);
            }

            await copy.CompleteAsync(ct);
        }

        if (!facts.Any(f => f.Returns.Count > 0))
        {
            return;
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY order_return_facts (workspace_id, marketplace, order_id, return_date, net_revenue, margin, return_loss, returned_units)
            FROM STDIN (FORMAT BINARY)
            """,
            ct))
        {
            foreach (var fact in facts)
            {
                foreach (var effect in fact.Returns)
                {
                    var figures = StoredOrderFacts.Of(fact.Order, effect.Effect);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(workspaceId, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(fact.Order.Marketplace, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(fact.Order.OrderId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(effect.Date, NpgsqlDbType.Date, ct);
                    await copy.WriteAsync(Round(figures.NetRevenue), NpgsqlDbType.Numeric, ct);
                    await copy.WriteAsync(Round(figures.ContributionMargin), NpgsqlDbType.Numeric, ct);
                    await copy.WriteAsync(Round(figures.ReturnLoss), NpgsqlDbType.Numeric, ct);
                    await copy.WriteAsync(figures.ReturnedUnits, NpgsqlDbType.Integer, ct);
                }
            }

            await copy.CompleteAsync(ct);
        }
    }

    private static async Task WriteCustomersAsync(NpgsqlConnection connection, Guid workspaceId, long from, long to, CancellationToken ct)
    {
        var orders = new List<LedgerOrder>();
        var stored = new Dictionary<(string, string), (bool IsFirst, bool FirstInMonth, DateOnly FirstDate, string Acquisition, bool Identified)>();
        await using (var read = new NpgsqlCommand(
            """
            SELECT f.marketplace, f.order_id, f.ordered_at, f.local_date, f.customer_id, f.channel,
                   f.is_first, f.first_in_month, f.first_date, f.acquisition_channel, f.identified
            FROM fact_customer_parts AS c
            JOIN order_facts AS f ON f.workspace_id = $1 AND f.marketplace = c.marketplace AND f.customer_id = c.customer_id
            WHERE c.n > $2 AND c.n <= $3
            """,
            connection))
        {
            AddParameters(read, workspaceId, from, to);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var order = new LedgerOrder(
                    reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateOnly>(3),
                    reader.GetString(4), reader.GetString(5), []);
                orders.Add(order);
                stored[(order.Marketplace, order.OrderId)] = (
                    reader.GetBoolean(6), reader.GetBoolean(7), reader.GetFieldValue<DateOnly>(8), reader.GetString(9), reader.GetBoolean(10));
            }
        }

        var changed = StoredOrderFacts.Customers(orders)
            .Where(c => stored[(c.Marketplace, c.OrderId)] != (c.IsFirstOrder, c.FirstInMonth, c.FirstOrderDate, c.AcquisitionChannel, c.Identified))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE IF NOT EXISTS fact_customer_rows (
                marketplace text, order_id text, is_first boolean, first_in_month boolean, first_date date,
                acquisition_channel text, identified boolean) ON COMMIT DROP
            """,
            ct);
        await ExecuteAsync(connection, "TRUNCATE fact_customer_rows", ct);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY fact_customer_rows (marketplace, order_id, is_first, first_in_month, first_date, acquisition_channel, identified) FROM STDIN (FORMAT BINARY)",
            ct))
        {
            foreach (var c in changed)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(c.Marketplace, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.OrderId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.IsFirstOrder, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(c.FirstInMonth, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(c.FirstOrderDate, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(c.AcquisitionChannel, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.Identified, NpgsqlDbType.Boolean, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await ExecuteAsync(
            connection,
            """
            UPDATE order_facts AS f
            SET is_first = c.is_first, first_in_month = c.first_in_month, first_date = c.first_date,
                acquisition_channel = c.acquisition_channel, identified = c.identified
            FROM fact_customer_rows AS c
            WHERE f.workspace_id = $1 AND f.marketplace = c.marketplace AND f.order_id = c.order_id
            """,
            ct,
            workspaceId);
    }

    private static async Task<UnitCostBook> CostsAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        var costs = new List<UnitCost>();
        await using var read = new NpgsqlCommand("SELECT sku, valid_from, unit_cost FROM unit_costs WHERE workspace_id = $1", connection);
        read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            costs.Add(new UnitCost(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetDecimal(2)));
        }

        return new UnitCostBook(costs);
    }

    private static async Task<TimeZoneInfo> ZoneAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand("SELECT time_zone FROM workspaces WHERE id = $1", connection);
        read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        var name = await read.ExecuteScalarAsync(ct) as string ?? throw new InvalidOperationException($"No workspace {workspaceId}.");
        return TimeZoneInfo.FindSystemTimeZoneById(name);
    }

    private static decimal Round(decimal value) => Math.Round(value, Scale, MidpointRounding.ToEven);

    private static void AddParameters(NpgsqlCommand command, Guid workspaceId, long from, long to)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
