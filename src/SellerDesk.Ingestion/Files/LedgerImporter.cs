using System.Threading.Channels;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>
/// Imports ledger files (import-and-api.md) into a workspace's ledger, all or nothing: reads and parses the file
/// (<see cref="LedgerFileReader"/>) and hands its rows to the ledger's one writer (<see cref="LedgerWriter"/>,
/// decision 0005), which stages them by binary COPY while the file is still being parsed (memory stays flat for any
/// file size), checks, merges and versions them. Batches of built records go to the writer as they are.
/// </summary>
public sealed class LedgerImporter(NpgsqlDataSource dataSource)
{
    /// <summary>Rows between two progress reports.</summary>
    public const int ProgressInterval = 10_000;

    /// <summary>Rows per batch handed from parsing to the COPY stage, and how many batches may wait between them.</summary>
    private const int ParsedBatchRows = 1024, ParsedBatches = 4;

    private readonly LedgerWriter _writer = ConnectorMarketplaces.NewLedgerWriter(dataSource);

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
            LedgerFileKind.Sales => ImportAsync<SaleLine>(LedgerFileKind.Sales, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Returns => ImportAsync<ReturnEvent>(LedgerFileKind.Returns, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.AdSpend => ImportAsync<AdSpend>(LedgerFileKind.AdSpend, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Fees => ImportAsync<PeriodFee>(LedgerFileKind.Fees, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Costs => ImportAsync<UnitCost>(LedgerFileKind.Costs, workspaceId, zone, csv, file, progress, cancellationToken),
            LedgerFileKind.Attribution => ImportAsync<AttributionRow>(LedgerFileKind.Attribution, workspaceId, zone, csv, file, progress, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>The provenance of a file sent without a name (an API body).</summary>
    public const string UnnamedFile = "(request body)";


    /// <summary>
    /// Writes already-built records (the demo seeder's path) through the writer
    /// (<see cref="LedgerWriter.WriteAsync(Guid, LedgerBatch, CancellationToken)"/>).
    /// </summary>
    public Task<ImportResult> WriteAsync(Guid workspaceId, LedgerBatch batch, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(workspaceId, batch, cancellationToken);

    /// <summary>Writes records owned by <paramref name="source"/> (<see cref="LedgerWriter.WriteAsync(Guid, LedgerBatch, LedgerSource, CancellationToken)"/>).</summary>
    public Task<ImportResult> WriteAsync(Guid workspaceId, LedgerBatch batch, LedgerSource source, CancellationToken cancellationToken) =>
        _writer.WriteAsync(workspaceId, batch, source, cancellationToken);

    private async Task<ImportResult> ImportAsync<T>(
        LedgerFileKind kind, Guid workspaceId, TimeZoneInfo zone, Stream csv, string fileName, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
        where T : class
    {
        using var reader = await LedgerFileReader.OpenAsync<T>(csv, zone, cancellationToken);
        if (reader.Problems.Count > 0)
        {
            return Rejected(kind, reader);
        }

        var written = await _writer.WriteFileAsync<T>(
            workspaceId, zone, kind, fileName, reader.Problems, (stage, ct) => StageAsync(reader, kind, stage, progress, ct), cancellationToken);
        return written is { } counts
            ? new ImportResult(kind, checked((int)reader.RowsRead), counts.Inserted, counts.Updated, reader.Warnings, [])
            : Rejected(kind, reader);
    }

    /// <summary>
    /// Two stages that overlap: one task reads and parses the file into batches of rows, this one hands them to the
    /// writer's COPY stage. The channel holds a few batches, so memory stays flat. Says whether the file was clean.
    /// </summary>
    private static async Task<LedgerFileStaged> StageAsync<T>(
        LedgerFileReader<T> reader, LedgerFileKind kind, LedgerFileStage<T> stage, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
        where T : class
    {
        var batches = Channel.CreateBounded<ArraySegment<LedgerRow<T>>>(
            new BoundedChannelOptions(ParsedBatches) { SingleReader = true, SingleWriter = true });
        using var stopParsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parsing = Task.Run(() => ParseAsync(reader, batches.Writer, progress, stopParsing.Token), CancellationToken.None);
        var orderRuns = kind == LedgerFileKind.Sales ? new SalesOrderRuns() : null;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var row in batch)
                {
                    orderRuns?.Add((SaleLine)(object)row.Record);
                    if (stage.Add(row.Line, row.Record))
                    {
                        await stage.FlushAsync(cancellationToken);
                    }
                }
            }

            await parsing;
        }
        catch
        {
            // Stop the parsing task and wait for it (it uses the reader) before the writer withdraws the COPY.
            // (When parsing failed first, its error is the one caught here and rethrown, e.g. a 413 of the body.)
            await stopParsing.CancelAsync();
            await parsing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        progress?.Report(new ImportProgress(reader.RowsRead, reader.BytesRead));
        return new LedgerFileStaged(reader.Problems.Count == 0, reader.RowsRead, orderRuns?.Verified == true);
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

}
