using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Facts;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// The orders behind a report's figure (issue 12 point 4), read from the facts the ledger's writers store (migration
/// 0017): the orders of <c>customer_order_facts</c> a <see cref="DrillDownFilter"/> selects, paged by keyset (local
/// order date, marketplace, order id), each with its line facts (<c>line_facts</c>, <c>line_return_facts</c>) turned
/// into economics by the domain (<see cref="LineFact.AsOf"/>), its ledger rows and where each came from. The totals are
/// the same facts summed with GROUP BY, as <see cref="FactSumQueries"/> sums them for the reports: no formula in SQL.
/// With an account filter (<see cref="DrillDownFilter.Source"/>) the reports compute the domain's facts of that
/// source's rows alone (<see cref="ReportService.SourceEconomicsAsync"/>: its customers, first orders and attributed
/// channels are not the workspace's), so the drill-down selects and sums those same facts, and reads only the ledger
/// rows and provenance of its orders from the database.
/// </summary>
public sealed class DrillDownQueries(NpgsqlDataSource dataSource, ReportService reports)
{
    /// <summary>Without the application's shared <see cref="ReportService"/> (tools, tests): account-filtered facts get their own.</summary>
    public DrillDownQueries(NpgsqlDataSource dataSource)
        : this(dataSource, new ReportService(new ReportQueries(dataSource), TimeProvider.System))
    {
    }

    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The orders of a page, in keyset order, with their customer facts.</summary>
    private const string OrderColumns = """
        f.marketplace, f.order_id, f.ordered_at, f.order_date, f.customer_id, f.identified, f.channel, f.ledger_channel,
        f.attributed, f.is_first, f.first_date, f.acquisition_channel
        """;

    /// <summary>The drill-down summed: orders, lines, first orders, and the line facts (sale side, and return effects up to as_of).</summary>
    public async Task<DrillTotals> TotalsAsync(Guid workspaceId, DrillDownFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Source is { } source)
        {
            var selected = await SelectAsync(workspaceId, filter, source, cancellationToken);
            return SourceSelection.Totals(selected, filter.Period.AsOf);
        }

        var where = Where.Of(workspaceId, filter);
        var sku = filter.Sku is null ? string.Empty : $" AND l.sku = {where.Add(filter.Sku)}";
        var asOf = where.Add(filter.Period.AsOf, NpgsqlDbType.Date);
        var sql = $"""
            WITH o AS MATERIALIZED (SELECT f.marketplace, f.order_id, f.is_first FROM customer_order_facts AS f WHERE {where.Sql})
            SELECT 0, (SELECT count(*) FROM o), (SELECT count(*) FILTER (WHERE o.is_first) FROM o), count(*), {EconomicsColumns.Sums("l")}
            FROM o JOIN line_facts AS l ON l.workspace_id = $1 AND l.marketplace = o.marketplace AND l.order_id = o.order_id{sku}
            UNION ALL
            SELECT 1, 0, 0, 0, {EconomicsColumns.Sums("l")}
            FROM o JOIN line_return_facts AS l ON l.workspace_id = $1 AND l.marketplace = o.marketplace AND l.order_id = o.order_id{sku}
                AND l.return_date <= {asOf}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = where.Command(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long orders = 0, firstOrders = 0, lines = 0;
        var economics = default(LineEconomics);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt32(0) == 0)
            {
                (orders, firstOrders, lines) = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            }

            // The sale side of every line, plus the return effects dated up to as_of: the reports' sums.
            economics += EconomicsColumns.Read(reader, 4);
        }

        return new DrillTotals(orders, lines, firstOrders, economics);
    }

    /// <summary>
    /// The page of at most <paramref name="limit"/> orders after <paramref name="after"/> (from the first when null), with
    /// the cursor of the next page when there is one.
    /// </summary>
    public async Task<DrillPage> PageAsync(
        Guid workspaceId, DrillDownFilter filter, DrillCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        limit = Math.Clamp(limit, 1, MaxPageSize);
        if (filter.Source is { } source)
        {
            var selected = await SelectAsync(workspaceId, filter, source, cancellationToken);
            var start = SourceSelection.After(selected, after);
            var count = Math.Min(limit, selected.Count - start);
            var listed = await CompleteSourceAsync(workspaceId, filter, selected.GetRange(start, count), cancellationToken);
            return new DrillPage(listed, start + count < selected.Count ? listed[^1].Cursor : null);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var heads = await ReadHeadsAsync(connection, workspaceId, filter, after, limit + 1, cancellationToken);
        var more = heads.Count > limit;
        if (more)
        {
            heads.RemoveAt(heads.Count - 1);
        }

        var orders = await CompleteAsync(connection, workspaceId, filter, heads, cancellationToken);
        return new DrillPage(orders, more ? orders[^1].Cursor : null);
    }

    /// <summary>Every order of the drill-down, page after page (memory holds one page): what exports stream.</summary>
    public async IAsyncEnumerable<DrillOrder> AllAsync(
        Guid workspaceId, DrillDownFilter filter, int pageSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Source is { } source)
        {
            // The source's facts are already held whole (the filtered reports compute them); select once, complete page by page.
            var selected = await SelectAsync(workspaceId, filter, source, cancellationToken);
            for (var start = 0; start < selected.Count; start += pageSize)
            {
                var chunk = selected.GetRange(start, Math.Min(pageSize, selected.Count - start));
                foreach (var order in await CompleteSourceAsync(workspaceId, filter, chunk, cancellationToken))
                {
                    yield return order;
                }
            }

            yield break;
        }

        DrillCursor? after = null;
        do
        {
            var page = await PageAsync(workspaceId, filter, after, pageSize, cancellationToken);
            foreach (var order in page.Orders)
            {
                yield return order;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    private static async Task<List<OrderHead>> ReadHeadsAsync(
        NpgsqlConnection connection, Guid workspaceId, DrillDownFilter filter, DrillCursor? after, int limit, CancellationToken cancellationToken)
    {
        var where = Where.Of(workspaceId, filter);
        var keyset = after is { } a
            ? $" AND (f.order_date, f.marketplace, f.order_id) > ({where.Add(a.OrderDate, NpgsqlDbType.Date)}, {where.Add(a.Marketplace)}, {where.Add(a.OrderId)})"
            : string.Empty;
        var sql = $"""
            SELECT {OrderColumns}
            FROM customer_order_facts AS f
            WHERE {where.Sql}{keyset}
            ORDER BY f.order_date, f.marketplace, f.order_id
            LIMIT {where.Add(limit, NpgsqlDbType.Integer)}
            """;
        var heads = new List<OrderHead>();
        await using var command = where.Command(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            heads.Add(new OrderHead(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateOnly>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5), reader.GetString(6), reader.GetString(7),
                reader.GetBoolean(8), reader.GetBoolean(9), reader.GetFieldValue<DateOnly>(10), reader.GetString(11)));
        }

        return heads;
    }

    /// <summary>Reads the lines, returns, facts and provenance of <paramref name="heads"/> and builds the orders in their order.</summary>
    private static async Task<List<DrillOrder>> CompleteAsync(
        NpgsqlConnection connection,
        Guid workspaceId,
        DrillDownFilter filter,
        List<OrderHead> heads,
        CancellationToken cancellationToken,
        IReadOnlyList<SourceSelection.Selected>? known = null)
    {
        if (heads.Count == 0)
        {
            return [];
        }

        var marketplaces = heads.Select(h => h.Marketplace).ToArray();
        var orderIds = heads.Select(h => h.OrderId).ToArray();
        var sku = filter.Sku is null ? string.Empty : " AND l.sku = $4";
        const string Keys = "unnest($2::text[], $3::text[]) AS k(marketplace, order_id)";

        // The line facts the domain computed, and the ledger rows they were computed from, with provenance.
        var sales = new Dictionary<(string, string, string), (string Sku, DateOnly Date, LineEconomics Sale)>();
        var effects = new Dictionary<(string, string, string), List<ReturnEffect>>();
        if (known is not null)
        {
            foreach (var line in known.SelectMany(k => k.Lines))
            {
                sales[(line.Marketplace, line.OrderId, line.LineId)] = (line.Sku, line.OrderDate, line.Sale);
                effects[(line.Marketplace, line.OrderId, line.LineId)] = [.. line.Returns];
            }
        }
        else
        {
            await ReadAsync(
                connection,
                $"""
                SELECT l.marketplace, l.order_id, l.line_id, l.sku, l.order_date, {EconomicsColumns.List("l")}
                FROM {Keys} JOIN line_facts AS l ON l.workspace_id = $1 AND l.marketplace = k.marketplace AND l.order_id = k.order_id{sku}
                """,
                r => sales[(r.GetString(0), r.GetString(1), r.GetString(2))] = (r.GetString(3), r.GetFieldValue<DateOnly>(4), EconomicsColumns.Read(r, 5)),
                workspaceId, marketplaces, orderIds, filter.Sku, cancellationToken);
            await ReadAsync(
                connection,
                $"""
                SELECT l.marketplace, l.order_id, l.line_id, l.return_id, l.return_date, {EconomicsColumns.List("l")}
                FROM {Keys} JOIN line_return_facts AS l ON l.workspace_id = $1 AND l.marketplace = k.marketplace AND l.order_id = k.order_id{sku}
                """,
                r =>
                {
                    var key = (r.GetString(0), r.GetString(1), r.GetString(2));
                    if (!effects.TryGetValue(key, out var list))
                    {
                        effects[key] = list = [];
                    }

                    list.Add(new ReturnEffect(r.GetString(3), r.GetFieldValue<DateOnly>(4), EconomicsColumns.Read(r, 5)));
                },
                workspaceId, marketplaces, orderIds, filter.Sku, cancellationToken);
        }

        var rows = new Dictionary<(string, string), List<(string LineId, int Quantity, decimal Revenue, decimal Commission, decimal Logistics, decimal Acquiring, decimal OtherFees, Origin Origin)>>();
        await ReadAsync(
            connection,
            $"""
            SELECT l.marketplace, l.order_id, l.line_id, l.quantity, l.revenue, l.commission, l.logistics, l.acquiring, l.other_fees,
                   l.source, l.import_file, l.import_line, l.run_id
            FROM {Keys} JOIN sales_lines AS l ON l.workspace_id = $1 AND l.marketplace = k.marketplace AND l.order_id = k.order_id{sku}
            ORDER BY l.marketplace, l.order_id, l.line_id
            """,
            r =>
            {
                var key = (r.GetString(0), r.GetString(1));
                if (!rows.TryGetValue(key, out var list))
                {
                    rows[key] = list = [];
                }

                list.Add((r.GetString(2), r.GetInt32(3), r.GetDecimal(4), r.GetDecimal(5), r.GetDecimal(6), r.GetDecimal(7), r.GetDecimal(8), ReadOrigin(r, 9)));
            },
            workspaceId, marketplaces, orderIds, filter.Sku, cancellationToken);

        var returns = new Dictionary<(string, string), List<(DrillReturn Return, Origin Origin)>>();
        await ReadAsync(
            connection,
            $"""
            SELECT r.marketplace, r.order_id, r.line_id, r.return_id, r.returned_at, r.quantity, r.refund, r.commission_refund,
                   r.return_logistics, r.restockable, r.reason, r.source, r.import_file, r.import_line, r.run_id
            FROM {Keys} JOIN returns AS r ON r.workspace_id = $1 AND r.marketplace = k.marketplace AND r.order_id = k.order_id
            {(filter.Sku is null ? string.Empty : "JOIN sales_lines AS l ON l.workspace_id = $1 AND l.marketplace = r.marketplace AND l.order_id = r.order_id AND l.line_id = r.line_id AND l.sku = $4")}
            ORDER BY r.marketplace, r.order_id, r.returned_at, r.return_id
            """,
            r =>
            {
                var key = (r.GetString(0), r.GetString(1));
                if (!returns.TryGetValue(key, out var list))
                {
                    returns[key] = list = [];
                }

                var origin = ReadOrigin(r, 11);
                list.Add((new DrillReturn(
                    r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt32(5), r.GetDecimal(6), r.GetDecimal(7),
                    r.GetDecimal(8), r.GetBoolean(9), r.IsDBNull(10) ? null : r.GetString(10), false, null!), origin));
            },
            workspaceId, marketplaces, orderIds, filter.Sku, cancellationToken);

        // Pulled orders: the connection, its runs, and the marketplace's own rows of each order.
        var connections = rows.Values.SelectMany(l => l.Select(x => x.Origin.Source))
            .Concat(returns.Values.SelectMany(l => l.Select(x => x.Origin.Source)))
            .Where(s => s != Guid.Empty).Distinct().ToArray();
        var names = new Dictionary<Guid, string>();
        var runs = new Dictionary<Guid, (string? Connection, DateTimeOffset? Finished)>();
        var sourceRows = new Dictionary<(string, string), List<DrillSourceRow>>();
        if (connections.Length > 0)
        {
            await ReadAsync(
                connection,
                "SELECT id, name FROM connections WHERE workspace_id = $1 AND id = ANY($2)",
                r => names[r.GetGuid(0)] = r.GetString(1),
                cancellationToken,
                workspaceId,
                connections);
            var runIds = rows.Values.SelectMany(l => l.Select(x => x.Origin.RunId))
                .Concat(returns.Values.SelectMany(l => l.Select(x => x.Origin.RunId)))
                .OfType<Guid>().Distinct().ToArray();
            await ReadAsync(
                connection,
                "SELECT id, connection_name, finished_at FROM pull_runs WHERE workspace_id = $1 AND id = ANY($2)",
                r => runs[r.GetGuid(0)] = (r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2)),
                cancellationToken,
                workspaceId,
                runIds);
            var pulled = heads
                .Select(h => (h, Source: rows.GetValueOrDefault((h.Marketplace, h.OrderId)) is { Count: > 0 } l ? l[0].Origin.Source : Guid.Empty))
                .Where(x => x.Source != Guid.Empty)
                .ToList();
            await ReadAsync(
                connection,
                """
                SELECT k.marketplace, k.order_id, s.feed, s.source_id, s.last_run_id
                FROM unnest($2::uuid[], $3::text[], $4::text[]) AS k(connection_id, marketplace, order_id)
                JOIN source_rows AS s ON s.connection_id = k.connection_id AND s.order_key = k.order_id AND s.workspace_id = $1
                ORDER BY k.marketplace, k.order_id, s.feed, s.source_id
                """,
                r =>
                {
                    var key = (r.GetString(0), r.GetString(1));
                    if (!sourceRows.TryGetValue(key, out var list))
                    {
                        sourceRows[key] = list = [];
                    }

                    list.Add(new DrillSourceRow(r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetGuid(4)));
                },
                cancellationToken,
                workspaceId,
                pulled.Select(p => p.Source).ToArray(),
                pulled.Select(p => p.h.Marketplace).ToArray(),
                pulled.Select(p => p.h.OrderId).ToArray());
        }

        DrillOrigin Describe(Origin origin) => origin switch
        {
            { ImportFile: { } file } => new DrillOrigin(file, origin.ImportLine, null, null, null, null),
            { Source: var source } when source != Guid.Empty => new DrillOrigin(
                null,
                null,
                source,
                names.GetValueOrDefault(source) ?? (origin.RunId is { } run ? runs.GetValueOrDefault(run).Connection : null),
                origin.RunId,
                origin.RunId is { } id ? runs.GetValueOrDefault(id).Finished : null),
            _ => new DrillOrigin(null, null, null, null, null, null),
        };

        var asOf = filter.Period.AsOf;
        var orders = new List<DrillOrder>(heads.Count);
        foreach (var h in heads)
        {
            var lines = new List<DrillLine>();
            foreach (var row in rows.GetValueOrDefault((h.Marketplace, h.OrderId)) ?? [])
            {
                if (!sales.TryGetValue((h.Marketplace, h.OrderId, row.LineId), out var sale))
                {
                    continue;
                }

                var fact = new LineFact(
                    h.Marketplace, h.OrderId, row.LineId, sale.Sku, sale.Date, sale.Sale,
                    [.. (effects.GetValueOrDefault((h.Marketplace, h.OrderId, row.LineId)) ?? []).OrderBy(e => e.Date)]);
                lines.Add(new DrillLine(
                    row.LineId, sale.Sku, row.Quantity, row.Revenue, row.Commission, row.Logistics, row.Acquiring, row.OtherFees,
                    fact.AsOf(asOf), Describe(row.Origin)));
            }

            var orderReturns = (returns.GetValueOrDefault((h.Marketplace, h.OrderId)) ?? [])
                .Select(x => x.Return with
                {
                    Counted = (effects.GetValueOrDefault((h.Marketplace, h.OrderId, x.Return.LineId)) ?? [])
                        .Exists(e => e.ReturnId == x.Return.ReturnId && e.Date <= asOf),
                    Origin = Describe(x.Origin),
                })
                .ToList();
            orders.Add(new DrillOrder(
                h.Marketplace, h.OrderId, h.OrderedAt, h.OrderDate, h.CustomerId, h.Identified, h.Channel, h.LedgerChannel, h.Attributed,
                h.IsFirst, h.FirstDate, h.AcquisitionChannel, lines, orderReturns, LineEconomics.Sum(lines.Select(l => l.Economics)),
                sourceRows.GetValueOrDefault((h.Marketplace, h.OrderId)) ?? []));
        }

        return orders;
    }

    /// <summary>The orders of an account-filtered drill-down, in keyset order, with their lines (of the SKU when filtered).</summary>
    private async Task<List<SourceSelection.Selected>> SelectAsync(Guid workspaceId, DrillDownFilter filter, LedgerSource source, CancellationToken cancellationToken)
    {
        WorkspaceContext workspace;
        await using (var command = dataSource.CreateCommand("SELECT name, time_zone FROM workspaces WHERE id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return [];
            }

            workspace = new WorkspaceContext(workspaceId, reader.GetString(0), reader.GetString(1));
        }

        var facts = await reports.SourceEconomicsAsync(workspace, source, cancellationToken);
        return SourceSelection.Of(facts, filter);
    }

    /// <summary>
    /// The orders of <paramref name="selected"/> completed as <see cref="CompleteAsync"/> does, with the customer facts
    /// and line facts of the source's domain facts and the order header (instant, buyer, ledger channel) of its rows.
    /// </summary>
    private async Task<List<DrillOrder>> CompleteSourceAsync(
        Guid workspaceId, DrillDownFilter filter, List<SourceSelection.Selected> selected, CancellationToken cancellationToken)
    {
        if (selected.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var header = new Dictionary<(string, string), (DateTimeOffset OrderedAt, string? CustomerId, string Channel)>();
        await ReadAsync(
            connection,
            """
            SELECT DISTINCT ON (l.marketplace, l.order_id) l.marketplace, l.order_id, l.ordered_at, l.customer_id, l.channel
            FROM unnest($2::text[], $3::text[]) AS k(marketplace, order_id)
            JOIN sales_lines AS l ON l.workspace_id = $1 AND l.marketplace = k.marketplace AND l.order_id = k.order_id
            ORDER BY l.marketplace, l.order_id, l.line_id
            """,
            r => header[(r.GetString(0), r.GetString(1))] = (r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? string.Empty : r.GetString(4)),
            cancellationToken,
            workspaceId,
            selected.Select(x => x.Order.Marketplace).ToArray(),
            selected.Select(x => x.Order.OrderId).ToArray());
        var heads = selected.Select(x =>
        {
            var o = x.Order;
            var h = header.GetValueOrDefault((o.Marketplace, o.OrderId));
            return new OrderHead(
                o.Marketplace, o.OrderId, h.OrderedAt, o.OrderDate, string.IsNullOrEmpty(h.CustomerId) ? null : h.CustomerId, o.Identified,
                o.Channel, LedgerNames.ChannelOrOrganic(h.Channel), o.Attributed, o.IsFirstOrder, o.FirstOrderDate, o.AcquisitionChannel);
        }).ToList();
        return await CompleteAsync(connection, workspaceId, filter, heads, cancellationToken, selected);
    }

    private static Origin ReadOrigin(NpgsqlDataReader reader, int offset) => new(
        reader.GetGuid(offset),
        reader.IsDBNull(offset + 1) ? null : reader.GetString(offset + 1),
        reader.IsDBNull(offset + 2) ? null : reader.GetInt32(offset + 2),
        reader.IsDBNull(offset + 3) ? null : reader.GetGuid(offset + 3));

    private static Task ReadAsync(
        NpgsqlConnection connection, string sql, Action<NpgsqlDataReader> row, Guid workspaceId, string[] marketplaces, string[] orderIds, string? sku, CancellationToken cancellationToken) =>
        sku is null
            ? ReadAsync(connection, sql, row, cancellationToken, workspaceId, marketplaces, orderIds)
            : ReadAsync(connection, sql, row, cancellationToken, workspaceId, marketplaces, orderIds, sku);

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, Action<NpgsqlDataReader> row, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }

    private sealed record OrderHead(
        string Marketplace, string OrderId, DateTimeOffset OrderedAt, DateOnly OrderDate, string? CustomerId, bool Identified,
        string Channel, string LedgerChannel, bool Attributed, bool IsFirst, DateOnly FirstDate, string AcquisitionChannel);

    private readonly record struct Origin(Guid Source, string? ImportFile, int? ImportLine, Guid? RunId);

    /// <summary>The filter as a WHERE clause over <c>customer_order_facts AS f</c>, with its parameters ($1 the workspace).</summary>
    private sealed class Where
    {
        private readonly List<NpgsqlParameter> _parameters = [];
        private readonly List<string> _conditions = [];

        public string Sql => string.Join(" AND ", _conditions);

        public static Where Of(Guid workspaceId, DrillDownFilter filter)
        {
            var where = new Where();
            var period = filter.Period;
            var last = period.To < period.AsOf ? period.To : period.AsOf;
            where._conditions.Add($"f.workspace_id = {where.Add(workspaceId, NpgsqlDbType.Uuid)}");
            if (filter.Scope == DrillScope.Orders)
            {
                where._conditions.Add($"f.order_date BETWEEN {where.Add(period.From, NpgsqlDbType.Date)} AND {where.Add(last, NpgsqlDbType.Date)}");
            }
            else
            {
                where._conditions.Add($"f.first_date BETWEEN {where.Add(period.From, NpgsqlDbType.Date)} AND {where.Add(last, NpgsqlDbType.Date)}");
                where._conditions.Add($"f.order_date <= {where.Add(period.AsOf, NpgsqlDbType.Date)}");
                if (filter.FirstOrdersOnly)
                {
                    where._conditions.Add("f.is_first");
                }

                if (filter.Through is { } through)
                {
                    where._conditions.Add($"f.order_date < {where.Add(Start(through.Next()), NpgsqlDbType.Date)}");
                }

                if (filter.Cohort is { } cohort)
                {
                    where._conditions.Add($"f.first_date >= {where.Add(Start(cohort), NpgsqlDbType.Date)} AND f.first_date < {where.Add(Start(cohort.Next()), NpgsqlDbType.Date)}");
                }
            }

            if (filter.Month is { } month)
            {
                where._conditions.Add($"f.order_date >= {where.Add(Start(month), NpgsqlDbType.Date)} AND f.order_date < {where.Add(Start(month.Next()), NpgsqlDbType.Date)}");
            }

            if (filter.Marketplace is { } marketplace)
            {
                where._conditions.Add($"f.marketplace = {where.Add(marketplace)}");
            }

            if (filter.Channel is { } channel)
            {
                where._conditions.Add($"{(filter.Scope == DrillScope.Orders ? "f.channel" : "f.acquisition_channel")} = {where.Add(channel)}");
            }

            if (filter.Sku is { } sku)
            {
                where._conditions.Add($"""
                    EXISTS (SELECT 1 FROM line_facts AS s WHERE s.workspace_id = f.workspace_id AND s.marketplace = f.marketplace
                            AND s.order_id = f.order_id AND s.sku = {where.Add(sku)})
                    """);
            }

            return where;
        }

        public string Add(object value, NpgsqlDbType type = NpgsqlDbType.Text)
        {
            _parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            return "$" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public NpgsqlCommand Command(string sql, NpgsqlConnection connection)
        {
            var command = new NpgsqlCommand(sql, connection);
            foreach (var parameter in _parameters)
            {
                command.Parameters.Add(parameter);
            }

            return command;
        }

        private static DateOnly Start(YearMonth month) => new(month.Year, month.Month, 1);
    }
}

/// <summary>
/// An account-filtered drill-down over the source's domain facts (<see cref="EconomicsFacts"/>): the filter applied to
/// its customer orders as <c>Where</c> applies it to <c>customer_order_facts</c>, in the same keyset order.
/// </summary>
internal static class SourceSelection
{
    public static List<Selected> Of(EconomicsFacts facts, DrillDownFilter filter)
    {
        var lines = new Dictionary<(string, string), List<LineFact>>();
        foreach (var line in facts.Lines)
        {
            if (filter.Sku is not null && !string.Equals(line.Sku, filter.Sku, StringComparison.Ordinal))
            {
                continue;
            }

            if (!lines.TryGetValue((line.Marketplace, line.OrderId), out var list))
            {
                lines[(line.Marketplace, line.OrderId)] = list = [];
            }

            list.Add(line);
        }

        var selected = new List<Selected>();
        foreach (var order in facts.Orders)
        {
            if (Matches(order, filter) && lines.TryGetValue((order.Marketplace, order.OrderId), out var list))
            {
                selected.Add(new Selected(order, list));
            }
        }

        selected.Sort((a, b) => Compare(a.Order.OrderDate, a.Order.Marketplace, a.Order.OrderId, b.Order.OrderDate, b.Order.Marketplace, b.Order.OrderId));
        return selected;
    }

    /// <summary>The index of the first order after <paramref name="after"/> (0 when null).</summary>
    public static int After(List<Selected> selected, DrillCursor? after)
    {
        if (after is not { } c)
        {
            return 0;
        }

        int low = 0, high = selected.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            var o = selected[mid].Order;
            if (Compare(o.OrderDate, o.Marketplace, o.OrderId, c.OrderDate, c.Marketplace, c.OrderId) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>The selection summed: each line's sale and its return effects dated up to as_of, as the reports sum them.</summary>
    public static DrillTotals Totals(List<Selected> selected, DateOnly asOf)
    {
        long lines = 0, first = 0;
        var economics = default(LineEconomics);
        foreach (var item in selected)
        {
            first += item.Order.IsFirstOrder ? 1 : 0;
            foreach (var line in item.Lines)
            {
                economics += line.AsOf(asOf);
                lines++;
            }
        }

        return new DrillTotals(selected.Count, lines, first, economics);
    }

    private static bool Matches(CustomerOrder o, DrillDownFilter filter)
    {
        var period = filter.Period;
        var last = period.To < period.AsOf ? period.To : period.AsOf;
        if (filter.Scope == DrillScope.Orders)
        {
            if (o.OrderDate < period.From || o.OrderDate > last)
            {
                return false;
            }
        }
        else if (o.FirstOrderDate < period.From || o.FirstOrderDate > last || o.OrderDate > period.AsOf
            || (filter.FirstOrdersOnly && !o.IsFirstOrder)
            || (filter.Through is { } through && YearMonth.Of(o.OrderDate) > through)
            || (filter.Cohort is { } cohort && YearMonth.Of(o.FirstOrderDate) != cohort))
        {
            return false;
        }

        return (filter.Month is not { } month || YearMonth.Of(o.OrderDate) == month)
            && (filter.Marketplace is null || string.Equals(o.Marketplace, filter.Marketplace, StringComparison.Ordinal))
            && (filter.Channel is null
                || string.Equals(filter.Scope == DrillScope.Orders ? o.Channel : o.AcquisitionChannel, filter.Channel, StringComparison.Ordinal));
    }

    private static int Compare(DateOnly aDate, string aMarketplace, string aOrder, DateOnly bDate, string bMarketplace, string bOrder)
    {
        var byDate = aDate.CompareTo(bDate);
        if (byDate != 0)
        {
            return byDate;
        }

        var byMarketplace = string.CompareOrdinal(aMarketplace, bMarketplace);
        return byMarketplace != 0 ? byMarketplace : string.CompareOrdinal(aOrder, bOrder);
    }

    /// <summary>One selected order and its lines (of the SKU when filtered).</summary>
    public sealed record Selected(CustomerOrder Order, IReadOnlyList<LineFact> Lines);
}
