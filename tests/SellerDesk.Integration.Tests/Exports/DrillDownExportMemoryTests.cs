using System.Globalization;
using System.Runtime.CompilerServices;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Tests;
using SellerDesk.Integration.Tests.Connections;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;
using SellerDesk.Web.Features.DrillDown;
using SellerDesk.Web.Features.Exports;
using Xunit.Abstractions;

namespace SellerDesk.Integration.Tests.Exports;

/// <summary>
/// Issue 12 point 7: a drill-down export streams. The live managed memory while the CSV and the XLSX are written (measured
/// after a full collection every 1,000 orders, so the figure does not depend on timing) stays the same whether the
/// export has a tenth of the orders or all of them; and the file has one row per line of the drill-down. The live heap
/// is the whole process's, so the class runs alone (<see cref="RunAlone"/>): other classes' allocations would count.
/// </summary>
[Collection(nameof(RunAlone))]
public sealed class DrillDownExportMemoryTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_drill_down_exports_with_the_same_live_memory_for_a_tenth_of_its_orders_and_for_all_of_them()
    {
        var ledger = RandomLedger.Generate(17, orders: 20_000);
        var workspace = await database.NewWorkspaceAsync("drill export");

        var written = await new LedgerImporter(database.DataSource).WriteAsync(workspace, new LedgerBatch { Costs = ledger.Costs, Sales = ledger.Sales, Returns = ledger.Returns }, CancellationToken.None);
        written.Errors.Should().BeEmpty();
        var drill = new DrillDownQueries(database.DataSource);
        var whole = new DrillDownFilter(new ReportPeriod(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay));
        var tenth = new DrillDownFilter(new ReportPeriod(RandomLedger.FirstDay, RandomLedger.FirstDay.AddDays(17), RandomLedger.LastDay));

        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
        {
            var small = await ExportAsync(drill, workspace, tenth, format);
            var large = await ExportAsync(drill, workspace, whole, format);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{format}: {small.Lines} lines -> live peak {small.PeakLive / 1e6:0.0} MB, {small.Bytes / 1e6:0.0} MB file; {large.Lines} lines -> live peak {large.PeakLive / 1e6:0.0} MB, {large.Bytes / 1e6:0.0} MB file"));

            large.Lines.Should().BeGreaterThan(9 * small.Lines, "the large export has about ten times the lines");
            if (format == ExportFormat.Csv)
            {
                large.Rows.Should().Be(large.Lines + 1, "one row per line, and the header");
            }

            (large.PeakLive - small.PeakLive).Should().BeLessThan(8_000_000, $"{format}: memory does not grow with the rows (small {small.PeakLive}, large {large.PeakLive})");
        }
    }

    private static async Task<(long Lines, long Rows, long Bytes, long PeakLive)> ExportAsync(DrillDownQueries drill, Guid workspace, DrillDownFilter filter, ExportFormat format)
    {
        var totals = await drill.TotalsAsync(workspace, filter);
        var meter = new LiveMemory();
        var table = DrillDownExport.Table(filter, meter.Watch(drill.AllAsync(workspace, filter)));
        await using var sink = new CountingStream();
        if (format == ExportFormat.Csv)
        {
            await CsvExport.WriteAsync(sink, table, CsvDialect.Semicolon, CultureInfo.GetCultureInfo("ru-RU"));
        }
        else
        {
            await XlsxExport.WriteAsync(sink, table, CultureInfo.GetCultureInfo("ru-RU"));
        }

        return (totals.Lines, sink.NewLines, sink.Length, meter.Peak);
    }

    /// <summary>The live managed heap after a full collection, every 1,000 orders the export reads; its peak.</summary>
    private sealed class LiveMemory
    {
        public long Peak { get; private set; }

        public async IAsyncEnumerable<DrillOrder> Watch(IAsyncEnumerable<DrillOrder> orders, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var count = 0;
            await foreach (var order in orders.WithCancellation(cancellationToken))
            {
                if (++count % 1000 == 0)
                {
                    Peak = Math.Max(Peak, GC.GetTotalMemory(forceFullCollection: true));
                }

                yield return order;
            }

            Peak = Math.Max(Peak, GC.GetTotalMemory(forceFullCollection: true));
        }
    }

    /// <summary>A write-only stream that keeps nothing: it counts bytes and newlines.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public long NewLines { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            foreach (var b in buffer)
            {
                if (b == (byte)'\n')
                {
                    NewLines++;
                }
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
