using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Features.Exports;
using SellerDesk.Web.Features.ProfitAndLoss;
using SellerDesk.Web.Features.Reports;
using static SellerDesk.Integration.Tests.Exports.ExportFiles;

namespace SellerDesk.Integration.Tests.Exports;

/// <summary>The workbooks finance opens: read back with the OpenXML SDK, as Excel would read them.</summary>
public sealed class XlsxExportTests
{
    [Fact]
    public async Task A_profit_and_loss_workbook_has_currency_formats_a_frozen_header_widths_and_english_definitions()
    {
        using var document = await XlsxAsync(PnlExport.Table(ExportLedger.Reports(), null), English);

        SheetNames(document).Should().Equal("Profit and loss", "Definitions");
        var data = Sheet(document, 0);

        // Header: frozen below row 1 (and beside the two label columns), February marked unfinished.
        var pane = data.Worksheet.Descendants<Pane>().Single();
        pane.State!.Value.Should().Be(PaneStateValues.Frozen);
        pane.VerticalSplit!.Value.Should().Be(1);
        pane.HorizontalSplit!.Value.Should().Be(2);
        Text(Cell(data, "D1")).Should().Be("2026-01");
        Text(Cell(data, "E1")).Should().Be("2026-02 (unfinished)");
        Text(Cell(data, "F1")).Should().Be("Total");

        // Widths set on every column.
        var columns = data.Worksheet.Descendants<Column>().ToList();
        columns.Should().HaveCount(6);
        columns.Should().OnlyContain(c => c.CustomWidth! && c.Width! >= 10);

        // Money: "#,##0.00 ₽", the February cells shaded; all marketplaces first, profit in bold.
        var formats = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.NumberingFormats!.Elements<NumberingFormat>().ToList();
        var money = formats.Single(f => f.NumberFormatId!.Value == XlsxExport.MoneyFormatId).FormatCode!.Value!;
        money.Should().Contain("0.00").And.Contain("₽");
        Text(Cell(data, "A2")).Should().Be("all");
        Text(Cell(data, "B2")).Should().Be("Revenue");
        Text(Cell(data, "D2")).Should().Be("1700");
        Format(document, Cell(data, "D2")).NumberFormatId!.Value.Should().Be(XlsxExport.MoneyFormatId);
        Format(document, Cell(data, "D2")).FillId!.Value.Should().Be(0);
        Format(document, Cell(data, "E2")).FillId!.Value.Should().NotBe(0, "February was not over on as_of");
        var profit = data.Worksheet.Descendants<Row>().First(r => r.Elements<Cell>().Any(c => Text(c) == "profit"));
        var february = profit.Elements<Cell>().ElementAt(4);
        Text(february).Should().Be("-313.84");
        Format(document, february).FontId!.Value.Should().NotBe(0, "results are bold");

        // Period fees are split into the ledger's fee kinds.
        var rows = AllText(data);
        rows.Should().Contain("all |     · storage | period_fees.storage | 100 | 33.34 | 133.34");
        rows.Should().Contain("all |     · acceptance | period_fees.acceptance | 0 | 40 | 40");
        rows.Should().Contain("ozon | Profit | profit | -75 | -313.84 | -388.84");

        // The definitions sheet: the request and every column in words, in English, citing no file.
        var definitions = AllText(Sheet(document, 1));
        definitions.Should().Contain("Period | 2026-01-01 — 2026-02-28");
        definitions.Should().Contain("Data as of | 2026-02-20");
        definitions.Should().Contain("Marketplace | all");
        definitions.Should().Contain("Total | The line over all months of the period.");
        definitions.Should().Contain("Period fees: Marketplace charges not tied to an order");
        definitions.Should().Contain("(unfinished)");
        definitions.Should().NotContain(".md").And.NotContain("spec");
    }

    [Fact]
    public async Task The_same_workbook_in_russian_names_its_sheets_lines_and_definitions_in_russian()
    {
        using var document = await XlsxAsync(PnlExport.Table(ExportLedger.Reports(), "ozon"), Russian);

        SheetNames(document).Should().Equal("Прибыли и убытки", "Определения");
        var data = Sheet(document, 0);
        Text(Cell(data, "E1")).Should().Be("2026-02 (не завершён)");
        Text(Cell(data, "F1")).Should().Be("Итого");
        Text(Cell(data, "B2")).Should().Be("Выручка");
        AllText(data).Should().NotContain("all |", "the file is filtered to Ozon");

        var definitions = AllText(Sheet(document, 1));
        definitions.Should().Contain("Период | 2026-01-01 — 2026-02-28");
        definitions.Should().Contain("Маркетплейс | ozon");
        definitions.Should().Contain("Маржинальная прибыль: Выручка минус возвраты");
        definitions.Should().Contain("Итого | Строка за все месяцы периода.");
        definitions.Should().NotContain("Revenue");
    }

    [Fact]
    public async Task A_cohort_workbook_keeps_its_columns_shows_retention_as_percentages_and_names_its_channel_filter()
    {
        var reports = ExportLedger.Reports(new ReportPeriod(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 2, 20)));
        var filter = new CohortFilter("ozon", "vk_ads");
        var table = CohortExport.Table(reports.Cohorts(filter), CohortMetric.Retention, reports.Period, filter);

        table.FileName("xlsx").Should().Be("cohorts_ozon_vk_ads_retention_2026-01-01_2026-03-31.xlsx");
        CohortExport.Table(reports.Cohorts(filter), CohortMetric.Margin, reports.Period, filter).FileName("xlsx")
            .Should().Be("cohorts_ozon_vk_ads_2026-01-01_2026-03-31.xlsx");

        using var document = await XlsxAsync(table, English);
        var data = Sheet(document, 0);
        data.Worksheet.Descendants<Row>().First().Elements<Cell>().Select(Text)
            .Should().Equal("marketplace", "cohort", "customers", "spend", "cac", "payback_month", "m0", "m1");
        Text(Cell(data, "A2")).Should().Be("ozon");
        Text(Cell(data, "G2")).Should().Be("1");
        Format(document, Cell(data, "G2")).NumberFormatId!.Value.Should().Be(XlsxExport.PercentFormatId);
        Format(document, Cell(data, "D2")).NumberFormatId!.Value.Should().Be(XlsxExport.MoneyFormatId);
        Format(document, Cell(data, "G2")).FillId!.Value.Should().Be(0, "January is over");
        Format(document, Cell(data, "H2")).FillId!.Value.Should().NotBe(0, "February, the as-of month, is not");

        var definitions = AllText(Sheet(document, 1));
        definitions.Should().Contain("Channel | vk_ads");
        definitions.Should().Contain("Marketplace | ozon");
        definitions.Should().Contain("m1 | Share of the cohort's customers who ordered in the month after the cohort month.");
        data.Worksheet.Descendants<OddHeader>().Single().Text.Should().Contain("Channel: vk_ads");
    }

    [Fact]
    public async Task A_large_workbook_is_written_while_its_rows_are_still_coming_into_a_stream_that_cannot_seek()
    {
        const int rows = 120_000;
        var output = new CountingStream();
        long writtenBeforeTheLastRow = 0;

        await XlsxExport.WriteAsync(output, new ExportTable(
            new ExportRequest("large", new("Large", "Большой"), new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), new DateOnly(2026, 1, 31), []),
            new("Rows", "Строки"),
            [ExportColumn.Code("n", ExportKind.Count, new("n", "n")), ExportColumn.Code("amount", ExportKind.Money, new("amount", "сумма"))],
            Generate()), English);

        writtenBeforeTheLastRow.Should().BeGreaterThan(1_000_000, "rows are flushed to the output as they come, not held until the end");
        output.Length.Should().BeGreaterThan(writtenBeforeTheLastRow);
        using var document = SpreadsheetDocument.Open(new MemoryStream(output.Bytes.ToArray()), false);
        Sheet(document, 0).Worksheet.Descendants<Row>().Count().Should().Be(rows + 1);

        async IAsyncEnumerable<ExportRow> Generate()
        {
            for (var i = 0; i < rows; i++)
            {
                if (i == rows - 1)
                {
                    writtenBeforeTheLastRow = output.Length;
                }

                yield return new ExportRow([i, i * 1.25m]);
            }

            await Task.CompletedTask;
        }
    }
}

/// <summary>A write-only stream that cannot seek (like a response body), keeping what it got for the test.</summary>
internal sealed class CountingStream : Stream
{
    public List<byte> Bytes { get; } = [];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Bytes.Count;

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Bytes.AddRange(buffer.AsSpan(offset, count).ToArray());
}
