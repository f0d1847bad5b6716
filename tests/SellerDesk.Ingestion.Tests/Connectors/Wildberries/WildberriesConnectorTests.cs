using System.Globalization;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Ingestion.Tests.Connectors.Wildberries.WildberriesFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>Fetching from a fake Wildberries over real HTTP: paging, throttling, failures, tokens, ad windows.</summary>
public sealed class WildberriesConnectorTests
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly FakeWildberriesReport FiveDays = FakeWildberriesReport.Generate(Start, days: 5, ordersPerDay: 4);
    private static readonly WildberriesOptions SmallPages = new() { ReportLimit = 7, RowsPerPage = 5 };

    [Fact]
    public async Task Every_page_of_the_report_is_asked_for_by_POST_from_rrdId_0_until_Wildberries_answers_204()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays, SmallPages);
        var lines = FiveDays.Lines;

        var pages = await wb.FetchPagesAsync(Start, Start.AddDays(4));

        var reportRows = pages.SelectMany(p => p.Rows).Where(r => r.Feed == WildberriesConnector.RealizationFeed).ToList();
        reportRows.Select(r => r.SourceId).Should().Equal(lines.Select(l => l.RrdId.ToString(CultureInfo.InvariantCulture)));
        var requests = wb.Fake.ReportRequests;
        var expectedAfter = new List<long> { 0 };
        expectedAfter.AddRange(lines.Chunk(7).Select(page => page[^1].RrdId));
        requests.Select(r => long.Parse(r["rrdId"]!, CultureInfo.InvariantCulture)).Should().Equal(expectedAfter);
        requests.Select(r => r.Status).Should().Equal([.. Enumerable.Repeat(200, expectedAfter.Count - 1), 204]);
        requests.Should().OnlyContain(r =>
            r.Method == "POST" && r.Authorization == FakeWildberries.DefaultToken && r.ContentType!.StartsWith("application/json")
            && r["dateFrom"] == "2026-03-01" && r["dateTo"] == "2026-03-05T23:59:59" && r["limit"] == "7" && r["period"] == "daily"
            && r.Accept!.Contains("application/json"));
        var withRows = pages.Where(p => p.Rows.Count > 0).ToList();
        withRows.Select(p => p.PagesRead).Should().Equal(Enumerable.Range(1, withRows.Count));
        withRows.Where(p => p.Rows[0].Feed == WildberriesConnector.RealizationFeed).Should().OnlyContain(p => p.Rows.Count <= 5);
        var reportEnd = pages.FindIndex(p => p.CompletedFeeds.Contains(WildberriesConnector.RealizationFeed));
        reportEnd.Should().Be(pages.FindLastIndex(p => p.Rows.Any(r => r.Feed == WildberriesConnector.RealizationFeed)), "the report's last page declares it whole");
        pages.SelectMany(p => p.CompletedFeeds).Should().Equal(WildberriesConnector.RealizationFeed, WildberriesConnector.AdsFeed, WildberriesConnector.StatisticsFeed);
        pages[^1].CompletedFeeds.Should().Equal([WildberriesConnector.AdsFeed, WildberriesConnector.StatisticsFeed], "no campaign has statistics: the ads' last page declares both");
        pages.Should().OnlyContain(p => p.FailedFeeds.Count == 0);
        wb.Fake.AdsRequests.Should().ContainSingle().Which.Should().Match<FakeWbRequest>(r => r.Method == "GET" && r["from"] == "2026-03-01" && r["to"] == "2026-03-05");
        wb.Time.Delays.Should().BeEmpty();
        wb.Notices.Should().BeEmpty();
    }

    [Fact]
    public async Task Paging_goes_on_across_pages_through_throttling_and_server_errors_without_losing_or_repeating_a_line()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays, SmallPages);
        wb.Fake.ThrottleNext(2, retrySeconds: 7, path: WildberriesConnector.ReportPath, after: 2);
        wb.Fake.FailNext(2, status: 503, path: WildberriesConnector.ReportPath, after: 4);

        var rows = await wb.FetchAsync(Start, Start.AddDays(4));

        rows.Where(r => r.Feed == WildberriesConnector.RealizationFeed).Select(r => r.SourceId)
            .Should().Equal(FiveDays.Lines.Select(l => l.RrdId.ToString(CultureInfo.InvariantCulture)), "every line once, in order");
        var requests = wb.Fake.ReportRequests;
        requests.Take(8).Select(r => r.Status).Should().Equal(200, 200, 429, 429, 200, 200, 503, 503);
        requests.Skip(2).Take(3).Select(r => r["rrdId"]).Distinct().Should().ContainSingle("a throttled page is asked for again from the same line");
        requests.Skip(6).Take(3).Select(r => r["rrdId"]).Distinct().Should().ContainSingle("a page that failed is asked for again from the same line");
        wb.Time.Delays.Take(2).Should().Equal(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7));
        wb.Time.Delays.Should().HaveCount(4);
    }

    [Fact]
    public async Task Source_rows_keep_the_line_whole_with_its_srid_and_Moscow_report_date()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);

        var rows = await wb.FetchAsync(From, To);

        var sale = rows.Single(r => r.SourceId == "3");
        sale.Should().BeEquivalentTo(new { Feed = "wb.realization", OrderKey = "srid-b", BusinessDate = new DateOnly(2026, 3, 2) });
        using (var payload = JsonDocument.Parse(sale.Payload))
        {
            payload.RootElement.GetProperty("forPay").GetString().Should().Be("2050.00", "money comes as strings and is kept as it came");
            payload.RootElement.GetProperty("sellerOperName").GetString().Should().Be("Продажа");
            payload.RootElement.GetProperty("retailPrice").GetString().Should().Be("3000", "fields the mapping does not read are kept too");
        }

        rows.Single(r => r.SourceId == "11").OrderKey.Should().BeNull("storage belongs to no order");
        rows.Where(r => r.Feed == WildberriesConnector.AdsFeed).Select(r => (r.SourceId, r.OrderKey, r.BusinessDate)).Should().Equal(
            ("501@2026-03-02T10:00:00+03:00", (string?)null, new DateOnly(2026, 3, 2)),
            ("502@2026-03-02T18:00:00", null, new DateOnly(2026, 3, 2)),
            ("501@2026-03-03T09:00:00", null, new DateOnly(2026, 3, 3)));
    }

    [Fact]
    public async Task Partial_lines_as_in_WB_samples_null_dates_and_missing_ids_become_rows_dated_by_what_they_have()
    {
        var report = new FakeWildberriesReport(
        [
            new FakeWbReportLine { RrdId = 1, Srid = null, NmId = null, SupplierOperName = "Хранение", StorageFee = 10m, OrderDt = null, SaleDt = null, RrDt = "2026-03-02" },
            new FakeWbReportLine { RrdId = 2, Srid = "s-1", NmId = 7, SupplierOperName = "Логистика", DeliveryRub = 50m, OrderDt = null, RrDt = null, SaleDt = "2026-03-03T10:00:00" },
        ]);
        await using var wb = await WildberriesHarness.StartAsync(report);

        var rows = await wb.FetchAsync(From, To);

        rows.Where(r => r.Feed == WildberriesConnector.RealizationFeed).Select(r => (r.SourceId, r.OrderKey, r.BusinessDate)).Should().Equal(
            ("1", (string?)null, new DateOnly(2026, 3, 2)),
            ("2", "s-1", new DateOnly(2026, 3, 3)));
        rows.Single(r => r.SourceId == "1").Payload.Should().NotContain("\"srid\"").And.Contain("\"orderDt\":null");
    }

    [Fact]
    public async Task A_page_that_breaks_off_while_streaming_is_asked_again_from_the_last_line_read()
    {
        var report = FakeWildberriesReport.Generate(Start, days: 5, ordersPerDay: 40);
        await using var wb = await WildberriesHarness.StartAsync(report, new WildberriesOptions { ReportLimit = 300, RowsPerPage = 50 });
        wb.Fake.BreakOffNext(1, afterLines: 250);

        var rows = await wb.FetchAsync(Start, Start.AddDays(4));

        rows.Where(r => r.Feed == WildberriesConnector.RealizationFeed).Select(r => r.SourceId)
            .Should().Equal(report.Lines.Select(l => l.RrdId.ToString(CultureInfo.InvariantCulture)), "every line once, none twice");
        var requests = wb.Fake.ReportRequests;
        requests[0]["rrdId"].Should().Be("0");
        var resumedAfter = long.Parse(requests[1]["rrdId"]!, CultureInfo.InvariantCulture);
        resumedAfter.Should().BeInRange(report.Lines[0].RrdId, report.Lines[249].RrdId, "the lines that arrived before the break are kept");
        wb.Time.Delays.Should().ContainSingle().Which.Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_try_fails_as_throttled_in_both_languages_and_leaves_it_to_the_next_run()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays, SmallPages);
        wb.Fake.ThrottleNext(100, retrySeconds: 30);

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Text.En == "Wildberries is still throttling after 5 tries"
            && e.Text.Ru == "Wildberries всё ещё ограничивает частоту запросов после 5 попыток",
            "what the next run does is the runner's to say, from the connection's schedule");
        wb.Fake.Requests.Should().HaveCount(5);
        wb.Time.Delays.Should().Equal(Enumerable.Repeat(TimeSpan.FromSeconds(30), 4));
    }

    [Fact]
    public async Task An_advised_wait_of_hours_ends_the_run_at_once_instead_of_waiting()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        wb.Fake.ThrottleNext(1, retrySeconds: 41_938);

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Text.En == "Wildberries asks to wait 11 h 38 min before the next request"
            && e.Text.Ru == "Wildberries просит подождать 11 ч 38 мин до следующего запроса");
        wb.Fake.Requests.Should().ContainSingle();
        wb.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_revoked_token_stops_the_pull_after_exactly_one_request()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        wb.Fake.RevokeToken();

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized
            && e.Text.En == "token rejected by Wildberries: paste a new one with the Finance category"
            && e.Text.Ru == "Wildberries отклонил токен: вставьте новый токен с категорией «Финансы»");
        wb.Fake.Requests.Should().ContainSingle().Which.Status.Should().Be(401);
        wb.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_token_without_the_Finance_category_fails_at_once_saying_which_category_to_add()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        var statisticsOnly = wb.Fake.IssueToken(WildberriesTokenCategory.Statistics, WildberriesTokenCategory.Promotion);

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4), wb.Fake.Connection(token: statisticsOnly));

        var failure = (await fetch.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.Unauthorized);
        failure.Text.En.Should().Contain("has no Finance category").And.Contain("create a token with the Finance category");
        failure.Text.Ru.Should().Contain("нет категории «Финансы»").And.Contain("токен с категорией «Финансы»");
        wb.Fake.Requests.Should().ContainSingle().Which.Should().Match<FakeWbRequest>(r => r.IsReport && r.Status == 401);
    }

    [Fact]
    public async Task A_connection_without_a_token_fails_as_unauthorized_without_calling_Wildberries()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        var connection = wb.Connection with { Credentials = new Dictionary<string, string>() };

        var fetch = () => wb.FetchAsync(Start, Start, connection);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized && e.Text.Ru == "в подключении нет токена Wildberries: вставьте токен");
        wb.Fake.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Repeated_500s_back_off_with_growing_jittered_waits_then_fail_as_unavailable()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        wb.Fake.FailNext(100);

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable
            && e.Text.En == "Wildberries answered 500 five times in a row"
            && e.Text.Ru == "Wildberries 5 раз подряд ответил 500");
        wb.Fake.Requests.Should().HaveCount(5).And.OnlyContain(r => r.Status == 500);
        var delays = wb.Time.Delays;
        delays.Should().HaveCount(4).And.BeInAscendingOrder();
        for (var i = 0; i < delays.Count; i++)
        {
            var nominal = Math.Pow(2, i);
            delays[i].TotalSeconds.Should().BeInRange(nominal * 0.8, nominal * 1.2);
        }

        delays.Select((d, i) => d.TotalSeconds - Math.Pow(2, i)).Should().Contain(x => Math.Abs(x) > 0.001, "the waits are jittered");
    }

    [Fact]
    public async Task The_switched_off_v5_report_path_is_refused_as_Wildberries_refuses_it()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(
            HttpMethod.Get, new Uri(wb.Fake.BaseUrl, WildberriesConnector.RetiredReportPath + "?dateFrom=2026-03-01&dateTo=2026-03-05&rrdid=0"));
        request.Headers.TryAddWithoutValidation("Authorization", FakeWildberries.DefaultToken);

        using var response = await http.SendAsync(request);

        ((int)response.StatusCode).Should().Be(403);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("detail").GetString().Should().Be(FakeWildberries.RetiredDetail);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public async Task A_report_method_Wildberries_has_switched_off_fails_the_run_as_retired_naming_the_method(int status)
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        wb.Fake.Retire(WildberriesConnector.ReportPath, status);

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4));

        var failure = (await fetch.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.MethodRetired);
        failure.Text.En.Should().StartWith($"Wildberries has switched off the method POST /api/finance/v1/sales-reports/detailed (HTTP {status}): this connection needs an update")
            .And.EndWith("this connection needs an update of SellerDesk's Wildberries connector");
        failure.Text.Ru.Should().StartWith("Wildberries отключил метод POST /api/finance/v1/sales-reports/detailed");
        wb.Fake.Requests.Should().ContainSingle("a switched-off method is not retried");
    }

    [Fact]
    public async Task A_switched_off_ads_method_leaves_the_sales_and_says_so_in_a_notice()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        wb.Fake.Retire(WildberriesConnector.AdsPath, 404);

        var rows = await wb.FetchAsync(Start, Start.AddDays(4));

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(FiveDays.Lines.Count);
        rows.Should().NotContain(r => r.Feed == WildberriesConnector.AdsFeed);
        wb.Failed.Should().ContainSingle().Which.Should().Match<FeedFailure>(f => f.Feed == WildberriesConnector.AdsFeed && f.Failure == ConnectorFailure.MethodRetired);
        wb.Notices.Should().ContainSingle().Which.Should().Match<LocalText>(n =>
            n.En.StartsWith("Ad spend was not pulled: Wildberries has switched off the method GET /adv/v1/upd (HTTP 404")
            && n.Ru.StartsWith("Расходы на рекламу не загружены: Wildberries отключил метод GET /adv/v1/upd"));
    }

    [Fact]
    public async Task A_token_without_the_Promotion_category_keeps_the_sales_and_the_run_says_ad_spend_was_not_pulled()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        var financeOnly = wb.Fake.IssueToken(WildberriesTokenCategory.Finance);

        var rows = await wb.FetchAsync(Start, Start.AddDays(4), wb.Fake.Connection(token: financeOnly));

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(FiveDays.Lines.Count);
        rows.Should().NotContain(r => r.Feed == WildberriesConnector.AdsFeed);
        wb.Fake.AdsRequests.Should().ContainSingle().Which.Status.Should().Be(401);
        wb.Notices.Should().ContainSingle().Which.Should().Be(new LocalText(
            "Ad spend was not pulled: the Wildberries token has no Promotion category; add it to the token, or paste a separate ads token that has it. Sales, returns and fees were pulled; ad spend pulled before is kept as it was",
            "Расходы на рекламу не загружены: у токена Wildberries нет категории «Продвижение»; добавьте её токену или вставьте отдельный токен для рекламы с этой категорией. Продажи, возвраты и удержания загружены; загруженные ранее расходы на рекламу сохранены как были"));
        wb.Failed.Should().ContainSingle().Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
    }

    [Fact]
    public async Task A_rejected_separate_ads_token_keeps_the_sales_and_the_run_says_ad_spend_was_not_pulled()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        var connection = wb.Fake.Connection(adsToken: "promotion-only");

        var rows = await wb.FetchAsync(From, To, connection);

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(HandChecked.Lines.Count);
        wb.Fake.AdsRequests.Should().ContainSingle().Which.Authorization.Should().Be("promotion-only");
        wb.Fake.ReportRequests.Should().OnlyContain(r => r.Authorization == FakeWildberries.DefaultToken);
        wb.Notices.Should().ContainSingle().Which.En.Should().Be(
            "Ad spend was not pulled: Wildberries rejected the ads token; paste a new one with the Promotion category. Sales, returns and fees were pulled; ad spend pulled before is kept as it was");
    }

    [Fact]
    public async Task A_promotion_API_that_keeps_failing_after_retries_keeps_the_sales_and_the_run_says_why_ad_spend_is_missing()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        wb.Fake.FailNext(100, status: 502, path: WildberriesConnector.AdsPath);

        var rows = await wb.FetchAsync(Start, Start.AddDays(4));

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(FiveDays.Lines.Count);
        wb.Fake.AdsRequests.Should().HaveCount(5).And.OnlyContain(r => r.Status == 502);
        wb.Notices.Should().ContainSingle().Which.Should().Be(new LocalText(
            "Ad spend was not pulled: Wildberries answered 502 five times in a row. Sales, returns and fees were pulled; ad spend pulled before is kept as it was",
            "Расходы на рекламу не загружены: Wildberries 5 раз подряд ответил 502. Продажи, возвраты и удержания загружены; загруженные ранее расходы на рекламу сохранены как были"));
        wb.Failed.Should().ContainSingle().Which.Should().Match<FeedFailure>(f => f.Feed == WildberriesConnector.AdsFeed && f.Failure == ConnectorFailure.Unavailable);
    }

    [Fact]
    public async Task A_main_token_revoked_before_the_ads_are_asked_for_still_fails_the_run()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        wb.Fake.RevokeToken(after: 2);

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        wb.Fake.Requests.Select(r => (r.IsReport, r.IsAds, r.Status)).Should().Equal((true, false, 200), (true, false, 204), (false, true, 401));
        wb.Notices.Should().BeEmpty();
    }

    [Fact]
    public async Task An_ad_charge_without_a_time_as_in_WBs_own_sample_is_kept_dated_by_the_end_of_the_period_asked_for_under_a_stable_id()
    {
        // WB's documentation sample for /adv/v1/upd: the second charge has "updTime": null and "updNum": 0.
        var report = HandChecked.WithAds(new FakeWbAdCharge
        {
            UpdNum = 0, UpdTime = null, UpdSum = 107m, AdvertId = 3366882, CampName = "золотая луковица", AdvertType = 8,
            PaymentType = "Счет", AdvertStatus = 11, ServeDate = new DateOnly(2026, 3, 4),
        });
        await using var wb = await WildberriesHarness.StartAsync(report);

        var first = await wb.FetchAsync(From, To);
        var second = await wb.FetchAsync(From.AddDays(1), To.AddDays(1));

        var undated = first.Single(r => r.Payload.Contains("3366882"));
        undated.Should().BeEquivalentTo(new { Feed = WildberriesConnector.AdsFeed, SourceId = "3366882@undated:107", BusinessDate = To });
        second.Single(r => r.Payload.Contains("3366882")).Should().Match<SourceRow>(r =>
            r.SourceId == undated.SourceId && r.BusinessDate == To.AddDays(1), "the id holds no date, so a re-pull updates the row instead of adding one");
        var mapping = wb.Connector.MapDetailed(first);
        mapping.Gaps.Should().BeEmpty();
        mapping.Ledger.AdSpend.Single(a => a.Date == To).Amount.Should().Be(107m, "the money counts");
        wb.Notices.Should().HaveCount(2).And.AllSatisfy(n => n.En.Should().StartWith("Wildberries gave 1 ad charge(s) of 107 ₽ in all without a time (updTime null; campaigns 3366882)"));
        wb.Notices[0].Ru.Should().Contain("updTime = null").And.Contain("07.03.2026");
    }

    [Fact]
    public async Task Two_identical_undated_charges_in_one_answer_are_two_rows_and_both_count()
    {
        var charge = new FakeWbAdCharge { UpdNum = 0, UpdTime = null, UpdSum = 50m, AdvertId = 77, ServeDate = new DateOnly(2026, 3, 2) };
        await using var wb = await WildberriesHarness.StartAsync(HandChecked.WithAds(charge, charge));

        var rows = await wb.FetchAsync(From, To);

        rows.Where(r => r.Payload.Contains("\"advertId\":77")).Select(r => r.SourceId).Should().Equal("77@undated:50", "77@undated:50#2");
        wb.Connector.Map(rows, WildberriesHarness.Moscow).AdSpend.Single(a => a.Date == To).Amount.Should().Be(100m);
    }

    [Fact]
    public async Task Ad_spend_over_more_than_31_days_is_asked_for_in_windows_of_at_most_31_days()
    {
        var from = new DateOnly(2026, 1, 1);
        var report = FakeWildberriesReport.Generate(from, days: 75, ordersPerDay: 1);
        await using var wb = await WildberriesHarness.StartAsync(report);

        var rows = await wb.FetchAsync(from, from.AddDays(74));

        wb.Fake.AdsRequests.Select(r => (r["from"], r["to"], r.Status)).Should().Equal(
            ("2026-01-01", "2026-01-31", 200),
            ("2026-02-01", "2026-03-03", 200),
            ("2026-03-04", "2026-03-16", 200));
        var ads = rows.Where(r => r.Feed == WildberriesConnector.AdsFeed).ToList();
        ads.Should().HaveCount(report.AdCharges.Count).And.OnlyHaveUniqueItems(r => r.SourceId);
        wb.Connector.Map(ads, WildberriesHarness.Moscow).AdSpend.Sum(a => a.Amount).Should().Be(report.AdCharges.Sum(c => c.UpdSum));
    }

    [Fact]
    public async Task A_full_pull_calls_only_the_Wildberries_methods_its_doc_lists()
    {
        var from = new DateOnly(2026, 1, 1);
        var report = FakeWildberriesReport.Generate(from, days: 40, ordersPerDay: 2);
        await using var wb = await WildberriesHarness.StartAsync(report, new WildberriesOptions { ReportLimit = 50 });
        var listed = ConnectorDocs.MethodsListed("wildberries.md");

        await wb.FetchAsync(from, from.AddDays(39));

        var called = wb.Fake.Requests.Select(r => (r.Method, r.Path)).Distinct().ToList();
        called.Should().Contain((HttpMethod.Post.Method, WildberriesConnector.ReportPath)).And.Contain((HttpMethod.Get.Method, WildberriesConnector.AdsPath))
            .And.Contain((HttpMethod.Get.Method, WildberriesConnector.CampaignsPath)).And.Contain((HttpMethod.Get.Method, WildberriesConnector.StatisticsPath));
        called.Should().OnlyContain(c => ConnectorDocs.Lists(listed, c.Method, c.Path), "every method the connector calls is in docs/connectors/wildberries.md");
        listed.Should().NotContain(m => m.Path == WildberriesConnector.RetiredReportPath, "the doc lists what is called, not the switched-off method");
        ConnectorDocs.LastChecked("wildberries.md").Should().Be(new DateOnly(2026, 12, 5));
    }
}
