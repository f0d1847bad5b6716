using System.Text.Json;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;
using static SellerDesk.Ingestion.Tests.Connectors.YandexMarket.YandexMarketFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>Fetching from a fake Yandex Market over real HTTP: paging of both feeds, 420 throttling, failures, auth.</summary>
public sealed class YandexMarketConnectorTests
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly FakeYandexMarketData FiveDays = FakeYandexMarketData.Generate(Start, days: 5, ordersPerDay: 6, seed: 2);
    private static readonly YandexMarketOptions SmallPages = new() { OrdersLimit = 7, ReturnsLimit = 2 };

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
        FiveDays.Returns.Count.Should().BeGreaterThan(2, "the returns come in several pages");

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
        returnRequests.Should().HaveCount((FiveDays.Returns.Count + 1) / 2);
        returnRequests.Should().OnlyContain(r =>
            r.Method == "GET" && r["limit"] == "2" && r["fromDate"] == "2026-03-01" && r["toDate"] == "2026-03-05" && r.Status == 200);
        pages.Select(p => p.PagesRead).Should().Equal(Enumerable.Range(1, pages.Count));
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
        rows.Should().HaveCount(HandChecked.Orders.Count + HandChecked.Returns.Count);
    }

    [Fact]
    public async Task Orders_placed_before_the_window_whose_status_changed_in_it_are_read_too_and_none_twice()
    {
        var old = PartlyReturned with { Id = 900, CreationDate = "2026-02-20T10:00:00+03:00", StatusUpdateDate = "2026-03-03T10:00:00+03:00" };
        var untouched = Delivered with { Id = 901, CreationDate = "2026-02-20T11:00:00+03:00", StatusUpdateDate = "2026-02-25T10:00:00+03:00" };
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked with { Orders = [.. HandChecked.Orders, old, untouched] });

        var rows = await ym.FetchAsync(From, To);

        var orders = rows.Where(r => r.Feed == YandexMarketConnector.OrdersFeed).ToList();
        orders.Select(r => r.SourceId).Should().BeEquivalentTo(["1001", "1002", "1003", "1004", "1005", "900"]);
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

        rows.Should().HaveCount(FiveDays.Orders.Count + FiveDays.Returns.Count);
        ym.Time.Delays.Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        ym.Fake.OrderRequests.Take(3).Select(r => (r.Status, r["pageToken"])).Should().Equal((420, null), (420, null), (200, null));
    }

    [Fact]
    public async Task A_420_with_the_hourly_quota_spent_waits_until_the_quota_renews()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.ThrottleNext(1, quotaRenewsInSeconds: 90);

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Should().HaveCount(FiveDays.Orders.Count + FiveDays.Returns.Count);
        ym.Time.Delays.Should().ContainSingle().Which.Should().BeCloseTo(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_quota_that_renews_only_in_40_minutes_ends_the_run_at_once_as_throttled()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);
        ym.Fake.ThrottleNext(1, quotaRenewsInSeconds: 40 * 60);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Message == "Yandex Market asks to wait 40 min before the next request; the next scheduled run will continue");
        ym.Fake.Requests.Should().ContainSingle();
        ym.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_try_fails_as_throttled()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);
        ym.Fake.ThrottleNext(100);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Message == "Yandex Market is still throttling after 5 tries; the next scheduled run will continue");
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

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        ym.Fake.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Repeated_500s_back_off_with_growing_jittered_waits_then_fail_with_a_clear_message()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays);
        ym.Fake.FailNext(100);

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable
            && e.Message == "Yandex Market answered 500 five times in a row; the pull will retry at the next run");
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

        rows.Should().HaveCount(FiveDays.Orders.Count + FiveDays.Returns.Count);
        ym.Time.Delays.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_page_that_breaks_off_while_it_is_read_is_asked_for_again_with_the_same_page_token()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.BreakOffNext(1);

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Select(r => (r.Feed, r.SourceId)).Should().OnlyHaveUniqueItems().And.HaveCount(FiveDays.Orders.Count + FiveDays.Returns.Count);
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
            && e.Message.StartsWith("Yandex Market broke off a page of the orders report five times in a row", StringComparison.Ordinal));
        ym.Fake.Requests.Should().HaveCount(5);
    }

    [Fact]
    public async Task A_page_token_that_comes_back_again_ends_the_run_instead_of_paging_for_ever()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, SmallPages);
        ym.Fake.LoopPaging = true;

        var fetch = () => ym.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse && e.Message.Contains("a second time; paging would never end"));
        ym.Fake.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Returns_are_not_asked_for_when_the_options_leave_them_out()
    {
        await using var ym = await YandexMarketHarness.StartAsync(FiveDays, new YandexMarketOptions { IncludeReturns = false });

        var rows = await ym.FetchAsync(Start, Start.AddDays(4));

        rows.Should().OnlyContain(r => r.Feed == YandexMarketConnector.OrdersFeed);
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
}
