using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;
using static SellerDesk.Ingestion.Tests.Files.LedgerTestFiles;

namespace SellerDesk.Ingestion.Tests.Files;

/// <summary>
/// attribution.csv (import-and-api.md, metrics.md 3.1): rows keyed by date, marketplace, channel and SKU, a whole
/// number of orders of at least 0, any channel but organic, taken whole or not at all, re-imports replacing.
/// </summary>
public sealed class AttributionImportTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Header = "date,marketplace,channel,sku,orders";

    private readonly LedgerImporter _importer = new(database.DataSource);

    [Fact]
    public async Task A_valid_file_stores_every_row_with_its_file_and_line_and_bumps_the_ledger_version()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");
        var before = await VersionAsync(workspace);

        var result = await ImportAsync(workspace, Lines(
            Header,
            "2026-03-01,wildberries,blogger_anna,MUG-01,3",
            "02.03.2026,wildberries,blogger_anna,MUG-01,1",
            "2026-03-02,ozon,promo_anna10,TEA-02,0"), "anna march.csv");

        result.Errors.Should().BeEmpty();
        result.Should().Be(result with { Kind = LedgerFileKind.Attribution, Rows = 3, Inserted = 3, Updated = 0 });
        (await RowsAsync(workspace)).Should().Equal(
            new StoredRow(new(2026, 3, 1), "wildberries", "blogger_anna", "MUG-01", 3, LedgerSource.File.Id, "anna march.csv", 2),
            new StoredRow(new(2026, 3, 2), "ozon", "promo_anna10", "TEA-02", 0, LedgerSource.File.Id, "anna march.csv", 4),
            new StoredRow(new(2026, 3, 2), "wildberries", "blogger_anna", "MUG-01", 1, LedgerSource.File.Id, "anna march.csv", 3));
        (await VersionAsync(workspace)).Should().Be(before + 1);
        (await ScalarAsync<string>("SELECT scope FROM ledger_changes WHERE workspace_id = $1 ORDER BY version DESC LIMIT 1", workspace))
            .Should().Be("all", "attribution re-attributes whole days and their customers' other orders");
    }

    [Fact]
    public async Task Every_bad_value_is_named_by_line_and_column_and_nothing_is_written()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");

        var result = await ImportAsync(workspace, Lines(
            Header,
            "2026-03-01,wildberries,blogger_anna,MUG-01,3",
            "2026-03-01,wildberries,blogger_anna,TEA-02,1.5",
            "2026-03-01,wildberries,blogger_anna,CUP-03,-2",
            "2026-03-01,wildberries,organic,MUG-01,1",
            "2026-03-32,wildberries,blogger_anna,MUG-01,1",
            "2026-03-01,wildberries,blogger_anna,BAG-04,two"));

        result.Succeeded.Should().BeFalse();
        result.Errors.Select(e => (e.Line, e.Column, e.Message)).Should().Equal(
            (3, "orders", "'1.5' is not a whole number"),
            (4, "orders", "'-2' is negative (orders is a whole number of at least 0)"),
            (5, "channel", "'organic' is not an attribution channel (attribution names the campaign, link or code that drove the orders)"),
            (6, "date", "'2026-03-32' is not a date (use YYYY-MM-DD or DD.MM.YYYY)"),
            (7, "orders", "'two' is not a whole number"));
        (await CountAsync(workspace)).Should().Be(0, "a file with any problem is taken not at all");
    }

    [Fact]
    public async Task A_marketplace_the_workspace_does_not_know_is_refused_by_line()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");
        (await ImportKindAsync(workspace, LedgerFileKind.Sales, Lines(
            "marketplace,order_id,ordered_at,sku,quantity,revenue,commission,logistics",
            "own_store,S1,2026-03-01T12:00:00+03:00,MUG-01,1,500,0,50"))).Succeeded.Should().BeTrue();

        var result = await ImportAsync(workspace, Lines(
            Header,
            "2026-03-01,own_store,blogger_anna,MUG-01,1",
            "2026-03-01,wildberries,blogger_anna,MUG-01,1",
            "2026-03-01,wb,blogger_anna,MUG-01,1"));

        result.Errors.Select(e => (e.Line, e.Column, e.Message)).Should().Equal(
            (4, "marketplace", "unknown marketplace 'wb': the ledger has no sales of it and it is none of ozon, sandbox, wildberries, yandex_market"));
        (await CountAsync(workspace)).Should().Be(0);
    }

    [Fact]
    public async Task A_key_repeated_in_one_file_is_refused()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");

        var result = await ImportAsync(workspace, Lines(
            Header,
            "2026-03-01,ozon,promo_anna10,TEA-02,2",
            "2026-03-01,ozon,promo_anna10,TEA-02,3"));

        result.Errors.Select(e => (e.Line, e.Column, e.Message)).Should().Equal(
            (3, null, "duplicates line 2 (same date, marketplace, channel and sku)"));
        (await CountAsync(workspace)).Should().Be(0);
    }

    [Fact]
    public async Task Sending_a_restated_report_again_replaces_counts_and_never_duplicates_them()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");
        var first = Lines(Header, "2026-03-01,wildberries,blogger_anna,MUG-01,3", "2026-03-02,wildberries,blogger_anna,MUG-01,1");
        (await ImportAsync(workspace, first, "v1.csv")).Inserted.Should().Be(2);
        var version = await VersionAsync(workspace);

        var same = await ImportAsync(workspace, first, "v1 again.csv");
        same.Should().Be(same with { Rows = 2, Inserted = 0, Updated = 0 });
        (await VersionAsync(workspace)).Should().Be(version, "nothing changed");

        var restated = await ImportAsync(workspace, Lines(
            Header,
            "2026-03-02,wildberries,blogger_anna,MUG-01,2",
            "2026-03-03,wildberries,blogger_anna,MUG-01,1"), "v2.csv");

        restated.Should().Be(restated with { Rows = 2, Inserted = 1, Updated = 1 });
        (await RowsAsync(workspace)).Should().Equal(
            new StoredRow(new(2026, 3, 1), "wildberries", "blogger_anna", "MUG-01", 3, LedgerSource.File.Id, "v1.csv", 2),
            new StoredRow(new(2026, 3, 2), "wildberries", "blogger_anna", "MUG-01", 2, LedgerSource.File.Id, "v2.csv", 2),
            new StoredRow(new(2026, 3, 3), "wildberries", "blogger_anna", "MUG-01", 1, LedgerSource.File.Id, "v2.csv", 3));
    }

    [Fact]
    public async Task A_file_neither_overwrites_nor_deletes_a_connections_attribution()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");
        var connection = Guid.NewGuid();
        await ExecuteAsync(
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'wildberries', 'WB', 'x')",
            connection, workspace);
        await ExecuteAsync(
            "INSERT INTO attribution_rows (workspace_id, source, date, marketplace, channel, sku, orders) VALUES ($1, $2, '2026-03-01', 'wildberries', 'wb_campaign_1', 'MUG-01', 4)",
            workspace, connection);

        var result = await ImportAsync(workspace, Lines(Header, "2026-03-01,wildberries,wb_campaign_1,MUG-01,1"));

        result.Should().Be(result with { Inserted = 1, Updated = 0 });
        (await RowsAsync(workspace)).Select(r => (r.Source, r.Orders)).Should().BeEquivalentTo(new[] { (connection, 4), (LedgerSource.File.Id, 1) });
    }

    [Fact]
    public async Task A_batch_carrying_days_whole_replaces_its_own_rows_of_those_days_only()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");
        var day = new DateOnly(2026, 3, 1);
        var connection = LedgerSource.Connection(Guid.NewGuid());
        await ExecuteAsync(
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'wildberries', 'WB', 'x')",
            connection.Id, workspace);
        (await ImportAsync(workspace, Lines(Header, "2026-03-01,wildberries,blogger_anna,MUG-01,1"))).Succeeded.Should().BeTrue();
        var first = await _importer.WriteAsync(
            workspace,
            new LedgerBatch
            {
                Attribution = [new(day, "wildberries", "wb_1", "MUG-01", 2), new(day, "wildberries", "wb_2", "MUG-01", 1), new(day.AddDays(1), "wildberries", "wb_1", "MUG-01", 5)],
                AttributionOrigins = [new RowOrigin("wb.stats", "a"), new RowOrigin("wb.stats", "b"), new RowOrigin("wb.stats", "c")],
                AttributionWholeDays = [("wildberries", day), ("wildberries", day.AddDays(1))],
            },
            connection,
            CancellationToken.None);
        first.Errors.Should().BeEmpty();

        // The marketplace restated 1 March: campaign wb_2 is gone, wb_1 has 3 orders. 2 March is not carried whole.
        var restated = await _importer.WriteAsync(
            workspace,
            new LedgerBatch
            {
                Attribution = [new(day, "wildberries", "wb_1", "MUG-01", 3)],
                AttributionOrigins = [new RowOrigin("wb.stats", "a,d")],
                AttributionWholeDays = [("wildberries", day)],
            },
            connection,
            CancellationToken.None);

        restated.Errors.Should().BeEmpty();
        var rows = await RowsAsync(workspace);
        rows.Select(r => (r.Date, r.Channel, r.Orders, r.Source)).Should().Equal(
            (day, "blogger_anna", 1, LedgerSource.File.Id),
            (day, "wb_1", 3, connection.Id),
            (day.AddDays(1), "wb_1", 5, connection.Id));
        (await ScalarAsync<string>(
            "SELECT source_feed || ':' || source_row_id FROM attribution_rows WHERE workspace_id = $1 AND channel = 'wb_1' AND date = '2026-03-01'", workspace))
            .Should().Be("wb.stats:a,d");
    }

    [Fact]
    public async Task The_demo_sellers_year_is_written_with_its_attribution_of_every_marketplace()
    {
        var workspace = await database.NewWorkspaceAsync("attribution import");
        var ledger = SellerDesk.Ingestion.Demo.DemoSeller.Generate(new DateOnly(2026, 3, 31), Moscow);

        var result = await _importer.WriteAsync(
            workspace,
            new LedgerBatch { Costs = ledger.Costs, Sales = ledger.Sales, Returns = ledger.Returns, AdSpend = ledger.AdSpend, Fees = ledger.Fees, Attribution = ledger.Attribution },
            CancellationToken.None);

        result.Errors.Should().BeEmpty();
        (await CountAsync(workspace)).Should().Be(ledger.Attribution.Count);
        (await ScalarAsync<string[]>("SELECT array_agg(DISTINCT marketplace ORDER BY marketplace) FROM attribution_rows WHERE workspace_id = $1", workspace))
            .Should().Equal("ozon", "wildberries", "yandex_market");

        // The reports read from the database give every marketplace channels whose customers came by attribution.
        var reports = await new Data.Reports.ReportService(new Data.Reports.ReportQueries(database.DataSource), TimeProvider.System).LoadFactsAsync(
            new Data.Workspaces.WorkspaceContext(workspace, "attribution import " + workspace, "Europe/Moscow"),
            new Data.Reports.ReportRequest(new DateOnly(2025, 4, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31)));
        foreach (var marketplace in new[] { "wildberries", "ozon", "yandex_market" })
        {
            reports.Channels().Where(c => c.Marketplace == marketplace && c.Channel != "organic").Should()
                .NotBeEmpty(marketplace).And.OnlyContain(c => c.AttributedCustomers > 0 && c.Verdict != Domain.Reports.ChannelVerdict.NoNewCustomers, marketplace);
        }

        reports.Marketplaces().Should().OnlyContain(m => m.AttributionUnmatched == 0);
    }

    private sealed record StoredRow(DateOnly Date, string Marketplace, string Channel, string Sku, int Orders, Guid Source, string? File, int? Line);

    private async Task<ImportResult> ImportAsync(Guid workspace, string text, string? fileName = null)
    {
        await using var stream = Utf8(text);
        return await _importer.ImportAsync(workspace, Moscow, LedgerFileKind.Attribution, stream, fileName, null, CancellationToken.None);
    }

    private async Task<ImportResult> ImportKindAsync(Guid workspace, LedgerFileKind kind, string text)
    {
        await using var stream = Utf8(text);
        return await _importer.ImportAsync(workspace, Moscow, kind, stream, null, CancellationToken.None);
    }

    private async Task<List<StoredRow>> RowsAsync(Guid workspace)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT date, marketplace, channel, sku, orders, source, import_file, import_line
            FROM attribution_rows WHERE workspace_id = $1 ORDER BY date, marketplace, channel, sku, source
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredRow(
                reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetGuid(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt32(7)));
        }

        return rows;
    }

    private Task<long> CountAsync(Guid workspace) => ScalarAsync<long>("SELECT count(*) FROM attribution_rows WHERE workspace_id = $1", workspace);

    private Task<long> VersionAsync(Guid workspace) => ScalarAsync<long>("SELECT ledger_version FROM workspaces WHERE id = $1", workspace);

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql, Guid workspace)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = workspace });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
