using System.Globalization;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Reports;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Reports;

/// <summary>
/// A Wildberries weekly report uploaded from the cabinet never lands next to the same money pulled or uploaded
/// elsewhere (decision 0027): over weeks its account pulled, with orders or a report another account of the workspace
/// holds, or while a pull of its account is queued, it is refused in plain words and nothing is stored.
/// </summary>
public sealed class WildberriesReportOverlapTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // 1 February 2026 is a Sunday: the report's lines fall in two weeks, 26.01–01.02 and 02.02–08.02.
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly DateOnly End = Start.AddDays(6);
    private static readonly FakeWildberriesReport Week = new(FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 6, seed: 11).Lines);

    [Fact]
    public async Task A_report_uploaded_over_weeks_its_account_already_pulled_is_refused_naming_the_weeks_and_stores_nothing()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        // The account pulled only the second week.
        var (_, pull) = await h.PullAsync(new DateOnly(2026, 2, 2), End);
        pull.Status.Should().Be(PullRunStatus.Succeeded, pull.Error?.En);
        var ledger = await h.LedgerAsync();
        var rows = await h.SourceRowsAsync();

        var refused = await FluentActions.Awaiting(() => UploadAsync(h, h.Connection.Id, Week.Lines, reportId: 777))
            .Should().ThrowAsync<ReportTargetException>();

        refused.Which.Text.En.Should().Contain("'WB' already pulled Wildberries report lines of the week 02.02.2026–08.02.2026")
            .And.Contain("report 777").And.Contain("Nothing was stored").And.NotContain("26.01.2026");
        refused.Which.Text.Ru.Should().Contain("«WB» уже получил из API строки отчётов Wildberries за неделю 02.02.2026–08.02.2026")
            .And.Contain("Ничего не сохранено");
        (await h.LedgerAsync()).Should().Be(ledger, "nothing was written, not even the ledger version");
        (await h.SourceRowsAsync()).Should().Be(rows);
        (await CountAsync("SELECT count(*) FROM pull_runs WHERE workspace_id = $1 AND trigger = 'upload'", h.WorkspaceId)).Should().Be(0, "a refused upload makes no run");

        // Weeks the account never pulled still upload.
        var firstWeek = Week.Lines.Where(l => l.ReportDate < new DateOnly(2026, 2, 2)).ToList();
        var landed = await UploadAsync(h, h.Connection.Id, firstWeek, reportId: 776);
        landed.Result.Status.Should().Be(PullRunStatus.Succeeded, landed.Result.Error?.En);
    }

    [Fact]
    public async Task A_report_whose_orders_another_account_of_the_workspace_holds_is_refused_naming_that_account()
    {
        await using var h = await PullHarness.StartAsync(database, FakeWildberriesReport.Empty);
        var other = await AddAccountAsync(h, "WB from reports");
        var first = await UploadAsync(h, other, Week.Lines, reportId: 777);
        first.Result.Status.Should().Be(PullRunStatus.Succeeded, first.Result.Error?.En);
        var ledger = await h.LedgerAsync();

        // The same lines under another number (a number typed wrongly) into the other account.
        var refused = await FluentActions.Awaiting(() => UploadAsync(h, h.Connection.Id, Week.Lines, reportId: 778))
            .Should().ThrowAsync<ReportTargetException>();

        var orders = Week.Lines.Where(l => !string.IsNullOrEmpty(l.Srid)).Select(l => l.Srid).Distinct().Count();
        refused.Which.Text.En.Should().StartWith(string.Create(CultureInfo.InvariantCulture, $"Not uploaded: {orders} order(s) of this report ("))
            .And.Contain("are already in the ledger from account 'WB from reports'").And.Contain("Upload it into 'WB from reports'");
        refused.Which.Text.Ru.Should().Contain("уже в учёте из аккаунта «WB from reports»").And.Contain("Ничего не сохранено");
        (await h.LedgerAsync()).Should().Be(ledger);
        (await h.SourceRowsAsync()).Should().Be(0);

        // The same report number into another account, even with no order in it (a storage line), is the same report twice.
        var storage = Week.Lines.Where(l => string.IsNullOrEmpty(l.Srid)).Take(1).ToList();
        storage.Should().NotBeEmpty("the generated week has a storage line");
        var again = await FluentActions.Awaiting(() => UploadAsync(h, h.Connection.Id, storage, reportId: 777))
            .Should().ThrowAsync<ReportTargetException>();
        again.Which.Text.En.Should().Contain("report 777 is already in the ledger from account 'WB from reports'");
        again.Which.Text.Ru.Should().Contain("отчёт № 777 уже в учёте из аккаунта «WB from reports»");
    }

    [Fact]
    public async Task A_report_uploaded_while_a_pull_of_its_account_is_queued_is_refused_with_try_again_and_stores_nothing()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var queued = await h.QueueAsync(Start, End);

        var refused = await FluentActions.Awaiting(() => UploadAsync(h, h.Connection.Id, Week.Lines, reportId: 777))
            .Should().ThrowAsync<ReportTargetException>();

        refused.Which.Text.En.Should().Be("Not uploaded: a pull of 'WB' is queued or running. Nothing was stored; try again when it has finished (the Connections page shows it).");
        refused.Which.Text.Ru.Should().StartWith("Не загружено: для «WB» запущена или ожидает загрузка из API.");
        (await h.SourceRowsAsync()).Should().Be(0);

        // Once the pull has run, the weeks it brought are its own: the upload is refused for them instead.
        await h.Runner.RunAsync(queued, h.Connection, h.Connector, PullHarness.Moscow, CancellationToken.None);
        var after = await FluentActions.Awaiting(() => UploadAsync(h, h.Connection.Id, Week.Lines, reportId: 777))
            .Should().ThrowAsync<ReportTargetException>();
        after.Which.Text.En.Should().Contain("already pulled Wildberries report lines of the weeks 26.01.2026–01.02.2026, 02.02.2026–08.02.2026");
    }

    internal static async Task<Guid> AddAccountAsync(PullHarness h, string name)
    {
        var id = Guid.NewGuid();
        await PullHarness.ExecuteAsync(
            h.Database,
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'wildberries', $3, 'protected')",
            id,
            h.WorkspaceId,
            name);
        return id;
    }

    internal static async Task<ReportImportResult> UploadAsync(PullHarness h, Guid connectionId, IEnumerable<FakeWbReportLine> lines, long reportId)
    {
        var table = await ReportTable.ReadAsync(new MemoryStream(WildberriesCabinetExport.Csv(lines)), CancellationToken.None);
        var parsed = WildberriesReportFile.Read(table, reportId);
        parsed.Problems.Should().BeEmpty(string.Join("; ", parsed.Problems));
        var importer = new MarketplaceReportImporter(h.Database.DataSource, h.Runner);
        return await importer.ImportAsync(h.WorkspaceId, connectionId, WildberriesReportFile.Report(reportId, parsed.Rows), _ => h.Connector, CancellationToken.None);
    }

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
