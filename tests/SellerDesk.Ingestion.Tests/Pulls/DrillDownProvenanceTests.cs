using System.Globalization;
using System.Text;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// Issue 12 point 4: the drill-down names where every ledger row came from. A row imported from a file names the file
/// and the line its record is on (migration 0022, written by the importer); a row a pull wrote names the connection,
/// the run that wrote it, and the marketplace's own rows of its order (Wildberries' rrd_id).
/// </summary>
public sealed class DrillDownProvenanceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 1);

    [Fact]
    public async Task A_row_imported_from_a_file_names_the_file_and_its_line()
    {
        var workspace = Guid.NewGuid();
        await PullHarness.ExecuteAsync(database, "INSERT INTO workspaces (id, name) VALUES ($1, $2)", workspace, "drill files " + workspace.ToString("N"));
        var importer = new LedgerImporter(database.DataSource);
        const string Sales = """
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
            own_store,S1,1,2026-02-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0
            own_store,S2,1,2026-02-11T12:00:00+03:00,c2,organic,TEE-02,1,900,0,0,18,0
            own_store,S2,2,2026-02-11T12:00:00+03:00,c2,organic,MUG-01,1,500,0,0,10,0
            """;
        const string Returns = """
            marketplace,order_id,line_id,return_id,returned_at,quantity,refund,commission_refund,return_logistics,restockable,reason
            own_store,S2,2,R1,2026-02-20T10:00:00+03:00,1,500,0,90,false,broken
            """;
        (await ImportAsync(importer, workspace, LedgerFileKind.Sales, Sales, "february-sales.csv")).Errors.Should().BeEmpty();
        (await ImportAsync(importer, workspace, LedgerFileKind.Returns, Returns, "february-returns.csv")).Errors.Should().BeEmpty();

        var page = await new DrillDownQueries(database.DataSource).PageAsync(
            workspace, new DrillDownFilter(new ReportPeriod(Start, Start.AddDays(27), Start.AddDays(27))), null, 50);

        var s2 = page.Orders.Should().ContainSingle(o => o.OrderId == "S2").Subject;
        var line = s2.Lines.Should().ContainSingle(l => l.LineId == "2").Subject;
        (line.Origin.ImportFile, line.Origin.ImportLine, line.Origin.IsPull).Should().Be(("february-sales.csv", 4, false));
        var returned = s2.Returns.Should().ContainSingle().Subject;
        (returned.Origin.ImportFile, returned.Origin.ImportLine, returned.Counted).Should().Be(("february-returns.csv", 2, true));
        s2.SourceRows.Should().BeEmpty("a file's order has no marketplace rows");
        page.Orders.Single(o => o.OrderId == "S1").Lines.Single().Origin.ImportLine.Should().Be(2);
    }

    [Fact]
    public async Task A_pulled_row_names_its_connection_its_run_and_the_marketplace_rows_of_its_order()
    {
        var week = FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 6, seed: 5);
        await using var h = await PullHarness.StartAsync(database, week);
        var (runId, result) = await h.PullAsync(Start, Start.AddDays(6));
        result.Status.Should().Be(PullRunStatus.Succeeded);

        var drill = new DrillDownQueries(database.DataSource);
        var period = new ReportPeriod(Start.AddDays(-30), Start.AddDays(30), Start.AddDays(30));
        var orders = new List<DrillOrder>();
        await foreach (var order in drill.AllAsync(h.WorkspaceId, new DrillDownFilter(period) { Marketplace = "wildberries" }))
        {
            orders.Add(order);
        }

        orders.Should().NotBeEmpty();
        foreach (var order in orders)
        {
            order.Lines.Should().OnlyContain(l => l.Origin.ConnectionId == h.Connection.Id && l.Origin.RunId == runId && l.Origin.ConnectionName == "WB" && !l.Origin.IsFile);
            var rrdIds = week.Lines.Where(l => l.Srid == order.OrderId).Select(l => l.RrdId.ToString(CultureInfo.InvariantCulture)).ToList();
            order.SourceRows.Select(r => r.SourceId).Should().Contain(rrdIds, $"order {order.OrderId} was derived from those report lines");
            order.SourceRows.Should().OnlyContain(r => r.LastRunId == runId);
        }

        orders.SelectMany(o => o.Returns).Should().OnlyContain(r => r.Origin.ConnectionId == h.Connection.Id && r.Origin.RunId == runId);
    }

    private static Task<ImportResult> ImportAsync(LedgerImporter importer, Guid workspace, LedgerFileKind kind, string csv, string name) =>
        importer.ImportAsync(workspace, PullHarness.Moscow, kind, new MemoryStream(Encoding.UTF8.GetBytes(csv + "\n")), name, null, CancellationToken.None);
}
