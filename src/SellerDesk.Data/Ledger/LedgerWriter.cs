using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Facts;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Data.Ledger;

/// <summary>
/// The one writer of a workspace's ledger (decision 0005): files, pulls, uploaded marketplace reports, the demo seeder
/// and a connection's release all stage, check, delete, merge and version through it, and no other type writes the
/// ledger tables or bumps the ledger version (LedgerWriterBoundaryTests). Each write is one transaction, all or
/// nothing: rows stream into TEMP staging tables by binary COPY (memory stays flat for any size), set-based checks run
/// against staging and the stored ledger, the rows a source no longer carries are deleted, the changed orders are
/// marked and their facts refreshed (<see cref="OrderFactStore"/>, decision 0014), one
/// <c>INSERT ... ON CONFLICT DO UPDATE</c> per table merges (writing again replaces, never duplicates), and the
/// ledger version goes up once with one change-log row (decision 0009). Writes of one workspace are serialized by a
/// transaction-scoped advisory lock (<see cref="LockAsync"/>).
/// </summary>
public sealed partial class LedgerWriter(NpgsqlDataSource dataSource, IReadOnlyCollection<string> connectorMarketplaces)
{
    /// <summary>The connectors' marketplace codes: attribution of them is accepted before their sales arrive.</summary>
    private readonly string[] _connectorMarketplaces = [.. connectorMarketplaces];

    /// <summary>Staged rows from which joins against the ledger are forced to hash joins.</summary>
    private const long BulkRows = 20_000;

    private const string NewRowsSavepoint = "ledger_new_rows";

    /// <summary>The workspace's ledger lock ($1: the workspace), held to the end of the transaction.</summary>
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended('sellerdesk.ledger:' || $1::text, 0))";

    /// <summary>The kept rows' source of a connection's rows handed to files (decision 0010).</summary>
    private const string Nil = "'00000000-0000-0000-0000-000000000000'::uuid";

    /// <summary>
    /// Writes already-built records (the demo seeder's path) with the same rules, checks and merge as a file, in
    /// one transaction for the whole batch. A problem's line is the record's 1-based position in its list, and its
    /// <see cref="ImportProblem.Kind"/> names the list. The result's counts are totals over all kinds.
    /// </summary>
    public Task<ImportResult> WriteAsync(Guid workspaceId, LedgerBatch batch, CancellationToken cancellationToken = default) =>
        WriteAsync(workspaceId, batch, LedgerSource.File, cancellationToken);

    /// <summary>
    /// Writes records as <see cref="WriteAsync(Guid, LedgerBatch, CancellationToken)"/> does, owned by
    /// <paramref name="source"/> (decision 0010): a pull writes as its connection. An order the ledger holds from
    /// another source that this one may not take over is a problem of the batch (<c>order_id</c> column), and nothing
    /// is written.
    /// </summary>
    public async Task<ImportResult> WriteAsync(Guid workspaceId, LedgerBatch batch, LedgerSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var kinds = LedgerFileKinds.WriteOrder
            .Where(k => CountOf(batch, k) > 0
                || (batch.WholeOrders.Count > 0 && k is LedgerFileKind.Sales or LedgerFileKind.Returns)
                || (batch.AttributionWholeDays.Count > 0 && k == LedgerFileKind.Attribution))
            .ToList();
        var resultKind = kinds.Count > 0 ? kinds[0] : LedgerFileKind.Sales;
        var problems = new ImportProblemList();
        CheckRecords(batch.Costs, LedgerFileKind.Costs, LedgerRules.Check, problems);
        CheckRecords(batch.Sales, LedgerFileKind.Sales, LedgerRules.Check, problems);
        CheckRecords(batch.Returns, LedgerFileKind.Returns, LedgerRules.Check, problems);
        CheckRecords(batch.AdSpend, LedgerFileKind.AdSpend, LedgerRules.Check, problems);
        CheckRecords(batch.Fees, LedgerFileKind.Fees, LedgerRules.Check, problems);
        CheckRecords(batch.Attribution, LedgerFileKind.Attribution, LedgerRules.Check, problems);
        if (batch.AttributionOrigins.Count is var origins && origins != 0 && origins != batch.Attribution.Count)
        {
            throw new ArgumentException("AttributionOrigins must be empty or hold one origin per attribution row.", nameof(batch));
        }

        if (problems.Count > 0 || kinds.Count == 0)
        {
            return new ImportResult(resultKind, batch.Count, 0, 0, [], problems.ToList());
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PrepareAsync(connection, workspaceId, kinds, cancellationToken);
        await StageAsync(connection, LedgerTables.Costs, batch.Costs, cancellationToken);
        await StageAsync(connection, LedgerTables.Sales, batch.Sales, cancellationToken);
        await StageAsync(connection, LedgerTables.Returns, batch.Returns, cancellationToken);
        await StageAsync(connection, LedgerTables.AdSpend, batch.AdSpend, cancellationToken);
        await StageAsync(connection, LedgerTables.Fees, batch.Fees, cancellationToken);
        await StageAsync(connection, LedgerTables.Attribution, batch.Attribution, cancellationToken, batch.AttributionOrigins);
        await SetProvenanceAsync(connection, null, batch.RunId, cancellationToken);

        var (inserted, updated) = await CheckAndMergeAsync(
            connection, workspaceId, source, kinds, batch.Count, false, "item", TimeZoneInfo.Utc, true, problems, ChangeOf(batch), cancellationToken,
            batch.WholeOrders, batch.AttributionWholeDays);
        if (problems.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new ImportResult(resultKind, batch.Count, 0, 0, [], problems.ToList());
        }

        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(resultKind, batch.Count, inserted, updated, [], []);
    }

    private static int CountOf(LedgerBatch batch, LedgerFileKind kind) => kind switch
    {
        LedgerFileKind.Sales => batch.Sales.Count,
        LedgerFileKind.Returns => batch.Returns.Count,
        LedgerFileKind.AdSpend => batch.AdSpend.Count,
        LedgerFileKind.Fees => batch.Fees.Count,
        LedgerFileKind.Attribution => batch.Attribution.Count,
        _ => batch.Costs.Count,
    };


    /// <summary>
    /// Checks the workspace exists and creates the staging tables: those of <paramref name="kinds"/>, and both of
    /// sales and returns when either is staged (their checks read each other).
    /// </summary>
    private static async Task PrepareAsync(NpgsqlConnection connection, Guid workspaceId, IReadOnlyList<LedgerFileKind> kinds, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = $1)", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                throw new InvalidOperationException($"Workspace {workspaceId} does not exist.");
            }
        }

        await using var batch = new NpgsqlBatch(connection);
        foreach (var kind in StagedKinds(kinds))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LedgerTables.For(kind).CreateStagingSql));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IEnumerable<LedgerFileKind> StagedKinds(IReadOnlyList<LedgerFileKind> kinds)
    {
        var salesOrReturns = kinds.Contains(LedgerFileKind.Sales) || kinds.Contains(LedgerFileKind.Returns);
        return LedgerFileKinds.WriteOrder.Where(k =>
            kinds.Contains(k) || (salesOrReturns && k is LedgerFileKind.Sales or LedgerFileKind.Returns));
    }

    /// <summary>Sets the transaction's provenance settings that tables keeping provenance write (LedgerTable.ImportFileSetting, RunIdSetting).</summary>
    private static async Task SetProvenanceAsync(NpgsqlConnection connection, string? fileName, Guid? runId, CancellationToken cancellationToken)
    {
        await using var set = new NpgsqlCommand(
            "SELECT set_config('sellerdesk.import_file', $1, true), set_config('sellerdesk.run_id', $2, true)", connection);
        set.Parameters.Add(new NpgsqlParameter { Value = fileName ?? string.Empty });
        set.Parameters.Add(new NpgsqlParameter { Value = runId?.ToString() ?? string.Empty });
        await set.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task StageAsync<T>(
        NpgsqlConnection connection, LedgerTable<T> table, IReadOnlyList<T> records, CancellationToken cancellationToken, IReadOnlyList<RowOrigin?>? origins = null)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginRawBinaryCopyAsync(table.CopySql, cancellationToken);
        try
        {
            var rows = new BinaryCopyBuffer();
            rows.Header();
            for (var i = 0; i < records.Count; i++)
            {
                table.Write(rows, i + 1, records[i], origins is { Count: > 0 } ? origins[i] : null);
                if (rows.Full)
                {
                    await rows.FlushAsync(copy, cancellationToken);
                }
            }

            rows.Trailer();
            await rows.FlushAsync(copy, cancellationToken);
        }
        catch
        {
            await CancelQuietlyAsync(copy);
            throw;
        }
    }

    /// <summary>Withdraws a binary COPY that failed half-way, ignoring a connection that is already broken.</summary>
    public static async Task CancelQuietlyAsync(NpgsqlRawCopyStream copy)
    {
        try
        {
            await copy.CancelAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // The connection may be broken already; the transaction is rolled back either way.
        }
    }

    /// <summary>
    /// Runs the set checks of the staged <paramref name="kinds"/> under the workspace's ledger lock; when they find
    /// nothing, merges each staged table in write order. Returns the rows inserted and updated.
    /// </summary>
    /// <remarks>
    /// A table that holds no row of the workspace yet (the first import of a ledger) skips the separate duplicate-key
    /// pass over staging: its merge is a plain INSERT, so the primary key itself finds a key that the file repeats.
    /// The INSERT then runs under a savepoint; on a unique violation it is rolled back and the duplicate check runs to
    /// list the lines, exactly as it would have before. When another check finds problems, the duplicate check runs
    /// as well and its problems come first, as always. When <paramref name="salesOrdersVerified"/>, the file's orders
    /// were seen to be one agreeing run each while it streamed (the importer's SalesOrderRuns), and the set check of
    /// orders within the file, which could then find nothing, is skipped.
    /// </remarks>
    private async Task<(int Inserted, int Updated)> CheckAndMergeAsync(
        NpgsqlConnection connection,
        Guid workspaceId,
        LedgerSource source,
        List<LedgerFileKind> kinds,
        long stagedRows,
        bool salesOrdersVerified,
        string unit,
        TimeZoneInfo zone,
        bool batch,
        ImportProblemList problems,
        LedgerChange change,
        CancellationToken cancellationToken,
        IReadOnlyList<(string Marketplace, string OrderId)>? wholeOrders = null,
        IReadOnlyList<(string Marketplace, DateOnly Date)>? attributionWholeDays = null)
    {
        var staged = StagedKinds(kinds).ToList();
        var empty = new HashSet<LedgerFileKind>();
        await using (var prepare = new NpgsqlBatch(connection))
        {
            // A sample of 3,000 rows (not 30,000) is plenty for the checks' and the merge's estimates, and ANALYZE of a
            // million staged rows then reads a tenth of the table instead of all of it.
            prepare.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL default_statistics_target = 10"));
            foreach (var kind in staged)
            {
                // Temp tables get no autovacuum statistics; the checks and the merge join them.
                prepare.BatchCommands.Add(new NpgsqlBatchCommand($"ANALYZE {LedgerTables.For(kind).Staging}"));
            }

            var lockCommand = new NpgsqlBatchCommand(LockSql);
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            prepare.BatchCommands.Add(lockCommand);

            // Statistics of the ledger tables can be far off (analyzed while empty, then bulk-loaded), and a nested loop
            // planned on them joins every staged row to every stored one. Bulk files get hash joins; small ones keep the
            // index lookups that suit them.
            if (stagedRows > BulkRows)
            {
                prepare.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL enable_nestloop = off"));
            }

            await prepare.ExecuteNonQueryAsync(cancellationToken);
        }

        // Under the lock, before any check: the source's rows of orders the batch carries whole that it no longer
        // carries go (a line restated away, a return re-issued under a new id), so the checks see what stays.
        var replaced = wholeOrders is { Count: > 0 } ? await DeleteReplacedAsync(connection, workspaceId, source, wholeOrders, cancellationToken) : 0;
        var attributionChanged = false;
        if (attributionWholeDays is { Count: > 0 })
        {
            var dropped = await DeleteReplacedAttributionAsync(connection, workspaceId, source, attributionWholeDays, cancellationToken);
            replaced += dropped;
            attributionChanged = dropped > 0;
        }

        // Under the lock: which of the tables to merge hold no row of the workspace yet, and whether any connection
        // could own rows a file must not replace.
        var ownersToCheck = !source.IsFile;
        await using (var stored = new NpgsqlCommand(
            "SELECT " + string.Join(", ", kinds.Select(k => $"EXISTS (SELECT 1 FROM {LedgerTables.For(k).Name} WHERE workspace_id = $1)"))
                + ", EXISTS (SELECT 1 FROM connections WHERE workspace_id = $1)",
            connection))
        {
            stored.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            await using var reader = await stored.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            for (var i = 0; i < kinds.Count; i++)
            {
                if (!reader.GetBoolean(i))
                {
                    empty.Add(kinds[i]);
                }
            }

            ownersToCheck |= reader.GetBoolean(kinds.Count);
        }

        foreach (var kind in kinds)
        {
            var table = LedgerTables.For(kind);
            var deferDuplicates = empty.Contains(kind);
            if (!deferDuplicates)
            {
                await DuplicatesAsync(connection, workspaceId, table, unit, batch, problems, cancellationToken);
            }

            var others = deferDuplicates ? new ImportProblemList() : problems;
            var context = new CheckContext(connection, workspaceId, batch ? kind : null, others);
            if (ownersToCheck && kind is LedgerFileKind.Sales or LedgerFileKind.Returns)
            {
                await context.RunAsync(
                    LedgerChecks.OrdersOfAnotherSource(table.Staging),
                    r => [new(r.GetInt32(0), "order_id", OwnedMessage(r.GetString(1), source, new LedgerSource(r.GetGuid(2)), r.IsDBNull(3) ? null : r.GetString(3)))],
                    cancellationToken,
                    source.Id);
            }

            if (kind == LedgerFileKind.Sales)
            {
                if (!salesOrdersVerified)
                {
                    await context.RunAsync(LedgerChecks.OrderAttributesWithinFile, r => OrderProblems(
                        r, zone, (other, orderId) => $"on {unit} {other} of the same order {orderId}"), cancellationToken);
                }
                await context.RunAsync(LedgerChecks.OrderAttributesAgainstLedger, r => OrderProblems(
                    r, zone, (other, orderId) => $"stored for line_id '{other}' of the same order {orderId}"), cancellationToken);
                await context.RunAsync(LedgerChecks.SalesBelowStoredReturns, r =>
                [
                    new(r.GetInt32(0), "quantity", Invariant(
                        $"quantity {r.GetInt32(1)} is less than the {r.GetInt32(2)} units already returned for this line")),
                ], cancellationToken);
            }

            if (kind == LedgerFileKind.Attribution)
            {
                var known = _connectorMarketplaces;
                await context.RunAsync(LedgerChecks.AttributionOfUnknownMarketplaces, r =>
                [
                    new(r.GetInt32(0), "marketplace", $"unknown marketplace '{r.GetString(1)}': the ledger has no sales of it and it is none of {string.Join(", ", known)}"),
                ], cancellationToken, (object)known.ToArray());
            }

            if (kind == LedgerFileKind.Returns)
            {
                await context.RunAsync(LedgerChecks.ReturnsOfUnknownLines, r =>
                [
                    new(r.GetInt32(0), "order_id", $"no sales line {r.GetString(1)}/{r.GetString(2)}/{r.GetString(3)}"),
                ], cancellationToken);
                await context.RunAsync(LedgerChecks.ReturnsBeyondSold, r =>
                [
                    new(r.GetInt32(0), "quantity", Invariant(
                        $"brings the units returned of sales line {r.GetString(1)}/{r.GetString(2)}/{r.GetString(3)} to {r.GetInt32(4)}, more than the {r.GetInt32(5)} sold")),
                ], cancellationToken);
            }

            if (deferDuplicates && others.Count > 0)
            {
                // The file is rejected anyway: list its duplicate keys too, before the other problems as always.
                await DuplicatesAsync(connection, workspaceId, table, unit, batch, problems, cancellationToken);
                problems.AddAll(others);
            }
        }

        if (problems.Count > 0)
        {
            return (0, 0);
        }

        // Before the merge drops stored keys from staging: the orders whose facts this write may change (decision 0014).
        await MarkFactsAsync(connection, workspaceId, kinds, wholeOrders, cancellationToken);

        var inserted = 0;
        var updated = 0;
        foreach (var kind in kinds)
        {
            var table = LedgerTables.For(kind);
            if (empty.Contains(kind))
            {
                // Nothing stored to update or to drop from staging: insert all, with the primary key as the duplicate check.
                await using var savepoint = new NpgsqlCommand($"SAVEPOINT {NewRowsSavepoint}", connection);
                await savepoint.ExecuteNonQueryAsync(cancellationToken);
                try
                {
                    await using var insert = new NpgsqlCommand(table.InsertSql, connection) { CommandTimeout = 0 };
                    insert.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
                    if (table.Source != SourceColumn.None)
                    {
                        insert.Parameters.Add(new NpgsqlParameter { Value = source.Id });
                    }

                    var added = await insert.ExecuteNonQueryAsync(cancellationToken);
                    inserted += added;
                    attributionChanged |= kind == LedgerFileKind.Attribution && added > 0;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.TableName == table.Name)
                {
                    await using (var rollback = new NpgsqlCommand($"ROLLBACK TO SAVEPOINT {NewRowsSavepoint}", connection))
                    {
                        await rollback.ExecuteNonQueryAsync(cancellationToken);
                    }

                    await DuplicatesAsync(connection, workspaceId, table, unit, batch, problems, cancellationToken);
                    if (problems.Count == 0)
                    {
                        throw;
                    }

                    return (0, 0);
                }

                await using var release = new NpgsqlCommand($"RELEASE SAVEPOINT {NewRowsSavepoint}", connection);
                await release.ExecuteNonQueryAsync(cancellationToken);
                continue;
            }

            await using var merge = new NpgsqlBatch(connection) { Timeout = 0 };
            foreach (var sql in table.MergeSql)
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
                if (table.Source != SourceColumn.None)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = source.Id });
                }

                merge.BatchCommands.Add(command);
            }

            await merge.ExecuteNonQueryAsync(cancellationToken);
            updated += checked((int)merge.BatchCommands[0].RecordsAffected);
            inserted += checked((int)merge.BatchCommands[2].RecordsAffected);
            attributionChanged |= kind == LedgerFileKind.Attribution && merge.BatchCommands[0].RecordsAffected + merge.BatchCommands[2].RecordsAffected > 0;
        }

        if (attributionChanged)
        {
            // Attribution re-attributes whole days, and through their customers orders of other days: everything.
            change = LedgerChange.All;
        }

        if (inserted + updated + replaced > 0)
        {
            // The facts of the changed orders, in this transaction: a report never sees the rows without their facts.
            await OrderFactStore.RefreshAsync(connection, workspaceId, cancellationToken);

            // Report aggregates read at an older version are stale from this commit on; the change log says what
            // changed, so cached facts can be patched rather than read afresh (ReportService, decision 0009).
            await BumpVersionAsync(connection, workspaceId, change, cancellationToken);
        }

        return (inserted, updated);
    }

    /// <summary>
    /// Marks the orders whose facts the staged rows may change: the orders of staged sales lines and returns (these as
    /// returns-only marks), the orders a pull carries whole and every order with a line of a SKU whose unit costs are staged. Attribution rows mark no
    /// order: they only ask for the refresh, which finds the days whose attribution changed itself.
    /// </summary>
    private static async Task MarkFactsAsync(
        NpgsqlConnection connection,
        Guid workspaceId,
        List<LedgerFileKind> kinds,
        IReadOnlyList<(string Marketplace, string OrderId)>? wholeOrders,
        CancellationToken cancellationToken)
    {
        foreach (var kind in kinds)
        {
            var staging = LedgerTables.For(kind).Staging;
            if (kind == LedgerFileKind.Returns)
            {
                // Returns change their orders' return effects only; alone in a write they are refreshed as such.
                await OrderFactStore.MarkReturnsAsync(connection, workspaceId, $"SELECT marketplace, order_id FROM {staging} WHERE $1::uuid IS NOT NULL", cancellationToken);
                continue;
            }

            var sql = kind switch
            {
                LedgerFileKind.Sales =>
                    $"SELECT marketplace, order_id FROM {staging} WHERE $1::uuid IS NOT NULL",
                LedgerFileKind.Costs =>
                    $"SELECT s.marketplace, s.order_id FROM sales_lines AS s WHERE s.workspace_id = $1 AND s.sku IN (SELECT sku FROM {staging})",
                _ => null,
            };
            if (sql is not null)
            {
                await OrderFactStore.MarkAsync(connection, workspaceId, sql, cancellationToken);
            }
            else if (kind == LedgerFileKind.Attribution)
            {
                // No order to mark: the refresh itself computes again every day whose attribution rows differ from the
                // claims stored with its facts (LineFactStore), which is exactly the days these rows change.
                await OrderFactStore.AttributionChangedAsync(connection, cancellationToken);
            }
        }

        if (wholeOrders is { Count: > 0 })
        {
            await OrderFactStore.MarkAsync(connection, workspaceId, wholeOrders, cancellationToken);
        }
    }

    /// <summary>
    /// Deletes <paramref name="source"/>'s attribution rows of the (marketplace, date) pairs the batch carries whole
    /// that it does not carry any more (a campaign the marketplace's restated statistics no longer list), asking for
    /// the facts' refresh first. Other sources' rows are never touched. Returns how many it deleted.
    /// </summary>
    private static async Task<int> DeleteReplacedAttributionAsync(
        NpgsqlConnection connection, Guid workspaceId, LedgerSource source, IReadOnlyList<(string Marketplace, DateOnly Date)> days, CancellationToken cancellationToken)
    {
        // The refresh computes those days again: their attribution rows will differ from the claims of their facts.
        await OrderFactStore.AttributionChangedAsync(connection, cancellationToken);
        await using var delete = new NpgsqlCommand(
            """
            DELETE FROM attribution_rows AS t
            USING unnest($3::text[], $4::date[]) AS k (m, d)
            WHERE t.workspace_id = $1 AND t.source = $2 AND t.marketplace = k.m AND t.date = k.d
              AND NOT EXISTS (SELECT 1 FROM staging_attribution_rows AS s
                              WHERE s.date = t.date AND s.marketplace = t.marketplace AND s.channel = t.channel AND s.sku = t.sku)
            """,
            connection) { CommandTimeout = 0 };
        delete.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        delete.Parameters.Add(new NpgsqlParameter { Value = source.Id });
        delete.Parameters.Add(new NpgsqlParameter { Value = days.Select(d => d.Marketplace).ToArray() });
        delete.Parameters.Add(new NpgsqlParameter { Value = days.Select(d => d.Date).ToArray() });

        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes <paramref name="source"/>'s sales lines and returns of <paramref name="orders"/> that the staged batch
    /// does not carry (the staging tables of both exist whenever whole orders are given). Returns how many it deleted.
    /// </summary>
    private static async Task<int> DeleteReplacedAsync(
        NpgsqlConnection connection, Guid workspaceId, LedgerSource source, IReadOnlyList<(string Marketplace, string OrderId)> orders, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlBatch(connection) { Timeout = 0 };
        foreach (var sql in new[]
        {
            """
            DELETE FROM returns AS r USING unnest($3::text[], $4::text[]) AS k (m, o)
            WHERE r.workspace_id = $1 AND r.source = $2 AND r.marketplace = k.m AND r.order_id = k.o
              AND NOT EXISTS (SELECT 1 FROM staging_returns AS s
                              WHERE s.marketplace = r.marketplace AND s.order_id = r.order_id AND s.line_id = r.line_id AND s.return_id = r.return_id)
            """,
            """
            DELETE FROM sales_lines AS l USING unnest($3::text[], $4::text[]) AS k (m, o)
            WHERE l.workspace_id = $1 AND l.source = $2 AND l.marketplace = k.m AND l.order_id = k.o
              AND NOT EXISTS (SELECT 1 FROM staging_sales_lines AS s
                              WHERE s.marketplace = l.marketplace AND s.order_id = l.order_id AND s.line_id = l.line_id)
            """,
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            command.Parameters.Add(new NpgsqlParameter { Value = source.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = orders.Select(o => o.Marketplace).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = orders.Select(o => o.OrderId).ToArray() });
            delete.BatchCommands.Add(command);
        }

        await delete.ExecuteNonQueryAsync(cancellationToken);
        return checked((int)(delete.BatchCommands[0].RecordsAffected + delete.BatchCommands[1].RecordsAffected));
    }

    /// <summary>
    /// What a batch changes, for the change log: whole orders (a pull derives every row of each order it writes)
    /// and whether spend or fees moved; unit costs may change any order, so they count as everything.
    /// </summary>
    private static LedgerChange ChangeOf(LedgerBatch batch)
    {
        // Unit costs may change any order (attribution that changed counts as everything too: CheckAndMergeAsync).
        if (batch.Costs.Count > 0)
        {
            return LedgerChange.All;
        }

        var orders = batch.Sales.Select(s => (s.Marketplace, s.OrderId))
            .Concat(batch.Returns.Select(r => (r.Marketplace, r.OrderId)))
            .Concat(batch.WholeOrders)
            .Distinct()
            .ToList();
        return new LedgerChange(orders, batch.AdSpend.Count > 0 || batch.Fees.Count > 0);
    }

    /// <summary>A write's change: the (marketplace, order id) pairs it rewrote, or null for anything.</summary>
    private sealed record LedgerChange(IReadOnlyList<(string Marketplace, string OrderId)>? Orders, bool SpendOrFees)
    {
        public static LedgerChange All { get; } = new(null, true);
    }


    /// <summary>
    /// Writes one ledger file of <paramref name="kind"/> (records of type <typeparamref name="T"/>) owned by files:
    /// <paramref name="stage"/> hands the parsed rows to the COPY stage (<see cref="LedgerFileStage{T}.Add"/>, no round
    /// trip per row) and says whether the file was clean; then the checks and the merge run as for every write.
    /// Problems go to <paramref name="problems"/>. Returns the rows inserted and updated, or null when nothing was
    /// written (the file had problems, or the checks found some).
    /// </summary>
    public async Task<LedgerWriteCounts?> WriteFileAsync<T>(
        Guid workspaceId,
        TimeZoneInfo zone,
        LedgerFileKind kind,
        string fileName,
        ImportProblemList problems,
        Func<LedgerFileStage<T>, CancellationToken, Task<LedgerFileStaged>> stage,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(stage);
        var table = (LedgerTable<T>)LedgerTables.For(kind);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PrepareAsync(connection, workspaceId, [kind], cancellationToken);
        if (table.HasProvenance)
        {
            await SetProvenanceAsync(connection, fileName, null, cancellationToken);
        }

        LedgerFileStaged staged;
        await using (var copy = await connection.BeginRawBinaryCopyAsync(table.CopySql, cancellationToken))
        {
            try
            {
                var rows = new LedgerFileStage<T>(table, copy);
                staged = await stage(rows, cancellationToken);
                if (staged.Clean)
                {
                    await rows.CompleteAsync(cancellationToken);
                }
                else
                {
                    await copy.CancelAsync();
                }
            }
            catch
            {
                // Disposing the raw stream would end the COPY as complete, so withdraw it instead; the first error is
                // the one thrown.
                await CancelQuietlyAsync(copy);
                throw;
            }
        }

        if (!staged.Clean)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        var (inserted, updated) = await CheckAndMergeAsync(
            connection, workspaceId, LedgerSource.File, [kind], staged.Rows, staged.SalesOrdersVerified, "line", zone, false, problems, LedgerChange.All, cancellationToken);
        if (problems.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        await transaction.CommitAsync(cancellationToken);
        return new LedgerWriteCounts(inserted, updated);
    }

    /// <summary>
    /// Takes the workspace's ledger lock for the rest of <paramref name="session"/>'s transaction: no other write of
    /// its ledger runs until it ends. Every write takes it; a caller that needs it earlier (to take its own locks
    /// first, in the order pulls take them) takes it here.
    /// </summary>
    public static async Task LockAsync(NpgsqlConnection session, Guid workspaceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        await ExecuteAsync(session, LockSql, ct, workspaceId);
    }

    /// <summary>
    /// Deletes <paramref name="source"/>'s period fees and ad spend of <paramref name="marketplace"/> on
    /// <paramref name="dates"/> that <paramref name="keptAdSpend"/> and <paramref name="keptFees"/> (the source's
    /// derivation of those dates, whole) no longer carry, in <paramref name="session"/>'s transaction, and bumps the
    /// ledger version if it deleted any. Other sources' rows are never touched. Returns how many it deleted.
    /// </summary>
    public static async Task<int> DeleteStalePeriodRowsAsync(
        NpgsqlConnection session,
        Guid workspaceId,
        LedgerSource source,
        string marketplace,
        IReadOnlyCollection<DateOnly> dates,
        IReadOnlyList<AdSpend> keptAdSpend,
        IReadOnlyList<PeriodFee> keptFees,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(dates);
        ArgumentNullException.ThrowIfNull(keptAdSpend);
        ArgumentNullException.ThrowIfNull(keptFees);
        if (dates.Count == 0)
        {
            return 0;
        }

        await LockAsync(session, workspaceId, ct);
        var feeKeys = keptFees.Where(f => f.Marketplace == marketplace).Select(f => Key(DateKey(f.Date), f.Kind)).ToHashSet(StringComparer.Ordinal);
        var adKeys = keptAdSpend.Where(a => a.Marketplace == marketplace).Select(a => Key(DateKey(a.Date), a.Channel)).ToHashSet(StringComparer.Ordinal);
        object[] scope = [workspaceId, marketplace, source.Id];
        var days = dates.ToArray();
        var deleted = await DeleteMissingAsync(
            session,
            "SELECT date::text, kind FROM period_fees WHERE workspace_id = $1 AND marketplace = $2 AND source = $3 AND date = ANY($4)",
            [.. scope, days],
            feeKeys,
            """
            DELETE FROM period_fees AS f USING unnest($4::text[], $5::text[]) AS k (d, kind)
            WHERE f.workspace_id = $1 AND f.marketplace = $2 AND f.source = $3 AND f.date = k.d::date AND f.kind = k.kind
            """,
            2,
            ct);
        deleted += await DeleteMissingAsync(
            session,
            "SELECT date::text, channel FROM ad_spend WHERE workspace_id = $1 AND marketplace = $2 AND source = $3 AND date = ANY($4)",
            [.. scope, days],
            adKeys,
            """
            DELETE FROM ad_spend AS a USING unnest($4::text[], $5::text[]) AS k (d, c)
            WHERE a.workspace_id = $1 AND a.marketplace = $2 AND a.source = $3 AND a.date = k.d::date AND a.channel = k.c
            """,
            2,
            ct);
        if (deleted > 0)
        {
            await BumpVersionAsync(session, workspaceId, new LedgerChange([], SpendOrFees: true), ct);
        }

        return deleted;
    }

    /// <summary>
    /// Releases the ledger rows of connection <paramref name="connectionId"/> (decision 0010), in
    /// <paramref name="session"/>'s transaction: with <paramref name="remove"/> they are deleted (and the facts of
    /// their orders, and of the orders of their attribution days, computed again); otherwise they become the files'
    /// own, kept fees, ad spend and attribution whose key a file row already has being added to that row, so every
    /// figure stays what it was. Refreshes the facts and, when any row changed, bumps the ledger version. Returns the
    /// rows changed.
    /// </summary>
    public static async Task<int> ReleaseSourceAsync(NpgsqlConnection session, Guid workspaceId, Guid connectionId, bool remove, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        await LockAsync(session, workspaceId, ct);
        var changed = 0;
        if (remove)
        {
            // The orders that go lose their facts, and their customers' other orders are computed again (decision 0014).
            await OrderFactStore.MarkAsync(
                session, workspaceId, "SELECT marketplace, order_id FROM sales_lines WHERE workspace_id = $1 AND source = $2", ct, connectionId);

            // Its attribution rows go too: the refresh attributes the orders of their days again without them (metrics.md
            // 3.1), as their rows no longer match the claims stored with the facts.
            await OrderFactStore.AttributionChangedAsync(session, ct);
            foreach (var table in new[] { "returns", "sales_lines", "ad_spend", "period_fees", "attribution_rows" })
            {
                changed += await ExecuteAsync(session, $"DELETE FROM {table} WHERE workspace_id = $1 AND source = $2", ct, workspaceId, connectionId);
            }
        }
        else
        {
            foreach (var table in new[] { "sales_lines", "returns" })
            {
                changed += await ExecuteAsync(session, $"UPDATE {table} SET source = {Nil} WHERE workspace_id = $1 AND source = $2", ct, workspaceId, connectionId);
            }

            // Rows of the same key as a file row are added to it (the reports add up the rows of one key anyway, so no
            // figure and no order's channel changes); the others become the files' own.
            foreach (var (table, keys, value, touch) in new[]
            {
                ("ad_spend", new[] { "channel" }, "amount", ""),
                ("period_fees", new[] { "kind" }, "amount", ""),
                ("attribution_rows", new[] { "channel", "sku" }, "orders", ", updated_at = now()"),
            })
            {
                var sameKey = string.Concat(keys.Select(k => $" AND f.{k} = c.{k}"));
                var sameKept = string.Concat(keys.Select(k => $" AND f.{k} = k.{k}"));
                var returned = string.Concat(keys.Select(k => $", c.{k}"));
                changed += await ExecuteAsync(
                    session,
                    $"""
                    WITH kept AS (
                        DELETE FROM {table} AS c
                        USING {table} AS f
                        WHERE c.workspace_id = $1 AND c.source = $2
                          AND f.workspace_id = $1 AND f.source = {Nil} AND f.date = c.date AND f.marketplace = c.marketplace{sameKey}
                        RETURNING c.date, c.marketplace{returned}, c.{value}
                    )
                    UPDATE {table} AS f SET {value} = f.{value} + k.{value}{touch}
                    FROM kept AS k
                    WHERE f.workspace_id = $1 AND f.source = {Nil} AND f.date = k.date AND f.marketplace = k.marketplace{sameKept}
                    """,
                    ct,
                    workspaceId,
                    connectionId);
                changed += await ExecuteAsync(session, $"UPDATE {table} SET source = {Nil} WHERE workspace_id = $1 AND source = $2", ct, workspaceId, connectionId);
            }
        }

        await OrderFactStore.RefreshAsync(session, workspaceId, ct);
        if (changed > 0)
        {
            // Removed rows may be any orders: reports read the ledger afresh. Kept rows change no figure, but reports
            // filtered by source must not serve what they cached.
            await BumpVersionAsync(session, workspaceId, remove ? LedgerChange.All : new LedgerChange([], SpendOrFees: true), ct);
        }

        return changed;
    }

    /// <summary>
    /// The one version bump of a write: the workspace's ledger version goes up by one, with the change-log row of
    /// what changed (decision 0009), in the write's transaction.
    /// </summary>
    private static async Task BumpVersionAsync(NpgsqlConnection connection, Guid workspaceId, LedgerChange change, CancellationToken cancellationToken)
    {
        // Orders null: anything may have changed ('all'); an empty list names no order (spend, fees, kept rows).
        // An 'all' row with no arrays and one with empty ones read the same (ReportService reads 'all' as everything).
        await using var bump = new NpgsqlCommand(
            """
            WITH bumped AS (UPDATE workspaces SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING ledger_version)
            INSERT INTO ledger_changes (workspace_id, version, scope, marketplaces, order_ids, spend_or_fees)
            SELECT $1, ledger_version, $2, $3, $4, $5 FROM bumped
            """,
            connection);
        bump.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        bump.Parameters.Add(new NpgsqlParameter { Value = change.Orders is null ? "all" : "orders" });
        bump.Parameters.Add(new NpgsqlParameter { Value = (object?)change.Orders?.Select(k => k.Marketplace).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        bump.Parameters.Add(new NpgsqlParameter { Value = (object?)change.Orders?.Select(k => k.OrderId).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        bump.Parameters.Add(new NpgsqlParameter { Value = change.SpendOrFees });
        await bump.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the stored keys <paramref name="select"/> returns (its parameters <paramref name="values"/>), deletes those
    /// not in <paramref name="kept"/> with <paramref name="delete"/> (the first three of the same parameters, then one
    /// text array per key column) and returns how many it deleted.
    /// </summary>
    private static async Task<int> DeleteMissingAsync(
        NpgsqlConnection session, string select, object[] values, HashSet<string> kept, string delete, int columns, CancellationToken ct)
    {
        var stale = new List<string[]>();
        await using (var command = Command(session, select, values))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = new string[columns];
                for (var c = 0; c < columns; c++)
                {
                    key[c] = reader.GetString(c);
                }

                if (!kept.Contains(Key(key)))
                {
                    stale.Add(key);
                }
            }
        }

        if (stale.Count == 0)
        {
            return 0;
        }

        var parameters = new List<object> { values[0], values[1], values[2] };
        for (var c = 0; c < columns; c++)
        {
            var column = c;
            parameters.Add(stale.Select(v => v[column]).ToArray());
        }

        await using var remove = Command(session, delete, [.. parameters]);
        return await remove.ExecuteNonQueryAsync(ct);
    }

    private static string Key(params string[] parts) => string.Join('\u001f', parts);

    private static string DateKey(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A command without a timeout (writes can be long), with <paramref name="values"/> as $1, $2, ...</summary>
    private static NpgsqlCommand Command(NpgsqlConnection session, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, session) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection session, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = Command(session, sql, values);
        return await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The rows a write inserted (new keys) and updated (stored keys with other values).</summary>
public readonly record struct LedgerWriteCounts(int Inserted, int Updated);

/// <summary>
/// How the staging of a file ended: whether the file was clean (no problem: the rows go on to the checks and the
/// merge), the rows read, and whether every order of a sales file was seen to be one agreeing run of lines (then the
/// set check of orders within the file is skipped).
/// </summary>
public readonly record struct LedgerFileStaged(bool Clean, long Rows, bool SalesOrdersVerified);

/// <summary>
/// The COPY stage of a file's write (<see cref="LedgerWriter.WriteFileAsync"/>): each row is encoded into a buffer of
/// binary COPY data, which is sent when full. No round trip per row.
/// </summary>
public sealed class LedgerFileStage<T>
    where T : class
{
    private readonly LedgerTable<T> _table;
    private readonly NpgsqlRawCopyStream _copy;
    private readonly BinaryCopyBuffer _rows = new();

    internal LedgerFileStage(LedgerTable<T> table, NpgsqlRawCopyStream copy)
    {
        _table = table;
        _copy = copy;
        _rows.Header();
    }

    /// <summary>Encodes one row with its line; true when the buffer is full and must be sent (<see cref="FlushAsync"/>).</summary>
    public bool Add(int line, T record)
    {
        _table.Write(_rows, line, record);
        return _rows.Full;
    }

    /// <summary>Sends what the buffer holds.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => _rows.FlushAsync(_copy, cancellationToken);

    /// <summary>Ends the COPY data and sends the rest.</summary>
    internal ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _rows.Trailer();
        return _rows.FlushAsync(_copy, cancellationToken);
    }
}
