using SellerDesk.Data;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// Restatement is exact (issue 8, point 3): after a re-pull of a window, the connection's rows in it are exactly what
/// the marketplace returned for it: changed lines updated, dropped lines deleted, re-issued lines counted once; outside
/// the window nothing changes. A feed that fails keeps what it had.
/// </summary>
public sealed class RestatementTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly FakeWildberriesReport Week = FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 10, seed: 3);
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 31);

    private static (DateOnly From, DateOnly To) WindowOf(FakeWildberriesReport report)
    {
        var dates = report.Lines.Select(l => l.ReportDate).Concat(report.AdCharges.Select(c => c.Date)).ToList();
        return (dates.Min(), dates.Max());
    }

    private static DeclaringConnector Whole(PullHarness h) =>
        new(h.Connector, WildberriesConnector.RealizationFeed, WildberriesConnector.AdsFeed);

    [Fact]
    public async Task A_line_the_marketplace_dropped_from_a_restated_report_is_deleted_from_the_ledger()
    {
        // Issue 8, defect 2: a re-pull no longer contains a line an earlier pull stored; the ledger kept counting it.
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to, Whole(h));
        var before = await h.LedgerAsync();
        var dropped = Week.Lines.First(l => l.SupplierOperName == "Продажа" && Week.Lines.Count(o => o.Srid == l.Srid) > 1);
        var restated = Week.Without(l => l.RrdId == dropped.RrdId);
        h.Fake.Report = restated;

        var (_, result) = await h.PullAsync(from, to, Whole(h));

        result.Succeeded.Should().BeTrue();
        result.Dropped.Should().Be(1);
        var after = await h.LedgerAsync();
        after.Revenue.Should().Be(before.Revenue - dropped.RetailAmount, "the dropped sale's revenue is gone");
        await using var reference = await PullHarness.StartAsync(database, restated);
        await reference.PullAsync(from, to, Whole(reference));
        after.Figures().Should().Be((await reference.LedgerAsync()).Figures(), "the ledger is what a fresh pull of the restated report makes");
        (await h.SourceRowsAsync()).Should().Be(restated.Lines.Count + restated.AdCharges.Count);
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    [Fact]
    public async Task An_order_whose_every_line_was_dropped_leaves_no_ledger_row()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to, Whole(h));
        var order = Week.Lines.First(l => l.SupplierOperName == "Продажа").Srid!;
        var restated = Week.Without(l => l.Srid == order);
        h.Fake.Report = restated;

        var (_, result) = await h.PullAsync(from, to, Whole(h));

        result.Succeeded.Should().BeTrue();
        (await CountAsync("SELECT count(*) FROM sales_lines WHERE workspace_id = $1 AND order_id = $2", h.WorkspaceId, order)).Should().Be(0);
        await using var reference = await PullHarness.StartAsync(database, restated);
        await reference.PullAsync(from, to, Whole(reference));
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures());
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    [Fact]
    public async Task A_line_re_issued_under_a_new_id_is_counted_once()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to, Whole(h));
        var before = await h.LedgerAsync();
        var sale = Week.Lines.First(l => l.SupplierOperName == "Продажа");
        var reissued = new FakeWildberriesReport(
            Week.Lines.Where(l => l.RrdId != sale.RrdId).Append(sale with { RrdId = 9_000_001 }), Week.AdCharges);
        h.Fake.Report = reissued;

        var (_, result) = await h.PullAsync(from, to, Whole(h));

        result.Succeeded.Should().BeTrue();
        (result.Inserted, result.Dropped).Should().Be((1, 1));
        (await h.LedgerAsync()).Figures().Should().Be(before.Figures(), "the same line under a new id is the same money, once");
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    [Fact]
    public async Task Lines_dated_outside_the_re_pulled_window_are_untouched_even_when_the_marketplace_no_longer_sends_them()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to, Whole(h));
        var before = await h.LedgerAsync();
        var (middleFrom, middleTo) = (from.AddDays(2), from.AddDays(4));
        h.Fake.Report = Week.Without(l => l.ReportDate < middleFrom || l.ReportDate > middleTo);

        var (_, result) = await h.PullAsync(middleFrom, middleTo, Whole(h));

        result.Succeeded.Should().BeTrue();
        result.Dropped.Should().Be(0, "the marketplace was asked for the middle days only, and sent them whole");
        (await h.LedgerAsync()).Should().Be(before);
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    [Fact]
    public async Task Without_the_connector_declaring_its_feed_whole_nothing_it_did_not_send_is_deleted()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to, Undeclared(h));
        var before = await h.LedgerAsync();
        h.Fake.Report = Week.Without(l => l.SupplierOperName == "Хранение");

        var (_, result) = await h.PullAsync(from, to, Undeclared(h));

        result.Dropped.Should().Be(0);
        (await h.LedgerAsync()).Should().Be(before, "a feed not declared whole may have been asked for otherwise than by date");
    }

    /// <summary>The Wildberries connector with its declarations of whole feeds taken off.</summary>
    private static UndeclaringConnector Undeclared(PullHarness h) => new UndeclaringConnector(h.Connector);

    private sealed class UndeclaringConnector(IMarketplaceConnector inner) : IMarketplaceConnector
    {
        public string Marketplace => inner.Marketplace;

        public async IAsyncEnumerable<SourcePage> FetchAsync(
            ConnectionSettings connection, PullWindow window, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var page in inner.FetchAsync(connection, window, cancellationToken))
            {
                yield return page with { CompletedFeeds = [] };
            }
        }

        public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone) => inner.Map(rows, zone);

        public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => inner.MarketplacePayout(rows);
    }

    [Fact]
    public async Task A_restated_sandbox_window_leaves_exactly_what_the_latest_reports_say_and_the_rest_untouched()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(21);
        var model = new SourceModel();
        var first = new PullWindow(Today.AddDays(-30), Today);
        var restated = new PullWindow(Today.AddDays(-20), Today.AddDays(-8));
        await model.PullAsync(w.Sandbox(), shop, first);
        (await w.PullAsync(shop, w.Sandbox(), first.From, first.To)).Result.Reconciled.Should().BeTrue();
        var original = await w.LedgerAsync(LedgerSource.Connection(shop.Id));

        await model.PullAsync(w.Sandbox(revision: 1), shop, restated);
        var (_, result) = await w.PullAsync(shop, w.Sandbox(revision: 1), restated.From, restated.To);

        result.Succeeded.Should().BeTrue(result.Error?.En);
        result.Dropped.Should().BeGreaterThan(0, "revision 1 drops orders and re-issues returns");
        result.Updated.Should().BeGreaterThan(0, "revision 1 charges some orders another commission");
        var after = await w.LedgerAsync(LedgerSource.Connection(shop.Id));
        after.ShouldEqual(model.Expected(w.Sandbox()), "the ledger is the mapping of the latest reported rows");
        after.Sales.Where(s => Local(s.OrderedAt) < restated.From.AddDays(-SandboxMarketRetention))
            .Should().Equal(original.Sales.Where(s => Local(s.OrderedAt) < restated.From.AddDays(-SandboxMarketRetention)), "orders well before the window are untouched");
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    [Fact]
    public async Task A_feed_that_fails_lands_what_was_read_keeps_its_own_rows_and_says_so_on_the_run_and_the_connection()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(22);
        await w.PullAsync(shop, w.Sandbox(), Today.AddDays(-10), Today);
        var before = await w.LedgerAsync(LedgerSource.Connection(shop.Id));

        var (runId, result) = await w.PullAsync(shop, w.Sandbox(revision: 2, SandboxConnector.AdsFeed), Today.AddDays(-10), Today);

        result.Succeeded.Should().BeTrue("ads failing never sinks the sales already read: {0}", result.Error?.En);
        var after = await w.LedgerAsync(LedgerSource.Connection(shop.Id));
        after.AdSpend.Should().Equal(before.AdSpend, "nothing of the failed feed is deleted");
        after.Sales.Should().NotEqual(before.Sales, "the restated orders of the run landed");
        result.Notices.Should().ContainSingle(n => n.En.Contains("'sandbox.ads'", StringComparison.Ordinal))
            .Which.Ru.Should().Contain("«sandbox.ads»");
        var (status, lastError) = await ConnectionAsync(w, shop.Id);
        status.Should().Be("failing");
        LocalText.Decode(lastError)!.En.Should().Contain("'sandbox.ads'").And.EndWith(PullTexts.RetryByHand.En);
        (await w.ScalarAsync<string>("SELECT notices FROM pull_runs WHERE id = $1", runId)).Should().Contain("sandbox.ads");

        var (_, recovered) = await w.PullAsync(shop, w.Sandbox(revision: 2), Today.AddDays(-10), Today);
        recovered.Notices.Should().NotContain(n => n.En.Contains("sandbox.ads", StringComparison.Ordinal));
        (await ConnectionAsync(w, shop.Id)).Should().Be(("healthy", (string?)null));
    }

    [Fact]
    public async Task A_first_pull_with_a_failing_feed_lands_the_other_feeds()
    {
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shop = await w.SandboxAsync(23);

        var (_, result) = await w.PullAsync(shop, w.Sandbox(0, SandboxConnector.AdsFeed), Today.AddDays(-6), Today);

        result.Succeeded.Should().BeTrue();
        var pulled = await w.LedgerAsync(LedgerSource.Connection(shop.Id));
        pulled.Sales.Should().NotBeEmpty();
        pulled.Fees.Should().HaveCount(7);
        pulled.AdSpend.Should().BeEmpty();
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
    }

    /// <summary>Days before a window whose orders a restatement of it can touch (their returns fall in it).</summary>
    private const int SandboxMarketRetention = 13;

    private static DateOnly Local(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, PullWorkspace.Moscow).DateTime);

    private static async Task<(string Status, string? LastError)> ConnectionAsync(PullWorkspace w, Guid id)
    {
        var status = await w.ScalarAsync<string>("SELECT status FROM connections WHERE id = $1", id);
        var error = await w.ScalarAsync<object>("SELECT coalesce(last_error, '') FROM connections WHERE id = $1", id) as string;
        return (status, string.IsNullOrEmpty(error) ? null : error);
    }

    private async Task<long> CountAsync(string sql, Guid id, string key)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
