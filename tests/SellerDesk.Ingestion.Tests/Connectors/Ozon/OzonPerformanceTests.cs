using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Ingestion.Tests.Connectors.Ozon.OzonFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>
/// The Performance API against the fake Ozon over real HTTP (docs/connectors/ozon.md "Ads: the Performance API"):
/// token, campaign list, asynchronous reports of at most 10 campaigns, expenses, Ozon's own 429, a rejected client,
/// a restatement and a campaign claiming more orders than exist.
/// </summary>
public sealed class OzonPerformanceTests
{
    private static readonly DateOnly Day1 = new(2026, 3, 1);

    private static void Serve(FakeOzon fake, IReadOnlyList<FakeOzonStatistic>? statistics = null)
    {
        fake.Performance.Campaigns =
        [
            new FakeOzonCampaign("9001", "Кружки: поиск"),
            new FakeOzonCampaign("9002", "Кепки"),
            new FakeOzonCampaign("9100", "Баннер", AdvObjectType: "BANNER"),
        ];
        fake.Performance.Statistics = statistics ??
        [
            new FakeOzonStatistic("9001", Day1, Mug.Sku, Orders: 3, MoneySpent: 405.50m), // one Mug order on March 1: claims more than exist
            new FakeOzonStatistic("9002", Day1, Cap.Sku, Orders: 1, MoneySpent: 120m),
            new FakeOzonStatistic("9002", Day1.AddDays(1), "777", Orders: 0, MoneySpent: 15m),
        ];
        fake.Performance.Expenses =
        [
            new FakeOzonExpense("9001", "Кружки: поиск", Day1, 405.50m, BonusSpent: 5m),
            new FakeOzonExpense("9002", "Кепки", Day1, 120m),
            new FakeOzonExpense("9100", "Баннер", Day1.AddDays(1), 1000m),
        ];
    }

    [Fact]
    public async Task Statistics_and_expenses_become_attribution_by_offer_id_and_spend_on_the_campaign_channel()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        Serve(ozon.Fake);

        var pages = await ozon.FetchPagesAsync(From, To, ozon.Fake.ConnectionWithAds());
        var rows = pages.SelectMany(p => p.Rows).ToList();
        var ledger = ozon.Connector.Map(rows, OzonHarness.Moscow);

        ledger.Attribution.Should().Equal(
            new AttributionRow(Day1, "ozon", "ozon_adv_9001", "MUG-01", 3),
            new AttributionRow(Day1, "ozon", "ozon_adv_9002", "CAP-03", 1));
        ledger.Sales.Count(s => s.Sku == "MUG-01" && s.OrderId == "0101-0001-1").Should().Be(1, "the campaign claims three Mug orders on March 1; the ledger has one, and the claim is kept as Ozon gives it");
        ledger.AdSpend.Should().Equal(
            new AdSpend(Day1, "ozon", "ozon_adv_9001", 405.50m),
            new AdSpend(Day1, "ozon", "ozon_adv_9002", 120m),
            new AdSpend(Day1.AddDays(1), "ozon", "ozon_adv_9100", 1000m));
        ledger.ChannelNames.Should().Contain("ozon_adv_9001", "Кружки: поиск").And.Contain("ozon_adv_9100", "Баннер");
        pages.SelectMany(p => p.CompletedFeeds).Should().Contain([OzonConnector.AdSpendFeed, OzonConnector.StatisticsFeed]);
        pages.Should().OnlyContain(p => p.FailedFeeds.Count == 0);
        var calls = ozon.Fake.Performance.Requests;
        calls.Select(r => (r.Method, r.Path)).Should().ContainInOrder(
            ("POST", OzonConnector.TokenPath), ("GET", OzonConnector.ExpensesPath), ("GET", OzonConnector.CampaignsPath), ("POST", OzonConnector.StatisticsPath));
        calls.Where(r => r.Path != OzonConnector.TokenPath).Should().OnlyContain(r => r.ApiKey!.StartsWith("Bearer perf-token-", StringComparison.Ordinal));
        calls.Single(r => r.Path == OzonConnector.StatisticsPath).Body.Should().Contain("\"9001\"").And.Contain("\"9002\"").And.NotContain("9100", "a banner campaign has no SKU rows");
        ozon.Time.Delays.Should().HaveCount(1, "the report was not ready at the first check");
    }

    [Fact]
    public async Task Campaigns_go_ten_to_a_report_and_a_429_waits_the_Retry_After_Ozon_gives()
    {
        await using var ozon = await OzonHarness.StartAsync(FakeOzonData.Empty);
        ozon.Fake.Performance.Campaigns = [.. Enumerable.Range(1, 12).Select(i => new FakeOzonCampaign((8000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "К" + i))];
        ozon.Fake.Performance.Statistics = [new FakeOzonStatistic("8012", Day1, "42", Orders: 2, MoneySpent: 10m)];
        ozon.Fake.Performance.PollsBeforeReady = 0;
        ozon.Fake.Performance.ThrottleNext(1, retryAfterSeconds: 7, path: OzonConnector.StatisticsPath);

        var rows = await ozon.FetchAsync(From, To, ozon.Fake.ConnectionWithAds());

        var reports = ozon.Fake.Performance.Requests.Where(r => r.Path == OzonConnector.StatisticsPath).ToList();
        reports.Select(r => r.Status).Should().Equal(429, 200, 200);
        reports[1].Body.Split("\"80").Length.Should().Be(11, "ten campaigns in the first report");
        ozon.Time.Delays.Should().Equal(TimeSpan.FromSeconds(7));
        ozon.Connector.Map(rows, OzonHarness.Moscow).Attribution.Should().Equal(new AttributionRow(Day1, "ozon", "ozon_adv_8012", "42", 2));
    }

    [Fact]
    public async Task A_rejected_client_fails_only_the_ads_in_both_languages_and_the_sales_land()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        Serve(ozon.Fake);
        ozon.Fake.Performance.Revoke();

        var pages = await ozon.FetchPagesAsync(From, To, ozon.Fake.ConnectionWithAds());

        pages.SelectMany(p => p.Rows).Should().Contain(r => r.Feed == OzonConnector.FboFeed);
        var failed = pages.SelectMany(p => p.FailedFeeds).ToList();
        failed.Select(f => (f.Feed, f.Failure)).Should().Equal((OzonConnector.AdSpendFeed, ConnectorFailure.Unauthorized), (OzonConnector.StatisticsFeed, ConnectorFailure.Unauthorized));
        failed[0].Text.En.Should().StartWith("Ozon ad spend was not pulled: Ozon Performance rejected the client id and secret");
        failed[0].Text.Ru.Should().StartWith("Расходы на рекламу Ozon не загружены: Ozon Performance отклонил client id и secret");
        ozon.Fake.Performance.Requests.Should().ContainSingle("a rejected client is not tried again").Which.Status.Should().Be(401);
    }

    [Fact]
    public async Task Without_Performance_credentials_nothing_is_asked_of_the_Performance_API()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        Serve(ozon.Fake);

        var pages = await ozon.FetchPagesAsync(From, To);

        ozon.Fake.Performance.Requests.Should().BeEmpty();
        pages.SelectMany(p => p.Rows).Should().NotContain(r => r.Feed == OzonConnector.AdSpendFeed || r.Feed == OzonConnector.StatisticsFeed);
    }

    [Fact]
    public async Task A_restatement_changes_and_drops_statistics_under_their_ids_and_declares_the_feeds_whole()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        Serve(ozon.Fake);
        var before = (await ozon.FetchAsync(From, To, ozon.Fake.ConnectionWithAds())).Where(r => r.Feed == OzonConnector.StatisticsFeed).ToList();
        Serve(ozon.Fake, [new FakeOzonStatistic("9001", Day1, Mug.Sku, Orders: 1, MoneySpent: 405.50m)]);

        var pages = await ozon.FetchPagesAsync(From, To, ozon.Fake.ConnectionWithAds());
        var after = pages.SelectMany(p => p.Rows).Where(r => r.Feed == OzonConnector.StatisticsFeed).ToList();

        before.Select(r => r.SourceId).Should().Equal("9001:2026-03-01:111", "9002:2026-03-01:333", "9002:2026-03-02:777");
        after.Select(r => r.SourceId).Should().Equal("9001:2026-03-01:111");
        pages.SelectMany(p => p.CompletedFeeds).Should().Contain(OzonConnector.StatisticsFeed, "the dropped rows are deleted by the runner");
        ozon.Connector.Map([.. pages.SelectMany(p => p.Rows)], OzonHarness.Moscow).Attribution.Should().Equal(new AttributionRow(Day1, "ozon", "ozon_adv_9001", "MUG-01", 1));
    }

    [Fact]
    public void Numbers_with_a_decimal_comma_and_both_date_forms_are_read()
    {
        OzonPerformance.Money("1 405,50").Should().Be(1405.50m);
        OzonPerformance.Money("3").Should().Be(3m);
        OzonPerformance.Money("").Should().BeNull();
        OzonPerformance.Day("01.03.2026").Should().Be(Day1);
        OzonPerformance.Day("2026-03-01").Should().Be(Day1);
    }
}
