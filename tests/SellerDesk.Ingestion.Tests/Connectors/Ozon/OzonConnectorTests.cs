using System.Globalization;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>Fetching from a fake Ozon over real HTTP: paging of every feed, throttling, failures, auth, the obsolete finance method.</summary>
public sealed class OzonConnectorTests
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly DateOnly End = Start.AddDays(9);
    private static readonly FakeOzonData TenDays = FakeOzonData.Generate(Start, days: 10, postingsPerDay: 6, seed: 5);
    private static readonly OzonOptions SmallPages = new() { PostingLimit = 4, ReturnLimit = 2, FinancePageSize = 7 };

    [Fact]
    public async Task Every_page_of_every_feed_is_read_with_the_documented_paging_and_headers()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);

        var pages = await ozon.FetchPagesAsync(Start, End);

        var rows = pages.SelectMany(p => p.Rows).ToList();
        rows.Where(r => r.Feed == OzonConnector.FboFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Fbo.Select(p => p.Key));
        rows.Where(r => r.Feed == OzonConnector.FbsFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Fbs.Select(p => p.Key));
        rows.Where(r => r.Feed == OzonConnector.ReturnsFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Returns.Select(p => p.Key));
        rows.Where(r => r.Feed == OzonConnector.FinanceFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Operations.Select(p => p.Key));
        rows.Select(r => r.Feed + "/" + r.SourceId).Should().OnlyHaveUniqueItems();
        pages.Select(p => p.PagesRead).Should().Equal(Enumerable.Range(1, pages.Count));

        var fbo = ozon.Fake.RequestsTo(OzonConnector.FboPath);
        fbo.Select(r => int.Parse(r["offset"]!, CultureInfo.InvariantCulture)).Should().Equal(
            Enumerable.Range(0, (TenDays.Fbo.Count / 4) + 1).Select(i => i * 4));
        fbo.Should().OnlyContain(r => r["limit"] == "4" && r["with.financial_data"] == "true"
            && r["filter.since"] == "2026-01-31T21:00:00.000Z" && r["filter.to"] == "2026-02-10T20:59:59.999Z");
        var fbs = ozon.Fake.RequestsTo(OzonConnector.FbsPath);
        fbs.Should().HaveCount((TenDays.Fbs.Count + 3) / 4, "has_next is false on the page that holds the last posting");
        var returns = ozon.Fake.RequestsTo(OzonConnector.ReturnsPath);
        var ids = TenDays.Returns.Select(r => long.Parse(r.Key, CultureInfo.InvariantCulture)).Order().ToList();
        returns.Select(r => long.Parse(r["last_id"]!, CultureInfo.InvariantCulture)).Should().Equal(
            new[] { 0L }.Concat(ids.Chunk(2).SkipLast(1).Select(c => c[^1])));
        returns.Should().OnlyContain(r => r["limit"] == "2");
        var finance = ozon.Fake.RequestsTo(OzonConnector.FinancePath);
        finance.Select(r => r["page"]).Should().Equal(Enumerable.Range(1, (TenDays.Operations.Count + 6) / 7).Select(p => p.ToString(CultureInfo.InvariantCulture)));
        finance.Should().OnlyContain(r => r["page_size"] == "7" && r["filter.date.from"] == "2026-01-31T21:00:00.000Z");
        ozon.Fake.Requests.Should().OnlyContain(r => r.ClientId == FakeOzon.DefaultClientId && r.ApiKey == FakeOzon.DefaultApiKey && r.Status == 200);
        ozon.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Finance_operations_are_asked_for_one_calendar_month_per_call()
    {
        await using var ozon = await OzonHarness.StartAsync(FakeOzonData.Empty);

        await ozon.FetchAsync(new DateOnly(2026, 1, 25), new DateOnly(2026, 3, 3));

        ozon.Fake.RequestsTo(OzonConnector.FinancePath).Select(r => (r["filter.date.from"], r["filter.date.to"], r.Status)).Should().Equal(
            ("2026-01-24T21:00:00.000Z", "2026-01-31T20:59:59.999Z", 200),
            ("2026-01-31T21:00:00.000Z", "2026-02-28T20:59:59.999Z", 200),
            ("2026-02-28T21:00:00.000Z", "2026-03-03T20:59:59.999Z", 200));
    }

    [Theory]
    [InlineData(FakeOzonThrottle.Status429, 429)]
    [InlineData(FakeOzonThrottle.Body200, 200)]
    [InlineData(FakeOzonThrottle.Body400, 400)]
    public async Task Throttling_waits_then_goes_on_whether_Ozon_says_429_or_only_says_rate_limit_in_the_body(FakeOzonThrottle kind, int status)
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        ozon.Fake.ThrottleNext(2, kind);

        var rows = await ozon.FetchAsync(Start, End);

        rows.Should().HaveCount(TenDays.Fbo.Count + TenDays.Fbs.Count + TenDays.Returns.Count + TenDays.Operations.Count);
        ozon.Time.Delays.Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        ozon.Fake.Requests.Take(3).Select(r => (r.Path, r.Status, r["offset"])).Should().Equal(
            (OzonConnector.FboPath, status, "0"), (OzonConnector.FboPath, status, "0"), (OzonConnector.FboPath, 200, "0"));
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_try_fails_as_throttled()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        ozon.Fake.ThrottleNext(100, FakeOzonThrottle.Body200);

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled && e.Message == "Ozon is still throttling after 5 tries; the next scheduled run will continue");
        ozon.Fake.Requests.Should().HaveCount(5);
    }

    [Fact]
    public async Task A_revoked_key_stops_the_pull_after_exactly_one_request()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        ozon.Fake.RevokeKey();

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized
            && e.Message == "token rejected by Ozon: paste a new one (Client-Id and Api-Key from the seller account's API keys page)");
        ozon.Fake.Requests.Should().ContainSingle().Which.Status.Should().Be(401);
        ozon.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_wrong_client_id_is_rejected_by_Ozon_as_unauthorized()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        var connection = ozon.Connection with
        {
            Credentials = new Dictionary<string, string> { ["client_id"] = "1", ["api_key"] = FakeOzon.DefaultApiKey },
        };

        var fetch = () => ozon.FetchPagesAsync(Start, End, connection);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        ozon.Fake.Requests.Should().ContainSingle().Which.Should().Match<FakeOzonRequest>(r => r.Status == 401 && r.ClientId == "1");
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("api_key")]
    public async Task A_connection_without_both_credentials_fails_as_unauthorized_without_calling_Ozon(string missing)
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays);
        var credentials = new Dictionary<string, string> { ["client_id"] = FakeOzon.DefaultClientId, ["api_key"] = FakeOzon.DefaultApiKey };
        credentials[missing] = " ";

        var fetch = () => ozon.FetchPagesAsync(Start, End, ozon.Connection with { Credentials = credentials });

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        ozon.Fake.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Repeated_500s_back_off_then_fail_as_unavailable_with_a_plain_message()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays);
        ozon.Fake.FailNext(100);

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable && e.Message == "Ozon answered 500 five times in a row; the pull will retry at the next run");
        ozon.Fake.Requests.Should().HaveCount(5).And.OnlyContain(r => r.Status == 500);
        ozon.Time.Delays.Should().HaveCount(4).And.BeInAscendingOrder();
    }

    [Fact]
    public async Task A_few_500s_are_ridden_out_and_every_feed_is_read_whole()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        ozon.Fake.FailNext(2, status: 503);

        var rows = await ozon.FetchAsync(Start, End);

        rows.Should().HaveCount(TenDays.Fbo.Count + TenDays.Fbs.Count + TenDays.Returns.Count + TenDays.Operations.Count);
        ozon.Time.Delays.Should().HaveCount(2);
    }

    [Fact]
    public async Task When_the_finance_method_is_obsolete_the_pull_goes_on_without_it_and_says_so()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        ozon.Fake.SwitchOffFinance();

        var rows = await ozon.FetchAsync(Start, End);

        rows.Should().HaveCount(TenDays.Fbo.Count + TenDays.Fbs.Count + TenDays.Returns.Count);
        rows.Should().NotContain(r => r.Feed == OzonConnector.FinanceFeed);
        ozon.Fake.RequestsTo(OzonConnector.FinancePath).Should().ContainSingle().Which.Status.Should().Be(400);
        ozon.Connector.FinanceUnavailable.Should().BeTrue();
        ozon.Notices.Should().Equal(OzonConnector.FinanceObsoleteNotice);
        ozon.Connector.MarketplacePayout(rows).Should().BeNull();
        ozon.Connector.Map(rows, OzonHarness.Moscow).Sales.Should().NotBeEmpty().And.OnlyContain(s => s.Logistics > 0m);
    }

    [Fact]
    public async Task Finance_is_not_asked_for_when_switched_off_in_the_options()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages with { IncludeFinance = false });

        await ozon.FetchAsync(Start, End);

        ozon.Fake.RequestsTo(OzonConnector.FinancePath).Should().BeEmpty();
        ozon.Connector.FinanceUnavailable.Should().BeFalse();
    }

    [Fact]
    public async Task A_finance_request_Ozon_refuses_for_another_reason_fails_the_pull_quoting_Ozon()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        ozon.Fake.RejectFinance("""{"code":3,"message":"invalid date range"}""");

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse
            && e.Message == "Ozon refused the request with HTTP 400: {\"code\":3,\"message\":\"invalid date range\"}");
        ozon.Connector.FinanceUnavailable.Should().BeFalse();
        ozon.Notices.Should().BeEmpty();
    }

    [Theory]
    [InlineData(FakeOzon.RateLimitBody, true)]
    [InlineData("""{"code":8,"message":"Too Many Requests"}""", true)]
    [InlineData("""{"code":9,"message":"obsolete method cannot be used"}""", false)]
    [InlineData("""{"code":16,"message":"Client-Id and Api-Key headers are required"}""", false)]
    public void An_Ozon_error_body_is_throttling_when_it_speaks_of_a_rate_limit(string body, bool throttled)
    {
        OzonConnector.IsThrottledBody(System.Net.HttpStatusCode.BadRequest, body).Should().Be(throttled);
    }

    [Fact]
    public void A_page_of_data_that_mentions_a_rate_limit_in_a_product_name_is_not_throttling()
    {
        var page = "{\"result\":[" + string.Join(',', Enumerable.Repeat("""{"name":"Rate limit poster","posting_number":"1-1-1"}""", 100)) + "]}";

        OzonConnector.IsThrottledBody(System.Net.HttpStatusCode.OK, page).Should().BeFalse();
    }

    [Fact]
    public async Task The_fake_answers_a_request_without_the_headers_as_Ozon_does_and_the_sender_stops_on_it()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays);
        using var http = new HttpClient();
        var sender = new Ingestion.Connectors.Http.ResilientHttpSender(http, ozon.Time);
        var uri = new Uri(ozon.Fake.BaseUrl, OzonConnector.FboPath);

        using (var raw = await http.PostAsync(uri, new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
            ((int)raw.StatusCode).Should().Be(401);
            (await raw.Content.ReadAsStringAsync()).Should().Contain("\"code\":16").And.Contain("Client-Id and Api-Key headers are required");
        }

        var send = () => sender.SendAsync(
            new Ingestion.Connectors.Http.MarketplaceRequest("Ozon", () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent("{}") })
            {
                IsThrottledBody = OzonConnector.IsThrottledBody,
            },
            CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        ozon.Fake.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Status == 401 && r.ClientId == null && r.ApiKey == null);
    }

    [Fact]
    public async Task Paging_that_would_never_end_fails_the_pull_instead_of_looping()
    {
        await using var ozon = await OzonHarness.StartAsync(TenDays, SmallPages);
        ozon.Fake.BreakPaging(OzonConnector.FbsPath);

        var fbs = () => ozon.FetchAsync(Start, End);

        (await fbs.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse && e.Message.Contains("FBS postings that says more follow"));
        ozon.Fake.RequestsTo(OzonConnector.FbsPath).Should().ContainSingle();

        await using var returnsOnly = await OzonHarness.StartAsync(TenDays, SmallPages);
        returnsOnly.Fake.BreakPaging(OzonConnector.ReturnsPath);

        var returns = () => returnsOnly.FetchAsync(Start, End);

        (await returns.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse && e.Message.Contains("paging would never end"));
        returnsOnly.Fake.RequestsTo(OzonConnector.ReturnsPath).Should().HaveCount(2);
    }
}
