using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Tests.Reports;
using SellerDesk.Testing;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// A pull into one account of orders that another account of the workspace holds from uploaded cabinet reports is
/// refused before it stores anything, naming that account (decision 0027): the orders' ledger rows would stay with the
/// first account, but the same seller's fees would count in both.
/// </summary>
public sealed class PullOverlapTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 3, 2);
    private static readonly DateOnly End = Start.AddDays(6);
    private static readonly FakeWildberriesReport Week = new(FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 5, seed: 17).Lines);

    [Fact]
    public async Task A_pull_of_orders_another_account_holds_from_uploaded_reports_is_refused_naming_it_and_stores_nothing()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var uploads = await WildberriesReportOverlapTests.AddAccountAsync(h, "WB from reports");
        var upload = await WildberriesReportOverlapTests.UploadAsync(h, uploads, Week.Lines, reportId: 777);
        upload.Result.Status.Should().Be(PullRunStatus.Succeeded, upload.Result.Error?.En);
        var ledger = await h.LedgerAsync();

        var (runId, pull) = await h.PullAsync(Start, End);

        pull.Status.Should().Be(PullRunStatus.Failed);
        pull.Error!.En.Should().StartWith("Not pulled: ").And.Contain("are already in the ledger from account 'WB from reports', fed by uploaded reports")
            .And.Contain("Nothing of this run was stored").And.Contain("delete 'WB from reports' with its data");
        pull.Error.Ru.Should().StartWith("Не загружено: ").And.Contain("уже в учёте из аккаунта «WB from reports»");
        (await h.LedgerAsync()).Should().Be(ledger, "nothing of the pull was written");
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.StagingRowsAsync(runId)).Should().Be(0);
        var (status, lastError) = await h.ConnectionRowAsync();
        status.Should().Be(ConnectionStatus.Failing);
        lastError.Should().Contain("WB from reports");

        // Once the uploads' account is gone with its data, the pull lands the same money once.
        await PullHarness.ExecuteAsync(database, "DELETE FROM sales_lines WHERE workspace_id = $1 AND source = $2", h.WorkspaceId, uploads);
        await PullHarness.ExecuteAsync(database, "DELETE FROM returns WHERE workspace_id = $1 AND source = $2", h.WorkspaceId, uploads);
        await PullHarness.ExecuteAsync(database, "DELETE FROM period_fees WHERE workspace_id = $1 AND source = $2", h.WorkspaceId, uploads);
        await PullHarness.ExecuteAsync(database, "DELETE FROM connections WHERE id = $1", uploads);
        var (_, again) = await h.PullAsync(Start, End);
        again.Status.Should().Be(PullRunStatus.Succeeded, again.Error?.En);
        (await h.LedgerAsync()).Figures().Should().Be(ledger.Figures(), "the pull gives what the upload gave, once");
    }

    [Fact]
    public async Task Two_accounts_of_which_neither_was_fed_by_uploads_are_not_compared()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var other = await WildberriesReportOverlapTests.AddAccountAsync(h, "WB pulled");
        await PullHarness.ExecuteAsync(
            database,
            "INSERT INTO source_rows (connection_id, feed, source_id, workspace_id, order_key, business_date, payload) VALUES ($1, 'wb.realization', '1', $2, $3, $4, '{}')",
            other,
            h.WorkspaceId,
            Week.Lines.First(l => !string.IsNullOrEmpty(l.Srid)).Srid!,
            Start);

        var (_, pull) = await h.PullAsync(Start, End);

        pull.Status.Should().Be(PullRunStatus.Succeeded, "pulled accounts are told apart by their credentials (decision 0010), not by this check");
    }
}
