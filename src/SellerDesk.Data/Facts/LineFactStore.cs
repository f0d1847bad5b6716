using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Data.Facts;

/// <summary>
/// Keeps the facts of migration 0017 (<c>line_facts</c>, <c>line_return_facts</c>, <c>customer_order_facts</c>,
/// <c>attribution_claims</c>) equal to the domain's <see cref="EconomicsFacts"/> of the ledger. Runs inside
/// <see cref="OrderFactStore.RefreshAsync"/>, in the writer's transaction, from the orders it marked.
/// </summary>
/// <remarks>
/// Attribution (metrics.md 3.1) is per (marketplace, local date): the outcome for one day depends only on that day's
/// orders and attribution rows (<see cref="ChannelAttribution"/>). So the unit of work is the day: every (marketplace,
/// day) a marked order had or has, and (when the write changed attribution rows) every day whose attribution rows
/// differ from the stored claims, is computed again whole (its orders' line facts, effective channels and claims), in parts of about
/// <see cref="OrderFactStore.PartSize"/> orders. Then every customer of those orders (before and after) has its
/// customer facts (first order, cohort, acquisition channel) computed again from all its stored orders, so a changed
/// acquisition channel reaches the customer's later orders. The cost is proportional to the days touched and their
/// customers' orders. A write of returns alone takes <see cref="RefreshReturnsAsync"/> instead: only its orders'
/// return effects, and its days' rollups (decision 0031).
/// </remarks>
internal static class LineFactStore
{
    public static async Task RefreshAsync(NpgsqlConnection connection, Guid workspaceId, string zoneName, TimeZoneInfo zone, bool attributionChanged, CancellationToken ct)
    {
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS pg_temp.lf_days, pg_temp.lf_lines, pg_temp.lf_parts, pg_temp.lf_orders, pg_temp.lf_customers", ct);
        await ExecuteAsync(connection, "CREATE TEMP TABLE lf_days (marketplace text COLLATE \"C\" NOT NULL, order_date date NOT NULL) ON COMMIT DROP", ct);

        // The days the marked orders had (stored facts) and have (ledger), and, when the write changed attribution rows
        // (OrderFactStore.AttributionChangedAsync), the days whose attribution rows are not what the stored claims were
        // computed from.
        var attributionDays = attributionChanged
            ? """
              UNION
              SELECT coalesce(a.marketplace, c.marketplace), coalesce(a.date, c.date)
              FROM (SELECT date, marketplace, channel, sku, sum(orders)::int AS orders
                    FROM attribution_rows WHERE workspace_id = $1 GROUP BY date, marketplace, channel, sku) AS a
              FULL JOIN (SELECT date, marketplace, channel, sku, claimed FROM attribution_claims WHERE workspace_id = $1) AS c
                  ON c.date = a.date AND c.marketplace = a.marketplace AND c.channel = a.channel AND c.sku = a.sku
              WHERE a.orders IS DISTINCT FROM c.claimed
              """
            : string.Empty;
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO lf_days
            SELECT f.marketplace, f.order_date
            FROM (SELECT DISTINCT marketplace, order_id FROM fact_marked) AS k
            JOIN customer_order_facts AS f ON f.workspace_id = $1 AND f.marketplace = k.marketplace AND f.order_id = k.order_id
            UNION
            SELECT s.marketplace, (s.ordered_at AT TIME ZONE $2)::date
            FROM (SELECT DISTINCT marketplace, order_id FROM fact_marked) AS k
            JOIN sales_lines AS s ON s.workspace_id = $1 AND s.marketplace = k.marketplace AND s.order_id = k.order_id
            {attributionDays}
            """,
            ct,
            workspaceId,
            zoneName);
        await ExecuteAsync(connection, "ANALYZE lf_days", ct);
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS pg_temp.lf_roll_days", ct);
        await ExecuteAsync(connection, "CREATE TEMP TABLE lf_roll_days ON COMMIT DROP AS SELECT marketplace, order_date FROM lf_days", ct);

        // Every line of those days: read from the ledger once, so that each part (WritePartsAsync) then
        // reads its lines from this table and not by one index probe per order of the part (1M probes: 20 s at 1M
        // lines). The ledger's only index by date is a BRIN (migration 0030), so a day's lines are found in one of three
        // ways, whichever reads less:
        // - a write of a few days (a pull, a day's file) into a ledger stored about in date order: by the BRIN, from
        //   the days' time ranges (DayRangesAsync). Its cost is that of the days' heap pages, which hold every
        //   workspace's lines of those days;
        // - a write of a few days into a ledger stored in another order (the BRIN would point at most of it), or where
        //   the days' lines are mostly other workspaces' (the range would read many more lines than the days'
        //   orders): by the ledger's key, from the day's orders, which are the stored facts' orders of that day and
        //   the marked ones (every other order has its facts stored, with its day). Its cost is that of the days'
        //   orders, not of the ledger (a scan: 0.4 s at 1M lines, 4 s at 10M), but at 10M lines the key's pages do
        //   not stay in memory: 7.2 s for 40,192 orders (docs/benchmarks.md);
        // - a write of most of the ledger (a first import): in one scan of the ledger, twice as fast as the probes there.
        // The three give the same lines: those whose (marketplace, local date) is one of lf_days. The lines of one order
        // agree on ordered_at (LedgerChecks), so a day holds its orders whole.
        var dayOrders = await ScalarAsync(
            connection,
            """
            SELECT (SELECT count(*) FROM fact_marked)
                 + (SELECT count(*) FROM lf_days AS d
                    JOIN customer_order_facts AS f ON f.workspace_id = $1 AND f.order_date = d.order_date AND f.marketplace = d.marketplace)
            """,
            ct,
            workspaceId);
        var ledgerLines = await ScalarAsync(connection, "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'sales_lines'::regclass", ct);
        const string DayLineColumns = """
            d.order_date, s.marketplace, s.order_id, s.line_id, s.ordered_at, s.customer_id, s.channel, s.sku,
            s.quantity, s.revenue, s.commission, s.logistics, s.acquiring, s.other_fees
            """;
        var fewDays = dayOrders * 4 < ledgerLines;
        var ranges = fewDays ? await DayRangesAsync(connection, zoneName, dayOrders, ct) : null;
        var lines = ranges is not null
            ? $"""
              WITH lines AS (
                  SELECT {DayLineColumns}
                  FROM sales_lines AS s
                  JOIN lf_days AS d ON d.marketplace = s.marketplace AND d.order_date = (s.ordered_at AT TIME ZONE $2)::date
                  WHERE s.workspace_id = $1 AND ({InRanges(ranges.Count, 3)})
              )
              """
            : fewDays
            ? $"""
              WITH orders AS (
                  SELECT f.marketplace, f.order_id
                  FROM lf_days AS d
                  JOIN customer_order_facts AS f ON f.workspace_id = $1 AND f.order_date = d.order_date AND f.marketplace = d.marketplace
                  UNION
                  SELECT marketplace, order_id FROM fact_marked
              ),
              lines AS (
                  SELECT {DayLineColumns}
                  FROM orders AS o
                  JOIN sales_lines AS s ON s.workspace_id = $1 AND s.marketplace = o.marketplace AND s.order_id = o.order_id
                  JOIN lf_days AS d ON d.marketplace = s.marketplace AND d.order_date = (s.ordered_at AT TIME ZONE $2)::date
              )
              """
            : $"""
              WITH lines AS (
                  SELECT {DayLineColumns}
                  FROM lf_days AS d
                  JOIN sales_lines AS s ON s.workspace_id = $1 AND s.marketplace = d.marketplace
                      AND s.ordered_at >= (d.order_date::timestamp AT TIME ZONE $2)
                      AND s.ordered_at < ((d.order_date + 1)::timestamp AT TIME ZONE $2)
                  WHERE (s.ordered_at AT TIME ZONE $2)::date = d.order_date
              )
              """;
        // By date, the scan of the ranges goes through the BRIN index whatever the planner expects of it (a ledger of a
        // few thousand lines fits in a few pages, where a scan looks cheaper); the writer's setting is restored after.
        var seqscan = ranges is null ? null : await SetSettingAsync(connection, "enable_seqscan", "off", ct);

        await ExecuteAsync(
            connection,
            $"""
            CREATE TEMP TABLE lf_lines ON COMMIT DROP AS
            {lines}
            SELECT * FROM lines
            """,
            ct,
            [workspaceId, zoneName, .. (ranges ?? []).SelectMany(r => new object[] { r.From, r.To })]);
        if (seqscan is not null)
        {
            await RestoreSettingAsync(connection, "enable_seqscan", seqscan, ct);
        }

        await WritePartsAsync(connection, ct);
        await ExecuteAsync(connection, "CREATE INDEX ON lf_lines (order_date, marketplace)", ct);
        await ExecuteAsync(connection, "ANALYZE lf_lines", ct);
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE lf_orders ON COMMIT DROP AS
            SELECT DISTINCT l.marketplace, l.order_id, l.order_date, p.part
            FROM lf_lines AS l JOIN lf_parts AS p ON p.marketplace = l.marketplace AND p.order_date = l.order_date
            """,
            ct);
        await ExecuteAsync(connection, "CREATE INDEX ON lf_orders (part)", ct);
        await ExecuteAsync(connection, "ANALYZE lf_orders", ct);

        // The customers of the orders of those days before the write; their stored facts go.
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE lf_customers ON COMMIT DROP AS
            SELECT f.marketplace, f.customer_key
            FROM lf_days AS d
            JOIN customer_order_facts AS f ON f.workspace_id = $1 AND f.marketplace = d.marketplace AND f.order_date = d.order_date
            WHERE f.identified
            """,
            ct,
            workspaceId);
        foreach (var (table, column) in new[] { ("line_facts", "order_date"), ("line_return_facts", "order_date"), ("customer_order_facts", "order_date"), ("attribution_claims", "date") })
        {
            await DeleteMatchingAsync(connection, workspaceId, table, column, "lf_days", "order_date", ct);
        }

        var costs = await CostsAsync(connection, workspaceId, ct);
        var parts = await ScalarAsync(connection, "SELECT coalesce(max(part), -1) FROM lf_parts", ct);
        for (long part = 0; part <= parts; part++)
        {
            await WriteDaysAsync(connection, workspaceId, zone, costs, part, ct);
        }

        // The customers' pass and the rollups join the facts just written by key: their statistics must know them.
        await AnalyzeIfGrownAsync(
            connection,
            await ScalarAsync(connection, "SELECT count(*) FROM lf_orders", ct),
            ct,
            "line_facts",
            "line_return_facts",
            "customer_order_facts");

        // Days with attribution rows and no orders: their claims take nothing.
        await WriteUnmatchedClaimsAsync(connection, workspaceId, ct);

        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE lf_customer_parts ON COMMIT DROP AS
            SELECT row_number() OVER () AS n, marketplace, customer_key FROM (SELECT DISTINCT marketplace, customer_key FROM lf_customers) AS c
            """,
            ct);
        await ExecuteAsync(connection, "CREATE INDEX ON lf_customer_parts (n)", ct);
        await ExecuteAsync(connection, "ANALYZE lf_customer_parts", ct);
        var customers = await ScalarAsync(connection, "SELECT count(*) FROM lf_customer_parts", ct);
        for (long from = 0; from < customers; from += OrderFactStore.PartSize)
        {
            await WriteCustomersAsync(connection, workspaceId, from, from + OrderFactStore.PartSize, ct);
        }

        await RollUpAsync(connection, workspaceId, ct);
        await ExecuteAsync(connection, "DROP TABLE lf_customer_parts, lf_customers, lf_orders, lf_parts, lf_lines, lf_days", ct);
    }

    /// <summary>
    /// Splits the (marketplace, day)s of <c>lf_lines</c> into parts (<c>lf_parts</c>) of at most
    /// <see cref="OrderFactStore.PartSize"/> orders, in date order, a (marketplace, day) whole (attribution is per day):
    /// a part is closed before the next day would take it over the size. A part thus holds more orders only when a
    /// single day does, so the memory of computing a part follows the busiest day, not the ledger's size. (Parts cut at
    /// fixed multiples of the size took a whole day past the cut: up to 43,019 orders at 10M lines against 21,113 at
    /// 1M; now 32,646, the busiest day alone, against 19,993; docs/benchmarks.md.)
    /// </summary>
    private static async Task WritePartsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var days = new List<(string Marketplace, DateOnly Date, long Orders)>();
        await using (var read = new NpgsqlCommand(
            """
            SELECT marketplace, order_date, count(DISTINCT order_id)
            FROM lf_lines
            GROUP BY marketplace, order_date
            ORDER BY order_date, marketplace
            """,
            connection))
        {
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                days.Add((reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2)));
            }
        }

        await ExecuteAsync(connection, "CREATE TEMP TABLE lf_parts (marketplace text, order_date date, part bigint) ON COMMIT DROP", ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY lf_parts (marketplace, order_date, part) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (marketplace, date, part) in Parts(days, OrderFactStore.PartSize))
            {
                copy.StartRow();
                copy.Write(marketplace, NpgsqlDbType.Text);
                copy.Write(date, NpgsqlDbType.Date);
                copy.Write(part, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync(ct);
        }

        await ExecuteAsync(connection, "CREATE INDEX ON lf_parts (part)", ct);
        await ExecuteAsync(connection, "ANALYZE lf_parts", ct);
    }

    /// <summary>
    /// The part of each day of <paramref name="days"/> (in the order given): a new part starts when the day would take
    /// the current one over <paramref name="size"/> orders; a day larger than that is a part of its own.
    /// </summary>
    internal static IEnumerable<(string Marketplace, DateOnly Date, long Part)> Parts(IEnumerable<(string Marketplace, DateOnly Date, long Orders)> days, long size)
    {
        long part = 0, filled = 0;
        foreach (var (marketplace, date, orders) in days)
        {
            if (filled > 0 && filled + orders > size)
            {
                part++;
                filled = 0;
            }

            filled += orders;
            yield return (marketplace, date, part);
        }
    }

    /// <summary>
    /// The time ranges of the days in <c>lf_days</c> (consecutive days joined into one range), for reading their lines
    /// through the BRIN index on <c>sales_lines (ordered_at)</c> (migration 0030); or null when that read would not be
    /// the smaller one:
    /// - the ledger's heap is not stored about in date order: the absolute correlation of <c>ordered_at</c> with the
    ///   heap order, from the table's statistics, is under <see cref="DateOrderCorrelation"/> or unknown (the BRIN
    ///   would point at most pages);
    /// - the days form more than <see cref="MaxDayRanges"/> ranges;
    /// - the planner expects the ranges to hold more than <see cref="RangeLinesPerOrder"/> lines (of every workspace)
    ///   per order of the days (<paramref name="dayOrders"/>): in a database of many workspaces a day's pages hold
    ///   mostly other workspaces' lines, and reading them costs more than this workspace's orders by key.
    /// The ranges are the days' midnights in the workspace's zone, passed as values so that the planner can estimate
    /// each range's lines.
    /// </summary>
    internal static async Task<List<(DateTime From, DateTime To)>?> DayRangesAsync(NpgsqlConnection connection, string zoneName, long dayOrders, CancellationToken ct)
    {
        await using (var statistics = new NpgsqlCommand(
            """
            SELECT coalesce(max(abs(correlation)), 0)
            FROM pg_stats
            WHERE schemaname = current_schema() AND tablename = 'sales_lines' AND attname = 'ordered_at'
            """,
            connection))
        {
            if (Convert.ToDouble(await statistics.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) < DateOrderCorrelation)
            {
                return null;
            }
        }

        var ranges = new List<(DateTime From, DateTime To)>();
        await using var read = new NpgsqlCommand(
            """
            SELECT (min(order_date)::timestamp AT TIME ZONE $1), ((max(order_date) + 1)::timestamp AT TIME ZONE $1)
            FROM (SELECT order_date, order_date - (row_number() OVER (ORDER BY order_date))::int AS run
                  FROM (SELECT DISTINCT order_date FROM lf_days) AS d) AS r
            GROUP BY run
            ORDER BY 1
            """,
            connection);
        read.Parameters.Add(new NpgsqlParameter { Value = zoneName });
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ranges.Add((reader.GetDateTime(0), reader.GetDateTime(1)));
        }

        await reader.CloseAsync();
        if (ranges.Count is 0 or > MaxDayRanges)
        {
            return null;
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) SELECT 1 FROM sales_lines AS s WHERE {InRanges(ranges.Count, 1)}", connection);
        foreach (var (from, to) in ranges)
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = from });
            explain.Parameters.Add(new NpgsqlParameter { Value = to });
        }

        using var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(ct))!);
        var rangeLines = plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        return rangeLines <= RangeLinesPerOrder * Math.Max(dayOrders, 1) ? ranges : null;
    }

    /// <summary>
    /// <c>s.ordered_at</c> in any of <paramref name="count"/> ranges given as parameters from <c>$first</c> on, each
    /// range's start and end in turn.
    /// </summary>
    private static string InRanges(int count, int first) =>
        string.Join(" OR ", Enumerable.Range(0, count).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"(s.ordered_at >= ${first + (2 * i)} AND s.ordered_at < ${first + 1 + (2 * i)})")));

    /// <summary>
    /// The most lines (of every workspace) the days' ranges may hold per order of the days for them to be read by date.
    /// A line read in a range is one of a run of heap pages; an order read by key is an index descent and a heap page
    /// of its own. On the 10M-line ledger the 45,286 lines of a day's range took 80 ms by date and its 40,192 orders
    /// 3.6 s by key (docs/benchmarks.md), forty times as long; 20 leaves room for a heap that is only roughly in order.
    /// </summary>
    internal const double RangeLinesPerOrder = 20;

    /// <summary>
    /// The least absolute correlation of <c>sales_lines.ordered_at</c> with the heap order at which a few days' lines are
    /// read through the BRIN index: a ledger written by daily pulls, or imported from files sorted by date, is near 1
    /// (the 10M-line benchmark ledger 0.9999999); a ledger imported in another order is near 0, and its days' lines
    /// would lie on most of its pages.
    /// </summary>
    internal const double DateOrderCorrelation = 0.9;

    /// <summary>More runs of consecutive days than this are read by key: each range is one more BRIN scan in the plan.</summary>
    internal const int MaxDayRanges = 16;

    /// <summary>
    /// The refresh of a write that changed returns only (<see cref="OrderFactStore.MarkReturnsAsync"/>). A line's sale
    /// facts depend on its sales line and unit cost alone, and its order's customer facts and effective channel on
    /// orders and attribution rows alone (<see cref="LineFact"/>, <see cref="CustomerOrder"/>,
    /// <see cref="ChannelAttribution"/>), none of which the write changed. So only the marked orders' return effects are
    /// computed again, from their sales lines and all their returns, in parts of <see cref="OrderFactStore.PartSize"/>
    /// orders, and then the rollups of their order days: the cost of the returned orders (and their days' rollups), not
    /// of every order of their days.
    /// </summary>
    internal static async Task RefreshReturnsAsync(NpgsqlConnection connection, Guid workspaceId, TimeZoneInfo zone, CancellationToken ct)
    {
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS pg_temp.lf_return_orders, pg_temp.lf_roll_days", ct);
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE lf_return_orders ON COMMIT DROP AS
            SELECT marketplace, order_id, (row_number() OVER (ORDER BY marketplace, order_id) - 1) / $1 AS part
            FROM (SELECT DISTINCT marketplace, order_id FROM fact_marked) AS k
            """,
            ct,
            (long)OrderFactStore.PartSize);
        await ExecuteAsync(connection, "CREATE INDEX ON lf_return_orders (part)", ct);
        await ExecuteAsync(connection, "ANALYZE lf_return_orders", ct);
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE lf_roll_days ON COMMIT DROP AS
            SELECT DISTINCT f.marketplace, f.order_date
            FROM lf_return_orders AS k
            JOIN customer_order_facts AS f ON f.workspace_id = $1 AND f.marketplace = k.marketplace AND f.order_id = k.order_id
            """,
            ct,
            workspaceId);
        await DeleteMatchingAsync(connection, workspaceId, "line_return_facts", "order_id", "lf_return_orders", "order_id", ct);

        var costs = await CostsAsync(connection, workspaceId, ct);
        var parts = await ScalarAsync(connection, "SELECT coalesce(max(part), -1) FROM lf_return_orders", ct);
        for (long part = 0; part <= parts; part++)
        {
            var sales = await ReadSalesAsync(
                connection,
                """
                SELECT s.marketplace, s.order_id, s.line_id, s.ordered_at, s.customer_id, s.channel, s.sku, s.quantity,
                       s.revenue, s.commission, s.logistics, s.acquiring, s.other_fees
                FROM lf_return_orders AS k
                JOIN sales_lines AS s ON s.workspace_id = $1 AND s.marketplace = k.marketplace AND s.order_id = k.order_id
                WHERE k.part = $2
                """,
                workspaceId,
                part,
                ct);
            var returns = await ReadReturnsAsync(connection, workspaceId, "lf_return_orders", part, ct);
            var lines = LineFact.Build(sales, returns, costs, zone)
                .OrderBy(l => l.Marketplace, StringComparer.Ordinal).ThenBy(l => l.OrderId, StringComparer.Ordinal).ThenBy(l => l.LineId, StringComparer.Ordinal)
                .ToList();
            await WriteReturnEffectsAsync(connection, workspaceId, lines, ct);
        }

        await AnalyzeIfGrownAsync(connection, await ScalarAsync(connection, "SELECT count(*) FROM lf_return_orders", ct), ct, "line_return_facts");
        await RollUpAsync(connection, workspaceId, ct);
        await ExecuteAsync(connection, "DROP TABLE lf_return_orders", ct);
    }

    /// <summary>
    /// Sums the rollups (fact_sku_days, fact_channel_days, fact_customer_days, fact_customer_counts) of every day in
    /// <c>lf_roll_days</c> again from the facts of that day: sums and counts only.
    /// </summary>
    private static async Task RollUpAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        await ExecuteAsync(connection, "CREATE TEMP TABLE lf_roll_set ON COMMIT DROP AS SELECT DISTINCT marketplace, order_date FROM lf_roll_days", ct);
        await ExecuteAsync(connection, "ANALYZE lf_roll_set", ct);
        foreach (var table in new[] { "fact_sku_days", "fact_channel_days", "fact_customer_days", "fact_customer_counts" })
        {
            await DeleteMatchingAsync(connection, workspaceId, table, "order_date", "lf_roll_set", "order_date", ct);
        }

        var columns = EconomicsColumns.List();

        // The customer facts of the rolled days' orders, read by day (an order's lines and return effects carry its
        // order day): a day's rows by index, not by a scan of every customer order fact when the planner expects many lines.
        const string DayOrders = """
            SELECT c.marketplace, c.order_id, c.channel, c.first_date, c.acquisition_channel, c.is_first
            FROM lf_roll_set AS e
            JOIN customer_order_facts AS c ON c.workspace_id = $1 AND c.order_date = e.order_date AND c.marketplace = e.marketplace
            """;
        var lines = $"""
            SELECT f.marketplace, f.order_id, f.order_date, f.sku, f.order_date AS effect_date, {EconomicsColumns.List("f")}
            FROM lf_roll_set AS d
            JOIN line_facts AS f ON f.workspace_id = $1 AND f.marketplace = d.marketplace AND f.order_date = d.order_date
            UNION ALL
            SELECT f.marketplace, f.order_id, f.order_date, f.sku, f.return_date, {EconomicsColumns.List("f")}
            FROM lf_roll_set AS d
            JOIN line_return_facts AS f ON f.workspace_id = $1 AND f.marketplace = d.marketplace AND f.order_date = d.order_date
            """;
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_sku_days (workspace_id, marketplace, order_date, sku, effect_date, {columns})
            SELECT $1, l.marketplace, l.order_date, l.sku, l.effect_date, {EconomicsColumns.Sums("l")}
            FROM ({lines}) AS l
            GROUP BY l.marketplace, l.order_date, l.sku, l.effect_date
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_channel_days (workspace_id, marketplace, order_date, channel, effect_date, {columns})
            SELECT $1, l.marketplace, l.order_date, c.channel, l.effect_date, {EconomicsColumns.Sums("l")}
            FROM ({lines}) AS l
            JOIN ({DayOrders}) AS c ON c.marketplace = l.marketplace AND c.order_id = l.order_id
            GROUP BY l.marketplace, l.order_date, c.channel, l.effect_date
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_customer_days (workspace_id, marketplace, order_date, first_date, acquisition_channel, is_first, effect_date, {columns})
            SELECT $1, l.marketplace, l.order_date, c.first_date, c.acquisition_channel, c.is_first, l.effect_date, {EconomicsColumns.Sums("l")}
            FROM ({lines}) AS l
            JOIN ({DayOrders}) AS c ON c.marketplace = l.marketplace AND c.order_id = l.order_id
            GROUP BY l.marketplace, l.order_date, c.first_date, c.acquisition_channel, c.is_first, l.effect_date
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            """
            INSERT INTO fact_customer_counts (workspace_id, marketplace, order_date, first_date, acquisition_channel,
                                              new_customers, identified_customers, attributed_customers, active_customers)
            SELECT $1, c.marketplace, c.order_date, c.first_date, c.acquisition_channel,
                   count(*) FILTER (WHERE c.is_first), count(*) FILTER (WHERE c.is_first AND c.identified),
                   count(*) FILTER (WHERE c.is_first AND c.acquisition_attributed), count(*) FILTER (WHERE c.first_in_month)
            FROM lf_roll_set AS d
            JOIN customer_order_facts AS c ON c.workspace_id = $1 AND c.marketplace = d.marketplace AND c.order_date = d.order_date
            GROUP BY c.marketplace, c.order_date, c.first_date, c.acquisition_channel
            """,
            ct,
            workspaceId);
        await RollUpTotalsAsync(connection, workspaceId, ct);
        await RollUpMonthsAsync(connection, workspaceId, ct);
        await ExecuteAsync(connection, "DROP TABLE lf_roll_set, lf_roll_days", ct);
    }

    /// <summary>
    /// Sums fact_channel_totals (every effect of a day's orders per channel, with the last effect's date of migration
    /// 0029) and fact_claim_days (the claims per day) of migration 0026 again for every day in <c>lf_roll_set</c>, from
    /// the day rollup and the claims just rewritten.
    /// </summary>
    private static async Task RollUpTotalsAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        foreach (var (table, date) in new[] { ("fact_channel_totals", "order_date"), ("fact_claim_days", "date") })
        {
            await DeleteMatchingAsync(connection, workspaceId, table, date, "lf_roll_set", "order_date", ct);
        }

        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_channel_totals (workspace_id, marketplace, order_date, channel, last_effect, {EconomicsColumns.List()})
            SELECT $1, r.marketplace, r.order_date, r.channel, max(r.effect_date), {EconomicsColumns.Sums("r")}
            FROM lf_roll_set AS d
            JOIN fact_channel_days AS r ON r.workspace_id = $1 AND r.marketplace = d.marketplace AND r.order_date = d.order_date
            GROUP BY r.marketplace, r.order_date, r.channel
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            """
            INSERT INTO fact_claim_days (workspace_id, marketplace, date, claimed, taken)
            SELECT $1, c.marketplace, c.date, sum(c.claimed), sum(c.taken)
            FROM lf_roll_set AS d
            JOIN attribution_claims AS c ON c.workspace_id = $1 AND c.date = d.order_date AND c.marketplace = d.marketplace
            GROUP BY c.marketplace, c.date
            """,
            ct,
            workspaceId);
    }

    /// <summary>
    /// Sums the month rollups (fact_sku_months, fact_customer_months, fact_customer_count_months of migration 0026) of
    /// every (marketplace, order month) with a day in <c>lf_roll_set</c> again from that month's day rollups, which
    /// <see cref="RollUpAsync"/> has just rewritten: a month is the sum of its days. The SKU months take the effects
    /// dated on their order day from the month's two blocks of 16 days (<see cref="RollUpBlocksAsync"/>, rewritten
    /// first) and only the later effects from the day rows, so a write of one day does not sum its month's day rows.
    /// </summary>
    private static async Task RollUpMonthsAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        await RollUpBlocksAsync(connection, workspaceId, ct);
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE lf_roll_months ON COMMIT DROP AS
            SELECT DISTINCT marketplace, date_trunc('month', order_date)::date AS order_month FROM lf_roll_set
            """,
            ct);
        await ExecuteAsync(connection, "ANALYZE lf_roll_months", ct);
        foreach (var table in new[] { "fact_sku_months", "fact_customer_months", "fact_customer_count_months" })
        {
            await DeleteMatchingAsync(connection, workspaceId, table, "order_month", "lf_roll_months", "order_month", ct);
        }

        const string MonthDays = """
            FROM lf_roll_months AS m
            JOIN {0} AS r ON r.workspace_id = $1 AND r.marketplace = m.marketplace
                         AND r.order_date >= m.order_month AND r.order_date < (m.order_month + interval '1 month')::date
            """;
        var columns = EconomicsColumns.List();
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_sku_months (workspace_id, marketplace, order_month, sku, effect_month, {columns})
            SELECT $1, r.marketplace, r.order_month, r.sku, r.effect_month, {EconomicsColumns.Sums("r")}
            FROM lf_roll_months AS m
            CROSS JOIN LATERAL (SELECT b.marketplace, m.order_month, b.sku, m.order_month AS effect_month, {EconomicsColumns.List("b")}
                                FROM fact_sku_blocks AS b
                                WHERE b.workspace_id = $1 AND b.block_days = 16 AND b.marketplace = m.marketplace
                                  AND b.block_start >= m.order_month AND b.block_start < (m.order_month + interval '1 month')::date
                                UNION ALL
                                SELECT r.marketplace, m.order_month, r.sku, date_trunc('month', r.effect_date)::date, {EconomicsColumns.List("r")}
                                FROM fact_sku_days AS r
                                WHERE r.workspace_id = $1 AND r.marketplace = m.marketplace AND r.effect_date <> r.order_date
                                  AND r.order_date >= m.order_month AND r.order_date < (m.order_month + interval '1 month')::date
                                OFFSET 0) AS r
            GROUP BY r.marketplace, r.order_month, r.sku, r.effect_month
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_customer_months (workspace_id, marketplace, order_month, first_month, acquisition_channel, is_first, effect_month, {columns})
            SELECT $1, r.marketplace, m.order_month, date_trunc('month', r.first_date)::date, r.acquisition_channel, r.is_first,
                   date_trunc('month', r.effect_date)::date, {EconomicsColumns.Sums("r")}
            {string.Format(CultureInfo.InvariantCulture, MonthDays, "fact_customer_days")}
            GROUP BY r.marketplace, m.order_month, date_trunc('month', r.first_date), r.acquisition_channel, r.is_first, date_trunc('month', r.effect_date)
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_customer_count_months (workspace_id, marketplace, order_month, first_month, acquisition_channel,
                                                    new_customers, identified_customers, attributed_customers, active_customers)
            SELECT $1, r.marketplace, m.order_month, date_trunc('month', r.first_date)::date, r.acquisition_channel,
                   sum(r.new_customers), sum(r.identified_customers), sum(r.attributed_customers), sum(r.active_customers)
            {string.Format(CultureInfo.InvariantCulture, MonthDays, "fact_customer_counts")}
            GROUP BY r.marketplace, m.order_month, date_trunc('month', r.first_date), r.acquisition_channel
            """,
            ct,
            workspaceId);
        await ExecuteAsync(connection, "DROP TABLE lf_roll_months", ct);
    }

    /// <summary>
    /// Sums the day blocks (fact_sku_blocks of migration 0028) that hold a day of <c>lf_roll_set</c> again: blocks of 4
    /// days from their day rows of effects dated on their order day, then blocks of 16 from their blocks of 4. A block
    /// starts on day 1 + k·n of its month and ends at the month's end at the latest, so a write of one day sums 4 days'
    /// rows and 4 blocks, whatever the month holds.
    /// </summary>
    private static async Task RollUpBlocksAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE lf_roll_blocks ON COMMIT DROP AS
            SELECT DISTINCT d.marketplace, n.days AS block_days,
                   m.month + (d.order_date - m.month) / n.days * n.days AS block_start,
                   least(m.month + (d.order_date - m.month) / n.days * n.days + n.days, (m.month + interval '1 month')::date) AS block_end
            FROM lf_roll_set AS d
            CROSS JOIN LATERAL (SELECT date_trunc('month', d.order_date)::date AS month) AS m
            CROSS JOIN (VALUES (4), (16)) AS n (days)
            """,
            ct);
        await ExecuteAsync(connection, "ANALYZE lf_roll_blocks", ct);
        await ExecuteAsync(
            connection,
            """
            DELETE FROM fact_sku_blocks AS b
            USING lf_roll_blocks AS k
            WHERE b.workspace_id = $1 AND b.marketplace = k.marketplace AND b.block_start = k.block_start AND b.block_days = k.block_days
            """,
            ct,
            workspaceId);
        var columns = EconomicsColumns.List();
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_sku_blocks (workspace_id, marketplace, block_start, block_days, sku, {columns})
            SELECT $1, k.marketplace, k.block_start, 4, r.sku, {EconomicsColumns.Sums("r")}
            FROM lf_roll_blocks AS k
            CROSS JOIN LATERAL (SELECT r.sku, {EconomicsColumns.List("r")}
                                FROM fact_sku_days AS r
                                WHERE r.workspace_id = $1 AND r.marketplace = k.marketplace
                                  AND r.order_date >= k.block_start AND r.order_date < k.block_end
                                  AND r.effect_date = r.order_date
                                OFFSET 0) AS r
            WHERE k.block_days = 4
            GROUP BY k.marketplace, k.block_start, r.sku
            """,
            ct,
            workspaceId);
        await ExecuteAsync(
            connection,
            $"""
            INSERT INTO fact_sku_blocks (workspace_id, marketplace, block_start, block_days, sku, {columns})
            SELECT $1, k.marketplace, k.block_start, 16, b.sku, {EconomicsColumns.Sums("b")}
            FROM lf_roll_blocks AS k
            CROSS JOIN LATERAL (SELECT b.sku, {EconomicsColumns.List("b")}
                                FROM fact_sku_blocks AS b
                                WHERE b.workspace_id = $1 AND b.block_days = 4 AND b.marketplace = k.marketplace
                                  AND b.block_start >= k.block_start AND b.block_start < k.block_end
                                OFFSET 0) AS b
            WHERE k.block_days = 16
            GROUP BY k.marketplace, k.block_start, b.sku
            """,
            ct,
            workspaceId);
        await ExecuteAsync(connection, "DROP TABLE lf_roll_blocks", ct);
    }

    private static async Task WriteDaysAsync(NpgsqlConnection connection, Guid workspaceId, TimeZoneInfo zone, UnitCostBook costs, long part, CancellationToken ct)
    {
        var sales = await ReadSalesAsync(
            connection,
            """
            SELECT l.marketplace, l.order_id, l.line_id, l.ordered_at, l.customer_id, l.channel, l.sku, l.quantity,
                   l.revenue, l.commission, l.logistics, l.acquiring, l.other_fees
            FROM lf_parts AS p
            JOIN lf_lines AS l ON l.order_date = p.order_date AND l.marketplace = p.marketplace
            WHERE p.part = $2 AND $1::uuid IS NOT NULL
            """,
            workspaceId,
            part,
            ct);
        if (sales.Count == 0)
        {
            return;
        }

        var returns = await ReadReturnsAsync(connection, workspaceId, "lf_orders", part, ct);

        // The attribution rows of the part's days (several sources' rows of one key add up, migration 0016).
        var rows = new List<AttributionRow>();
        await using (var read = new NpgsqlCommand(
            """
            SELECT a.date, a.marketplace, a.channel, a.sku, sum(a.orders)::int
            FROM lf_parts AS d
            JOIN attribution_rows AS a ON a.workspace_id = $1 AND a.marketplace = d.marketplace AND a.date = d.order_date
            WHERE d.part = $2
            GROUP BY a.date, a.marketplace, a.channel, a.sku
            """,
            connection))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            read.Parameters.Add(new NpgsqlParameter { Value = part });
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new AttributionRow(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
            }
        }

        var orders = LedgerOrder.FromLines(sales, zone);
        var days = orders.Select(o => (o.Marketplace, o.LocalDate)).ToHashSet();
        rows = [.. rows.Where(r => days.Contains((r.Marketplace, r.Date)))];
        var attributed = ChannelAttribution.Attribute(orders, rows, DateOnly.MaxValue);
        var customers = CustomerOrder.Build(orders, attributed)
            .OrderBy(c => c.Marketplace, StringComparer.Ordinal).ThenBy(c => c.OrderId, StringComparer.Ordinal)
            .ToList();
        var byOrder = orders.ToDictionary(o => (o.Marketplace, o.OrderId));

        // Written in key order: each index page a part touches is then visited once, not once per row. The line facts
        // (twenty amounts each) are computed a few thousand lines at a time as they are written, so that only the
        // returned lines' facts are held for the whole part: a part's memory is then mostly its sales lines.
        sales.Sort(static (a, b) =>
        {
            var byMarketplace = string.CompareOrdinal(a.Marketplace, b.Marketplace);
            var byOrderId = byMarketplace != 0 ? byMarketplace : string.CompareOrdinal(a.OrderId, b.OrderId);
            return byOrderId != 0 ? byOrderId : string.CompareOrdinal(a.LineId, b.LineId);
        });
        var returnsByOrder = returns.ToLookup(r => (r.Marketplace, r.OrderId));
        var returned = new List<LineFact>();
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY line_facts (workspace_id, marketplace, order_id, line_id, sku, order_date, {EconomicsColumns.List()}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var chunk in WholeOrders(sales, LinesAtATime))
            {
                var chunkReturns = chunk.Select(s => (s.Marketplace, s.OrderId)).Distinct().SelectMany(k => returnsByOrder[k]);
                foreach (var line in LineFact.Build(chunk, chunkReturns, costs, zone))
                {
                    WriteLineKey(copy, workspaceId, line);
                    EconomicsColumns.Write(copy, line.Sale);
                    if (line.Returns.Count > 0)
                    {
                        returned.Add(line);
                    }
                }
            }

            await copy.CompleteAsync(ct);
        }

        await WriteReturnEffectsAsync(connection, workspaceId, returned, ct);

        // The customer facts among the part's orders; customers with a buyer id are computed again from all their
        // orders afterwards (lf_customers).
        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY customer_order_facts (workspace_id, marketplace, order_id, ordered_at, order_date, customer_id, customer_key, identified,
                                       ledger_channel, channel, attributed, is_first, first_date, acquisition_channel,
                                       acquisition_attributed, first_in_month)
            FROM STDIN (FORMAT BINARY)
            """,
            ct))
        {
            foreach (var c in customers)
            {
                var order = byOrder[(c.Marketplace, c.OrderId)];
                copy.StartRow();
                copy.Write(workspaceId, NpgsqlDbType.Uuid);
                copy.Write(c.Marketplace, NpgsqlDbType.Text);
                copy.Write(c.OrderId, NpgsqlDbType.Text);
                copy.Write(order.OrderedAt, NpgsqlDbType.TimestampTz);
                copy.Write(c.OrderDate, NpgsqlDbType.Date);
                if (order.CustomerId is null)
                {
                    copy.WriteNull();
                }
                else
                {
                    copy.Write(order.CustomerId, NpgsqlDbType.Text);
                }

                copy.Write(c.CustomerKey, NpgsqlDbType.Text);
                copy.Write(c.Identified, NpgsqlDbType.Boolean);
                copy.Write(order.Channel, NpgsqlDbType.Text);
                copy.Write(c.Channel, NpgsqlDbType.Text);
                copy.Write(c.Attributed, NpgsqlDbType.Boolean);
                copy.Write(c.IsFirstOrder, NpgsqlDbType.Boolean);
                copy.Write(c.FirstOrderDate, NpgsqlDbType.Date);
                copy.Write(c.AcquisitionChannel, NpgsqlDbType.Text);
                copy.Write(c.AcquisitionAttributed, NpgsqlDbType.Boolean);
                copy.Write(c.FirstInMonth, NpgsqlDbType.Boolean);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY lf_customers (marketplace, customer_key) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (marketplace, key) in customers.Where(c => c.Identified).Select(c => (c.Marketplace, c.CustomerKey)).Distinct())
            {
                copy.StartRow();
                copy.Write(marketplace, NpgsqlDbType.Text);
                copy.Write(key, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync(ct);
        }

        await WriteClaimsAsync(connection, workspaceId, attributed.Claims, ct);
    }

    /// <summary>Line facts computed at a time while a part is written (<see cref="WholeOrders"/>).</summary>
    internal const int LinesAtATime = 4_096;

    /// <summary>
    /// <paramref name="sales"/> (sorted by order) in consecutive runs of at least <paramref name="lines"/> lines, each
    /// ending at the end of an order (the last run may be shorter): an order's lines and returns are computed together.
    /// </summary>
    internal static IEnumerable<List<SaleLine>> WholeOrders(List<SaleLine> sales, int lines)
    {
        var start = 0;
        for (var i = 1; i <= sales.Count; i++)
        {
            if (i == sales.Count
                || (i - start >= lines && (sales[i].Marketplace, sales[i].OrderId) != (sales[i - 1].Marketplace, sales[i - 1].OrderId)))
            {
                yield return sales.GetRange(start, i - start);
                start = i;
            }
        }
    }

    private static async Task<List<SaleLine>> ReadSalesAsync(NpgsqlConnection connection, string sql, Guid workspaceId, long part, CancellationToken ct)
    {
        var sales = new List<SaleLine>();
        await using var read = new NpgsqlCommand(sql, connection);
        read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        read.Parameters.Add(new NpgsqlParameter { Value = part });
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sales.Add(new SaleLine(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(7),
                reader.GetDecimal(8), reader.GetDecimal(9), reader.GetDecimal(10), reader.GetDecimal(11), reader.GetDecimal(12)));
        }

        return sales;
    }

    /// <summary>Every return of the orders of <paramref name="ordersTable"/> (marketplace, order_id, part) in <paramref name="part"/>.</summary>
    private static async Task<List<ReturnEvent>> ReadReturnsAsync(NpgsqlConnection connection, Guid workspaceId, string ordersTable, long part, CancellationToken ct)
    {
        var returns = new List<ReturnEvent>();
        await using var read = new NpgsqlCommand(
            $"""
            SELECT r.marketplace, r.order_id, r.line_id, r.return_id, r.returned_at, r.quantity, r.refund,
                   r.commission_refund, r.return_logistics, r.restockable
            FROM {ordersTable} AS k
            JOIN returns AS r ON r.workspace_id = $1 AND r.marketplace = k.marketplace AND r.order_id = k.order_id
            WHERE k.part = $2
            """,
            connection);
        read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        read.Parameters.Add(new NpgsqlParameter { Value = part });
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            returns.Add(new ReturnEvent(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetInt32(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetDecimal(8), reader.GetBoolean(9), null));
        }

        return returns;
    }

    /// <summary>Starts a row of <c>line_facts</c> or <c>line_return_facts</c> with the line's key columns and order date.</summary>
    private static void WriteLineKey(NpgsqlBinaryImporter copy, Guid workspaceId, LineFact line)
    {
        copy.StartRow();
        copy.Write(workspaceId, NpgsqlDbType.Uuid);
        copy.Write(line.Marketplace, NpgsqlDbType.Text);
        copy.Write(line.OrderId, NpgsqlDbType.Text);
        copy.Write(line.LineId, NpgsqlDbType.Text);
        copy.Write(line.Sku, NpgsqlDbType.Text);
        copy.Write(line.OrderDate, NpgsqlDbType.Date);
    }

    private static async Task WriteReturnEffectsAsync(NpgsqlConnection connection, Guid workspaceId, IReadOnlyList<LineFact> lines, CancellationToken ct)
    {
        if (!lines.Any(l => l.Returns.Count > 0))
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY line_return_facts (workspace_id, marketplace, order_id, line_id, sku, order_date, return_id, return_date, {EconomicsColumns.List()}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var line in lines)
        {
            foreach (var effect in line.Returns)
            {
                WriteLineKey(copy, workspaceId, line);
                copy.Write(effect.ReturnId, NpgsqlDbType.Text);
                copy.Write(effect.Date, NpgsqlDbType.Date);
                EconomicsColumns.Write(copy, effect.Effect);
            }
        }

        await copy.CompleteAsync(ct);
    }

    private static async Task WriteClaimsAsync(NpgsqlConnection connection, Guid workspaceId, IReadOnlyList<AttributionClaim> claims, CancellationToken ct)
    {
        if (claims.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY attribution_claims (workspace_id, date, marketplace, channel, sku, claimed, taken) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var claim in claims)
        {
            copy.StartRow();
            copy.Write(workspaceId, NpgsqlDbType.Uuid);
            copy.Write(claim.Row.Date, NpgsqlDbType.Date);
            copy.Write(claim.Row.Marketplace, NpgsqlDbType.Text);
            copy.Write(claim.Row.Channel, NpgsqlDbType.Text);
            copy.Write(claim.Row.Sku, NpgsqlDbType.Text);
            copy.Write(claim.Claimed, NpgsqlDbType.Integer);
            copy.Write(claim.Taken, NpgsqlDbType.Integer);
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>The claims of the days in <c>lf_days</c> without a single order: attributed with no candidate at all.</summary>
    private static async Task WriteUnmatchedClaimsAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        var rows = new List<AttributionRow>();
        await using (var read = new NpgsqlCommand(
            """
            SELECT a.date, a.marketplace, a.channel, a.sku, sum(a.orders)::int
            FROM lf_days AS d
            JOIN attribution_rows AS a ON a.workspace_id = $1 AND a.marketplace = d.marketplace AND a.date = d.order_date
            WHERE NOT EXISTS (SELECT 1 FROM attribution_claims AS c
                              WHERE c.workspace_id = $1 AND c.date = a.date AND c.marketplace = a.marketplace
                                AND c.channel = a.channel AND c.sku = a.sku)
            GROUP BY a.date, a.marketplace, a.channel, a.sku
            """,
            connection))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new AttributionRow(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
            }
        }

        await WriteClaimsAsync(connection, workspaceId, ChannelAttribution.Attribute([], rows, DateOnly.MaxValue).Claims, ct);
    }

    private static async Task WriteCustomersAsync(NpgsqlConnection connection, Guid workspaceId, long from, long to, CancellationToken ct)
    {
        var orders = new List<(LedgerOrder Order, bool Attributed)>();
        var stored = new Dictionary<(string, string), (bool IsFirst, DateOnly FirstDate, string Acquisition, bool AcquisitionAttributed, bool FirstInMonth)>();
        await using (var read = new NpgsqlCommand(
            """
            SELECT f.marketplace, f.order_id, f.ordered_at, f.order_date, f.customer_id, f.channel, f.attributed,
                   f.is_first, f.first_date, f.acquisition_channel, f.acquisition_attributed, f.first_in_month
            FROM lf_customer_parts AS c
            JOIN customer_order_facts AS f ON f.workspace_id = $1 AND f.marketplace = c.marketplace AND f.customer_key = c.customer_key
            WHERE c.n > $2 AND c.n <= $3
            """,
            connection))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            read.Parameters.Add(new NpgsqlParameter { Value = from });
            read.Parameters.Add(new NpgsqlParameter { Value = to });
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var order = new LedgerOrder(
                    reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateOnly>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), []);
                orders.Add((order, reader.GetBoolean(6)));
                stored[(order.Marketplace, order.OrderId)] = (
                    reader.GetBoolean(7), reader.GetFieldValue<DateOnly>(8), reader.GetString(9), reader.GetBoolean(10), reader.GetBoolean(11));
            }
        }

        var changed = CustomerOrder.Build(orders)
            .Where(c => stored[(c.Marketplace, c.OrderId)] != (c.IsFirstOrder, c.FirstOrderDate, c.AcquisitionChannel, c.AcquisitionAttributed, c.FirstInMonth))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE IF NOT EXISTS lf_customer_rows (
                marketplace text, order_id text, is_first boolean, first_date date, acquisition_channel text,
                acquisition_attributed boolean, first_in_month boolean) ON COMMIT DROP
            """,
            ct);
        await ExecuteAsync(connection, "TRUNCATE lf_customer_rows", ct);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY lf_customer_rows (marketplace, order_id, is_first, first_date, acquisition_channel, acquisition_attributed, first_in_month) FROM STDIN (FORMAT BINARY)",
            ct))
        {
            foreach (var c in changed)
            {
                copy.StartRow();
                copy.Write(c.Marketplace, NpgsqlDbType.Text);
                copy.Write(c.OrderId, NpgsqlDbType.Text);
                copy.Write(c.IsFirstOrder, NpgsqlDbType.Boolean);
                copy.Write(c.FirstOrderDate, NpgsqlDbType.Date);
                copy.Write(c.AcquisitionChannel, NpgsqlDbType.Text);
                copy.Write(c.AcquisitionAttributed, NpgsqlDbType.Boolean);
                copy.Write(c.FirstInMonth, NpgsqlDbType.Boolean);
            }

            await copy.CompleteAsync(ct);
        }

        await ExecuteAsync(
            connection,
            """
            WITH changed AS (
                UPDATE customer_order_facts AS f
                SET is_first = c.is_first, first_date = c.first_date, acquisition_channel = c.acquisition_channel,
                    acquisition_attributed = c.acquisition_attributed, first_in_month = c.first_in_month
                FROM lf_customer_rows AS c
                WHERE f.workspace_id = $1 AND f.marketplace = c.marketplace AND f.order_id = c.order_id
                RETURNING f.marketplace, f.order_date)
            INSERT INTO lf_roll_days SELECT DISTINCT marketplace, order_date FROM changed
            """,
            ct,
            workspaceId);
    }

    /// <summary>
    /// Deletes the workspace's rows of <paramref name="table"/> whose marketplace and <paramref name="column"/> equal
    /// those of a row of the temporary table <paramref name="keys"/> (its <c>marketplace</c> and <paramref name="keyColumn"/>).
    /// </summary>
    private static Task DeleteMatchingAsync(NpgsqlConnection connection, Guid workspaceId, string table, string column, string keys, string keyColumn, CancellationToken ct) =>
        ExecuteAsync(
            connection,
            $"""
            DELETE FROM {table} AS t USING {keys} AS k
            WHERE t.workspace_id = $1 AND t.marketplace = k.marketplace AND t.{column} = k.{keyColumn}
            """,
            ct,
            workspaceId);

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

    /// <summary>
    /// ANALYZEs each of <paramref name="tables"/> whose statistics are far behind what this transaction wrote into it:
    /// never analyzed, or <paramref name="written"/> rows are more than a tenth of what the statistics say it holds
    /// (and at least <see cref="AnalyzeRows"/>). A ledger bulk-loaded into tables analyzed while empty otherwise gets
    /// plans made for empty tables: nested loops that scan a marketplace's whole index per row, quadratic in the
    /// write (docs/benchmarks.md, "A quadratic plan after a bulk write"). ANALYZE counts this transaction's own
    /// uncommitted rows as live; autovacuum analyzes again after the commit.
    /// </summary>
    internal static async Task AnalyzeIfGrownAsync(NpgsqlConnection connection, long written, CancellationToken ct, params string[] tables)
    {
        if (written < AnalyzeRows)
        {
            return;
        }

        foreach (var table in tables)
        {
            await using var read = new NpgsqlCommand("SELECT reltuples FROM pg_class WHERE oid = $1::regclass", connection);
            read.Parameters.Add(new NpgsqlParameter { Value = table });
            var tuples = Convert.ToDouble(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            if (tuples < 0 || written > tuples / 10)
            {
                // A 3,000-row sample (statistics target 10) is enough for the join estimates and reads a tenth of the
                // pages a default ANALYZE would.
                var target = await SetSettingAsync(connection, "default_statistics_target", "10", ct);
                await ExecuteAsync(connection, $"ANALYZE {table}", ct);
                await RestoreSettingAsync(connection, "default_statistics_target", target, ct);
            }
        }
    }

    /// <summary>
    /// Fewer rows written than this never trigger <see cref="AnalyzeIfGrownAsync"/>. At 5,000 a first import of 4,970
    /// lines (about 4,300 orders) into a new workspace was planned on "empty" statistics and spent 2.7 s of its 4.6 s
    /// reading its own lines back through a nested loop, and 0.9 s more in two day rollups (docs/benchmarks.md, "A small
    /// first import"). That plan is quadratic in the write, so below 500 rows it should cost about a hundredth of that
    /// (estimated, not measured); an ANALYZE of tables this small takes milliseconds.
    /// </summary>
    internal const long AnalyzeRows = 500;

    internal static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Sets the planner setting <paramref name="name"/> to <paramref name="value"/> for the rest of the transaction and
    /// returns the value it had, for <see cref="RestoreSettingAsync"/> after the statements that need it: the writer's
    /// own settings (a bulk write turns nested loops off) then hold again for its next statements. Not restored on an
    /// error: the transaction's rollback drops a transaction-local setting anyway.
    /// </summary>
    internal static async Task<string> SetSettingAsync(NpgsqlConnection connection, string name, string value, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT current_setting($1)") { Parameters = { new NpgsqlParameter { Value = name } } },
                new NpgsqlBatchCommand("SELECT set_config($1, $2, true)") { Parameters = { new NpgsqlParameter { Value = name }, new NpgsqlParameter { Value = value } } },
            },
        };
        return (string)(await batch.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Gives <paramref name="name"/> back the value <see cref="SetSettingAsync"/> returned, for the rest of the transaction.</summary>
    internal static Task RestoreSettingAsync(NpgsqlConnection connection, string name, string value, CancellationToken ct) =>
        ExecuteAsync(connection, "SELECT set_config($1, $2, true)", ct, name, value);
}
