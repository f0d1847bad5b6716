using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data;
using SellerDesk.Data.Entities;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Workspaces;
using SellerDesk.Integration.Tests.Api;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Upload;

namespace SellerDesk.Integration.Tests.Upload;

/// <summary>
/// The upload page's report service in the running app over real PostgreSQL (decision 0027): which format a chosen file
/// is in (the Wildberries detail as CSV and XLSX, Ozon's accruals, a report of a layout SellerDesk does not read named in
/// plain words in both languages), the account a report goes to made only when the report lands, and a refused upload
/// leaving the stored ledger exactly as it was.
/// </summary>
public sealed class ReportUploadServiceTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly Actor Owner = new(null, "report upload test", null);

    /// <summary>Ozon's accruals in the long layout (one row per service), which the cabinet also offers.</summary>
    private static readonly byte[] OzonLongLayout = Encoding.UTF8.GetBytes(
        "Дата начисления;Группа услуг;Тип начисления;Номер отправления или идентификатор услуги;Артикул;SKU;Количество;Сумма итого, руб.\r\n"
        + "03.03.2026;Продажи;Выручка;0123456789-0001-1;TEA-02;987654321;1;1500\r\n"
        + "03.03.2026;Вознаграждение Ozon;Комиссия за продажу;0123456789-0001-1;TEA-02;987654321;1;-225\r\n");

    [Fact]
    public async Task Each_report_is_found_by_its_columns_and_a_layout_SellerDesk_does_not_read_is_named_in_plain_words_in_both_languages()
    {
        var wbCsv = await DetectAsync(Sample("wb-weekly-detail.csv"), "Детализация отчета 123456789.csv");
        var wbXlsx = await DetectAsync(Sample("wb-weekly-detail.xlsx"), "report.xlsx");
        var ozon = await DetectAsync(Sample("ozon-accruals.csv"), "accruals.csv");
        var longLayout = await DetectAsync(OzonLongLayout, "accruals-long.csv");
        var otherWb = await DetectAsync(Encoding.UTF8.GetBytes("Бренд;Предмет;Артикул WB;Остатки\r\nПосуда+;Кружки;111001;12\r\n"), "stocks.csv");
        var ledger = await DetectAsync(Encoding.UTF8.GetBytes("date,marketplace,channel,amount\n2026-03-01,ozon,ozon_ads,100\n"), "ads.csv");
        var nothing = await DetectAsync(Encoding.UTF8.GetBytes("a;b;c\r\n1;2;3\r\n"), "notes.csv");

        wbCsv.Should().Be(new UploadDetection(UploadFormat.WildberriesReport, Marketplace: "wildberries", ReportNumber: 123456789), "the number comes from the file name");
        wbXlsx.Should().Be(new UploadDetection(UploadFormat.WildberriesReport, Marketplace: "wildberries"), "an XLSX is read by its first sheet");
        ozon.Should().Be(new UploadDetection(UploadFormat.OzonReport, Marketplace: "ozon"));
        longLayout.Format.Should().Be(UploadFormat.UnsupportedReport);
        longLayout.Marketplace.Should().Be("ozon");
        longLayout.Unsupported!.En.Should().StartWith("Ozon's accruals report in its long layout").And.Contain("nothing was read from this file");
        longLayout.Unsupported.Ru.Should().StartWith("отчёт Ozon о начислениях в длинном виде").And.Contain("ничего не прочитано");
        otherWb.Format.Should().Be(UploadFormat.UnsupportedReport);
        otherWb.Marketplace.Should().Be("wildberries");
        otherWb.Unsupported!.En.Should().Contain("a Wildberries report other than the weekly realization report's detail").And.Contain("«Srid»");
        otherWb.Unsupported.Ru.Should().Contain("отчёт Wildberries, но не детализация").And.Contain("«Srid»");
        ledger.Should().Be(new UploadDetection(UploadFormat.Ledger, LedgerKind: LedgerFileKind.AdSpend));
        nothing.Should().Be(UploadDetection.Unknown);
        (await DetectAsync([0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "broken.xlsx")).Should().Be(UploadDetection.Unknown, "a broken spreadsheet is nothing it reads");
        (await DetectAsync([.. Sample("wb-weekly-detail.xlsx").Take(2000)], "cut.xlsx")).Should().Be(UploadDetection.Unknown, "nor is a workbook cut short");
    }

    [Fact]
    public async Task A_new_account_is_made_only_when_the_report_lands_and_never_for_a_refused_upload()
    {
        var (service, workspace) = await FreshAsync();

        var wrongLayout = await ImportAsync(service, workspace, UploadFormat.OzonReport, ReportTarget.NewAccount("Ozon cabinet"), OzonLongLayout);
        var badRow = await ImportAsync(service, workspace, UploadFormat.OzonReport, ReportTarget.NewAccount("Ozon cabinet"), BadTotal());

        wrongLayout.Succeeded.Should().BeFalse();
        wrongLayout.Refusal!.En.Should().StartWith("Ozon's accruals report in its long layout");
        wrongLayout.Refusal.Ru.Should().StartWith("отчёт Ozon о начислениях в длинном виде");
        badRow.Problems.Should().ContainSingle().Which.Line.Should().Be(3);
        (await AccountsAsync(workspace)).Should().BeEmpty("a refused upload leaves no account behind");

        var landed = await ImportAsync(service, workspace, UploadFormat.OzonReport, ReportTarget.NewAccount("Ozon cabinet"), Sample("ozon-accruals.csv"));

        landed.Succeeded.Should().BeTrue(landed.Refusal?.En ?? landed.Import?.Result.Error?.En);
        landed.Import!.Result.LedgerPayout.Should().Be(597.50m);
        var accounts = await AccountsAsync(workspace);
        accounts.Should().ContainSingle().Which.Should().Be(("ozon", "Ozon cabinet", landed.Import.ConnectionId));
        (await service.TargetsAsync(workspace.Id, "ozon", default)).Select(c => c.Id).Should().Equal(landed.Import.ConnectionId);

        var wb = await ImportAsync(service, workspace, UploadFormat.WildberriesReport, ReportTarget.NewAccount("WB one"), Sample("wb-weekly-detail.csv"), reportNumber: 555);
        wb.Succeeded.Should().BeTrue(wb.Refusal?.En ?? wb.Import?.Result.Error?.En);
        var sameReport = await ImportAsync(service, workspace, UploadFormat.WildberriesReport, ReportTarget.NewAccount("WB two"), Sample("wb-weekly-detail.csv"), reportNumber: 555);
        var takenName = await ImportAsync(service, workspace, UploadFormat.WildberriesReport, ReportTarget.NewAccount("Ozon cabinet"), Sample("wb-weekly-detail.csv"), reportNumber: 556);

        sameReport.Refusal!.En.Should().Contain("WB one", "the account that holds the report is named");
        takenName.Refusal.Should().NotBeNull("a name already taken is refused in plain words");
        (await AccountsAsync(workspace)).Select(a => a.Name).Should().BeEquivalentTo(["Ozon cabinet", "WB one"], "neither refused upload made an account");
    }

    [Fact]
    public async Task A_refused_upload_leaves_the_stored_ledger_as_it_was()
    {
        var (service, workspace) = await FreshAsync();
        var ozon = await ImportAsync(service, workspace, UploadFormat.OzonReport, ReportTarget.NewAccount("Ozon cabinet"), Sample("ozon-accruals.csv"));
        ozon.Succeeded.Should().BeTrue(ozon.Refusal?.En ?? ozon.Import?.Result.Error?.En);
        var target = ReportTarget.Existing(ozon.Import!.ConnectionId);
        var before = await LedgerAsync(workspace);
        before.Should().Contain("sales 2 2400.00 540.00");

        var wrongLayout = await ImportAsync(service, workspace, UploadFormat.OzonReport, target, OzonLongLayout);
        var badRow = await ImportAsync(service, workspace, UploadFormat.OzonReport, target, BadTotal());
        var notTheFoundFormat = await ImportAsync(service, workspace, UploadFormat.WildberriesReport, target, Sample("ozon-accruals.csv"), reportNumber: 1);
        var wbIntoOzon = await ImportAsync(service, workspace, UploadFormat.WildberriesReport, target, Sample("wb-weekly-detail.csv"), reportNumber: 555);
        var brokenWorkbook = await ImportAsync(service, workspace, UploadFormat.OzonReport, target, [.. Sample("wb-weekly-detail.xlsx").Take(2000)]);

        wrongLayout.Refusal.Should().NotBeNull();
        badRow.Problems.Should().ContainSingle().Which.Message.En.Should().Be("the total 700.00 is not the sum of the row's amounts (695.00)");
        notTheFoundFormat.Refusal!.En.Should().StartWith("Not uploaded: the file is no longer the Wildberries weekly report's detail");
        wbIntoOzon.Succeeded.Should().BeFalse("a Wildberries report does not go into an Ozon account");
        brokenWorkbook.Problems.Should().ContainSingle().Which.Message.En.Should().StartWith("the file starts as an XLSX workbook but cannot be read as one");
        (await LedgerAsync(workspace)).Should().Equal(before, "nothing a refused upload read reached the ledger, and no run was made");
    }

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "examples", "marketplace-reports", name));

    /// <summary>The Ozon sample with the second row's total off by 5 ₽ (its line 3).</summary>
    private static byte[] BadTotal() =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Sample("ozon-accruals.csv")).Replace(";695", ";700", StringComparison.Ordinal));

    private static Task<UploadDetection> DetectAsync(byte[] file, string name) => ReportUploadService.DetectAsync(new MemoryStream(file), name, default);

    private static Task<ReportUploadOutcome> ImportAsync(
        ReportUploadService service, WorkspaceContext workspace, UploadFormat format, ReportTarget target, byte[] file, long? reportNumber = null) =>
        service.ImportAsync(Owner, workspace, format, target, reportNumber, null, new MemoryStream(file), "report.csv", default);

    /// <summary>A workspace of its own for each test, and the service as the page gets it.</summary>
    private async Task<(ReportUploadService Service, WorkspaceContext Workspace)> FreshAsync()
    {
        var id = Guid.NewGuid();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync())
        {
            db.Workspaces.Add(new Workspace { Id = id, Name = "report upload " + id.ToString("N")[..8] });
            await db.SaveChangesAsync();
        }

        var scope = host.Services.CreateScope();
        return (scope.ServiceProvider.GetRequiredService<ReportUploadService>(), new WorkspaceContext(id, "report upload", "Europe/Moscow"));
    }

    private async Task<List<(string Marketplace, string Name, Guid Id)>> AccountsAsync(WorkspaceContext workspace)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
        return [.. (await db.Connections.Where(c => c.WorkspaceId == workspace.Id).OrderBy(c => c.Name).ToListAsync()).Select(c => (c.Marketplace, c.Name, c.Id))];
    }

    /// <summary>Every stored table an upload writes, as counts and sums per workspace: the ledger, the source rows, the runs, the accounts.</summary>
    private async Task<List<string>> LedgerAsync(WorkspaceContext workspace)
    {
        await using var command = host.Database.DataSource.CreateCommand(
            """
            SELECT 'sales ' || count(*) || ' ' || round(coalesce(sum(revenue), 0), 2) || ' ' || round(coalesce(sum(commission + logistics + acquiring + other_fees), 0), 2) FROM sales_lines WHERE workspace_id = $1
            UNION ALL SELECT 'returns ' || count(*) || ' ' || round(coalesce(sum(refund - commission_refund + return_logistics), 0), 2) FROM returns WHERE workspace_id = $1
            UNION ALL SELECT 'fees ' || count(*) || ' ' || round(coalesce(sum(amount), 0), 2) FROM period_fees WHERE workspace_id = $1
            UNION ALL SELECT 'source rows ' || count(*) || ' ' || coalesce(sum(length(payload::text)), 0) FROM source_rows WHERE workspace_id = $1
            UNION ALL SELECT 'runs ' || count(*) FROM pull_runs WHERE workspace_id = $1
            UNION ALL SELECT 'accounts ' || count(*) FROM connections WHERE workspace_id = $1
            UNION ALL SELECT 'ledger version ' || ledger_version FROM workspaces WHERE id = $1
            """);
        command.Parameters.AddWithValue(workspace.Id);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
