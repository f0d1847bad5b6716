using System.Text;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Reports;
using SellerDesk.Ingestion.Tests.Connectors.Ozon;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Reports;

/// <summary>
/// Ozon's accruals report (Финансы → Начисления) uploaded as the cabinet exports it lands in real PostgreSQL through
/// the Ozon connector's own mapping: the same ledger and reconciliation as the API pull of the same accruals from the fake
/// Ozon, reconciled with the report's totals, its period restated on a second upload, a posting's sale kept when a later
/// period's report brings its return, and a row refused by line (decision 0027).
/// </summary>
public sealed class OzonAccrualsUploadTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly HttpClient _http = new();

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task An_accruals_report_uploaded_from_the_cabinet_lands_the_ledger_and_reconciliation_the_API_pull_of_the_same_accruals_gives(string format)
    {
        var start = new DateOnly(2026, 3, 2);
        var end = start.AddDays(13);
        var data = Reportable(FakeOzonData.Generate(start, days: 14, postingsPerDay: 6, seed: 11));
        data.Returns.Should().NotBeEmpty("returns are compared too");
        await using var pulled = await OzonPullHarness.StartAsync(database, data);
        var pull = await pulled.PullAsync(start, end);
        pull.Status.Should().Be(PullRunStatus.Succeeded, pull.Error?.En);
        await using var uploaded = await OzonPullHarness.StartAsync(database, FakeOzonData.Empty);
        var file = format == "csv" ? OzonCabinetExport.Csv(data) : OzonCabinetExport.Xlsx(data);
        var table = await ReportTable.ReadAsync(new MemoryStream(file), CancellationToken.None);
        OzonAccrualsFile.Matches(table).Should().BeTrue();
        var parsed = OzonAccrualsFile.Read(table, new PullWindow(start, end));
        parsed.Problems.Should().BeEmpty(string.Join("; ", parsed.Problems));

        var import = await new MarketplaceReportImporter(database.DataSource, uploaded.Runner)
            .ImportAsync(uploaded.WorkspaceId, uploaded.Connection.Id, parsed.Report!, _ => uploaded.Connector, CancellationToken.None);

        import.Result.Status.Should().Be(PullRunStatus.Succeeded, import.Result.Error?.En);
        var ledger = await uploaded.LedgerAsync();
        ledger.Returns.Should().BeGreaterThan(0);
        ledger.Fees.Should().BeGreaterThan(0);
        ledger.Figures().Should().Be((await pulled.LedgerAsync()).Figures());
        (await LinesAsync(uploaded.WorkspaceId)).Should().Equal(await LinesAsync(pulled.WorkspaceId), "every order, return and day's fee by kind is the same");
        pull.MarketplacePayout.Should().Be(data.AccruedTotal);
        import.Result.MarketplacePayout.Should().Be(pull.MarketplacePayout);
        import.Result.LedgerPayout.Should().Be(pull.LedgerPayout);
        import.Result.LedgerPayout.Should().Be(import.Result.MarketplacePayout, "the ledger reconciles with the report's own totals");
        (await CountAsync("SELECT count(*) FROM pull_runs WHERE workspace_id = $1 AND trigger = 'upload' AND status = 'succeeded' AND ledger_payout = marketplace_payout", uploaded.WorkspaceId))
            .Should().Be(1, "the reconciliation is recorded on the upload's run");
    }

    [Fact]
    public async Task The_sample_report_lands_two_sales_a_return_and_the_storage_fee_and_reconciles_with_its_totals()
    {
        var (workspace, connection) = await TargetAsync();

        var import = await UploadAsync(workspace, connection, File.ReadAllBytes(Sample()));

        import.Result.Status.Should().Be(PullRunStatus.Succeeded, import.Result.Error?.En);
        import.Result.MarketplacePayout.Should().Be(597.50m, "1165 + 695 − 850 − 412.50, the report's own totals");
        import.Result.LedgerPayout.Should().Be(597.50m);
        var ledger = await LedgerAsync(workspace);
        ledger.Should().Be((2, 2400m, 540m, 1, 850m, 1, 412.50m));
        (await CountAsync("SELECT count(*) FROM pull_runs WHERE workspace_id = $1 AND trigger = 'upload' AND reconciliation IS NOT NULL AND ledger_payout = marketplace_payout", workspace))
            .Should().Be(1, "the reconciliation is recorded on the upload's run");
    }

    [Fact]
    public async Task Uploading_the_period_again_replaces_it_and_a_later_period_keeps_the_sale_its_return_belongs_to()
    {
        var (workspace, connection) = await TargetAsync();
        var lines = Encoding.UTF8.GetString(File.ReadAllBytes(Sample())).Split("\r\n").ToList();
        var march = Join(lines[0], lines[1], lines[2], lines[4]);
        var marchAgain = Join(lines[0], lines[2], lines[4]);
        var april = Join(lines[0], lines[3].Replace("12.03.2026", "02.04.2026", StringComparison.Ordinal));

        var inMarch = new PullWindow(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
        await UploadAsync(workspace, connection, march, inMarch);
        var twice = await UploadAsync(workspace, connection, march, inMarch);
        twice.Result.Inserted.Should().Be(0);
        (await LedgerAsync(workspace)).Should().Be((2, 2400m, 540m, 0, 0m, 1, 412.50m), "the same period uploaded twice counts once");

        var corrected = await UploadAsync(workspace, connection, marchAgain, inMarch);
        corrected.Result.LedgerPayout.Should().Be(corrected.Result.MarketplacePayout);
        (await LedgerAsync(workspace)).Should().Be((1, 900m, 205m, 0, 0m, 1, 412.50m), "the posting the corrected March no longer has is gone");

        var returned = await UploadAsync(workspace, connection, april, new PullWindow(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30)));
        returned.Result.Status.Should().Be(PullRunStatus.Succeeded, returned.Result.Error?.En);
        returned.Result.LedgerPayout.Should().Be(returned.Result.MarketplacePayout);
        (await LedgerAsync(workspace)).Should().Be((1, 900m, 205m, 1, 850m, 1, 412.50m), "April's return joins March's sale of the posting");
    }

    [Fact]
    public async Task A_row_whose_total_is_not_its_amounts_is_refused_by_line_and_nothing_is_stored()
    {
        var (workspace, _) = await TargetAsync();
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(Sample())).Replace(";695", ";700", StringComparison.Ordinal);
        var table = await ReportTable.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);

        var parsed = OzonAccrualsFile.Read(table);

        parsed.Report.Should().BeNull();
        parsed.Problems.Should().ContainSingle().Which.Should().Match<ReportProblem>(p =>
            p.Line == 3 && p.Column == "Итого" && p.Message.En == "the total 700.00 is not the sum of the row's amounts (695.00)");
        (await LedgerAsync(workspace)).Should().Be((0, 0m, 0m, 0, 0m, 0, 0m));
    }

    public void Dispose() => _http.Dispose();

    private static string Sample() => Path.Combine(AppContext.BaseDirectory, "examples", "marketplace-reports", "ozon-accruals.csv");

    private static byte[] Join(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    private async Task<(Guid Workspace, Guid Connection)> TargetAsync()
    {
        var workspace = Guid.NewGuid();
        var connection = Guid.NewGuid();
        await PullHarness.ExecuteAsync(database, "INSERT INTO workspaces (id, name) VALUES ($1, $2)", workspace, "ozon reports " + workspace.ToString("N"));
        await PullHarness.ExecuteAsync(
            database,
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'ozon', 'Ozon reports', 'protected')",
            connection,
            workspace);
        return (workspace, connection);
    }

    private async Task<ReportImportResult> UploadAsync(Guid workspace, Guid connection, byte[] file, PullWindow? period = null)
    {
        var table = await ReportTable.ReadAsync(new MemoryStream(file), CancellationToken.None);
        OzonAccrualsFile.Matches(table).Should().BeTrue();
        var parsed = OzonAccrualsFile.Read(table, period);
        parsed.Problems.Should().BeEmpty(string.Join("; ", parsed.Problems));
        var runner = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), TimeProvider.System);
        var importer = new MarketplaceReportImporter(database.DataSource, runner);
        var connector = new OzonConnector(new ResilientHttpSender(_http, new SkippingTimeProvider()));
        return await importer.ImportAsync(workspace, connection, parsed.Report!, _ => connector, CancellationToken.None);
    }

    private async Task<(int Sales, decimal Revenue, decimal SaleCosts, int Returns, decimal ReturnMoney, int Fees, decimal FeeAmount)> LedgerAsync(Guid workspace)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT
                (SELECT count(*) FROM sales_lines WHERE workspace_id = $1)::int,
                (SELECT coalesce(sum(revenue), 0) FROM sales_lines WHERE workspace_id = $1),
                (SELECT coalesce(sum(commission + logistics + acquiring + other_fees), 0) FROM sales_lines WHERE workspace_id = $1),
                (SELECT count(*) FROM returns WHERE workspace_id = $1)::int,
                (SELECT coalesce(sum(refund - commission_refund + return_logistics), 0) FROM returns WHERE workspace_id = $1),
                (SELECT count(*) FROM period_fees WHERE workspace_id = $1)::int,
                (SELECT coalesce(sum(amount), 0) FROM period_fees WHERE workspace_id = $1)
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = workspace });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetInt32(3), reader.GetDecimal(4), reader.GetInt32(5), reader.GetDecimal(6));
    }

    /// <summary>
    /// What the accruals report can say of a generated month: the delivered postings (with their returns and accruals)
    /// and the accruals of no posting whose type the report names. Postings still on their way have no accrual, and a
    /// posting not picked up shows in the report only as charges without goods.
    /// </summary>
    private static FakeOzonData Reportable(FakeOzonData data)
    {
        static bool Delivered(FakeOzonItem p) => System.Text.Json.Nodes.JsonNode.Parse(p.Json)!["status"]!.GetValue<string>() == "delivered";
        var kept = data.Fbo.Concat(data.Fbs).Where(Delivered).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return data with
        {
            Fbo = [.. data.Fbo.Where(p => kept.Contains(p.Key))],
            Fbs = [.. data.Fbs.Where(p => kept.Contains(p.Key))],
            Returns = [.. data.Returns.Where(r => kept.Contains(System.Text.Json.Nodes.JsonNode.Parse(r.Json)!["posting_number"]!.GetValue<string>()))],
            PostingAccruals = [.. data.PostingAccruals.Where(p => kept.Contains(p.PostingNumber))],
            DayAccruals = [.. data.DayAccruals.Where(OzonCabinetExport.CanWrite)],
        };
    }

    /// <summary>The workspace's ledger by order (sales), by order and Moscow day (returns) and by day and kind (fees, ads), as text.</summary>
    private async Task<List<string>> LinesAsync(Guid workspace)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT 'sale ' || order_id || ' ' || to_char(min(ordered_at) AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD HH24:MI') || ' ' || sum(quantity)
                   || ' ' || round(sum(revenue), 2) || ' ' || round(sum(commission), 2) || ' ' || round(sum(logistics), 2) || ' ' || round(sum(acquiring), 2) || ' ' || round(sum(other_fees), 2)
              FROM sales_lines WHERE workspace_id = $1 GROUP BY order_id
            UNION ALL
            SELECT 'return ' || order_id || ' ' || to_char(returned_at AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD') || ' ' || sum(quantity)
                   || ' ' || round(sum(refund), 2) || ' ' || round(sum(commission_refund), 2) || ' ' || round(sum(return_logistics), 2)
              FROM returns WHERE workspace_id = $1 GROUP BY order_id, to_char(returned_at AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD')
            UNION ALL
            SELECT 'fee ' || date || ' ' || kind || ' ' || round(amount, 2) FROM period_fees WHERE workspace_id = $1
            UNION ALL
            SELECT 'ad ' || date || ' ' || channel || ' ' || round(amount, 2) FROM ad_spend WHERE workspace_id = $1
            ORDER BY 1
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = workspace });
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
