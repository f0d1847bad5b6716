using System.Text;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Reports;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Reports;

/// <summary>
/// The Wildberries weekly report uploaded as the seller cabinet exports it (CSV and XLSX, Russian headers) lands in
/// real PostgreSQL through the connector's own mapping: the same ledger and reconciliation as the API pull of the same
/// report from the fake Wildberries, restated by report number on a second upload, and refused whole, by line, when a
/// row cannot be read (decision 0027).
/// </summary>
public sealed class WildberriesReportUploadTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    // The report alone: the cabinet's weekly detail carries no ad charges, so the API pull compared with it has none either.
    private static readonly FakeWildberriesReport Week = new(FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 10, seed: 3).Lines);
    private static readonly DateOnly End = Start.AddDays(6);

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task A_weekly_report_uploaded_from_the_cabinet_lands_the_ledger_and_reconciliation_the_API_pull_of_the_same_report_gives(string format)
    {
        await using var pulled = await PullHarness.StartAsync(database, Week);
        var (_, pull) = await pulled.PullAsync(Start, End);
        await using var uploaded = await PullHarness.StartAsync(database, FakeWildberriesReport.Empty);
        var file = format == "csv" ? WildberriesCabinetExport.Csv(Week.Lines) : WildberriesCabinetExport.Xlsx(Week.Lines);

        var import = await UploadAsync(uploaded, file, reportId: 777);

        import.Result.Status.Should().Be(PullRunStatus.Succeeded, import.Result.Error?.En);
        import.Result.Inserted.Should().Be(Week.Lines.Count);
        (await uploaded.LedgerAsync()).Figures().Should().Be((await pulled.LedgerAsync()).Figures());
        import.Result.MarketplacePayout.Should().Be(pull.MarketplacePayout);
        import.Result.LedgerPayout.Should().Be(import.Result.MarketplacePayout, "the ledger reconciles with the report's own payout");
        var run = await uploaded.RunRowAsync(import.RunId);
        run.Status.Should().Be("succeeded");
        run.MarketplacePayout.Should().Be(pull.MarketplacePayout, "the reconciliation is recorded on the upload's run");
        run.LedgerPayout.Should().Be(pull.LedgerPayout);
        (await TriggerAsync(import.RunId)).Should().Be(MarketplaceReportImporter.UploadTrigger);
    }

    [Fact]
    public async Task Uploading_a_corrected_report_again_replaces_its_lines_without_duplicates_and_leaves_another_report_alone()
    {
        var split = Start.AddDays(4);
        var first = Week.Lines.Where(l => l.ReportDate < split).ToList();
        var second = Week.Lines.Where(l => l.ReportDate >= split).ToList();
        await using var h = await PullHarness.StartAsync(database, FakeWildberriesReport.Empty);
        await UploadAsync(h, WildberriesCabinetExport.Csv(first), reportId: 101);
        await UploadAsync(h, WildberriesCabinetExport.Xlsx(second), reportId: 102);
        var before = await h.LedgerAsync();

        var again = await UploadAsync(h, WildberriesCabinetExport.Csv(first), reportId: 101);
        again.Result.Inserted.Should().Be(0);
        again.Result.Updated.Should().Be(0);
        (await h.LedgerAsync()).Figures().Should().Be(before.Figures(), "the same report uploaded twice is counted once");

        var sale = first.First(l => l.SupplierOperName == "Продажа" && first.Count(o => o.Srid == l.Srid) == 2);
        var dropped = first.First(l => l.SupplierOperName == "Логистика" && l.Srid != sale.Srid);
        var corrected = first.Where(l => l != dropped)
            .Select(l => l == sale ? l with { RetailAmount = l.RetailAmount - 50m, PpvzForPay = l.PpvzForPay - 45m } : l)
            .ToList();
        var restated = await UploadAsync(h, WildberriesCabinetExport.Csv(corrected), reportId: 101);

        restated.Result.Status.Should().Be(PullRunStatus.Succeeded);
        restated.Result.Dropped.Should().BeGreaterThan(0, "the line the corrected report no longer has goes");
        restated.Result.LedgerPayout.Should().Be(restated.Result.MarketplacePayout);
        (await h.SourceRowsAsync()).Should().Be(corrected.Count + second.Count);
        await using var reference = await PullHarness.StartAsync(database, FakeWildberriesReport.Empty);
        await UploadAsync(reference, WildberriesCabinetExport.Csv(corrected), reportId: 101);
        await UploadAsync(reference, WildberriesCabinetExport.Csv(second), reportId: 102);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures(), "report 102 is untouched and 101 is as corrected");
    }

    [Fact]
    public async Task A_pull_after_an_upload_of_the_same_report_replaces_the_uploaded_lines_whatever_their_dates_without_duplicates()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        // The cabinet's file dates the logistics lines by the sale they belong to, ten days before the week the pull asks for.
        var early = Start.AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var fromCabinet = Week.Lines.Select(l => l.SupplierOperName == "Логистика" ? l with { SaleDt = early } : l).ToList();
        fromCabinet.Should().Contain(l => l.SaleDt == early);
        var upload = await UploadAsync(h, WildberriesCabinetExport.Csv(fromCabinet), reportId: Week.Lines[0].RealizationReportId);
        upload.Result.Status.Should().Be(PullRunStatus.Succeeded, upload.Result.Error?.En);

        var (_, pull) = await h.PullAsync(Start, End);

        pull.Status.Should().Be(PullRunStatus.Succeeded, pull.Error?.En);
        pull.Dropped.Should().Be(fromCabinet.Count, "every uploaded line of the report the pull brought goes, dated in its window or not");
        (await h.SourceRowsAsync()).Should().Be(Week.Lines.Count, "the pulled lines alone: none counted twice");
        pull.LedgerPayout.Should().Be(pull.MarketplacePayout);
        await using var reference = await PullHarness.StartAsync(database, Week);
        await reference.PullAsync(Start, End);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures(), "the ledger is the pull's alone");
    }

    [Fact]
    public async Task A_row_that_cannot_be_read_is_reported_by_its_line_and_column_and_nothing_is_stored()
    {
        await using var h = await PullHarness.StartAsync(database, FakeWildberriesReport.Empty);
        var lines = Encoding.UTF8.GetString(WildberriesCabinetExport.Csv(Week.Lines.Take(10))).Split("\r\n").ToList();
        var forPay = WildberriesCabinetExport.Header.ToList().IndexOf("К перечислению Продавцу за реализованный Товар");
        var cells = lines[5].Split(';');
        cells[forPay] = "двести";
        lines[5] = string.Join(';', cells);
        var table = await ReportTable.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\r\n", lines))), CancellationToken.None);

        var parsed = WildberriesReportFile.Read(table, 777);

        parsed.Succeeded.Should().BeFalse();
        parsed.Rows.Should().BeEmpty("nothing partial is kept");
        parsed.Problems.Should().ContainSingle().Which.Should().Match<ReportProblem>(p =>
            p.Line == 6 && p.Column == "К перечислению Продавцу за реализованный Товар"
            && p.Message.En == "'двести' is not a number" && p.Message.Ru == "«двести» — не число");
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.LedgerAsync()).Sales.Should().Be(0);
    }

    [Fact]
    public async Task The_CSV_and_XLSX_samples_in_the_cabinet_column_set_read_to_the_same_finance_API_lines()
    {
        var csv = await ReportTable.ReadAsync(File.OpenRead(Sample("wb-weekly-detail.csv")), CancellationToken.None);
        var xlsx = await ReportTable.ReadAsync(File.OpenRead(Sample("wb-weekly-detail.xlsx")), CancellationToken.None);

        WildberriesReportFile.Matches(csv).Should().BeTrue();
        WildberriesReportFile.Matches(xlsx).Should().BeTrue();
        var fromCsv = WildberriesReportFile.Read(csv, 555);
        var fromXlsx = WildberriesReportFile.Read(xlsx, 555);

        fromCsv.Problems.Should().BeEmpty();
        fromXlsx.Problems.Should().BeEmpty();
        fromCsv.Rows.Should().HaveCount(6);
        fromXlsx.Rows.Should().BeEquivalentTo(fromCsv.Rows, o => o.WithStrictOrdering());
        var sale = fromCsv.Rows[0];
        sale.SourceId.Should().Be("555:1");
        sale.OrderKey.Should().Be("3a1b2c.d4e5f6");
        sale.BusinessDate.Should().Be(new DateOnly(2026, 2, 2));
        sale.Payload.Should().Contain("\"forPay\":\"1103.35\"").And.Contain("\"sellerOperName\":\"Продажа\"").And.Contain("\"rrdId\":555000001");
        fromCsv.Rows.Single(r => r.OrderKey is null).Payload.Should().Contain("\"paidStorage\":\"312.4\"");
    }

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "examples", "marketplace-reports", name);

    private static async Task<ReportImportResult> UploadAsync(PullHarness h, byte[] file, long reportId)
    {
        var table = await ReportTable.ReadAsync(new MemoryStream(file), CancellationToken.None);
        WildberriesReportFile.Matches(table).Should().BeTrue();
        var parsed = WildberriesReportFile.Read(table, reportId);
        parsed.Problems.Should().BeEmpty(string.Join("; ", parsed.Problems));
        var report = WildberriesReportFile.Report(reportId, parsed.Rows);
        var importer = new MarketplaceReportImporter(h.Database.DataSource, h.Runner);
        return await importer.ImportAsync(h.WorkspaceId, h.Connection.Id, report, _ => h.Connector, CancellationToken.None);
    }

    private async Task<string> TriggerAsync(Guid runId)
    {
        await using var command = database.DataSource.CreateCommand("SELECT trigger FROM pull_runs WHERE id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = runId });
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
