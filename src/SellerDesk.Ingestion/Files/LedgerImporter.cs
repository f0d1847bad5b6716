using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Facts;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>
/// Imports ledger files (import-and-api.md) and batches of ledger records into a workspace's ledger, all or
/// nothing, in one transaction: rows stream into TEMP staging tables by binary COPY (memory stays flat for any
/// file size), set-based checks run against staging and the stored ledger, and one
/// <c>INSERT ... ON CONFLICT DO UPDATE</c> per table merges them (re-importing replaces, never duplicates).
/// Ledger writes of one workspace are serialized by a transaction-scoped advisory lock.
/// </summary>
public sealed class LedgerImporter(NpgsqlDataSource dataSource)
{
    /// <summary>Rows between two progress reports.</summary>
    public const int ProgressInterval = 10_000;

    /// <summary>Staged rows from which joins against the ledger are forced to hash joins.</summary>
    private const long BulkRows = 20_000;

    private const string NewRowsSavepoint = "ledger_new_rows";

    /// <summary>Rows per batch handed from parsing to the COPY stage, and how many batches may wait between them.</summary>
    private const int ParsedBatchRows = 1024, ParsedBatches = 4;

    /// <summary>
    /// Imports one ledger file. Timestamps without an offset are local to <paramref name="zone"/>. Returns the
    /// counts, or (nothing written) up to 100 problems with line, column and a plain message.
    /// </summary>
    public Task<ImportResult> ImportAsync(
        Guid workspaceId,
        TimeZoneInfo zone,
        LedgerFileKind kind,
        Stream csv,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken = default) =>
        ImportAsync(workspaceId, zone, kind, csv, null, progress, cancellationToken);

    /// <summary>
    /// Imports one ledger file as <see cref="ImportAsync(Guid, TimeZoneInfo, LedgerFileKind, Stream, IProgress{ImportProgress}?, CancellationToken)"/>
    /// does, naming the file it came from: tables that keep provenance (sales lines, returns, attribution rows) store the name and each
    /// row's line. Without a name they store "(request body)".
    /// </summary>
    public Task<ImportResult> ImportAsync(
        Guid workspaceId,
        TimeZoneInfo zone,
        LedgerFileKind kind,
        Stream csv,
        string? fileName,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(csv);
        var file = string.IsNullOrWhiteSpace(fileName) ? UnnamedFile : fileName.Trim();
        return kind switch
        {
            LedgerFileKind.Sales => ImportAsync(LedgerTables.Sales, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Returns => ImportAsync(LedgerTables.Returns, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.AdSpend => ImportAsync(LedgerTables.AdSpend, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Fees => ImportAsync(LedgerTables.Fees, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Costs => ImportAsync(LedgerTables.Costs, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Attribution => ImportAsync(LedgerTables.Attribution, workspaceId, zone, csv, file, progress, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>The provenance of a file sent without a name (an API body).</summary>
    public const string UnnamedFile = "(request body)";

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

    private async Task<ImportResult> ImportAsync<T>(
        LedgerTable<T> table, Guid workspaceId, TimeZoneInfo zone, Stream csv, string fileName, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
        where T : class
    {
        using var reader = await LedgerFileReader.OpenAsync<T>(csv, zone, cancellationToken);
        if (reader.Problems.Count > 0)
        {
            return Rejected(table.Kind, reader);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PrepareAsync(connection, workspaceId, [table.Kind], cancellationToken);
        if (table.HasProvenance)
        {
            await SetProvenanceAsync(connection, fileName, null, cancellationToken);
        }

        // Two stages that overlap: one task reads and parses the file into batches of rows, this one encodes them for
        // binary COPY and sends them. The channel holds a few batches, so memory stays flat.
        var batches = Channel.CreateBounded<ArraySegment<LedgerRow<T>>>(
            new BoundedChannelOptions(ParsedBatches) { SingleReader = true, SingleWriter = true });
        using var stopParsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parsing = Task.Run(() => ParseAsync(reader, batches.Writer, progress, stopParsing.Token), CancellationToken.None);
        var orderRuns = table.Kind == LedgerFileKind.Sales ? new SalesOrderRuns() : null;
        await using (var copy = await connection.BeginRawBinaryCopyAsync(table.CopySql, cancellationToken))
        {
            try
            {
                var rows = new BinaryCopyBuffer();
                rows.Header();
                await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
                {
                    foreach (var row in batch)
                    {
                        orderRuns?.Add((SaleLine)(object)row.Record);
                        table.Write(rows, row.Line, row.Record);
                        if (rows.Full)
                        {
                            await rows.FlushAsync(copy, cancellationToken);
                        }
                    }
                }

                await parsing;
                if (reader.Problems.Count == 0)
                {
                    rows.Trailer();
                    await rows.FlushAsync(copy, cancellationToken);
                }
                else
                {
                    await copy.CancelAsync();
                }
            }
            catch
            {
                // Stop the parsing task and wait for it (it uses the reader); disposing the raw stream would end the
                // COPY as complete, so withdraw it instead. The first error is the one thrown.
                // (When parsing failed first, its error is the one caught here and rethrown, e.g. a 413 of the body.)
                await stopParsing.CancelAsync();
                await parsing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await CancelQuietlyAsync(copy);
                throw;
            }
        }

        progress?.Report(new ImportProgress(reader.RowsRead, reader.BytesRead));
        if (reader.Problems.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Rejected(table.Kind, reader);
        }

        var problems = reader.Problems;
        var (inserted, updated) = await CheckAndMergeAsync(
            connection, workspaceId, LedgerSource.File, [table.Kind], reader.RowsRead, orderRuns?.Verified == true, "line", zone, false, problems, LedgerChange.All, cancellationToken);
        if (problems.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Rejected(table.Kind, reader);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(table.Kind, checked((int)reader.RowsRead), inserted, updated, reader.Warnings, []);
    }

    /// <summary>
    /// Reads the file's valid rows into batches for the COPY stage until the first problem; after it, only reads on to
    /// list the file's other problems. Completes the channel in any case.
    /// </summary>
    private static async Task ParseAsync<T>(
        LedgerFileReader<T> reader, ChannelWriter<ArraySegment<LedgerRow<T>>> batches, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var nextProgress = (long)ProgressInterval;
            var batch = new LedgerRow<T>[ParsedBatchRows];
            var count = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                // After the first problem the file is rejected: keep reading only to list the other problems.
                if (reader.Problems.Count == 0)
                {
                    batch[count++] = reader.Current;
                    if (count == batch.Length)
                    {
                        await batches.WriteAsync(batch, cancellationToken);
                        batch = new LedgerRow<T>[ParsedBatchRows];
                        count = 0;
                    }
                }

                if (reader.RowsRead >= nextProgress)
                {
                    progress?.Report(new ImportProgress(reader.RowsRead, reader.BytesRead));
                    nextProgress = reader.RowsRead + ProgressInterval;
                }
            }

            if (count > 0 && reader.Problems.Count == 0)
            {
                await batches.WriteAsync(new ArraySegment<LedgerRow<T>>(batch, 0, count), cancellationToken);
            }
        }
        finally
        {
            batches.TryComplete();
        }
    }

    private static ImportResult Rejected<T>(LedgerFileKind kind, LedgerFileReader<T> reader)
        where T : class =>
        new(kind, checked((int)reader.RowsRead), 0, 0, reader.Warnings, reader.Problems.ToList());

    private static int CountOf(LedgerBatch batch, LedgerFileKind kind) => kind switch
    {
        LedgerFileKind.Sales => batch.Sales.Count,
        LedgerFileKind.Returns => batch.Returns.Count,
        LedgerFileKind.AdSpend => batch.AdSpend.Count,
        LedgerFileKind.Fees => batch.Fees.Count,
        LedgerFileKind.Attribution => batch.Attribution.Count,
        _ => batch.Costs.Count,
    };

    private static void CheckRecords<T>(IReadOnlyList<T> records, LedgerFileKind kind, Action<T, IProblemSink> check, ImportProblemList problems)
    {
        var sink = new BatchProblemSink(kind, problems);
        for (var i = 0; i < records.Count; i++)
        {
            sink.Item = i + 1;
            check(records[i], sink);
        }
    }

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
    internal static async Task CancelQuietlyAsync(NpgsqlRawCopyStream copy)
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
    /// were seen to be one agreeing run each while it streamed (<see cref="SalesOrderRuns"/>), and the set check of
    /// orders within the file, which could then find nothing, is skipped.
    /// </remarks>
    private static async Task<(int Inserted, int Updated)> CheckAndMergeAsync(
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

            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended('sellerdesk.ledger:' || $1::text, 0))");
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
                var known = LedgerChecks.ConnectorMarketplaces;
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
        await MarkFactsAsync(connection, workspaceId, source, kinds, wholeOrders, cancellationToken);

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
            await using var bump = new NpgsqlCommand(
                """
                WITH bumped AS (UPDATE workspaces SET ledger_version = ledger_version + 1 WHERE id = $1 RETURNING ledger_version)
                INSERT INTO ledger_changes (workspace_id, version, scope, marketplaces, order_ids, spend_or_fees)
                SELECT $1, ledger_version, $2, $3, $4, $5 FROM bumped
                """,
                connection);
            bump.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            bump.Parameters.Add(new NpgsqlParameter { Value = change.Orders is null ? "all" : "orders" });
            bump.Parameters.Add(new NpgsqlParameter { Value = (object?)change.Orders?.Select(k => k.Marketplace).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            bump.Parameters.Add(new NpgsqlParameter { Value = (object?)change.Orders?.Select(k => k.OrderId).ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            bump.Parameters.Add(new NpgsqlParameter { Value = change.SpendOrFees });
            await bump.ExecuteNonQueryAsync(cancellationToken);
        }

        return (inserted, updated);
    }

    /// <summary>
    /// Marks the orders whose facts the staged rows may change: the orders of staged sales lines and returns, the orders
    /// a pull carries whole, every order with a line of a SKU whose unit costs are staged, and every order of a
    /// marketplace and local day whose attribution the staged rows change.
    /// </summary>
    private static async Task MarkFactsAsync(
        NpgsqlConnection connection,
        Guid workspaceId,
        LedgerSource source,
        List<LedgerFileKind> kinds,
        IReadOnlyList<(string Marketplace, string OrderId)>? wholeOrders,
        CancellationToken cancellationToken)
    {
        foreach (var kind in kinds)
        {
            var staging = LedgerTables.For(kind).Staging;
            var sql = kind switch
            {
                LedgerFileKind.Sales or LedgerFileKind.Returns =>
                    $"SELECT marketplace, order_id FROM {staging} WHERE $1::uuid IS NOT NULL",
                LedgerFileKind.Costs =>
                    $"SELECT s.marketplace, s.order_id FROM sales_lines AS s WHERE s.workspace_id = $1 AND s.sku IN (SELECT sku FROM {staging})",
                // The days whose attribution changes: a staged row new to the source, or with other orders.
                LedgerFileKind.Attribution => OrdersOfAttributionDays($"""
                    SELECT DISTINCT s.marketplace, s.date FROM {staging} AS s
                    WHERE NOT EXISTS (SELECT 1 FROM attribution_rows AS t
                                      WHERE t.workspace_id = $1 AND t.source = $2 AND t.date = s.date AND t.marketplace = s.marketplace
                                        AND t.channel = s.channel AND t.sku = s.sku AND t.orders = s.orders)
                    """),
                _ => null,
            };
            if (sql is not null)
            {
                object[] values = kind == LedgerFileKind.Attribution ? [source.Id] : [];
                await OrderFactStore.MarkAsync(connection, workspaceId, sql, cancellationToken, values);
            }
        }

        if (wholeOrders is { Count: > 0 })
        {
            await OrderFactStore.MarkAsync(connection, workspaceId, wholeOrders, cancellationToken);
        }
    }

    /// <summary>
    /// The (marketplace, order_id) of every order with a line ordered on one of the (marketplace, date) pairs that
    /// <paramref name="daysSql"/> selects, the date being the local date in the workspace's zone (metrics.md 3.1:
    /// attribution of a day may re-attribute every order of that marketplace and day). Workspace as $1.
    /// </summary>
    internal static string OrdersOfAttributionDays(string daysSql) => $"""
        SELECT DISTINCT l.marketplace, l.order_id
        FROM sales_lines AS l
        JOIN workspaces AS w ON w.id = l.workspace_id
        JOIN ({daysSql}) AS d (marketplace, date) ON d.marketplace = l.marketplace
        WHERE l.workspace_id = $1 AND (l.ordered_at AT TIME ZONE w.time_zone)::date = d.date
        """;

    /// <summary>
    /// Deletes <paramref name="source"/>'s attribution rows of the (marketplace, date) pairs the batch carries whole
    /// that it does not carry any more (a campaign the marketplace's restated statistics no longer list), marking the
    /// orders of those days for their facts first. Other sources' rows are never touched. Returns how many it deleted.
    /// </summary>
    private static async Task<int> DeleteReplacedAttributionAsync(
        NpgsqlConnection connection, Guid workspaceId, LedgerSource source, IReadOnlyList<(string Marketplace, DateOnly Date)> days, CancellationToken cancellationToken)
    {
        const string Stale = """
            SELECT a.marketplace, a.date FROM attribution_rows AS a
            JOIN unnest($3::text[], $4::date[]) AS k (m, d) ON a.marketplace = k.m AND a.date = k.d
            WHERE a.workspace_id = $1 AND a.source = $2
              AND NOT EXISTS (SELECT 1 FROM staging_attribution_rows AS s
                              WHERE s.date = a.date AND s.marketplace = a.marketplace AND s.channel = a.channel AND s.sku = a.sku)
            """;
        object[] values = [source.Id, days.Select(d => d.Marketplace).ToArray(), days.Select(d => d.Date).ToArray()];
        await OrderFactStore.MarkAsync(connection, workspaceId, OrdersOfAttributionDays(Stale), cancellationToken, values);
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
        foreach (var value in values)
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = value });
        }

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

    /// <summary>Lists the staged rows of <paramref name="table"/> whose key an earlier line has.</summary>
    private static Task DuplicatesAsync(
        NpgsqlConnection connection, Guid workspaceId, LedgerTable table, string unit, bool batch, ImportProblemList problems, CancellationToken cancellationToken) =>
        new CheckContext(connection, workspaceId, batch ? table.Kind : null, problems).RunAsync(table.DuplicatesSql, r =>
        [
            new(r.GetInt32(0), null, Invariant($"duplicates {unit} {r.GetInt32(1)} (same {table.KeyDescription})")),
        ], cancellationToken);

    /// <summary>
    /// One problem per attribute that differs, from a row of (line, other line, order_id, ordered_at, other,
    /// customer_id, other, channel, other).
    /// </summary>
    private static List<ImportProblem> OrderProblems(NpgsqlDataReader r, TimeZoneInfo zone, Func<string, string, string> where)
    {
        var line = r.GetInt32(0);
        var other = r.GetValue(1).ToString() ?? string.Empty;
        var suffix = where(other, r.GetString(2));
        var problems = new List<ImportProblem>();
        var orderedAt = r.GetFieldValue<DateTimeOffset>(3);
        var otherOrderedAt = r.GetFieldValue<DateTimeOffset>(4);
        if (orderedAt != otherOrderedAt)
        {
            problems.Add(new(line, "ordered_at", $"ordered_at {ShowTime(orderedAt, zone)} differs from {ShowTime(otherOrderedAt, zone)} {suffix}"));
        }

        var customer = r.IsDBNull(5) ? null : r.GetString(5);
        var otherCustomer = r.IsDBNull(6) ? null : r.GetString(6);
        if (!string.Equals(customer, otherCustomer, StringComparison.Ordinal))
        {
            problems.Add(new(line, "customer_id", $"customer_id {ShowText(customer)} differs from {ShowText(otherCustomer)} {suffix}"));
        }

        var channel = r.GetString(7);
        var otherChannel = r.GetString(8);
        if (!string.Equals(channel, otherChannel, StringComparison.Ordinal))
        {
            problems.Add(new(line, "channel", $"channel {ShowText(channel)} differs from {ShowText(otherChannel)} {suffix}"));
        }

        return problems;
    }

    /// <summary>Why an order cannot be written by <paramref name="writer"/>: who holds it.</summary>
    private static string OwnedMessage(string orderId, LedgerSource writer, LedgerSource owner, string? connectionName)
    {
        var holder = owner.IsFile
            ? "from files"
            : connectionName is null ? "from a deleted connection" : $"from connection '{connectionName}'";
        return writer.IsFile
            ? $"order {orderId} is in the ledger {holder}, which pulls keep up to date: a file cannot change it"
            : $"order {orderId} is in the ledger {holder}: a pull does not overwrite another source's rows";
    }

    private static string ShowTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string ShowText(string? value) => value is null ? "(empty)" : LedgerFieldReader.Show(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs set checks and adds what they find (with the batch kind, when a batch) to the problems.</summary>
    private sealed class CheckContext(NpgsqlConnection connection, Guid workspaceId, LedgerFileKind? kind, ImportProblemList problems)
    {
        /// <summary>
        /// Runs <paramref name="sql"/> (workspace as $1, then <paramref name="values"/>; last column: the count of all
        /// matches) and maps each row.
        /// </summary>
        public async Task RunAsync(
            string sql, Func<NpgsqlDataReader, IReadOnlyList<ImportProblem>> map, CancellationToken cancellationToken, params object[] values)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = 0L;
            var total = 0L;
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                total = reader.GetInt64(reader.FieldCount - 1);
                foreach (var problem in map(reader))
                {
                    problems.Add(kind is null ? problem : problem with { Kind = kind });
                }
            }

            problems.AddUnlisted((int)(total - rows));
        }
    }

    /// <summary>Reports a batch item's rule violations with its kind and position.</summary>
    private sealed class BatchProblemSink(LedgerFileKind kind, ImportProblemList problems) : IProblemSink
    {
        public int Item { get; set; }

        public void Add(string column, string message) => problems.Add(new ImportProblem(Item, column, message) { Kind = kind });
    }
}
