using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>What a run's reconciliation found.</summary>
/// <param name="Marketplace">The marketplace's own payout over the scope's source rows; null when it gives none.</param>
/// <param name="Ledger">The payout of the connection's stored ledger rows in scope, plus their current gaps.</param>
/// <param name="Unmapped">The part of <paramref name="Ledger"/> in gaps.</param>
/// <param name="UnmappedRows">Source rows in the scope's current gaps.</param>
/// <param name="Text">The outcome in words: matches, or differs by how much and where.</param>
/// <param name="Orders">The orders that differ (ledger minus marketplace), the largest first.</param>
/// <param name="Dates">The dates whose period rows differ, the largest first.</param>
internal sealed record Reconciliation(
    decimal? Marketplace,
    decimal? Ledger,
    decimal? Unmapped,
    int UnmappedRows,
    LocalText Text,
    IReadOnlyList<(string Order, decimal Difference)> Orders,
    IReadOnlyList<(DateOnly Date, decimal Difference)> Dates);

/// <summary>
/// Compares two independent sides for a run's window (decision 0010): the marketplace's own payout
/// (<see cref="IMarketplaceConnector.MarketplacePayout"/>) over the raw source rows the connection stores, and the
/// payout the domain's one rule (<see cref="Payout"/>) gives for the ledger rows stored as the connection's (what the
/// reports read), plus the payout effect of the current gaps. Scope: every order with a source row dated in the
/// window or a ledger row of the connection dated in it (all of its rows, whatever their dates), compared order by
/// order; and every date of the window, comparing its rows without an order (and those of orders the ledger holds no
/// row of, booked as period fees) with the connection's period fees and gaps of that date. Ad spend is not payout.
/// </summary>
internal static class PullReconciliation
{
    /// <summary>Orders compared at a time: bounds what reconciliation holds, however big the window.</summary>
    private const int PartOrders = 10_000;

    /// <summary>Differing orders and dates kept (the largest); the text names the first few.</summary>
    private const int Kept = 50;

    private const int Named = 10;

    public static async Task<Reconciliation> ReconcileAsync(
        NpgsqlConnection session,
        ConnectionSettings connection,
        IMarketplaceConnector connector,
        PullWindow window,
        TimeZoneInfo zone,
        CancellationToken ct)
    {
        var marketplace = connector.Marketplace;
        var (start, end) = (Instant(window.From, zone), Instant(window.To.AddDays(1), zone));
        await DropScopeAsync(session);
        try
        {
            await PullSql.ExecuteAsync(
                session,
                """
                CREATE TEMP TABLE pull_recon_orders AS
                SELECT order_key FROM source_rows
                WHERE workspace_id = $4 AND connection_id = $1 AND order_key IS NOT NULL AND business_date BETWEEN $2 AND $3
                UNION
                SELECT order_id FROM sales_lines
                WHERE workspace_id = $4 AND marketplace = $5 AND source = $1 AND ordered_at >= $6 AND ordered_at < $7
                UNION
                SELECT order_id FROM returns
                WHERE workspace_id = $4 AND marketplace = $5 AND source = $1 AND returned_at >= $6 AND returned_at < $7
                """,
                ct,
                connection.Id,
                window.From,
                window.To,
                connection.WorkspaceId,
                marketplace,
                start,
                end);
            await PullSql.ExecuteAsync(session, "CREATE INDEX ON pull_recon_orders (order_key)", ct);
            await PullSql.ExecuteAsync(session, "ANALYZE pull_recon_orders", ct);

            var tally = new Tally(window);
            string? last = null;
            while (true)
            {
                var keys = last is null
                    ? await PullSql.ListAsync<string>(session, "SELECT order_key FROM pull_recon_orders ORDER BY order_key LIMIT $1", ct, PartOrders)
                    : await PullSql.ListAsync<string>(
                        session, "SELECT order_key FROM pull_recon_orders WHERE order_key > $1 ORDER BY order_key LIMIT $2", ct, last, PartOrders);
                if (keys.Count == 0)
                {
                    break;
                }

                await CompareOrdersAsync(session, connection, connector, window, keys, tally, ct);
                last = keys[^1];
                if (keys.Count < PartOrders)
                {
                    break;
                }
            }

            await CompareDatesAsync(session, connection, connector, window, tally, ct);
            return tally.Result();
        }
        finally
        {
            await DropScopeAsync(session);
        }
    }

    private static async Task CompareOrdersAsync(
        NpgsqlConnection session,
        ConnectionSettings connection,
        IMarketplaceConnector connector,
        PullWindow window,
        List<string> keys,
        Tally tally,
        CancellationToken ct)
    {
        string[] orders = [.. keys];
        var rows = new Dictionary<string, List<SourceRow>>(StringComparer.Ordinal);
        await using (var command = PullSql.Command(
            session,
            "SELECT feed, source_id, order_key, business_date, payload FROM source_rows WHERE workspace_id = $3 AND connection_id = $1 AND order_key = ANY($2)",
            connection.Id,
            Texts(orders),
            connection.WorkspaceId))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = SourceRowStream.Read(reader);
                if (!rows.TryGetValue(row.OrderKey!, out var list))
                {
                    rows[row.OrderKey!] = list = [];
                }

                list.Add(row);
            }
        }

        // The ledger side: what the reports read, the connection's own rows of these orders, by the domain's rule.
        var ledger = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using (var command = PullSql.Command(
            session,
            """
            SELECT marketplace, order_id, line_id, ordered_at, customer_id, channel, sku, quantity,
                   revenue, commission, logistics, acquiring, other_fees
            FROM sales_lines WHERE workspace_id = $1 AND marketplace = $2 AND source = $3 AND order_id = ANY($4)
            """,
            connection.WorkspaceId,
            connector.Marketplace,
            connection.Id,
            Texts(orders)))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var sale = new SaleLine(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(7),
                    reader.GetDecimal(8), reader.GetDecimal(9), reader.GetDecimal(10), reader.GetDecimal(11), reader.GetDecimal(12));
                ledger[sale.OrderId] = ledger.GetValueOrDefault(sale.OrderId) + Payout.Of(sale);
            }
        }

        await using (var command = PullSql.Command(
            session,
            """
            SELECT marketplace, order_id, line_id, return_id, returned_at, quantity, refund, commission_refund, return_logistics,
                   restockable, reason
            FROM returns WHERE workspace_id = $1 AND marketplace = $2 AND source = $3 AND order_id = ANY($4)
            """,
            connection.WorkspaceId,
            connector.Marketplace,
            connection.Id,
            Texts(orders)))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var returned = new ReturnEvent(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetInt32(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetDecimal(8), reader.GetBoolean(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10));
                ledger[returned.OrderId] = ledger.GetValueOrDefault(returned.OrderId) + Payout.Of(returned);
            }
        }

        var gaps = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using (var command = PullSql.Command(
            session,
            "SELECT order_key, payout_effect, cardinality(source_ids) FROM pull_gaps WHERE workspace_id = $3 AND connection_id = $1 AND is_current AND order_key = ANY($2)",
            connection.Id,
            Texts(orders),
            connection.WorkspaceId))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = reader.GetString(0);
                gaps[key] = gaps.GetValueOrDefault(key) + reader.GetDecimal(1);
                tally.Gap(reader.GetDecimal(1), reader.GetInt32(2));
            }
        }

        foreach (var key in keys)
        {
            var source = rows.GetValueOrDefault(key) ?? [];
            var inLedger = ledger.TryGetValue(key, out var booked);
            var inGaps = gaps.TryGetValue(key, out var gap);
            if (inLedger || inGaps)
            {
                tally.Order(key, connector.MarketplacePayout(source), booked, gap);
                continue;
            }

            // No ledger row and no gap: whatever the order's rows carry can only be in the period fees of their dates.
            foreach (var day in source.Where(r => r.BusinessDate >= window.From && r.BusinessDate <= window.To).GroupBy(r => r.BusinessDate))
            {
                tally.DateMarketplace(day.Key, connector.MarketplacePayout([.. day]));
            }

            tally.OrderWithoutLedger();
        }
    }

    private static async Task CompareDatesAsync(
        NpgsqlConnection session, ConnectionSettings connection, IMarketplaceConnector connector, PullWindow window, Tally tally, CancellationToken ct)
    {
        var rows = new Dictionary<DateOnly, List<SourceRow>>();
        await using (var command = PullSql.Command(
            session,
            "SELECT feed, source_id, order_key, business_date, payload FROM source_rows WHERE workspace_id = $4 AND connection_id = $1 AND order_key IS NULL AND business_date BETWEEN $2 AND $3",
            connection.Id,
            window.From,
            window.To,
            connection.WorkspaceId))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = SourceRowStream.Read(reader);
                if (!rows.TryGetValue(row.BusinessDate, out var list))
                {
                    rows[row.BusinessDate] = list = [];
                }

                list.Add(row);
            }
        }

        foreach (var (date, list) in rows)
        {
            tally.DateMarketplace(date, connector.MarketplacePayout(list));
        }

        await using (var command = PullSql.Command(
            session,
            "SELECT date, marketplace, kind, amount FROM period_fees WHERE workspace_id = $1 AND marketplace = $2 AND source = $3 AND date BETWEEN $4 AND $5",
            connection.WorkspaceId,
            connector.Marketplace,
            connection.Id,
            window.From,
            window.To))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var fee = new PeriodFee(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3));
                tally.DateLedger(fee.Date, Payout.Of(fee));
            }
        }

        await using (var command = PullSql.Command(
            session,
            """
            SELECT business_date, payout_effect, cardinality(source_ids) FROM pull_gaps
            WHERE workspace_id = $4 AND connection_id = $1 AND is_current AND order_key IS NULL AND business_date BETWEEN $2 AND $3
            """,
            connection.Id,
            window.From,
            window.To,
            connection.WorkspaceId))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tally.DateLedger(reader.GetFieldValue<DateOnly>(0), reader.GetDecimal(1));
                tally.Gap(reader.GetDecimal(1), reader.GetInt32(2));
            }
        }
    }

    private static async Task DropScopeAsync(NpgsqlConnection session)
    {
        try
        {
            await PullSql.ExecuteAsync(session, "DROP TABLE IF EXISTS pg_temp.pull_recon_orders", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken session has lost its temporary tables with it.
        }
    }

    private static DateTimeOffset Instant(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static NpgsqlParameter Texts(string[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    /// <summary>The sums of both sides and the places they differ.</summary>
    private sealed class Tally(PullWindow window)
    {
        private readonly Dictionary<DateOnly, (decimal Marketplace, decimal Ledger)> _dates = [];
        private readonly List<(string Order, decimal Difference)> _orders = [];
        private decimal _marketplace;
        private decimal _ledger;
        private decimal _unmapped;
        private int _unmappedRows;
        private int _orderCount;
        private int _differingOrders;
        private bool _figure;

        public void Order(string key, decimal? marketplace, decimal ledger, decimal gaps)
        {
            _orderCount++;
            _figure |= marketplace is not null;
            var theirs = marketplace ?? 0m;
            var ours = ledger + gaps;
            _marketplace += theirs;
            _ledger += ours;
            if (ours != theirs)
            {
                _differingOrders++;
                _orders.Add((key, ours - theirs));
                if (_orders.Count > 4 * Kept)
                {
                    Trim();
                }
            }
        }

        public void OrderWithoutLedger() => _orderCount++;

        public void DateMarketplace(DateOnly date, decimal? payout)
        {
            _figure |= payout is not null;
            var (marketplace, ledger) = _dates.GetValueOrDefault(date);
            _dates[date] = (marketplace + (payout ?? 0m), ledger);
            _marketplace += payout ?? 0m;
        }

        public void DateLedger(DateOnly date, decimal payout)
        {
            var (marketplace, ledger) = _dates.GetValueOrDefault(date);
            _dates[date] = (marketplace, ledger + payout);
            _ledger += payout;
        }

        public void Gap(decimal payout, int rows)
        {
            _unmapped += payout;
            _unmappedRows += rows;
        }

        public Reconciliation Result()
        {
            if (!_figure)
            {
                return new Reconciliation(null, null, null, _unmappedRows, PullTexts.NoMarketplaceFigure, [], []);
            }

            Trim();
            var dates = _dates.Where(d => d.Value.Ledger != d.Value.Marketplace)
                .Select(d => (d.Key, d.Value.Ledger - d.Value.Marketplace))
                .OrderByDescending(d => Math.Abs(d.Item2)).ThenBy(d => d.Key)
                .ToList();
            var differing = _differingOrders + dates.Count;
            var keptDates = dates.Take(Kept).ToList();
            LocalText text;
            if (differing == 0)
            {
                text = PullTexts.Matches(_marketplace, _orderCount, window.To.DayNumber - window.From.DayNumber + 1);
            }
            else
            {
                var namedOrders = _orders.Take(Named).ToList();
                var namedDates = keptDates.Take(Math.Max(0, Named - namedOrders.Count)).ToList();
                text = PullTexts.Differs(_marketplace, _ledger, namedOrders, namedDates, differing - namedOrders.Count - namedDates.Count);
            }

            return new Reconciliation(_marketplace, _ledger, _unmapped, _unmappedRows, text, [.. _orders], keptDates);
        }

        private void Trim()
        {
            var kept = _orders.OrderByDescending(o => Math.Abs(o.Difference)).ThenBy(o => o.Order, StringComparer.Ordinal).Take(Kept).ToList();
            _orders.Clear();
            _orders.AddRange(kept);
        }
    }
}
