using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// The second half of a run's writes (decision 0006, 0010): derives the ledger of the connection's pending dates and
/// orders from every source row of them, writes it as the connection's own rows, deletes the connection's rows those
/// orders and dates no longer produce, and records what the mapping could not carry (gaps). It never writes, restates
/// or deletes another source's rows: an order the ledger holds from another source is left as it is and recorded as a
/// gap of this run.
/// </summary>
internal sealed class PullDerivation(
    NpgsqlDataSource dataSource, LedgerWriter ledger, int mappingPartRows, int writePartRows, Action<string, TimeSpan>? phaseTimed)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly LedgerWriter _ledger = ledger;
    private readonly int _writePartRows = writePartRows;

    /// <summary>
    /// Derives the ledger of the connection's pending dates (<c>source_pending_dates</c>, filled by the merges, and the
    /// dates of rows flagged <c>needs_derivation</c>) and pending orders (<c>source_pending_orders</c>: orders rows
    /// left). The dates are re-derived whole: every row of those dates, and every row of every order with a row on
    /// them or pending (an order's rows are mapped together, wherever their dates). Period fees and ad spend of other
    /// dates the mapping touches are partial and are dropped (those dates are not changed). Writes the ledger, deletes
    /// what those orders and dates no longer produce, saves the gaps, and clears the pending dates, orders and flags.
    /// Returns the ledger's rejection, or null.
    /// </summary>
    public async Task<LocalText?> DeriveAsync(
        NpgsqlConnection session,
        Guid runId,
        ConnectionSettings connection,
        IMarketplaceConnector connector,
        TimeZoneInfo zone,
        PullWindow window,
        CancellationToken ct)
    {
        var deriving = Stopwatch.GetTimestamp();
        await PullPendingWork.DropScopeAsync(session);
        try
        {
            var (dates, vanished, anyPendingOrder) = await PullPendingWork.ScopeAsync(session, connection, ct);
            if (dates.Count == 0 && !anyPendingOrder)
            {
                return null;
            }

            // Read in order of order key, so each order's rows come together and the mapping takes them part by part;
            // a session that can hand its orders over has them written every WritePartRows rows (memory stays flat:
            // each part is whole orders, written idempotently, and the pending dates stay until the end, so a run
            // that stops half-way is completed by the next one).
            var mapping = connector is IStreamingLedgerMapper streaming ? streaming.StartMapping(zone) : new CollectingMappingSession(connector, zone);
            var feeds = new HashSet<string>(StringComparer.Ordinal);
            var parts = new PartWriter(this, runId, connection, connector, mapping);
            DerivedLedger mapped;
            try
            {
                await using (var read = PullSql.Command(
                    session,
                    """
                    SELECT feed, source_id, order_key, business_date, payload FROM source_rows
                    WHERE workspace_id = $2 AND connection_id = $1
                      AND (business_date IN (SELECT business_date FROM pull_derive_dates)
                           OR order_key IN (SELECT order_key FROM pull_derive_keys))
                    ORDER BY order_key
                    """,
                    connection.Id,
                    connection.WorkspaceId))
                {
                    await SourceRowStream.MapAsync(
                        read,
                        mappingPartRows,
                        mapping,
                        row =>
                        {
                            feeds.Add(row.Feed);
                            parts.See(row);
                        },
                        parts.AfterPartAsync,
                        ct);
                }

                mapped = mapping.Finish();
                phaseTimed?.Invoke("derive", Stopwatch.GetElapsedTime(deriving));
                var writing = Stopwatch.GetTimestamp();
                parts.Vanished(vanished);

                // Attribution rows are derived per date as ad spend is: those of the derived dates, whole (the
                // connection's stored rows of those dates that the mapping no longer gives go in the same write).
                var attributed = Enumerable.Range(0, mapped.Attribution.Count).Where(i => dates.Contains(mapped.Attribution[i].Date)).ToList();
                await parts.WriteAsync(
                    new DerivedLedger(
                        mapped.Sales,
                        mapped.Returns,
                        [.. mapped.AdSpend.Where(a => dates.Contains(a.Date))],
                        [.. mapped.Fees.Where(f => dates.Contains(f.Date))])
                    {
                        Gaps = mapped.Gaps,
                        Attribution = [.. attributed.Select(i => mapped.Attribution[i])],
                        AttributionOrigins = mapped.AttributionOrigins.Count == 0 ? [] : [.. attributed.Select(i => mapped.AttributionOrigins[i])],
                    },
                    [.. dates.Order().Select(d => (connector.Marketplace, d))],
                    ct);
                phaseTimed?.Invoke("write", Stopwatch.GetElapsedTime(writing));
            }
            catch (LedgerRejectedException)
            {
                return parts.Rejection;
            }
            finally
            {
                // A part still being written when the stream failed is waited for before the lock goes.
                await parts.DrainAsync();
            }

            var cleaning = Stopwatch.GetTimestamp();
            await using var transaction = await session.BeginTransactionAsync(ct);
            await LedgerWriter.DeleteStalePeriodRowsAsync(
                session,
                connection.WorkspaceId,
                LedgerSource.Connection(connection.Id),
                connector.Marketplace,
                dates,
                [.. mapped.AdSpend.Where(a => dates.Contains(a.Date))],
                [.. mapped.Fees.Where(f => dates.Contains(f.Date))],
                ct);
            await SaveChannelNamesAsync(session, connection.WorkspaceId, mapped.ChannelNames, ct);
            await PullGapStore.SaveAsync(session, runId, connection, parts.Gaps, feeds, dates.Count > 0 ? dates.Min() : window.From, ct);
            await PullPendingWork.ClearAsync(session, connection, ct);
            await transaction.CommitAsync(ct);
            phaseTimed?.Invoke("clean", Stopwatch.GetElapsedTime(cleaning));
            return null;
        }
        finally
        {
            await PullPendingWork.DropScopeAsync(session);
        }
    }

    /// <summary>
    /// Names the marketplace gives channels (a Wildberries campaign's name for <c>wb_adv_123</c>), stored for the
    /// channels the workspace has no name for yet: a name the seller gave on the channels page is never replaced.
    /// Names are trimmed and cut to the channel names' 100 characters.
    /// </summary>
    private static async Task SaveChannelNamesAsync(
        NpgsqlConnection session, Guid workspaceId, IReadOnlyDictionary<string, string> names, CancellationToken ct)
    {
        var named = names
            .Select(n => (Channel: n.Key, Name: n.Value.Trim()))
            .Where(n => n.Name.Length > 0 && n.Channel.Length > 0)
            .Select(n => (n.Channel, Name: n.Name.Length > 100 ? n.Name[..100].TrimEnd() : n.Name))
            .OrderBy(n => n.Channel, StringComparer.Ordinal)
            .ToList();
        if (named.Count == 0)
        {
            return;
        }

        await PullSql.ExecuteAsync(
            session,
            """
            INSERT INTO channel_names (workspace_id, channel, display_name)
            SELECT $1, c, n FROM unnest($2::text[], $3::text[]) AS k (c, n)
            ON CONFLICT (workspace_id, channel) DO NOTHING
            """,
            ct,
            workspaceId,
            named.Select(n => n.Channel).ToArray(),
            named.Select(n => n.Name).ToArray());
    }

    /// <summary>
    /// The orders among <paramref name="orderIds"/> the ledger holds (sales lines or returns of the marketplace) from
    /// another source than the connection, with the owning source's connection name (null: files, or a deleted
    /// connection whose data was kept, which are files' now).
    /// </summary>
    private async Task<Dictionary<string, string?>> ForeignOrdersAsync(
        ConnectionSettings connection, string marketplace, string[] orderIds, CancellationToken ct)
    {
        var foreign = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (orderIds.Length == 0)
        {
            return foreign;
        }

        await using var session = await _dataSource.OpenConnectionAsync(ct);
        await using var command = PullSql.Command(
            session,
            """
            SELECT DISTINCT ON (k.o) k.o, c.name
            FROM unnest($4::text[]) AS k (o)
            CROSS JOIN LATERAL (
                SELECT source FROM sales_lines WHERE workspace_id = $1 AND marketplace = $2 AND order_id = k.o AND source <> $3
                UNION
                SELECT source FROM returns WHERE workspace_id = $1 AND marketplace = $2 AND order_id = k.o AND source <> $3
            ) AS o
            LEFT JOIN connections AS c ON c.workspace_id = $1 AND c.id = o.source
            ORDER BY k.o, c.name
            """,
            connection.WorkspaceId,
            marketplace,
            connection.Id,
            new NpgsqlParameter { Value = orderIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            foreign[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return foreign;
    }

    /// <summary>
    /// Writes the orders a mapping session hands over every <see cref="_writePartRows"/> source rows (when it can),
    /// replacing the connection's rows of those orders; a part is written while the next is read and mapped. Orders the
    /// ledger holds from another source are left out of the write and become gaps. A rejection by the ledger stops
    /// the stream.
    /// </summary>
    private sealed class PartWriter(
        PullDerivation derivation, Guid runId, ConnectionSettings connection, IMarketplaceConnector connector, ILedgerMappingSession mapping)
    {
        private readonly HashSet<string> _orderKeys = new(StringComparer.Ordinal);
        private readonly List<MappingGap> _gaps = [];
        private Task _pending = Task.CompletedTask;
        private int _rowsSinceWrite;

        public LocalText? Rejection { get; private set; }

        /// <summary>Every gap of the derivation: the mapping's, and the orders held by another source.</summary>
        public IReadOnlyList<MappingGap> Gaps => _gaps;

        /// <summary>Notes the order of a source row handed to the mapping (the orders of the next part).</summary>
        public void See(SourceRow row)
        {
            if (row.OrderKey is not null)
            {
                _orderKeys.Add(row.OrderKey);
            }
        }

        /// <summary>Orders no source row is left of: the last part deletes their rows too.</summary>
        public void Vanished(IEnumerable<string> orderKeys) => _orderKeys.UnionWith(orderKeys);

        /// <summary>
        /// After the mapping took a part: every <see cref="_writePartRows"/> rows, hands the orders mapped so far to a
        /// write that runs while the next rows are read and mapped (PostgreSQL writes while this process parses). One
        /// write at a time: the next part waits for the previous one, which also brings its rejection or error here.
        /// </summary>
        public async Task AfterPartAsync(int rows, CancellationToken ct)
        {
            _rowsSinceWrite += rows;
            if (_rowsSinceWrite < derivation._writePartRows)
            {
                return;
            }

            _rowsSinceWrite = 0;
            if (mapping.TakeOrders() is { } part)
            {
                var orders = TakeOrderKeys();
                await _pending;
                _pending = WritePartAsync(part, orders, ct);
            }
        }

        /// <summary>
        /// Writes the last of the orders with the period rows, once the part before it is written; the attribution rows
        /// of <paramref name="attributionDays"/> are carried whole.
        /// </summary>
        public async Task WriteAsync(DerivedLedger part, IReadOnlyList<(string Marketplace, DateOnly Date)> attributionDays, CancellationToken ct)
        {
            var pending = _pending;
            _pending = Task.CompletedTask;
            await pending;
            await WritePartAsync(part, TakeOrderKeys(), ct, attributionDays);
        }

        /// <summary>Waits for a write still running (its failure has already ended the derivation, or will be seen).</summary>
        public async Task DrainAsync()
        {
            // Whatever it failed with, the derivation is already failing with its own error, the one reported.
            await _pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _pending = Task.CompletedTask;
        }

        private string[] TakeOrderKeys()
        {
            var orders = _orderKeys.ToArray();
            _orderKeys.Clear();
            return orders;
        }

        /// <summary>
        /// Writes a part as the connection's rows, replacing the connection's rows of every order mapped into it (every
        /// order seen has been mapped whole by then), but for the orders another source holds (gaps).
        /// </summary>
        private async Task WritePartAsync(
            DerivedLedger part, string[] orders, CancellationToken ct, IReadOnlyList<(string Marketplace, DateOnly Date)>? attributionDays = null)
        {
            attributionDays ??= [];
            var marketplace = connector.Marketplace;
            _gaps.AddRange(part.Gaps);
            var mappedOrders = part.Sales.Select(s => s.OrderId).Concat(part.Returns.Select(r => r.OrderId)).Distinct(StringComparer.Ordinal).ToArray();
            var foreign = await derivation.ForeignOrdersAsync(connection, marketplace, mappedOrders, ct);
            if (foreign.Count > 0)
            {
                foreach (var (order, owner) in foreign)
                {
                    var sales = part.Sales.Where(s => s.OrderId == order).ToList();
                    var returns = part.Returns.Where(r => r.OrderId == order).ToList();
                    var holder = owner is null ? "files" : $"connection '{owner}'";
                    _gaps.Add(new MappingGap(
                        $"order {order} is already in the ledger from {holder}: a pull does not overwrite another source's rows",
                        Payout.Of(sales, returns, []),
                        []) { OrderKey = order });
                }

                part = part with
                {
                    Sales = [.. part.Sales.Where(s => !foreign.ContainsKey(s.OrderId))],
                    Returns = [.. part.Returns.Where(r => !foreign.ContainsKey(r.OrderId))],
                };
            }

            if (part.Sales.Count + part.Returns.Count + part.AdSpend.Count + part.Fees.Count + part.Attribution.Count + orders.Length + attributionDays.Count > 0)
            {
                // Every order seen has been mapped whole: the write replaces the connection's rows of each of them
                // (a line restated away or re-issued under a new id goes in the same transaction).
                var written = await derivation._ledger.WriteAsync(
                    connection.WorkspaceId,
                    new LedgerBatch
                    {
                        Sales = part.Sales,
                        Returns = part.Returns,
                        AdSpend = part.AdSpend,
                        Fees = part.Fees,
                        Attribution = part.Attribution,
                        AttributionOrigins = part.AttributionOrigins,
                        AttributionWholeDays = attributionDays,
                        WholeOrders = [.. orders.Select(o => (marketplace, o))],
                        RunId = runId,
                    },
                    LedgerSource.Connection(connection.Id),
                    ct);
                if (!written.Succeeded)
                {
                    var shown = string.Join("; ", written.Errors.Take(5).Select(e => e.ToString()));
                    var more = written.Errors.Count > 5
                        ? string.Create(CultureInfo.InvariantCulture, $" (and {written.Errors.Count - 5} more)")
                        : "";
                    Rejection = PullTexts.LedgerRejected(shown + more);
                    throw new LedgerRejectedException();
                }
            }
        }
    }

    /// <summary>Stops a derivation's stream when the ledger rejected a part.</summary>
    private sealed class LedgerRejectedException : Exception
    {
        public LedgerRejectedException()
        {
        }

        public LedgerRejectedException(string message)
            : base(message)
        {
        }

        public LedgerRejectedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
