using System.Globalization;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Ingestion.Tests.Connectors.Wildberries.WildberriesFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>
/// Campaign statistics against the fake Wildberries over real HTTP (docs/connectors/wildberries.md "Campaign
/// statistics"): which campaigns are asked for, the 50-campaign and 31-day limits, WB's own 429 header, a rejected
/// token, a restatement, a campaign claiming more orders than the report has, and what the rows map to.
/// </summary>
public sealed class WildberriesAttributionTests
{
    private static readonly DateOnly Day1 = new(2026, 3, 1);
    private static readonly DateOnly Day2 = new(2026, 3, 2);

    /// <summary>
    /// The hand-checked report (MUG-01 nm 111 ordered on March 1, TEE-02 nm 222 on March 1, CAP-03 nm 333 on March 2)
    /// with campaign 501 "Поиск" (active) claiming two MUG-01 orders on March 1 over two app types, where the report
    /// has one; 502 "Каталог" (paused) one CAP-03 order on March 2; 501 an nm the report does not have with no orders;
    /// and 503, completed in 2025, which is not asked for.
    /// </summary>
    private static readonly FakeWildberriesReport WithStatistics = HandChecked
        .WithCampaigns(
            new FakeWbCampaign(501, "Поиск", Status: 9),
            new FakeWbCampaign(502, "Каталог", Status: 11),
            new FakeWbCampaign(503, "Старая", Status: 7, Updated: "2025-06-01T10:00:00+03:00"),
            new FakeWbCampaign(504, "Черновик", Status: 4))
        .WithStatistics(
            new FakeWbStatistic(501, Day1, 111, Orders: 1, Sum: 120.50m, AppType: 1),
            new FakeWbStatistic(501, Day1, 111, Orders: 1, Sum: 200m, AppType: 32),
            new FakeWbStatistic(501, Day2, 999, Orders: 0, Sum: 15m),
            new FakeWbStatistic(502, Day2, 333, Orders: 1, Sum: 80m),
            new FakeWbStatistic(503, Day2, 333, Orders: 4, Sum: 10m));

    [Fact]
    public async Task Statistics_become_attribution_rows_per_day_campaign_and_vendor_code_with_the_over_claim_kept_as_claimed()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);

        var pages = await wb.FetchPagesAsync(From, To);
        var rows = pages.SelectMany(p => p.Rows).ToList();
        var mapping = wb.Connector.MapDetailed(rows);

        mapping.Attribution.Should().Equal(
            new AttributionRow(Day1, "wildberries", "wb_adv_501", "MUG-01", 2),
            new AttributionRow(Day2, "wildberries", "wb_adv_502", "CAP-03", 1));
        mapping.Gaps.Should().BeEmpty();
        mapping.Ledger.Sales.Count(s => s.Sku == "MUG-01" && DateOnly.FromDateTime(s.OrderedAt.DateTime) == Day1)
            .Should().Be(1, "campaign 501 claims two MUG-01 orders on March 1, and the report holds one: the claim is kept, 3.1 counts the rest as unmatched");
        mapping.Ledger.ChannelNames.Should().Contain("wb_adv_501", "Поиск").And.Contain("wb_adv_502", "Каталог");
        rows.Where(r => r.Feed == WildberriesConnector.StatisticsFeed).Select(r => (r.SourceId, r.BusinessDate, r.OrderKey)).Should().Equal(
            ("501:2026-03-01:111", Day1, (string?)null),
            ("501:2026-03-02:999", Day2, null),
            ("502:2026-03-02:333", Day2, null));
        var request = wb.Fake.StatisticsRequests.Should().ContainSingle().Subject;
        request.Should().Match<FakeWbRequest>(r => r.Method == "GET" && r.Status == 200 && r["ids"] == "501,502"
            && r["beginDate"] == "2026-03-01" && r["endDate"] == "2026-03-07");
        wb.Fake.Requests.Single(r => r.IsCampaigns)["statuses"].Should().Be("7,9,11");
        pages[^1].CompletedFeeds.Should().Equal(WildberriesConnector.StatisticsFeed);
        wb.Failed.Should().BeEmpty();
    }

    [Fact]
    public async Task The_stored_row_keeps_every_app_types_figures_as_Wildberries_sent_them()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);

        var row = (await wb.FetchAsync(From, To)).Single(r => r.SourceId == "501:2026-03-01:111");

        using var payload = System.Text.Json.JsonDocument.Parse(row.Payload);
        var root = payload.RootElement;
        root.GetProperty("campName").GetString().Should().Be("Поиск");
        root.GetProperty("vendorCode").GetString().Should().Be("MUG-01", "the run's report names nm 111 MUG-01");
        root.GetProperty("apps").EnumerateArray().Select(a => (a.GetProperty("appType").GetInt32(), a.GetProperty("nm").GetProperty("orders").GetInt32(), a.GetProperty("nm").GetProperty("sum").GetDecimal()))
            .Should().Equal((1, 1, 120.50m), (32, 1, 200m));
        root.GetProperty("apps")[0].GetProperty("nm").GetProperty("views").GetInt32().Should().Be(500);
    }

    [Fact]
    public async Task Campaigns_are_asked_for_at_most_50_at_a_time_and_31_days_at_a_time()
    {
        var from = new DateOnly(2026, 1, 1);
        var campaigns = Enumerable.Range(1, 60).Select(i => new FakeWbCampaign(1000 + i, "К" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var report = FakeWildberriesReport.Empty.WithCampaigns(campaigns).WithStatistics(
            new FakeWbStatistic(1001, from, 7, Orders: 1, Sum: 5m),
            new FakeWbStatistic(1060, from.AddDays(39), 7, Orders: 2, Sum: 5m));
        await using var wb = await WildberriesHarness.StartAsync(report);

        var rows = await wb.FetchAsync(from, from.AddDays(39));

        wb.Fake.StatisticsRequests.Select(r => (r["ids"]!.Split(',').Length, r["beginDate"], r["endDate"], r.Status)).Should().Equal(
            (50, "2026-01-01", "2026-01-31", 200),
            (50, "2026-02-01", "2026-02-09", 200),
            (10, "2026-01-01", "2026-01-31", 200),
            (10, "2026-02-01", "2026-02-09", 200));
        wb.Connector.MapDetailed(rows).Attribution.Should().Equal(
            new AttributionRow(from, "wildberries", "wb_adv_1001", "7", 1),
            new AttributionRow(from.AddDays(39), "wildberries", "wb_adv_1060", "7", 2));
    }

    [Fact]
    public async Task A_429_on_statistics_waits_the_X_Ratelimit_Retry_Wildberries_gives_and_loses_no_row()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);
        wb.Fake.ThrottleNext(2, retrySeconds: 20, path: WildberriesConnector.StatisticsPath);

        var rows = await wb.FetchAsync(From, To);

        wb.Time.Delays.Should().Equal(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        wb.Fake.StatisticsRequests.Select(r => r.Status).Should().Equal(429, 429, 200);
        rows.Count(r => r.Feed == WildberriesConnector.StatisticsFeed).Should().Be(3);
        wb.Failed.Should().BeEmpty();
    }

    [Fact]
    public async Task A_wait_longer_than_a_run_waits_fails_only_the_statistics_in_both_languages_and_keeps_the_rest()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);
        wb.Fake.ThrottleNext(1, retrySeconds: 3582, path: WildberriesConnector.StatisticsPath);

        var pages = await wb.FetchPagesAsync(From, To);
        var rows = pages.SelectMany(p => p.Rows).ToList();

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(HandChecked.Lines.Count);
        rows.Count(r => r.Feed == WildberriesConnector.AdsFeed).Should().Be(3);
        rows.Should().NotContain(r => r.Feed == WildberriesConnector.StatisticsFeed);
        pages.SelectMany(p => p.CompletedFeeds).Should().NotContain(WildberriesConnector.StatisticsFeed, "a failed feed is never declared whole: its stored rows stay");
        wb.Failed.Should().ContainSingle().Which.Should().Match<FeedFailure>(f =>
            f.Feed == WildberriesConnector.StatisticsFeed && f.Failure == ConnectorFailure.Throttled
            && f.Text.En.StartsWith("Campaign statistics (orders attributed to campaigns) were not pulled: Wildberries asks to wait 60 min before the next request", StringComparison.Ordinal)
            && f.Text.En.EndsWith("attribution pulled before is kept as it was", StringComparison.Ordinal)
            && f.Text.Ru.StartsWith("Статистика кампаний (заказы, приписанные кампаниям) не загружена: ", StringComparison.Ordinal));
        wb.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_token_revoked_before_the_statistics_stops_the_run_at_the_first_401()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);
        wb.Fake.RevokeToken(after: 3); // the report's two requests and the ad charges go through

        var act = () => wb.FetchAsync(From, To);

        (await act.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        wb.Fake.Requests.Where(r => r.Status == 401).Should().ContainSingle().Which.IsCampaigns.Should().BeTrue();
        wb.Fake.StatisticsRequests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_switched_off_statistics_method_fails_the_feed_as_retired_and_the_run_goes_on()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);
        wb.Fake.Retire(WildberriesConnector.StatisticsPath, 404);

        await wb.FetchAsync(From, To);

        wb.Failed.Should().ContainSingle().Which.Should().Match<FeedFailure>(f =>
            f.Feed == WildberriesConnector.StatisticsFeed && f.Failure == ConnectorFailure.MethodRetired
            && f.Text.En.Contains("GET /adv/v3/fullstats (HTTP 404)") && f.Text.Ru.Contains("GET /adv/v3/fullstats"));
    }

    [Fact]
    public async Task A_restatement_changes_and_drops_statistics_rows_under_their_ids_and_declares_the_feed_whole()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);
        var before = (await wb.FetchAsync(From, To)).Where(r => r.Feed == WildberriesConnector.StatisticsFeed).ToList();
        wb.Fake.Report = WithStatistics.RestateStatistics(
        [
            new FakeWbStatistic(501, Day1, 111, Orders: 1, Sum: 120.50m, AppType: 1),
            new FakeWbStatistic(502, Day2, 333, Orders: 2, Sum: 95m),
        ]);

        var pages = await wb.FetchPagesAsync(From, To);
        var after = pages.SelectMany(p => p.Rows).Where(r => r.Feed == WildberriesConnector.StatisticsFeed).ToList();

        after.Select(r => r.SourceId).Should().Equal("501:2026-03-01:111", "502:2026-03-02:333");
        before.Select(r => r.SourceId).Except(after.Select(r => r.SourceId)).Should().Equal("501:2026-03-02:999");
        after.Single(r => r.SourceId == "502:2026-03-02:333").Payload.Should().NotBe(before.Single(r => r.SourceId == "502:2026-03-02:333").Payload);
        pages.SelectMany(p => p.CompletedFeeds).Should().Contain(WildberriesConnector.StatisticsFeed);
        wb.Connector.MapDetailed([.. pages.SelectMany(p => p.Rows)]).Attribution.Should().Equal(
            new AttributionRow(Day1, "wildberries", "wb_adv_501", "MUG-01", 1),
            new AttributionRow(Day2, "wildberries", "wb_adv_502", "CAP-03", 2));
    }

    [Fact]
    public void An_nm_the_report_does_not_name_keeps_its_nmId_as_sku_and_an_unreadable_row_is_a_gap_of_no_money()
    {
        var connector = new WildberriesConnector(new Ingestion.Connectors.Http.ResilientHttpSender(new HttpClient(), TimeProvider.System));
        SourceRow[] rows =
        [
            new(WildberriesConnector.StatisticsFeed, "7:2026-03-01:55", null, Day1,
                """{"advertId":7,"campName":"Бренд","date":"2026-03-01","nmId":55,"vendorCode":null,"apps":[{"appType":1,"nm":{"nmId":55,"orders":3,"sum":10}}]}"""),
            new(WildberriesConnector.StatisticsFeed, "7:2026-03-01:56", null, Day1, """{"advertId":7,"apps":"broken"}"""),
            new(WildberriesConnector.StatisticsFeed, "8:2026-03-01:55", null, Day1,
                """{"advertId":8,"campName":null,"date":"2026-03-01","nmId":55,"vendorCode":"X-1","apps":[{"appType":1,"nm":{"nmId":55,"orders":-1}}]}"""),
        ];

        var mapping = connector.MapDetailed(rows);

        mapping.Attribution.Should().Equal(new AttributionRow(Day1, "wildberries", "wb_adv_7", "55", 3));
        mapping.Ledger.ChannelNames.Should().Equal(new Dictionary<string, string> { ["wb_adv_7"] = "Бренд" });
        mapping.Gaps.Select(g => (g.SourceIds.Single(), g.PayoutEffect)).Should().Equal(("7:2026-03-01:56", 0m), ("8:2026-03-01:55", 0m));
        mapping.Gaps[1].Reason.Should().Be("attribution of -1 orders to wb_adv_8 for X-1 on 2026-03-01 is not a count of orders");
    }

    [Fact]
    public async Task Spend_reconciles_per_day_and_campaign_with_the_raw_charges_and_a_dropped_ledger_row_shows()
    {
        await using var wb = await WildberriesHarness.StartAsync(WithStatistics);
        var rows = await wb.FetchAsync(From, To);
        var ledger = wb.Connector.Map(rows, WildberriesHarness.Moscow);

        WildberriesSpend.Reconcile(rows, ledger).Should().BeEmpty();
        ledger.AdSpend.Sum(a => a.Amount).Should().Be(HandChecked.AdCharges.Sum(c => c.UpdSum));
        var tampered = ledger with { AdSpend = [.. ledger.AdSpend.Where(a => !(a.Channel == "wb_adv_502"))] };
        WildberriesSpend.Reconcile(rows, tampered).Should().Equal(new SpendDifference(Day2, "wb_adv_502", 300.50m, 0m));
        WildberriesSpend.StatisticsAgainstCharges(rows).Should().Equal(
            new CampaignSpend(501, 1150m, 335.50m),
            new CampaignSpend(502, 300.50m, 80m));
    }
}
