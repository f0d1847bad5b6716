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
    /// Computes the facts of the marked orders and of their customers again, writes them, and sums the report rollups
    /// of every (marketplace, local date) whose facts changed again (migration 0015, decision 0016); returns how many
    /// orders were marked. Nothing marked: nothing done.
    /// </summary>
    /// <remarks>
    /// Every step is set-based and proportional to the marked orders: the marked orders are numbered by customer, so
    /// each part of <see cref="PartSize"/> customers is read through the ledger's keys (nested loops on, whatever the
    /// writer set for its merge: a hash join per part would scan the whole ledger once per part), computed in C# and
    /// written by binary COPY; the customers' second pass and the rollups touch only the customers and days concerned.
    /// </remarks>
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

        // Bulk writes turn nested loops off for their merge (LedgerImporter); the parts below need index lookups.
        string nestloop;
        await using (var setting = new NpgsqlCommand("SELECT current_setting('enable_nestloop')", connection))
        {
            nestloop = (string)(await setting.ExecuteScalarAsync(ct))!;
        }

        await ExecuteAsync(connection, "SET LOCAL enable_nestloop = on", ct);
        var zone = await ZoneAsync(connection, workspaceId, ct);

        // The line, customer-order and attribution facts (migration 0017) of the marked orders' days.
        await LineFactStore.RefreshAsync(connection, workspaceId, zone.Id, zone, ct);
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS pg_temp.fact_orders, pg_temp.fact_customers, pg_temp.fact_days", ct);
        await ExecuteAsync(connection, "ANALYZE fact_marked", ct);

        // The marked orders numbered by customer (n), so that a part holds whole customers: a customer's first order
        // is then known within the part, and the second pass seldom has anything to change. An order without a buyer
        // id is its own customer.
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE fact_orders ON COMMIT DROP AS
            SELECT dense_rank() OVER (ORDER BY o.marketplace, o.customer_key) AS n, o.marketplace, o.order_id
            FROM (
                SELECT d.marketplace, d.order_id, coalesce(nullif(max(s.customer_id), ''), d.order_id) AS customer_key
                FROM (SELECT DISTINCT marketplace, order_id FROM fact_marked) AS d
                LEFT JOIN sales_lines AS s ON s.workspace_id = $1 AND s.marketplace = d.marketplace AND s.order_id = d.order_id
                GROUP BY d.marketplace, d.order_id
            ) AS o
            """,
            ct,
            workspaceId);
        await ExecuteAsync(connection, "DROP TABLE fact_marked", ct);
        await ExecuteAsync(connection, "CREATE INDEX ON fact_orders (n)", ct);
        await ExecuteAsync(connection, "ANALYZE fact_orders", ct);
        var (marked, parts) = await CountAsync(connection, "SELECT count(*), coalesce(max(n), 0) FROM fact_orders", ct);
        if (marked == 0)
        {
            await RestoreAsync(connection, nestloop, ct);
            return 0;
        }

        // The customers and the days the orders had and have: their other orders' customer facts, and those days'
        // rollups, may change.
        await ExecuteAsync(
            connection,
            "CREATE TEMP TABLE fact_customers (marketplace text NOT NULL, customer_id text NOT NULL) ON COMMIT DROP",
            ct);
        await ExecuteAsync(connection, "CREATE TEMP TABLE fact_days (marketplace text NOT NULL, local_date date NOT NULL) ON COMMIT DROP", ct);
        await ExecuteAsync(
            connection,
            """
            DELETE FROM order_return_facts AS r USING fact_orders AS k
            WHERE r.workspace_id = $1 AND r.marketplace = k.marketplace AND r.order_id = k.order_id
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            """
            WITH gone AS (
                DELETE FROM order_facts AS f USING fact_orders AS k
                WHERE f.workspace_id = $1 AND f.marketplace = k.marketplace AND f.order_id = k.order_id
                RETURNING f.marketplace, f.customer_id, f.local_date),
            days AS (INSERT INTO fact_days SELECT DISTINCT marketplace, local_date FROM gone)
            INSERT INTO fact_customers SELECT DISTINCT marketplace, customer_id FROM gone WHERE customer_id IS NOT NULL
            """,
            ct,
            workspaceId);

        var costs = await CostsAsync(connection, workspaceId, ct);
        for (long from = 0; from < parts; from += PartSize)
        {
            await WriteOrdersAsync(connection, workspaceId, zone, costs, from, from + PartSize, ct);
        }

        await ExecuteAsync(connection, "DROP TABLE fact_orders", ct);
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE fact_customer_parts ON COMMIT DROP AS
            SELECT row_number() OVER () AS n, marketplace, customer_id FROM (SELECT DISTINCT marketplace, customer_id FROM fact_customers) AS c
            """,
            ct);
        await ExecuteAsync(connection, "DROP TABLE fact_customers", ct);
        await ExecuteAsync(connection, "CREATE INDEX ON fact_customer_parts (n)", ct);
        await ExecuteAsync(connection, "ANALYZE fact_customer_parts", ct);
        var (customers, _) = await CountAsync(connection, "SELECT count(*), 0::bigint FROM fact_customer_parts", ct);
        for (long from = 0; from < customers; from += PartSize)
        {
            await WriteCustomersAsync(connection, workspaceId, from, from + PartSize, ct);
        }

        await ExecuteAsync(connection, "DROP TABLE fact_customer_parts", ct);
        await RollUpAsync(connection, workspaceId, ct);
        await RestoreAsync(connection, nestloop, ct);
        return marked;
    }

    /// <summary>
    /// Sums <c>report_days</c> and <c>report_day_returns</c> again for every (marketplace, local date) in
    /// <c>fact_days</c>, from the stored facts of those days (metrics.md holds no formula here: sums and counts).
    /// </summary>
    private static async Task RollUpAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        await ExecuteAsync(
            connection,
            "CREATE TEMP TABLE fact_day_set ON COMMIT DROP AS SELECT DISTINCT marketplace, local_date FROM fact_days",
            ct);
        await ExecuteAsync(connection, "DROP TABLE fact_days", ct);
        await ExecuteAsync(connection, "ANALYZE fact_day_set", ct);
        await ExecuteAsync(
            connection,
            """
            DELETE FROM report_days AS d USING fact_day_set AS t
            WHERE d.workspace_id = $1 AND d.marketplace = t.marketplace AND d.local_date = t.local_date
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            """
            DELETE FROM report_day_returns AS d USING fact_day_set AS t
            WHERE d.workspace_id = $1 AND d.marketplace = t.marketplace AND d.local_date = t.local_date
            """,
            ct,
            workspaceId);
        await ExecuteAsync(connection, RollUpDaysSql, ct, workspaceId);
        await ExecuteAsync(connection, RollUpReturnsSql, ct, workspaceId);
        await ExecuteAsync(connection, "DROP TABLE fact_day_set", ct);
    }

    /// <summary>The rollup rows of the days in <c>fact_day_set</c> (all days when the set is the workspace's), from order_facts ($1 workspace).</summary>
    internal const string RollUpDaysSql = """
        INSERT INTO report_days (workspace_id, marketplace, local_date, first_date, acquisition_channel, orders,
                                 revenue, net_revenue, margin, return_loss, units, cogs_missing,
                                 new_customers, new_identified, first_margin, active)
        SELECT $1, f.marketplace, f.local_date, f.first_date, f.acquisition_channel, count(*),
               sum(f.revenue), sum(f.net_revenue), sum(f.margin), sum(f.return_loss), sum(f.units), sum(f.cogs_missing),
               count(*) FILTER (WHERE f.is_first), count(*) FILTER (WHERE f.is_first AND f.identified),
               coalesce(sum(f.margin) FILTER (WHERE f.is_first), 0), count(*) FILTER (WHERE f.first_in_month)
        FROM fact_day_set AS t
        JOIN order_facts AS f ON f.workspace_id = $1 AND f.marketplace = t.marketplace AND f.local_date = t.local_date
        GROUP BY f.marketplace, f.local_date, f.first_date, f.acquisition_channel
        """;

    /// <summary>The return rollup rows of the orders of the days in <c>fact_day_set</c> ($1 workspace).</summary>
    internal const string RollUpReturnsSql = """
        INSERT INTO report_day_returns (workspace_id, marketplace, local_date, first_date, acquisition_channel, return_date,
                                        net_revenue, margin, return_loss, returned_units, first_margin)
        SELECT $1, f.marketplace, f.local_date, f.first_date, f.acquisition_channel, r.return_date,
               sum(r.net_revenue), sum(r.margin), sum(r.return_loss), sum(r.returned_units),
               coalesce(sum(r.margin) FILTER (WHERE f.is_first), 0)
        FROM fact_day_set AS t
        JOIN order_facts AS f ON f.workspace_id = $1 AND f.marketplace = t.marketplace AND f.local_date = t.local_date
        JOIN order_return_facts AS r ON r.workspace_id = $1 AND r.marketplace = f.marketplace AND r.order_id = f.order_id
        GROUP BY f.marketplace, f.local_date, f.first_date, f.acquisition_channel, r.return_date
        """;

    private static async Task RestoreAsync(NpgsqlConnection connection, string nestloop, CancellationToken ct) =>
        await ExecuteAsync(connection, "SELECT set_config('enable_nestloop', $1, true)", ct, nestloop);

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

        // Synchronous writes into the COPY buffer: one awaited call per field cost more than computing the facts.
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
                copy.StartRow();
                copy.Write(workspaceId, NpgsqlDbType.Uuid);
                copy.Write(order.Marketplace, NpgsqlDbType.Text);
                copy.Write(order.OrderId, NpgsqlDbType.Text);
                copy.Write(sources[(order.Marketplace, order.OrderId)], NpgsqlDbType.Uuid);
                copy.Write(order.OrderedAt, NpgsqlDbType.TimestampTz);
                copy.Write(order.LocalDate, NpgsqlDbType.Date);
                if (order.CustomerId is null)
                {
                    copy.WriteNull();
                }
                else
                {
                    copy.Write(order.CustomerId, NpgsqlDbType.Text);
                }

                copy.Write(order.Channel, NpgsqlDbType.Text);
                var sale = StoredOrderFacts.Of(order, fact.Sale);
                copy.Write(Round(sale.Revenue), NpgsqlDbType.Numeric);
                copy.Write(Round(sale.NetRevenue), NpgsqlDbType.Numeric);
                copy.Write(Round(sale.ContributionMargin), NpgsqlDbType.Numeric);
                copy.Write(Round(sale.ReturnLoss), NpgsqlDbType.Numeric);
                copy.Write(sale.Quantity, NpgsqlDbType.Integer);
                copy.Write(sale.CogsMissingLines, NpgsqlDbType.Integer);
                copy.Write(alone.IsFirstOrder, NpgsqlDbType.Boolean);
                copy.Write(alone.FirstInMonth, NpgsqlDbType.Boolean);
                copy.Write(alone.FirstOrderDate, NpgsqlDbType.Date);
                copy.Write(alone.AcquisitionChannel, NpgsqlDbType.Text);
                copy.Write(alone.Identified, NpgsqlDbType.Boolean);
            }

            await copy.CompleteAsync(ct);
        }

        // The customers (with a buyer id) and the days the part's orders have now, for the second pass and the rollups.
        await using (var copy = await connection.BeginBinaryImportAsync("COPY fact_customers (marketplace, customer_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (marketplace, customerId) in facts
                .Where(f => f.Order.CustomerId is not null)
                .Select(f => (f.Order.Marketplace, f.Order.CustomerId!))
                .Distinct())
            {
                copy.StartRow();
                copy.Write(marketplace, NpgsqlDbType.Text);
                copy.Write(customerId, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY fact_days (marketplace, local_date) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (marketplace, date) in facts.Select(f => (f.Order.Marketplace, f.Order.LocalDate)).Distinct())
            {
                copy.StartRow();
                copy.Write(marketplace, NpgsqlDbType.Text);
                copy.Write(date, NpgsqlDbType.Date);
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
                    copy.StartRow();
                    copy.Write(workspaceId, NpgsqlDbType.Uuid);
                    copy.Write(fact.Order.Marketplace, NpgsqlDbType.Text);
                    copy.Write(fact.Order.OrderId, NpgsqlDbType.Text);
                    copy.Write(effect.Date, NpgsqlDbType.Date);
                    copy.Write(Round(figures.NetRevenue), NpgsqlDbType.Numeric);
                    copy.Write(Round(figures.ContributionMargin), NpgsqlDbType.Numeric);
                    copy.Write(Round(figures.ReturnLoss), NpgsqlDbType.Numeric);
                    copy.Write(figures.ReturnedUnits, NpgsqlDbType.Integer);
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
                copy.StartRow();
                copy.Write(c.Marketplace, NpgsqlDbType.Text);
                copy.Write(c.OrderId, NpgsqlDbType.Text);
                copy.Write(c.IsFirstOrder, NpgsqlDbType.Boolean);
                copy.Write(c.FirstInMonth, NpgsqlDbType.Boolean);
                copy.Write(c.FirstOrderDate, NpgsqlDbType.Date);
                copy.Write(c.AcquisitionChannel, NpgsqlDbType.Text);
                copy.Write(c.Identified, NpgsqlDbType.Boolean);
            }

            await copy.CompleteAsync(ct);
        }

        await ExecuteAsync(
            connection,
            """
            WITH changed AS (
                UPDATE order_facts AS f
                SET is_first = c.is_first, first_in_month = c.first_in_month, first_date = c.first_date,
                    acquisition_channel = c.acquisition_channel, identified = c.identified
                FROM fact_customer_rows AS c
                WHERE f.workspace_id = $1 AND f.marketplace = c.marketplace AND f.order_id = c.order_id
                RETURNING f.marketplace, f.local_date)
            INSERT INTO fact_days SELECT DISTINCT marketplace, local_date FROM changed
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

    private static async Task<(long, long)> CountAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
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
