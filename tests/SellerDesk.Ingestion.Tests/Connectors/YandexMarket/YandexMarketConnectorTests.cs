using System.Text.Json;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Ingestion.Tests.Connectors.YandexMarket.YandexMarketFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>
/// Fetching from a fake Yandex Market over real HTTP: paging of both feeds, the services report (generate, poll,
/// download), 420 throttling, failures, auth, retired methods, partial rows.
/// </summary>
public sealed class YandexMarketConnectorTests
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly FakeYandexMarketData FiveDays = FakeYandexMarketData.Generate(Start, days: 5, ordersPerDay: 6, seed: 2);
    private static readonly YandexMarketOptions SmallPages = new() { OrdersLimit = 7, ReturnsLimit = 1 };
    private static readonly YandexMarketOptions OrdersFirst = new() { IncludeServices = false };

    /// <summary>Rows a pull of the five days stores: every order, every return and every charge of the services report.</summary>
    private static int AllRows => FiveDays.Orders.Count + FiveDays.Returns.Count + FiveDays.Services.Count;

    [Fact]
    public async Task Every_page_of_both_feeds_is_read_by_following_the_next_page_token()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);

        var pages = await ym.FetchPagesAsync(Start, Start.AddDays(4));

        var rows = pages.SelectMany(p => p.Rows).ToList();
        rows.Where(r => r.Feed == YandexMarketConnector.OrdersFeed).Select(r => r.SourceId)
            .Should().Equal(FiveDays.Orders.Select(o => o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        rows.Where(r => r.Feed == YandexMarketConnector.ReturnsFeed).Select(r => r.SourceId)
            .Should().Equal(FiveDays.Returns.Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        FiveDays.Returns.Count.Should().BeGreaterThan(1, "the returns come in several pages");

        var orderRequests = ym.Fake.OrderRequests.Where(r => r.Body!.Contains("\"dateFrom\"", StringComparison.Ordinal)).ToList();
        orderRequests.Should().HaveCount((FiveDays.Orders.Count + 6) / 7);
        orderRequests[0]["pageToken"].Should().BeNull();
        orderRequests.Skip(1).Should().OnlyContain(r => r["pageToken"] != null);
        orderRequests.Should().OnlyContain(r =>
            r.Method == "POST" && r.Path == "/v2/campaigns/21000123/stats/orders" && r["limit"] == "7" && r.Status == 200
            && r.ApiKey == FakeYandexMarket.DefaultApiKey);
        using (var body = JsonDocument.Parse(orderRequests[0].Body!))
        {
            body.RootElement.GetProperty("dateFrom").GetString().Should().Be("2026-03-01");
            body.RootElement.GetProperty("dateTo").GetString().Should().Be("2026-03-05");
        }

        var updateRequests = ym.Fake.OrderRequests.Except(orderRequests).ToList();
        updateRequests.Should().HaveCount((FiveDays.Orders.Count(o => o.UpdatedOn <= Start.AddDays(4)) + 6) / 7, "the second pass pages too");
        updateRequests.Should().OnlyContain(r => r.Body == """{"updateFrom":"2026-03-01","updateTo":"2026-03-05"}""" && r.Status == 200);

        var returnRequests = ym.Fake.ReturnRequests;
        returnRequests.Should().HaveCount(FiveDays.Returns.Count);
        returnRequests.Should().OnlyContain(r =>
            r.Method == "GET" && r["limit"] == "1" && r["fromDate"] == "2026-03-01" && r["toDate"] == "2026-03-10" && r.Status == 200,
            "returns are asked for past the window, up to today (March 10 on the test clock)");
        rows.Where(r => r.Feed == YandexMarketConnector.ServicesFeed).Should().HaveCount(FiveDays.Services.Count);
        pages.Where(p => p.Rows.Count > 0).Select(p => p.PagesRead).Should().Equal(Enumerable.Range(1, pages.Count(p => p.Rows.Count > 0)));
        pages.SelectMany(p => p.CompletedFeeds).Should().Equal(
            [YandexMarketConnector.OrdersFeed, YandexMarketConnector.ServicesFeed],
            "orders are asked for by their creation date and services by their date, as their rows are dated; returns are not");
        pages.Single(p => p.CompletedFeeds.Contains(YandexMarketConnector.OrdersFeed)).Rows.Should().NotBeEmpty()
            .And.OnlyContain(r => r.Feed == YandexMarketConnector.OrdersFeed, "the orders' last page declares them whole");
        pages.Should().OnlyContain(p => p.FailedFeeds.Count == 0);
        ym.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Source_rows_keep_orders_and_returns_whole_with_their_ids_order_keys_and_Moscow_dates()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);

        var rows = await ym.FetchAsync(From, To);

        var order = rows.Single(r => r.Feed == "ym.orders" && r.SourceId == "1002");
        order.Should().BeEquivalentTo(new { OrderKey = "1002", BusinessDate = new DateOnly(2026, 3, 1) });
        using (var payload = JsonDocument.Parse(order.Payload))
        {
            payload.RootElement.GetProperty("paymentType").GetString().Should().Be("PREPAID", "fields the mapping does not read are kept too");
            payload.RootElement.GetProperty("buyer").GetProperty("id").GetString().Should().Be("777");
        }

        rows.Single(r => r.Feed == "ym.returns" && r.SourceId == "5002").Should().BeEquivalentTo(
            new { OrderKey = "1003", BusinessDate = new DateOnly(2026, 3, 5) });
        rows.Should().HaveCount(HandChecked.Orders.Count + HandChecked.Returns.Count + HandChecked.Services.Count);
    }

    [Fact]
    public async Task Orders_placed_before_the_window_whose_status_changed_in_it_are_read_too_and_none_twice()
    {
        var old = PartlyReturned with { Id = 900, CreationDate = "2026-02-20T10:00:00+03:00", StatusUpdateDate = "2026-03-03T10:00:00+03:00" };
        var untouched = Delivered with { Id = 901, CreationDate = "2026-02-20T11:00:00+03:00", StatusUpdateDate = "2026-02-25T10:00:00+03:00" };
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked with { Orders = [.. HandChecked.Orders, old, untouched] });

        var rows = await ym.FetchAsync(From, To);

        var orders = rows.Where(r => r.Feed == YandexMarketConnector.OrdersFeed).ToList();
        orders.Select(r => r.SourceId).Should().BeEquivalentTo(["1001", "1002", "1003", "1004", "1005", "1006", "900"]);
        orders.Single(r => r.SourceId == "900").BusinessDate.Should().Be(new DateOnly(2026, 2, 20), "an order keeps its creation date");
    }

    [Fact]
    public async Task Orders_are_asked_for_by_creation_date_only_when_the_options_say_so()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked, new YandexMarketOptions { IncludeUpdatedOrders = false });

        await ym.FetchAsync(From, To);

        ym.Fake.OrderRequests.Should().ContainSingle().Which.Body.Should().StartWith("{\"dateFrom\"");
    }

    [Fact]
    public async Task A_420_for_too_many_parallel_requests_waits_briefly_and_then_goes_on()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.ThrottleNext(2);

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Should().HaveCount(AllRows);
        ym.Time.Delays.Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        ym.Fake.Requests.Take(3).Select(r => (r.Path, r.Status)).Should().Equal(
            ("/v2/campaigns/21000123", 420), ("/v2/campaigns/21000123", 420), ("/v2/campaigns/21000123", 200));
    }

    [Fact]
    public async Task A_420_with_the_hourly_quota_spent_waits_until_the_quota_renews()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.ThrottleNext(1, quotaRenewsInSeconds: 90);

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Should().HaveCount(AllRows);
        ym.Time.Delays.Should().ContainSingle().Which.Should().BeCloseTo(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_quota_that_renews_only_in_40_minutes_ends_the_run_at_once_as_throttled()
    {
        // The orders are the first request (the services, a secondary feed, would only be reported failed).
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, OrdersFirst);
        ym.Fake.ThrottleNext(1, quotaRenewsInSeconds: 40 * 60);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Text.En == "Yandex Market asks to wait 40 min before the next request");
        ym.Fake.Requests.Should().ContainSingle();
        ym.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_try_fails_as_throttled()
    {
        // The orders are the first request (the services, a secondary feed, would only be reported failed).
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, OrdersFirst);
        ym.Fake.ThrottleNext(100);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Text.En == "Yandex Market is still throttling after 5 tries");
        ym.Fake.Requests.Should().HaveCount(5).And.OnlyContain(r => r.Status == 420);
    }

    [Fact]
    public async Task A_revoked_key_stops_the_pull_after_exactly_one_request()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);
        ym.Fake.RevokeKey();

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized && e.Message.StartsWith("token rejected by Yandex Market: paste a new one", StringComparison.Ordinal));
        ym.Fake.Requests.Should().ContainSingle().Which.Status.Should().Be(401);
        ym.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_campaign_the_key_may_not_see_is_refused_as_unauthorized_without_retries()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);
        var connection = ym.Connection with
        {
            Credentials = new Dictionary<string, string> { ["api_key"] = FakeYandexMarket.DefaultApiKey, ["campaign_id"] = "999" },
        };

        var fetch = () => ym.FetchPagesAsync(Start, Start, connection);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        ym.Fake.Requests.Should().ContainSingle().Which.Status.Should().Be(403);
    }

    [Theory]
    [InlineData(null, "21000123")]
    [InlineData("ym-test-key", null)]
    [InlineData("ym-test-key", "store-1")]
    public async Task A_connection_without_a_key_or_a_numeric_campaign_id_fails_as_unauthorized_without_calling_Yandex(string? key, string? campaign)
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);
        var credentials = new Dictionary<string, string>();
        if (key is not null)
        {
            credentials["api_key"] = key;
        }

        if (campaign is not null)
        {
            credentials["campaign_id"] = campaign;
        }

        var fetch = () => ym.FetchPagesAsync(Start, Start, ym.Connection with { Credentials = credentials });

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized && e.Text.Ru.Length > 0 && e.Text.Ru != e.Text.En);
        ym.Fake.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Repeated_500s_back_off_with_growing_jittered_waits_then_fail_with_a_clear_message()
    {
        // The orders are the first request (the services, a secondary feed, would only be reported failed).
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, OrdersFirst);
        ym.Fake.FailNext(100);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable
            && e.Text.En == "Yandex Market answered 500 five times in a row"
            && e.Text.Ru == "Yandex Market 5 раз подряд ответил 500");
        ym.Fake.Requests.Should().HaveCount(5).And.OnlyContain(r => r.Status == 500);
        var delays = ym.Time.Delays;
        delays.Should().HaveCount(4).And.BeInAscendingOrder();
        for (var i = 0; i < delays.Count; i++)
        {
            delays[i].TotalSeconds.Should().BeInRange(Math.Pow(2, i) * 0.8, Math.Pow(2, i) * 1.2);
        }
    }

    [Fact]
    public async Task A_few_5xx_answers_are_ridden_out_and_both_feeds_are_read_whole()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.FailNext(2, status: 503);

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Should().HaveCount(AllRows);
        ym.Time.Delays.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_page_that_breaks_off_while_it_is_read_is_asked_for_again_with_the_same_page_token()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.BreakOffNext(1);

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Select(r => (r.Feed, r.SourceId)).Should().OnlyHaveUniqueItems().And.HaveCount(AllRows);
        var requests = ym.Fake.OrderRequests;
        requests[1]["pageToken"].Should().Be(requests[0]["pageToken"]).And.BeNull("the first page was asked for again");
        ym.Time.Delays.Should().ContainSingle().Which.Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Pages_that_keep_breaking_off_fail_as_unavailable_after_five_tries()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.BreakOffNext(100);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable
            && e.Message.StartsWith("Yandex Market broke off a page of the orders report five times in a row", StringComparison.Ordinal)
            && e.Text.Ru.StartsWith("Яндекс Маркет 5 раз подряд оборвал страницу отчёта по заказам", StringComparison.Ordinal));
        ym.Fake.OrderRequests.Should().HaveCount(5);
    }

    [Fact]
    public async Task A_page_token_that_comes_back_again_ends_the_run_instead_of_paging_for_ever()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.LoopPaging = true;

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse && e.Message.Contains("a second time; paging would never end"));
        ym.Fake.OrderRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Returns_are_not_asked_for_when_the_options_leave_them_out()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, new YandexMarketOptions { IncludeReturns = false });

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Should().OnlyContain(r => r.Feed != YandexMarketConnector.ReturnsFeed);
        ym.Fake.ReturnRequests.Should().BeEmpty();
    }

    [Theory]
    [InlineData(201, 100)]
    [InlineData(200, 101)]
    [InlineData(0, 100)]
    public void Page_sizes_beyond_what_Yandex_allows_are_refused_up_front(int orders, int returns)
    {
        using var http = new HttpClient();

        var create = () => new YandexMarketConnector(
            new ResilientHttpSender(http, TimeProvider.System), new YandexMarketOptions { OrdersLimit = orders, ReturnsLimit = returns });

        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task The_services_report_is_generated_for_the_campaigns_business_polled_while_still_generating_then_downloaded_and_read()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        ym.Fake.PendingPolls = 2;

        var rows = await ym.FetchAsync(From, To);

        var generate = ym.Fake.Requests.Single(r => r.Path == "/v2/reports/united-marketplace-services/generate");
        generate.Method.Should().Be("POST");
        generate["format"].Should().Be("JSON");
        using (var body = JsonDocument.Parse(generate.Body!))
        {
            body.RootElement.GetProperty("businessId").GetInt64().Should().Be(FakeYandexMarketData.DefaultBusinessId, "read from GET /v2/campaigns/{id}");
            body.RootElement.GetProperty("dateFrom").GetString().Should().Be("2026-03-01");
            body.RootElement.GetProperty("dateTo").GetString().Should().Be("2026-03-05");
            body.RootElement.GetProperty("campaignIds").EnumerateArray().Single().GetInt64().Should().Be(21000123);
        }

        ym.Fake.Requests.Where(r => r.Path == "/v2/reports/info/rep-1").Should().HaveCount(3, "PENDING, PROCESSING, then DONE");
        ym.Time.Delays.Should().Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], "the poll interval, longer than Yandex's 2 s estimate");
        var file = ym.Fake.Requests.Should().ContainSingle(r => r.IsFile).Subject;
        file.ApiKey.Should().Be(FakeYandexMarket.DefaultApiKey, "the link is on the API's own host here; a link elsewhere gets no key");
        rows.Where(r => r.Feed == YandexMarketConnector.ServicesFeed).Select(r => (r.SourceId.Split(':')[0], r.OrderKey, r.BusinessDate)).Should().BeEquivalentTo(
            [
                ("paid_storage_after_01-06-22", (string?)null, new DateOnly(2026, 3, 2)),
                ("goods_acceptance", (string?)null, new DateOnly(2026, 3, 3)),
                ("warehouse_processing", (string?)"1002", new DateOnly(2026, 3, 1)),
            ]);
        ym.Fake.Requests.Select(r => r.Path).First().Should().Be("/v2/campaigns/21000123", "the report is started before the orders are read");
    }

    [Fact]
    public async Task Per_order_services_the_orders_report_already_carries_are_not_taken_from_the_services_report_again()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        var sheets = rows.Where(r => r.Feed == YandexMarketConnector.ServicesFeed).Select(r => r.SourceId.Split(':')[0]).Distinct().ToList();
        sheets.Should().NotContain(["placement", "delivery", "payment_transfer", "payment_accepting", "boost"]);
        sheets.Should().Contain(["paid_storage_after_01-06-22", "goods_acceptance", "shelf"]);
        YandexMarketConnector.MapDetailed(rows).Gaps.Should().BeEmpty();
        ym.Connector.MarketplacePayout(rows).Should().Be(FiveDays.Payout);
    }

    [Fact]
    public async Task A_window_longer_than_three_months_is_reported_in_parts_Yandex_accepts()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FakeYandexMarketData.Empty);

        await ym.FetchAsync(new DateOnly(2026, 1, 10), new DateOnly(2026, 6, 20));

        ym.Fake.Reports.Select(r => (r.From, r.To)).Should().Equal(
            (new DateOnly(2026, 1, 10), new DateOnly(2026, 4, 9)),
            (new DateOnly(2026, 4, 10), new DateOnly(2026, 6, 20)));
        ym.Fake.Requests.Should().NotContain(r => r.IsFile, "a report without data has no file");
    }

    [Fact]
    public async Task Service_rows_of_a_re_pull_keep_their_ids_a_restated_cost_updates_the_same_row_and_dropped_or_re_issued_rows_follow_the_report()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        var first = (await ym.FetchAsync(From, To)).Where(r => r.Feed == YandexMarketConnector.ServicesFeed).ToList();
        ym.Fake.Data = HandChecked with
        {
            Services =
            [
                MugStorage with { Amount = 47.25m },
                CapProcessing with { ServiceName = "Обработка заказа (перевыставлено)" },
            ],
        };

        var second = (await ym.FetchAsync(From, To)).Where(r => r.Feed == YandexMarketConnector.ServicesFeed).ToList();

        var storage = first.Single(r => r.SourceId.StartsWith("paid_storage", StringComparison.Ordinal));
        second.Single(r => r.SourceId.StartsWith("paid_storage", StringComparison.Ordinal)).Should().Match<SourceRow>(r =>
            r.SourceId == storage.SourceId && r.Payload != storage.Payload && r.Payload.Contains("47.25"));
        second.Should().NotContain(r => r.SourceId.StartsWith("goods_acceptance", StringComparison.Ordinal), "Yandex dropped it");
        var reissued = second.Single(r => r.SourceId.StartsWith("warehouse_processing", StringComparison.Ordinal));
        first.Select(r => r.SourceId).Should().NotContain(reissued.SourceId, "a re-issued row is a new row");
        (await ym.FetchAsync(From, To)).Where(r => r.Feed == YandexMarketConnector.ServicesFeed).Select(r => (r.SourceId, r.Payload))
            .Should().Equal(second.Select(r => (r.SourceId, r.Payload)), "an unchanged report gives the same rows");
    }

    [Fact]
    public async Task A_services_report_Yandex_fails_to_generate_is_a_failed_feed_with_a_plain_message_in_both_languages_and_the_orders_still_come()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        ym.Fake.FailReports();

        var pages = await ym.FetchPagesAsync(From, To);

        var failed = ServicesFailure(pages);
        failed.Failure.Should().Be(ConnectorFailure.BadResponse);
        failed.Text.En.Should().StartWith("Yandex Market's services (storage, penalties and other charges) were not pulled: Yandex Market could not generate the services report for 01.03.2026-05.03.2026")
            .And.EndWith("Orders and returns were pulled; services pulled before are kept as they were");
        failed.Text.Ru.Should().StartWith("Услуги Яндекс Маркета (хранение, штрафы и другие начисления) не загружены: Яндекс Маркет не смог сформировать отчёт по стоимости услуг за 01.03.2026–05.03.2026")
            .And.EndWith("Заказы и возвраты загружены; загруженные ранее услуги сохранены как были");
        OrdersStillCame(pages);
    }

    [Fact]
    public async Task An_expired_link_to_the_report_is_a_failed_services_feed_as_a_bad_response_not_as_a_retired_method()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        ym.Fake.ExpireFiles = true;

        var pages = await ym.FetchPagesAsync(From, To);

        var failed = ServicesFailure(pages);
        failed.Failure.Should().Be(ConnectorFailure.BadResponse);
        failed.Text.En.Should().Contain(": Yandex Market's link to the services report no longer works (HTTP 404). Orders and returns were pulled");
        failed.Text.En.Should().NotContain("next run");
        OrdersStillCame(pages);
    }

    [Fact]
    public async Task A_services_report_still_generating_after_the_longest_wait_is_a_failed_feed_as_unavailable()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked, new YandexMarketOptions { ReportMaxWait = TimeSpan.FromSeconds(30) });
        ym.Fake.PendingPolls = 1_000;

        var pages = await ym.FetchPagesAsync(From, To);

        var failed = ServicesFailure(pages);
        failed.Failure.Should().Be(ConnectorFailure.Unavailable);
        failed.Text.En.Should().Contain(": Yandex Market is still generating the services report after 30 s. Orders");
        failed.Text.Ru.Should().Contain(": Яндекс Маркет всё ещё формирует отчёт по стоимости услуг (30 s). Заказы");
        ym.Time.Delays.Should().HaveCount(6);
        OrdersStillCame(pages);
    }

    [Fact]
    public async Task Services_that_keep_answering_500_are_a_failed_feed_after_the_retries_and_the_orders_still_come()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        ym.Fake.FailMethod("generate");

        var pages = await ym.FetchPagesAsync(From, To);

        var failed = ServicesFailure(pages);
        failed.Failure.Should().Be(ConnectorFailure.Unavailable);
        failed.Text.En.Should().Contain(": Yandex Market answered 500 five times in a row. Orders and returns were pulled");
        failed.Text.Ru.Should().Contain(": Yandex Market 5 раз подряд ответил 500. Заказы и возвраты загружены");
        OrdersStillCame(pages);
    }

    private static FeedFailure ServicesFailure(List<SourcePage> pages)
    {
        pages.SelectMany(p => p.CompletedFeeds).Should().NotContain(YandexMarketConnector.ServicesFeed, "a failed feed is never declared whole");
        pages.SelectMany(p => p.Rows).Should().NotContain(r => r.Feed == YandexMarketConnector.ServicesFeed);
        return pages.SelectMany(p => p.FailedFeeds).Should().ContainSingle().Which.Should().Match<FeedFailure>(f => f.Feed == YandexMarketConnector.ServicesFeed).And.Subject.As<FeedFailure>();
    }

    private static void OrdersStillCame(List<SourcePage> pages)
    {
        pages.SelectMany(p => p.Rows).Should().Contain(r => r.Feed == YandexMarketConnector.OrdersFeed);
        pages.SelectMany(p => p.CompletedFeeds).Should().Contain(YandexMarketConnector.OrdersFeed);
    }

    [Fact]
    public async Task A_return_settled_after_the_window_arrives_and_one_of_an_order_outside_the_window_waits_for_its_own()
    {
        var settledLater = KettleBack with { UpdateDate = "2026-03-07T15:00:00+03:00" };
        var otherOrder = DefectiveCap with { Id = 5050, OrderId = 3030, CreationDate = "2026-03-08T10:00:00+03:00", UpdateDate = "2026-03-08T10:00:00+03:00" };
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked with { Returns = [DefectiveCap, Unredeemed, settledLater, CancelledByBuyer, otherOrder] });

        var rows = await ym.FetchAsync(From, To);

        var returns = rows.Where(r => r.Feed == YandexMarketConnector.ReturnsFeed).Select(r => r.SourceId).ToList();
        returns.Should().Contain("5003", "updated on March 7, two days after the window, its order is in the window");
        returns.Should().NotContain("5050", "its order was not read by this pull; the pull of its own window brings it");
        var mapping = YandexMarketConnector.MapDetailed(rows);
        mapping.Gaps.Should().BeEmpty();
        ym.Connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout);
    }

    [Fact]
    public async Task Without_asking_past_the_window_a_return_settled_a_day_later_would_be_missed()
    {
        var settledLater = KettleBack with { UpdateDate = "2026-03-06T15:00:00+03:00" };
        await using var ym = await YandexMarketHarness.StartAsync(
            HandChecked with { Returns = [DefectiveCap, Unredeemed, settledLater, CancelledByBuyer] }, new YandexMarketOptions { ReturnsPastWindowDays = 0 });

        var rows = await ym.FetchAsync(From, To);

        rows.Should().NotContain(r => r.Feed == YandexMarketConnector.ReturnsFeed && r.SourceId == "5003");
        YandexMarketConnector.MapDetailed(rows).Gaps.Should().ContainSingle().Which.OrderKey.Should().Be("1006", "the refund is in the order's money, its return is not");
    }

    [Theory]
    [InlineData("orders", 410, "POST /v2/campaigns/{campaignId}/stats/orders")]
    [InlineData("returns", 404, "GET /v2/campaigns/{campaignId}/returns")]
    [InlineData("generate", 410, "POST /v2/reports/united-marketplace-services/generate")]
    [InlineData("info", 405, "GET /v2/reports/info/{reportId}")]
    public async Task A_method_Yandex_switched_off_fails_the_run_as_method_retired_naming_the_method_in_both_languages(string method, int status, string named)
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);
        ym.Fake.Retire(method, status);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        var failure = (await fetch.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.MethodRetired);
        failure.Text.En.Should().Be(
            $"Yandex Market no longer serves the method {named} (HTTP {status}): this connection needs an update of SellerDesk's Yandex Market connector");
        failure.Text.Ru.Should().Be(
            $"Яндекс Маркет больше не поддерживает метод {named} (HTTP {status}): подключению нужно обновление коннектора Яндекс Маркета в SellerDesk");
        ym.Fake.Requests.Count(r => r.Status == status).Should().Be(1, "a switched-off method is not retried");
    }

    [Fact]
    public async Task A_full_pull_calls_only_methods_the_connectors_doc_lists()
    {
        var listed = ConnectorDocs.MethodsListed("yandex_market.md");
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.PendingPolls = 1;

        await ym.FetchAsync(Start, Start.AddDays(4));

        var called = ym.Fake.Requests.Where(r => !r.IsFile).Select(r => (r.Method, r.Path)).Distinct().ToList();
        called.Should().HaveCountGreaterThanOrEqualTo(5);
        called.Where(c => !ConnectorDocs.Lists(listed, c.Method, c.Path)).Should().BeEmpty("every method called is in docs/connectors/yandex_market.md");
        listed.Should().OnlyContain(m => called.Any(c => m.Verb == c.Method && m.Matches(c.Path)), "the doc lists no method the connector no longer calls");
        ConnectorDocs.LastChecked("yandex_market.md").Should().Be(new DateOnly(2026, 12, 4));
    }

    [Fact]
    public async Task Partial_rows_as_in_Yandexs_samples_map_by_the_stated_rules_with_notices_and_the_rest_of_the_pull_lands()
    {
        var notices = new List<LocalText>();
        var data = HandChecked with
        {
            RawOrders =
            [
                new FakeYmRaw(new DateOnly(2026, 3, 2), """{"creationDate":"2026-03-02","status":"DELIVERED","items":[{"shopSku":"X","count":1,"prices":[{"type":"BUYER","costPerItem":100,"total":100}]}],"payments":[{"type":"PAYMENT","source":"BUYER","total":100}],"commissions":[{"type":"FEE","actual":10}],"subsidies":[]}"""),
                new FakeYmRaw(new DateOnly(2026, 3, 3), """{"id":1101,"creationDate":null,"statusUpdateDate":"2026-03-04T11:00:00+03:00","status":"DELIVERED","partnerOrderId":null,"buyer":null,"items":[{"offerName":"Свеча","shopSku":"CANDLE-11","count":null,"prices":[{"type":"BUYER","costPerItem":250,"total":null}]}],"payments":[{"type":"PAYMENT","source":"BUYER","total":250}],"commissions":[{"type":"FEE","actual":null,"predicted":25}],"subsidies":[]}"""),
            ],
            RawReturns =
            [
                new FakeYmRaw(new DateOnly(2026, 3, 4), """{"orderId":1001,"creationDate":null,"updateDate":null,"returnType":"RETURN","refundStatus":"CANCELLED","items":[]}"""),
            ],
            RawSheets = new Dictionary<string, string>
            {
                ["paid_storage_after_01-06-22"] = """[{"businessId":77000555,"shopSku":"MUG-01","serviceDate":null,"actDate":"04.03.2026","paidStorage":"12,40"}]""",
                ["holographic_billboards"] = """[{"businessId":77000555,"serviceDate":"03.03.2026","servicePrice":99}]""",
            },
        };
        await using var ym = await YandexMarketHarness.StartAsync(data, new YandexMarketOptions { OnNotice = notices.Add });

        var rows = await ym.FetchAsync(From, To);

        var noId = rows.Single(r => r.Feed == YandexMarketConnector.OrdersFeed && r.SourceId.StartsWith("noid-", StringComparison.Ordinal));
        noId.OrderKey.Should().BeNull();
        rows.Single(r => r.SourceId == "1101").BusinessDate.Should().Be(new DateOnly(2026, 3, 4), "no creation date: its last status change");
        rows.Single(r => r.Feed == YandexMarketConnector.ReturnsFeed && r.SourceId.StartsWith("noid-", StringComparison.Ordinal)).BusinessDate.Should().Be(From);
        rows.Single(r => r.SourceId.StartsWith("paid_storage", StringComparison.Ordinal) && r.Payload.Contains("12,40")).BusinessDate
            .Should().Be(new DateOnly(2026, 3, 4), "no service date: its act date");

        var mapping = YandexMarketConnector.MapDetailed(rows);
        mapping.Ledger.Sales.Should().Contain(s => s.OrderId == "1101" && s.Revenue == 250m && s.Commission == 25m && s.Quantity == 1);
        mapping.Ledger.Sales.Select(s => s.OrderId).Distinct().Should().BeEquivalentTo(["1001", "1002", "1003", "1006", "1101"], "the hand-checked orders land as well");
        mapping.Ledger.Fees.Should().Contain(new SellerDesk.Domain.Ledger.PeriodFee(new DateOnly(2026, 3, 3), "yandex_market", "other", 99m));
        mapping.Gaps.Should().HaveCount(2);
        mapping.Gaps.Should().ContainSingle(g => g.SourceIds.Contains(noId.SourceId)).Which.PayoutEffect.Should().Be(90m, "the order without an id: its payout, shown, not lost");
        ym.Connector.MarketplacePayout(rows).Should().Be(DerivedPayout.Of(mapping.Ledger) + mapping.UnmappedPayout);
        notices.Select(n => n.En).Should().BeEquivalentTo(
        [
            "Yandex Market sent 1 order(s) without an id: kept with their raw content and shown as unmapped money in reconciliation",
            "1 Yandex Market order(s) had no creation date: dated by their last status change (else the window's first day)",
            "Yandex Market sent 1 return(s) without an id or an order id: kept with their raw content, not in the ledger",
            "1 Yandex Market return(s) had neither a creation nor an update date: dated by the window's first day",
            "1 row(s) of Yandex Market's services report had no service date: dated by their act date (else the report's last day)",
            "Yandex Market's services report has sheets SellerDesk does not know (holographic_billboards): their charges were counted as other fees",
        ]);
        notices.Should().OnlyContain(n => n.Ru.Length > 0 && n.Ru != n.En);
    }
}
