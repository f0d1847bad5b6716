using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Ingestion.Tests.Pulls;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>
/// Wildberries pulled end to end by the pull runner into real PostgreSQL: what the ledger ends as after restatements
/// that re-issue lines, after rows stored before the switch to the finance API meet new ones, after an undated ad
/// charge moves, and when the ads cannot be had.
/// </summary>
public sealed class WildberriesPullTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly FakeWildberriesReport Week = FakeWildberriesReport.Generate(Start, days: 7, ordersPerDay: 10, seed: 3);
    private static readonly DateOnly End = Start.AddDays(6);

    [Fact]
    public async Task A_sale_reissued_through_storno_and_corrected_lines_ends_as_one_sale_with_the_corrected_figures_after_a_re_pull()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        await h.PullAsync(Start, End);
        var sale = Week.Lines.First(l => l.SupplierOperName == "Продажа" && l.Quantity == 1 && !Week.Lines.Any(o => o.Srid == l.Srid && o.SupplierOperName == "Возврат"));
        var restated = Week.With(
            sale with { RrdId = 9_000_001, SupplierOperName = "Сторно продаж", DocTypeName = "Возврат", RrDt = End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            sale with { RrdId = 9_000_002, SupplierOperName = "Корректная продажа", RetailAmount = sale.RetailAmount - 40m, PpvzForPay = sale.PpvzForPay - 35m, RrDt = End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        h.Fake.Report = restated;

        var (_, result) = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.Inserted.Should().Be(2);
        result.LedgerPayout.Should().Be(result.MarketplacePayout, "the marketplace's payout of the restated report and the ledger's agree");
        (await SalesOfAsync(h, sale.Srid!)).Should().ContainSingle("the re-issued sale is not counted twice")
            .Which.Should().Be((sale.RetailAmount - 40m, 1));
        await using var reference = await PullHarness.StartAsync(database, restated);
        await reference.PullAsync(Start, End);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures());
    }

    [Fact]
    public async Task Rows_stored_in_the_v5_form_and_new_finance_API_rows_of_the_same_orders_derive_the_ledger_a_fresh_pull_would()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        await h.PullAsync(Start, End, new StoresAsV5(h.Connector));
        var lateDays = (From: End.AddDays(-1), To: End);
        var earlySale = Week.Lines.First(l => l.SupplierOperName == "Продажа" && l.ReportDate < lateDays.From);
        var restated = Week.With(new FakeWbReportLine
        {
            RrdId = 9_100_001, Srid = earlySale.Srid, NmId = earlySale.NmId, SupplierOperName = "Штраф", Penalty = 123.45m,
            RrDt = lateDays.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), SaleDt = lateDays.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        h.Fake.Report = restated;

        var (_, result) = await h.PullAsync(lateDays.From, lateDays.To);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        (await StoredPayloadAsync(h, earlySale.RrdId)).Should().Contain("\"ppvz_for_pay\"", "the early sale is still stored as v5 wrote it");
        await using var reference = await PullHarness.StartAsync(database, restated);
        await reference.PullAsync(Start, End);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures());
    }

    [Fact]
    public async Task An_undated_ad_charge_moved_by_a_later_window_is_counted_once_on_its_new_day()
    {
        var report = Week.WithAds(new FakeWbAdCharge { UpdNum = 0, UpdTime = null, UpdSum = 107m, AdvertId = 3366882, PaymentType = "Счет", ServeDate = Start.AddDays(3) });
        await using var h = await PullHarness.StartAsync(database, report);
        var weekAds = Week.AdCharges.Sum(c => c.UpdSum);

        await h.PullAsync(Start, End);
        var first = await h.LedgerAsync();
        await h.PullAsync(Start.AddDays(1), End.AddDays(1));

        first.AdAmount.Should().Be(weekAds + 107m);
        (await h.LedgerAsync()).AdAmount.Should().Be(weekAds + 107m, "the charge moved to the new window's end, it was not added again");
        (await AdSpendOnAsync(h, End.AddDays(1))).Should().Be(107m);
    }

    [Fact]
    public async Task A_token_without_the_Promotion_category_still_lands_the_sales_and_the_run_carries_the_notice()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        var notices = new List<LocalText>();
        using var http = new HttpClient();
        var connector = new WildberriesConnector(new ResilientHttpSender(http, h.Time), new WildberriesOptions { ReportLimit = 60, RowsPerPage = 25, OnNotice = notices.Add });
        var connection = h.Connection with
        {
            Credentials = new Dictionary<string, string> { [WildberriesConnector.TokenKey] = h.Fake.IssueToken(WildberriesTokenCategory.Finance) },
        };

        var result = await h.Runner.RunAsync(await h.QueueAsync(Start, End), connection, connector, PullHarness.Moscow, CancellationToken.None);

        result.Status.Should().Be(PullRunStatus.Succeeded);
        result.Inserted.Should().Be(Week.Lines.Count);
        var ledger = await h.LedgerAsync();
        ledger.Sales.Should().BeGreaterThan(0);
        ledger.AdSpend.Should().Be(0);
        result.LedgerPayout.Should().Be(result.MarketplacePayout);
        notices.Should().BeEmpty("the failed feed is the runner's to tell");
        result.Notices.Should().ContainSingle().Which.Should().Match<LocalText>(n =>
            n.En.StartsWith("Ad spend was not pulled: the Wildberries token has no Promotion category", StringComparison.Ordinal)
            && n.Ru.StartsWith("Расходы на рекламу не загружены: у токена Wildberries нет категории «Продвижение»", StringComparison.Ordinal));
        var (status, lastError) = await h.ConnectionRowAsync();
        status.Should().Be("needs_token", "the token lacks a category the ads need");
        LocalText.Decode(lastError)!.En.Should().Contain("no Promotion category").And.NotContain("next run");
    }

    [Fact]
    public async Task A_report_method_refused_as_the_retired_v5_path_is_marks_the_connection_needs_update_until_a_run_succeeds()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();
        h.Fake.Retire(WildberriesConnector.ReportPath);

        var (_, result) = await h.PullAsync(Start, End);

        result.Status.Should().Be(PullRunStatus.Failed);
        result.Error!.En.Should().StartWith($"Wildberries has switched off the method POST {WildberriesConnector.ReportPath} (HTTP 403): ")
            .And.NotContain(FakeWildberries.RetiredDetail, "what the marketplace answered is not quoted back (base_url hardening)")
            .And.EndWith("this connection needs an update of SellerDesk's Wildberries connector", "a retired method is not retried: no next-run sentence follows");
        result.Error.Ru.Should().StartWith($"Wildberries отключил метод POST {WildberriesConnector.ReportPath}");
        (await h.LedgerAsync()).Figures().Should().Be(before.Figures(), "a failed run keeps nothing of itself and deletes nothing");
        var (status, lastError) = await h.ConnectionRowAsync();
        status.Should().Be("needs_update");
        LocalText.Decode(lastError).Should().Be(result.Error);

        h.Fake.Reinstate(WildberriesConnector.ReportPath);
        var (_, recovered) = await h.PullAsync(Start, End);

        recovered.Succeeded.Should().BeTrue(recovered.Error?.En);
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null));
    }

    [Fact]
    public async Task A_re_pull_deletes_the_report_lines_and_ad_charges_Wildberries_no_longer_sends_for_the_window_as_the_connector_declares_both_feeds_whole()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        await h.PullAsync(Start, End);
        var droppedLine = Week.Lines.First(l => l.SupplierOperName == "Продажа" && Week.Lines.Count(o => o.Srid == l.Srid) > 1);
        var droppedCharge = Week.AdCharges[0];
        var changed = Week.Lines.First(l => l.SupplierOperName == "Продажа" && l.Srid != droppedLine.Srid);
        var restated = new FakeWildberriesReport(
            Week.Lines.Where(l => l.RrdId != droppedLine.RrdId).Select(l => l.RrdId == changed.RrdId ? l with { RetailAmount = l.RetailAmount + 10m, PpvzForPay = l.PpvzForPay + 10m } : l),
            Week.AdCharges.Skip(1));
        h.Fake.Report = restated;

        var (_, result) = await h.PullAsync(Start, End);

        result.Succeeded.Should().BeTrue(result.Error?.En);
        result.Dropped.Should().Be(2, "one report line and one ad charge were dropped by the marketplace");
        result.Updated.Should().Be(1);
        result.Reconciled.Should().BeTrue(result.Reconciliation?.En);
        await using var reference = await PullHarness.StartAsync(database, restated);
        await reference.PullAsync(Start, End);
        (await h.LedgerAsync()).Figures().Should().Be((await reference.LedgerAsync()).Figures(), "the ledger is what a fresh pull of the restated report makes");
        (await h.LedgerAsync()).AdAmount.Should().Be(Week.AdCharges.Sum(c => c.UpdSum) - droppedCharge.UpdSum);
        (await h.SourceRowsAsync()).Should().Be(restated.Lines.Count + restated.AdCharges.Count);
    }

    [Fact]
    public async Task Ads_failing_on_a_re_pull_land_the_restated_sales_keep_the_ad_spend_stored_before_and_say_so_in_both_languages()
    {
        await using var h = await PullHarness.StartAsync(database, Week);
        await h.PullAsync(Start, End);
        var before = await h.LedgerAsync();
        var droppedLine = Week.Lines.First(l => l.SupplierOperName == "Продажа" && Week.Lines.Count(o => o.Srid == l.Srid) > 1);
        h.Fake.Report = new FakeWildberriesReport(Week.Lines.Where(l => l.RrdId != droppedLine.RrdId), Week.AdCharges.Skip(2));
        h.Fake.FailNext(100, status: 502, path: WildberriesConnector.AdsPath);

        var (_, result) = await h.PullAsync(Start, End);

        result.Succeeded.Should().BeTrue("ads failing never sinks the sales already read: {0}", result.Error?.En);
        result.Dropped.Should().Be(1, "only the report line: nothing of the failed ads feed is deleted");
        var after = await h.LedgerAsync();
        after.AdSpend.Should().Be(before.AdSpend);
        after.AdAmount.Should().Be(before.AdAmount, "the ad charges stored before are kept though the marketplace could not be asked");
        after.Revenue.Should().Be(before.Revenue - droppedLine.RetailAmount, "the restated report landed");
        result.Notices.Should().ContainSingle().Which.Should().Be(new LocalText(
            "Ad spend was not pulled: Wildberries answered 502 five times in a row. Sales, returns and fees were pulled; ad spend pulled before is kept as it was",
            "Расходы на рекламу не загружены: Wildberries 5 раз подряд ответил 502. Продажи, возвраты и удержания загружены; загруженные ранее расходы на рекламу сохранены как были"));
        var (status, lastError) = await h.ConnectionRowAsync();
        status.Should().Be("failing");
        LocalText.Decode(lastError)!.Should().Be(new LocalText(
            result.Notices[0].En + " " + PullTexts.RetryByHand.En, result.Notices[0].Ru + " " + PullTexts.RetryByHand.Ru));

        h.Fake.FailNext(0, status: 502, path: WildberriesConnector.AdsPath);
        var (_, recovered) = await h.PullAsync(Start, End);
        recovered.Notices.Should().BeEmpty();
        (await h.LedgerAsync()).AdAmount.Should().Be(Week.AdCharges.Skip(2).Sum(c => c.UpdSum), "once the ads can be read, the dropped charges go");
        (await h.ConnectionRowAsync()).Should().Be(("healthy", (string?)null));
    }

    private static async Task<List<(decimal Revenue, int Quantity)>> SalesOfAsync(PullHarness h, string orderId)
    {
        await using var command = h.Database.DataSource.CreateCommand(
            "SELECT revenue, quantity FROM sales_lines WHERE workspace_id = $1 AND order_id = $2 ORDER BY line_id");
        command.Parameters.Add(new NpgsqlParameter { Value = h.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        await using var reader = await command.ExecuteReaderAsync();
        var sales = new List<(decimal, int)>();
        while (await reader.ReadAsync())
        {
            sales.Add((reader.GetDecimal(0), reader.GetInt32(1)));
        }

        return sales;
    }

    private static async Task<string> StoredPayloadAsync(PullHarness h, long rrdId)
    {
        await using var command = h.Database.DataSource.CreateCommand(
            "SELECT payload::text FROM source_rows WHERE connection_id = $1 AND feed = 'wb.realization' AND source_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = h.Connection.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = rrdId.ToString(CultureInfo.InvariantCulture) });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<decimal> AdSpendOnAsync(PullHarness h, DateOnly date)
    {
        await using var command = h.Database.DataSource.CreateCommand(
            "SELECT coalesce(sum(amount), 0) FROM ad_spend WHERE workspace_id = $1 AND date = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = h.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = date });
        return (decimal)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The connector as it was before the switch, as far as storage is concerned: report rows keep v5 payloads.</summary>
    private sealed class StoresAsV5(WildberriesConnector inner) : IMarketplaceConnector
    {
        public string Marketplace => inner.Marketplace;

        public async IAsyncEnumerable<SourcePage> FetchAsync(
            ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var page in inner.FetchAsync(connection, window, cancellationToken))
            {
                yield return page with
                {
                    Rows = [.. page.Rows.Select(r => r.Feed == WildberriesConnector.RealizationFeed
                        ? r with { Payload = FakeWildberriesReport.LegacyV5Json(JsonSerializer.Deserialize<FakeWbReportLine>(r.Payload, FakeWildberries.Json)!) }
                        : r)],
                };
            }
        }

        public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone) => inner.Map(rows, zone);

        public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => inner.MarketplacePayout(rows);
    }
}
