using Npgsql;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>The pull runner against real PostgreSQL and a fake Wildberries over HTTP (docs/decisions/0006).</summary>
public sealed class PullRunnerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly FakeWildberriesReport Week = FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 10, seed: 3);

    private static (DateOnly From, DateOnly To) WindowOf(FakeWildberriesReport report)
    {
        var dates = report.Lines.Select(l => l.ReportDate).Concat(report.AdCharges.Select(c => c.Date)).ToList();
        return (dates.Min(), dates.Max());
    }

    private static int RowsOf(FakeWildberriesReport report) => report.Lines.Count + report.AdCharges.Count;

    [Fact]
    public async Task A_pull_reads_every_page_and_fills_the_ledger()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);

        var (runId, result) = await h.PullAsync(from, to);

        result.Error.Should().BeNull();
        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.RowsRead.Should().Be(RowsOf(Week));
        result.Inserted.Should().Be(RowsOf(Week));
        result.Updated.Should().Be(0);
        result.PagesRead.Should().BeGreaterThan(3, "the report comes in pages of 25 rows");
        var run = await h.RunRowAsync(runId);
        run.Should().BeEquivalentTo(new
        {
            Status = "succeeded", result.PagesRead, RowsRead = RowsOf(Week), Inserted = RowsOf(Week), Updated = 0, Error = (string?)null,
            Started = true, Finished = true,
        });
        var ledger = await h.LedgerAsync();
        ledger.Sales.Should().BeGreaterThan(0);
        ledger.Fees.Should().BeGreaterThan(0);
        ledger.AdSpend.Should().BeGreaterThan(0);
        (await h.SourceRowsAsync()).Should().Be(RowsOf(Week));
        (await h.SourceRowsAsync(pendingOnly: true)).Should().Be(0);
        (await h.StagingRowsAsync(runId)).Should().Be(0);
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null));
    }

    [Fact]
    public async Task Re_pulling_the_same_period_inserts_and_updates_nothing_and_leaves_the_ledger_as_it_was()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to);
        var before = await h.LedgerAsync();

        var (_, again) = await h.PullAsync(from, to);

        again.Status.Should().Be(PullRunStatus.Succeeded);
        again.RowsRead.Should().Be(RowsOf(Week));
        again.Inserted.Should().Be(0);
        again.Updated.Should().Be(0);
        (await h.LedgerAsync()).Should().Be(before, "nothing changed, so nothing was derived or written");
    }

    [Fact]
    public async Task A_restated_report_updates_its_rows_and_the_ledger_figures_without_duplicates()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to);
        var before = await h.LedgerAsync();
        var sale = Week.Lines.First(l => l.SupplierOperName == "Продажа");
        h.Fake.Report = Week.Restate(
            l => l.RrdId == sale.RrdId, l => l with { RetailAmount = l.RetailAmount + 100m, PpvzForPay = l.PpvzForPay + 100m });

        var (_, restated) = await h.PullAsync(from, to);

        restated.Status.Should().Be(PullRunStatus.Succeeded);
        restated.Inserted.Should().Be(0);
        restated.Updated.Should().Be(1);
        var after = await h.LedgerAsync();
        after.Sales.Should().Be(before.Sales, "the line is updated, not added");
        after.Revenue.Should().Be(before.Revenue + 100m);
        after.Figures().Should().Be(before.Figures() with { Revenue = before.Revenue + 100m });
        restated.MarketplacePayout.Should().Be(restated.LedgerPayout);
    }

    [Fact]
    public async Task A_revoked_token_fails_the_run_at_once_and_asks_for_a_new_token()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        h.Fake.RevokeToken();

        var (runId, result) = await h.PullAsync(from, to);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().Contain("Wildberries").And.Contain("token");
        result.Error.En.Should().NotContain("run", "a rejected token is not retried by the next run: the user pastes a new one");
        h.Fake.Requests.Should().ContainSingle("a rejected token is not retried");
        var run = await h.RunRowAsync(runId);
        run.Status.Should().Be("failed");
        run.Error.Should().Be(result.Error.Encode());
        run.Finished.Should().BeTrue();
        (await h.ConnectionRowAsync()).Should().Be(("needs_token", result.Error.Encode()));
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.LedgerAsync()).Sales.Should().Be(0);
    }

    [Fact]
    public async Task Repeated_server_errors_fail_the_run_with_a_clear_message_and_write_nothing()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        h.Fake.FailNext(1_000);

        var (runId, result) = await h.PullAsync(from, to);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().Contain("Wildberries").And.Contain("500").And.EndWith(PullTexts.RetryByHand.En);
        result.Error.Ru.Should().EndWith(PullTexts.RetryByHand.Ru);
        h.Fake.Requests.Count.Should().BeGreaterThan(1, "server errors are retried with back-off first");
        h.Time.Delays.Should().NotBeEmpty();
        (await h.RunRowAsync(runId)).Error.Should().Be(result.Error.Encode());
        (await h.ConnectionRowAsync()).Should().Be(("failing", result.Error.Encode()));
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.StagingRowsAsync(runId)).Should().Be(0);
        (await h.LedgerAsync()).Figures().Should().Be(new LedgerSnapshot(0, 0m, 0m, 0, 0m, 0, 0m, 0, 0m, 0));

        h.Fake.FailNext(0);
        var (_, next) = await h.PullAsync(from, to);
        next.Status.Should().Be(PullRunStatus.Succeeded, "the next run pulls the window again once Wildberries answers");
    }

    [Fact]
    public async Task Cancelling_mid_fetch_keeps_nothing_and_the_next_run_completes()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        using var cancel = new CancellationTokenSource();
        var connector = new InterferingConnector(h.Connector) { AfterPage = page => { if (page == 1) cancel.Cancel(); } };

        var (runId, cancelled) = await h.PullAsync(from, to, connector, cancel.Token);

        cancelled.Status.Should().Be(PullRunStatus.Failed);
        cancelled.Error.Should().Be(new LocalText(
            PullTexts.Cancelled.En + " " + PullTexts.RetryByHand.En, PullTexts.Cancelled.Ru + " " + PullTexts.RetryByHand.Ru));
        cancelled.PagesRead.Should().Be(1);
        (await h.RunRowAsync(runId)).Should().Match<RunRow>(r => r.Status == "failed" && r.PagesRead == 1 && r.Finished);
        (await h.StagingRowsAsync(runId)).Should().Be(0);
        (await h.SourceRowsAsync()).Should().Be(0);
        (await h.LedgerAsync()).Sales.Should().Be(0);

        var (_, next) = await h.PullAsync(from, to);

        next.Status.Should().Be(PullRunStatus.Succeeded);
        next.Inserted.Should().Be(RowsOf(Week));
        (await h.LedgerAsync()).Sales.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Rows_merged_but_not_derived_are_derived_by_the_next_run()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        var connector = new InterferingConnector(h.Connector) { MapFailures = 1 };

        var (_, broken) = await h.PullAsync(from, to, connector);

        broken.Status.Should().Be(PullRunStatus.Failed);
        broken.Error!.En.Should().Contain("the mapper fell over");
        broken.Inserted.Should().Be(RowsOf(Week), "the merge committed before the mapping failed");
        (await h.SourceRowsAsync(pendingOnly: true)).Should().Be(RowsOf(Week));
        (await h.LedgerAsync()).Sales.Should().Be(0);

        var (_, next) = await h.PullAsync(from, to, connector);

        next.Status.Should().Be(PullRunStatus.Succeeded);
        next.Inserted.Should().Be(0);
        next.Updated.Should().Be(0);
        (await h.SourceRowsAsync(pendingOnly: true)).Should().Be(0);

        await using var reference = await PullHarness.StartAsync(database, Week);
        await reference.PullAsync(from, to);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures(), "the ledger is what an unbroken pull makes");
    }

    [Fact]
    public async Task Reconciliation_on_a_realistic_report_matches_to_the_kopeck()
    {
        var report = FakeWildberriesReport.Generate(new DateOnly(2026, 1, 5), days: 21, ordersPerDay: 30, seed: 7);
        await using var h = await PullHarness.StartAsync(database, report, new WildberriesOptions { ReportLimit = 500, RowsPerPage = 200 });
        var (from, to) = WindowOf(report);

        var (runId, result) = await h.PullAsync(from, to);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.MarketplacePayout.Should().NotBeNull();
        result.LedgerPayout.Should().Be(result.MarketplacePayout);
        var mapping = h.Connector.MapDetailed(
            [.. await FetchAllAsync(h, from, to)]);
        mapping.UnmappedPayout.Should().Be(0m);
        var run = await h.RunRowAsync(runId);
        run.MarketplacePayout.Should().Be(result.MarketplacePayout);
        run.LedgerPayout.Should().Be(result.LedgerPayout);
    }

    [Fact]
    public async Task Progress_is_visible_in_the_run_row_while_the_fetch_goes_on()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        var seen = new List<(string Status, int Pages, int Rows)>();
        var connector = new InterferingConnector(h.Connector);
        var runId = await h.QueueAsync(from, to);
        connector.AfterPage = _ =>
        {
            var row = h.RunRowAsync(runId).GetAwaiter().GetResult();
            seen.Add((row.Status, row.PagesRead, row.RowsRead));
        };

        var result = await h.Runner.RunAsync(runId, h.Connection, connector, PullHarness.Moscow, CancellationToken.None);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        seen.Should().HaveCount(result.PagesRead);
        seen.Should().OnlyContain(s => s.Status == "running");
        seen.Select(s => s.Pages).Should().Equal(Enumerable.Range(1, result.PagesRead), "each page is committed with its progress");
        seen.Select(s => s.Rows).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        seen[^1].Rows.Should().Be(RowsOf(Week));
    }

    [Fact]
    public async Task Rows_of_an_order_that_arrive_in_a_later_window_join_its_ledger_line()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        var split = from.AddDays(2);

        var (_, first) = await h.PullAsync(from, split);
        var (_, second) = await h.PullAsync(split.AddDays(1), to);

        first.Status.Should().Be(PullRunStatus.Succeeded);
        second.Status.Should().Be(PullRunStatus.Succeeded);
        (first.Inserted + second.Inserted).Should().Be(RowsOf(Week));
        await using var reference = await PullHarness.StartAsync(database, Week);
        await reference.PullAsync(from, to);
        var whole = await reference.LedgerAsync();
        whole.Returns.Should().BeGreaterThan(0);
        (await h.LedgerAsync()).Figures().Should().Be(whole.Figures(), "returns and logistics of later days land on their orders' lines");
    }

    [Fact]
    public async Task Reconciliation_of_a_window_that_cuts_orders_compares_those_orders_whole_and_the_window_s_days()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to);
        var (middleFrom, middleTo) = (from.AddDays(2), from.AddDays(4));

        var (_, result) = await h.PullAsync(middleFrom, middleTo);

        // The marketplace side: every stored row of the orders with a row in the window (or ordered or returned in it),
        // and the window's rows of no order.
        var all = await FetchAllAsync(h, from, to);
        var orders = all.Where(r => r.OrderKey is not null && r.BusinessDate >= middleFrom && r.BusinessDate <= middleTo).Select(r => r.OrderKey).ToHashSet();
        await using (var ledgerOrders = database.DataSource.CreateCommand(
            """
            SELECT order_id FROM sales_lines WHERE workspace_id = $1 AND (ordered_at AT TIME ZONE 'Europe/Moscow')::date BETWEEN $2 AND $3
            UNION SELECT order_id FROM returns WHERE workspace_id = $1 AND (returned_at AT TIME ZONE 'Europe/Moscow')::date BETWEEN $2 AND $3
            """))
        {
            ledgerOrders.Parameters.Add(new NpgsqlParameter { Value = h.WorkspaceId });
            ledgerOrders.Parameters.Add(new NpgsqlParameter { Value = middleFrom });
            ledgerOrders.Parameters.Add(new NpgsqlParameter { Value = middleTo });
            await using var reader = await ledgerOrders.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                orders.Add(reader.GetString(0));
            }
        }

        var scope = all.Where(r => orders.Contains(r.OrderKey)
            || (r.OrderKey is null && r.BusinessDate >= middleFrom && r.BusinessDate <= middleTo)).ToList();
        result.MarketplacePayout.Should().Be(h.Connector.MarketplacePayout(scope));
        result.LedgerPayout.Should().Be(result.MarketplacePayout);
        result.Reconciled.Should().BeTrue();
        result.Reconciliation!.En.Should().StartWith("The ledger matches the marketplace to the kopeck");
        result.Reconciliation.Ru.Should().StartWith("Учёт совпадает с маркетплейсом до копейки");
    }

    [Fact]
    public async Task A_line_restated_to_another_day_leaves_both_days_fees_right()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to);
        var storage = Week.Lines.First(l => l.StorageFee > 0m && l.ReportDate < to);
        var moved = storage.ReportDate.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var restated = Week.Restate(l => l.RrdId == storage.RrdId, l => l with { RrDt = moved, SaleDt = moved });
        h.Fake.Report = restated;

        var (_, result) = await h.PullAsync(from, to);

        result.Updated.Should().Be(1);
        await using var reference = await PullHarness.StartAsync(database, restated);
        await reference.PullAsync(from, to);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures());
        result.LedgerPayout.Should().Be(result.MarketplacePayout);
    }

    [Fact]
    public async Task An_abandoned_run_is_marked_interrupted_and_its_staging_deleted_but_a_live_one_is_left_alone()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var abandoned = await h.QueueAsync(Start, Start.AddDays(6));
        var live = await h.QueueAsync(Start, Start.AddDays(6));
        var longAgo = h.Time.GetUtcNow().AddHours(-2);
        foreach (var run in new[] { abandoned, live })
        {
            await PullHarness.ExecuteAsync(database, "UPDATE pull_runs SET status = 'running', started_at = $2 WHERE id = $1", run, longAgo);
            await PullHarness.ExecuteAsync(
                database,
                "INSERT INTO pull_staging (workspace_id, run_id, feed, source_id, order_key, business_date, payload) SELECT workspace_id, id, 'wb.realization', '1', 'x', '2026-02-01', '{}' FROM pull_runs WHERE id = $1",
                run);
        }

        // The live run's process holds its lock.
        await using var liveProcess = await database.DataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand(
            "SELECT pg_advisory_lock(hashtextextended('sellerdesk.pull_run:' || $1::text, 0))", liveProcess))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = live });
            await take.ExecuteScalarAsync();
        }

        var cleaned = await h.Runner.CleanUpAbandonedAsync(TimeSpan.FromMinutes(30), CancellationToken.None);

        cleaned.Should().Contain(abandoned).And.NotContain(live);
        (await h.RunRowAsync(abandoned)).Should().Match<RunRow>(r => r.Status == "failed" && r.Finished
            && LocalText.Decode(r.Error)!.En == PullTexts.Interrupted.En + " " + PullTexts.RetryByHand.En);
        (await h.StagingRowsAsync(abandoned)).Should().Be(0);
        (await h.RunRowAsync(live)).Status.Should().Be("running");
        (await h.StagingRowsAsync(live)).Should().Be(1);
        (await h.SourceRowsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_runner_that_maps_in_small_parts_makes_the_same_ledger_and_reconciliation_as_one_part()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        var small = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), h.Time) { MappingPartRows = 3 };
        await using var reference = await PullHarness.StartAsync(database, Week);

        var whole = await PullWithAsync(h, small, from, to);
        var expected = (await reference.PullAsync(from, to)).Result;
        var cut = await PullWithAsync(h, small, from.AddDays(2), from.AddDays(4));
        var expectedCut = (await reference.PullAsync(from.AddDays(2), from.AddDays(4))).Result;

        whole.Status.Should().Be(PullRunStatus.Succeeded);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures());
        (whole.MarketplacePayout, whole.LedgerPayout).Should().Be((expected.MarketplacePayout, expected.LedgerPayout));
        whole.LedgerPayout.Should().Be(whole.MarketplacePayout);
        (cut.MarketplacePayout, cut.LedgerPayout).Should().Be((expectedCut.MarketplacePayout, expectedCut.LedgerPayout));
        cut.LedgerPayout.Should().Be(cut.MarketplacePayout, "reconciliation compares whole orders, whatever the window cuts");

        static async Task<PullRunResult> PullWithAsync(PullHarness h, PullRunner runner, DateOnly from, DateOnly to) =>
            await runner.RunAsync(await h.QueueAsync(from, to), h.Connection, h.Connector, PullHarness.Moscow, CancellationToken.None);
    }

    [Fact]
    public async Task A_runner_that_writes_the_ledger_in_small_parts_makes_the_same_ledger_and_reconciliation_and_a_re_pull_changes_nothing()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        var parts = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), h.Time) { MappingPartRows = 3, WritePartRows = 7 };
        await using var reference = await PullHarness.StartAsync(database, Week);

        var whole = await PullWithAsync(h, parts, from, to);
        var expected = (await reference.PullAsync(from, to)).Result;
        var writes = await CountAsync("SELECT count(*) FROM ledger_changes WHERE workspace_id = $1", h.WorkspaceId);
        var before = await h.LedgerAsync();
        var again = await PullWithAsync(h, parts, from, to);
        var cut = await PullWithAsync(h, parts, from.AddDays(2), from.AddDays(4));
        var expectedCut = (await reference.PullAsync(from.AddDays(2), from.AddDays(4))).Result;

        whole.Status.Should().Be(PullRunStatus.Succeeded);
        writes.Should().BeGreaterThan(3, "the derivation was written in several parts");
        before.Figures().Should().Be((await reference.LedgerAsync()).Figures());
        (whole.MarketplacePayout, whole.LedgerPayout).Should().Be((expected.MarketplacePayout, expected.LedgerPayout));
        whole.LedgerPayout.Should().Be(whole.MarketplacePayout);
        (again.Inserted, again.Updated).Should().Be((0, 0));
        (await h.LedgerAsync()).Should().Be(before);
        (cut.MarketplacePayout, cut.LedgerPayout).Should().Be((expectedCut.MarketplacePayout, expectedCut.LedgerPayout));

        static async Task<PullRunResult> PullWithAsync(PullHarness h, PullRunner runner, DateOnly from, DateOnly to) =>
            await runner.RunAsync(await h.QueueAsync(from, to), h.Connection, h.Connector, PullHarness.Moscow, CancellationToken.None);
    }

    [Fact]
    public async Task A_restatement_that_moves_sales_of_orders_in_many_parts_to_other_orders_leaves_no_stale_line()
    {
        // Parts of 7 source rows: the orders whose sale lines move to another order (srid) are spread over many written
        // parts, and each part's stale lines are found and deleted with that part (memory holds one part's keys).
        await using var h = await PullHarness.StartAsync(database, Week);
        await using var reference = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        var parts = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), h.Time) { MappingPartRows = 3, WritePartRows = 7 };
        (await parts.RunAsync(await h.QueueAsync(from, to), h.Connection, h.Connector, PullHarness.Moscow, CancellationToken.None))
            .Status.Should().Be(PullRunStatus.Succeeded);
        await reference.PullAsync(from, to);
        var before = await h.LedgerAsync();

        var sales = Week.Lines.Where(l => l.SupplierOperName == "Продажа").OrderBy(l => l.Srid, StringComparer.Ordinal).ToList();
        var moved = sales.Where((_, i) => i % 4 == 0).Select(l => l.RrdId).ToHashSet();
        var restated = Week.Restate(l => moved.Contains(l.RrdId), l => l with { Srid = "MOVED-" + l.Srid });
        h.Fake.Report = restated;
        reference.Fake.Report = restated;
        var result = await parts.RunAsync(await h.QueueAsync(from, to), h.Connection, h.Connector, PullHarness.Moscow, CancellationToken.None);
        await reference.PullAsync(from, to);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        var after = await h.LedgerAsync();
        (await CountAsync("SELECT count(*) FROM sales_lines WHERE workspace_id = $1 AND order_id LIKE 'MOVED-%'", h.WorkspaceId))
            .Should().Be(moved.Count);
        after.Sales.Should().Be(before.Sales, "each moved line's old copy is deleted, whichever part its order was in");
        after.Figures().Should().Be((await reference.LedgerAsync()).Figures());
        var changedOrders = await CountAsync(
            "SELECT count(DISTINCT o) FROM ledger_changes, unnest(order_ids) AS o WHERE workspace_id = $1 AND version > $2 AND o NOT LIKE 'MOVED-%'",
            h.WorkspaceId,
            before.LedgerVersion);
        changedOrders.Should().BeGreaterThanOrEqualTo(moved.Count, "the change log names the orders that lost lines, so reports patch them");
    }

    [Fact]
    public async Task A_page_sent_twice_is_merged_once()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        var connector = new InterferingConnector(h.Connector) { RepeatPage = 2 };

        var (runId, result) = await h.PullAsync(from, to, connector);

        result.Error.Should().BeNull();
        result.RowsRead.Should().BeGreaterThan(RowsOf(Week), "the repeated page was read twice");
        result.Inserted.Should().Be(RowsOf(Week));
        (await h.SourceRowsAsync()).Should().Be(RowsOf(Week));
        (await h.StagingRowsAsync(runId)).Should().Be(0);
        await using var reference = await PullHarness.StartAsync(database, Week);
        await reference.PullAsync(from, to);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures());
    }

    [Fact]
    public async Task Deleting_a_connection_deletes_its_source_rows_and_deleting_a_run_its_staging()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var (from, to) = WindowOf(Week);
        await h.PullAsync(from, to);
        var staged = await h.QueueAsync(from, to);
        await PullHarness.ExecuteAsync(
            database,
            "INSERT INTO pull_staging (workspace_id, run_id, feed, source_id, order_key, business_date, payload) SELECT workspace_id, id, 'wb.realization', '1', 'x', '2026-02-01', '{}' FROM pull_runs WHERE id = $1",
            staged);
        (await h.SourceRowsAsync()).Should().Be(RowsOf(Week));

        await PullHarness.ExecuteAsync(database, "DELETE FROM pull_runs WHERE id = $1", staged);
        (await h.StagingRowsAsync(staged)).Should().Be(0);

        await PullHarness.ExecuteAsync(database, "DELETE FROM connections WHERE id = $1", h.Connection.Id);
        (await h.SourceRowsAsync()).Should().Be(0);
    }

    private static async Task<List<SellerDesk.Ingestion.Connectors.SourceRow>> FetchAllAsync(PullHarness h, DateOnly from, DateOnly to)
    {
        var rows = new List<SellerDesk.Ingestion.Connectors.SourceRow>();
        await foreach (var page in h.Connector.FetchAsync(h.Connection, new SellerDesk.Ingestion.Connectors.PullWindow(from, to), CancellationToken.None))
        {
            rows.AddRange(page.Rows);
        }

        return rows;
    }

    private async Task<long> CountAsync(string sql, Guid id, params object[] more)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        foreach (var value in more)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
