using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Testing.Marketplaces.FakeOzonData;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>
/// Fetching from a fake Ozon over real HTTP: cursor and <c>last_id</c> paging of every list, throttling and 5xx in the
/// middle of it, auth, methods Ozon switched off, odd rows, and the notices of a pull.
/// </summary>
public sealed class OzonConnectorTests
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly DateOnly End = Start.AddDays(9);
    private static readonly FakeOzonData TenDays = Generate(Start, days: 10, postingsPerDay: 6, seed: 5);
    private static readonly OzonOptions SmallPages = new() { PostingLimit = 4, ReturnLimit = 2, AccrualPostingBatch = 7 };

    /// <summary>Rows a pull of <see cref="TenDays"/> reads: every posting, return and day, and every posting's accruals.</summary>
    private static int RowsOfTenDays => (2 * (TenDays.Fbo.Count + TenDays.Fbs.Count)) + TenDays.Returns.Count + 10;

    private static async Task<OzonHarness> StartAsync(FakeOzonData data, OzonOptions? options = null, int dayPageSize = 3)
    {
        var harness = await OzonHarness.StartAsync(data, options);
        harness.Fake.DayPageSize = dayPageSize;
        return harness;
    }

    [Fact]
    public async Task Every_page_of_every_list_is_read_by_cursor_and_last_id_with_the_documented_bodies_and_headers()
    {
        await using var ozon = await StartAsync(TenDays, SmallPages);

        var pages = await ozon.FetchPagesAsync(Start, End);

        var rows = pages.SelectMany(p => p.Rows).ToList();
        var postings = TenDays.Fbo.Concat(TenDays.Fbs).Select(p => p.Key).ToList();
        rows.Where(r => r.Feed == OzonConnector.FboFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Fbo.Select(p => p.Key));
        rows.Where(r => r.Feed == OzonConnector.FbsFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Fbs.Select(p => p.Key));
        rows.Where(r => r.Feed == OzonConnector.ReturnsFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Returns.Select(p => p.Key));
        rows.Where(r => r.Feed == OzonConnector.PostingAccrualsFeed).Select(r => r.SourceId).Should().BeEquivalentTo(postings);
        rows.Where(r => r.Feed == OzonConnector.DayAccrualsFeed).Select(r => r.BusinessDate).Should().Equal(
            Enumerable.Range(0, 10).Select(d => Start.AddDays(d)));
        rows.Should().HaveCount(RowsOfTenDays);
        rows.Select(r => r.Feed + "/" + r.SourceId).Should().OnlyHaveUniqueItems();
        pages.Select(p => p.PagesRead).Should().Equal(Enumerable.Range(1, pages.Count));

        foreach (var (path, count) in new[] { (OzonConnector.FboPath, TenDays.Fbo.Count), (OzonConnector.FbsPath, TenDays.Fbs.Count) })
        {
            var requests = ozon.Fake.RequestsTo(path);
            requests.Should().HaveCount((count + 3) / 4, "has_next is false on the page that holds the last posting").And.HaveCountGreaterThanOrEqualTo(2);
            requests[0]["cursor"].Should().BeEmpty();
            requests.Skip(1).Select(r => r["cursor"]).Should().OnlyHaveUniqueItems().And.NotContain(string.Empty);
            requests.Should().OnlyContain(r => r["limit"] == "4" && r["offset"] == null && r["with.financial_data"] == "true" && r["sort_dir"] == "ASC"
                && r["filter.since"] == "2026-01-31T21:00:00.000Z" && r["filter.to"] == "2026-02-10T20:59:59.999Z");
        }

        var returns = ozon.Fake.RequestsTo(OzonConnector.ReturnsPath);
        var ids = TenDays.Returns.Select(r => long.Parse(r.Key, CultureInfo.InvariantCulture)).Order().ToList();
        returns.Select(r => long.Parse(r["last_id"]!, CultureInfo.InvariantCulture)).Should().Equal(
            new[] { 0L }.Concat(ids.Chunk(2).SkipLast(1).Select(c => c[^1])));
        returns.Should().OnlyContain(r => r["limit"] == "2");

        var days = ozon.Fake.RequestsTo(OzonConnector.AccrualsByDayPath);
        days.Select(r => r["date"]).Distinct().Should().Equal(Enumerable.Range(0, 10).Select(d => Start.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        days.Should().HaveCountGreaterThan(20, "three accruals a page make several pages a day");
        foreach (var day in days.GroupBy(r => r["date"]))
        {
            day.First()["last_id"].Should().BeEmpty();
            day.Skip(1).Select(r => r["last_id"]).Should().OnlyHaveUniqueItems().And.NotContain(string.Empty);
        }

        var batches = ozon.Fake.RequestsTo(OzonConnector.AccrualsByPostingPath)
            .Select(r => JsonNode.Parse(r.Body)!["posting_numbers"]!.AsArray().Select(n => n!.GetValue<string>()).ToList()).ToList();
        batches.Should().OnlyContain(b => b.Count >= 1 && b.Count <= 7);
        batches.SelectMany(b => b).Should().BeEquivalentTo(postings);
        ozon.Fake.RequestsTo(OzonConnector.AccrualTypesPath).Should().ContainSingle();
        ozon.Fake.Requests.Should().OnlyContain(r => r.Method == "POST" && r.ClientId == FakeOzon.DefaultClientId && r.ApiKey == FakeOzon.DefaultApiKey && r.Status == 200);
        ozon.Time.Delays.Should().BeEmpty();
    }

    [Theory]
    [InlineData(FakeOzonThrottle.Status429, 429)]
    [InlineData(FakeOzonThrottle.Body200, 200)]
    [InlineData(FakeOzonThrottle.Body400, 400)]
    public async Task Throttling_in_the_middle_of_cursor_paging_waits_then_asks_for_the_same_page_again(FakeOzonThrottle kind, int status)
    {
        await using var ozon = await StartAsync(TenDays, SmallPages);
        ozon.Fake.ThrottleNext(2, kind, OzonConnector.FboPath, after: 1);

        var rows = await ozon.FetchAsync(Start, End);

        rows.Should().HaveCount(RowsOfTenDays);
        rows.Where(r => r.Feed == OzonConnector.FboFeed).Select(r => r.SourceId).Should().BeEquivalentTo(TenDays.Fbo.Select(p => p.Key));
        ozon.Time.Delays.Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        var fbo = ozon.Fake.RequestsTo(OzonConnector.FboPath);
        fbo.Take(4).Select(r => r.Status).Should().Equal(200, status, status, 200);
        fbo.Skip(1).Take(3).Select(r => r["cursor"]).Distinct().Should().ContainSingle().Which.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_few_5xx_in_the_middle_of_cursor_paging_are_ridden_out_and_every_list_is_read_whole()
    {
        await using var ozon = await StartAsync(TenDays, SmallPages);
        ozon.Fake.FailNext(2, status: 503, OzonConnector.FbsPath, after: 1);

        var rows = await ozon.FetchAsync(Start, End);

        rows.Should().HaveCount(RowsOfTenDays);
        ozon.Time.Delays.Should().HaveCount(2);
        var fbs = ozon.Fake.RequestsTo(OzonConnector.FbsPath);
        fbs.Take(4).Select(r => r.Status).Should().Equal(200, 503, 503, 200);
        fbs.Skip(1).Take(3).Select(r => r["cursor"]).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_try_fails_as_throttled_in_both_languages()
    {
        await using var ozon = await StartAsync(TenDays, SmallPages);
        ozon.Fake.ThrottleNext(100, FakeOzonThrottle.Body200);

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled && e.Message == "Ozon is still throttling after 5 tries"
            && e.Text.Ru == OzonTexts.ThrottledRu);
        ozon.Fake.Requests.Should().HaveCount(5);
    }

    [Fact]
    public async Task A_revoked_key_stops_the_pull_after_exactly_one_request()
    {
        await using var ozon = await StartAsync(TenDays, SmallPages);
        ozon.Fake.RevokeKey();

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized
            && e.Message == "token rejected by Ozon: paste a new one (Client-Id and Api-Key from the seller account's API keys page)"
            && e.Text.Ru == OzonTexts.UnauthorizedRu);
        ozon.Fake.Requests.Should().ContainSingle().Which.Status.Should().Be(401);
        ozon.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_wrong_client_id_is_rejected_by_Ozon_as_unauthorized()
    {
        await using var ozon = await StartAsync(TenDays, SmallPages);
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
        await using var ozon = await StartAsync(TenDays);
        var credentials = new Dictionary<string, string> { ["client_id"] = FakeOzon.DefaultClientId, ["api_key"] = FakeOzon.DefaultApiKey };
        credentials[missing] = " ";

        var fetch = () => ozon.FetchPagesAsync(Start, End, ozon.Connection with { Credentials = credentials });

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unauthorized && e.Text == OzonTexts.MissingCredentials);
        ozon.Fake.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Repeated_500s_back_off_then_fail_as_unavailable_with_a_plain_message_in_both_languages()
    {
        await using var ozon = await StartAsync(TenDays);
        ozon.Fake.FailNext(100);

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Unavailable && e.Message == "Ozon answered 500 five times in a row"
            && e.Text.Ru == OzonTexts.UnavailableRu);
        ozon.Fake.Requests.Should().HaveCount(5).And.OnlyContain(r => r.Status == 500);
        ozon.Time.Delays.Should().HaveCount(4).And.BeInAscendingOrder();
    }

    [Theory]
    [InlineData(OzonConnector.FboPath)]
    [InlineData(OzonConnector.FbsPath)]
    [InlineData(OzonConnector.AccrualsByDayPath)]
    [InlineData(OzonConnector.AccrualsByPostingPath)]
    public async Task A_method_Ozon_switched_off_fails_the_pull_as_retired_naming_the_method_in_both_languages(string path)
    {
        await using var ozon = await StartAsync(TenDays, SmallPages);
        ozon.Fake.Retire(path);

        var fetch = () => ozon.FetchAsync(Start, End);

        var failure = (await fetch.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.MethodRetired);
        failure.Text.Should().Be(OzonTexts.MethodRetired("POST " + path));
        failure.Text.En.Should().Contain("POST " + path).And.Contain("switched off").And.Contain("needs an update");
        failure.Text.Ru.Should().Contain("POST " + path).And.Contain("отключил");
        ozon.Fake.RequestsTo(path).Should().ContainSingle("a switched-off method is not asked again").Which.Status.Should().Be(400);
    }

    [Fact]
    public async Task The_fake_answers_every_retired_method_with_code_9_as_Ozon_does()
    {
        await using var ozon = await StartAsync(TenDays);
        using var http = new HttpClient();

        foreach (var path in FakeOzon.RetiredPaths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ozon.Fake.BaseUrl, path)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Add("Client-Id", FakeOzon.DefaultClientId);
            request.Headers.Add("Api-Key", FakeOzon.DefaultApiKey);
            using var answer = await http.SendAsync(request);

            answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            var body = await answer.Content.ReadAsStringAsync();
            JsonNode.Parse(body)!["code"]!.GetValue<int>().Should().Be(9);
            OzonConnector.IsRetiredBody(body).Should().BeTrue();
        }
    }

    [Fact]
    public async Task A_request_Ozon_refuses_for_another_reason_fails_the_pull_in_both_languages_without_quoting_the_answer()
    {
        await using var ozon = await StartAsync(TenDays);
        ozon.Fake.Refuse(OzonConnector.AccrualsByPostingPath, """{"code":3,"message":"posting_numbers: invalid value"}""");

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse
            && e.Message == "Ozon refused the request to POST /v1/finance/accrual/postings with HTTP 400"
            && e.Text.Ru == "Ozon отклонил запрос к POST /v1/finance/accrual/postings (HTTP 400)");
        ozon.Notices.Should().BeEmpty("a failed pull tells nothing else");
    }

    [Fact]
    public async Task Days_before_Ozon_keeps_accruals_are_not_asked_for_and_the_pull_says_so()
    {
        await using var ozon = await StartAsync(FakeOzonData.Empty);

        var rows = await ozon.FetchAsync(new DateOnly(2021, 12, 30), new DateOnly(2022, 1, 2));

        ozon.Fake.RequestsTo(OzonConnector.AccrualsByDayPath).Select(r => r["date"]).Should().Equal("2022-01-01", "2022-01-02");
        ozon.Fake.Requests.Should().OnlyContain(r => r.Status == 200);
        rows.Where(r => r.Feed == OzonConnector.DayAccrualsFeed).Select(r => r.SourceId).Should().Equal("2022-01-01", "2022-01-02");
        ozon.Notices.Should().Equal(OzonTexts.NoAccrualsBefore(new DateOnly(2022, 1, 1)));
    }

    [Theory]
    [InlineData(FakeOzon.RateLimitBody, true)]
    [InlineData("""{"code":8,"message":"Too Many Requests"}""", true)]
    [InlineData("""{"code":9,"message":"obsolete method cannot be used"}""", false)]
    [InlineData("""{"code":16,"message":"Client-Id and Api-Key headers are required"}""", false)]
    public void An_Ozon_error_body_is_throttling_when_it_speaks_of_a_rate_limit(string body, bool throttled)
    {
        OzonConnector.IsThrottledBody(HttpStatusCode.BadRequest, body).Should().Be(throttled);
    }

    [Theory]
    [InlineData(FakeOzon.ObsoleteBody, true)]
    [InlineData("""{"code":9,"message":"something else"}""", true)]
    [InlineData("""{"code":3,"message":"invalid date range"}""", false)]
    [InlineData("not json", false)]
    public void An_Ozon_error_body_says_the_method_is_switched_off_by_code_9_or_obsolete_method(string body, bool retired)
    {
        OzonConnector.IsRetiredBody(body).Should().Be(retired);
    }

    [Fact]
    public void A_page_of_data_that_mentions_a_rate_limit_in_a_product_name_is_not_throttling()
    {
        var page = "{\"postings\":[" + string.Join(',', Enumerable.Repeat("""{"name":"Rate limit poster","posting_number":"1-1-1"}""", 100)) + "]}";

        OzonConnector.IsThrottledBody(HttpStatusCode.OK, page).Should().BeFalse();
    }

    [Fact]
    public async Task The_fake_answers_a_request_without_the_headers_as_Ozon_does_and_the_sender_stops_on_it()
    {
        await using var ozon = await StartAsync(TenDays);
        using var http = new HttpClient();
        var sender = new ResilientHttpSender(http, ozon.Time);
        var uri = new Uri(ozon.Fake.BaseUrl, OzonConnector.FboPath);

        using (var raw = await http.PostAsync(uri, new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            ((int)raw.StatusCode).Should().Be(401);
            (await raw.Content.ReadAsStringAsync()).Should().Contain("\"code\":16").And.Contain("Client-Id and Api-Key headers are required");
        }

        var send = () => sender.SendAsync(
            new MarketplaceRequest("Ozon", () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent("{}") })
            {
                IsThrottledBody = OzonConnector.IsThrottledBody,
            },
            CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
        ozon.Fake.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Status == 401 && r.ClientId == null && r.ApiKey == null);
    }

    [Theory]
    [InlineData(OzonConnector.FbsPath, 1)]
    [InlineData(OzonConnector.ReturnsPath, 2)]
    [InlineData(OzonConnector.AccrualsByDayPath, 2)]
    public async Task Paging_that_would_never_end_fails_the_pull_instead_of_looping(string path, int requests)
    {
        await using var ozon = await StartAsync(TenDays, SmallPages, dayPageSize: 1);
        ozon.Fake.BreakPaging(path);

        var fetch = () => ozon.FetchAsync(Start, End);

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.BadResponse && e.Message.Contains("POST " + path) && e.Message.EndsWith("paging would never end")
            && e.Text.Ru.Contains("никогда бы не закончилась"));
        ozon.Fake.RequestsTo(path).Should().HaveCount(requests);
    }

    [Fact]
    public async Task Accruals_are_not_asked_for_when_finance_is_off_in_the_options_and_there_is_nothing_to_reconcile()
    {
        await using var ozon = await StartAsync(TenDays, SmallPages with { IncludeFinance = false });

        var rows = await ozon.FetchAsync(Start, End);

        ozon.Fake.Requests.Select(r => r.Path).Distinct().Should().BeEquivalentTo(OzonConnector.FboPath, OzonConnector.FbsPath, OzonConnector.ReturnsPath);
        rows.Should().HaveCount(TenDays.Fbo.Count + TenDays.Fbs.Count + TenDays.Returns.Count);
        ozon.Connector.MarketplacePayout(rows).Should().BeNull();
        ozon.Connector.Map(rows, OzonHarness.Moscow).Gaps.Should().BeEmpty("without accruals asked there is no money to miss");
    }

    [Fact]
    public async Task Every_posting_the_pull_meets_has_its_accruals_asked_for_even_one_ordered_before_the_window()
    {
        await using var ozon = await StartAsync(OzonFixtures.HandChecked, SmallPages with { AccrualPostingBatch = 2 });

        var rows = await ozon.FetchAsync(OzonFixtures.From, OzonFixtures.To);

        ozon.Fake.RequestsTo(OzonConnector.FboPath).Should().OnlyContain(r => !r.Body.Contains("0099-0009-1"));
        rows.Should().NotContain(r => r.Feed == OzonConnector.FboFeed && r.SourceId == "0099-0009-1", "it was ordered in February");
        var batches = ozon.Fake.RequestsTo(OzonConnector.AccrualsByPostingPath)
            .Select(r => JsonNode.Parse(r.Body)!["posting_numbers"]!.AsArray().Select(n => n!.GetValue<string>()).ToList()).ToList();
        batches.Should().OnlyContain(b => b.Count <= 2);
        batches.SelectMany(b => b).Should().BeEquivalentTo("0101-0001-1", "0102-0002-1", "0104-0004-1", "0103-0003-1", "0105-0005-1", "0099-0009-1");
        rows.Single(r => r.Feed == OzonConnector.PostingAccrualsFeed && r.SourceId == "0099-0009-1").BusinessDate.Should().Be(new DateOnly(2026, 3, 2));
        ozon.Notices.Should().Equal(OzonTexts.FbsWithoutBuyer(["0105-0005-1"]));
    }

    [Fact]
    public async Task An_accrual_type_new_to_SellerDesk_is_counted_as_other_fees_and_a_notice_names_it()
    {
        var day = new DateOnly(2026, 3, 2);
        var data = OzonFixtures.HandChecked with
        {
            DayAccruals = [NonItem(8001, day, 207, -42.10m, "eco-2026"), NonItem(8002, day, 999, -7.90m)],
            Types = [.. Catalogue, new FakeOzonType(207, "EcoPackagingFee", "Экологический сбор за упаковку")],
        };
        await using var ozon = await StartAsync(data);

        var rows = await ozon.FetchAsync(day, day);
        var ledger = ozon.Connector.Map(rows, OzonHarness.Moscow);

        ozon.Notices.Should().Contain(OzonTexts.UnknownAccrualType(207, "EcoPackagingFee", "Экологический сбор за упаковку"))
            .And.Contain(OzonTexts.AccrualTypeNotInCatalogue(999));
        ozon.Notices.Select(n => n.En).Should().Contain(
            "Ozon accrual type \"EcoPackagingFee\" (id 207: Экологический сбор за упаковку) is new to SellerDesk: its money is counted as other fees");
        ozon.Notices.Select(n => n.Ru).Should().Contain(
            "Тип начисления Ozon «EcoPackagingFee» (id 207: Экологический сбор за упаковку) SellerDesk ещё не знает: его суммы учтены как прочие расходы");
        ledger.Fees.Should().Equal(new Domain.Ledger.PeriodFee(day, "ozon", "other", 50.00m));
        (DerivedPayout.Of(ledger) + ledger.Gaps.Sum(g => g.PayoutEffect)).Should().Be(ozon.Connector.MarketplacePayout(rows));
        var payload = JsonNode.Parse(rows.Single(r => r.Feed == OzonConnector.DayAccrualsFeed).Payload)!;
        payload["accrual_types"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Equal("EcoPackagingFee");
    }

    [Fact]
    public async Task Partial_rows_as_in_Ozons_samples_are_kept_by_a_stated_rule_with_notices_and_the_rest_of_the_pull_lands()
    {
        var data = OzonFixtures.HandChecked
            .WithPosting("0101-0001-1", p => p["in_process_at"] = null)
            .WithPosting("0102-0002-1", p =>
            {
                p["in_process_at"] = null;
                p["created_at"] = null;
            })
            .WithReturn("9001", r => r.Remove("logistic"))
            .WithReturn("9002", r => r["posting_number"] = null);
        data = data with
        {
            // The list filters on a time the posting no longer shows: the fake still serves it in the window.
            Fbo = [.. data.Fbo, new FakeOzonItem("nameless", new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero), """{"status":"delivered","products":[]}""")],
            Returns =
            [
                .. data.Returns.Select(r => r.Key == "9001" ? r with { Json = JsonNode.Parse(r.Json)!.AsObject().Also(o => o.Remove("visual")).ToJsonString() } : r),
                Return(9003, "0101-0001-1", "ClientReturn", OzonFixtures.Mug, 1, new DateTimeOffset(2026, 3, 4, 12, 0, 0, TimeSpan.Zero)) is var idless
                    ? idless with { Json = JsonNode.Parse(idless.Json)!.AsObject().Also(o => o.Remove("id")).ToJsonString() }
                    : null!,
            ],
        };
        await using var ozon = await StartAsync(data);

        var rows = await ozon.FetchAsync(OzonFixtures.From, OzonFixtures.To);
        var ledger = ozon.Connector.Map(rows, OzonHarness.Moscow);

        ozon.Notices.Should().Contain(OzonTexts.PostingsDatedByCreation(["0101-0001-1"]))
            .And.Contain(OzonTexts.PostingsWithoutDate(["0102-0002-1"]))
            .And.Contain(OzonTexts.ReturnsWithoutDate(["9001"], OzonFixtures.From))
            .And.Contain(OzonTexts.ReturnsWithoutPosting(["9002"]))
            .And.Contain(n => n.En.StartsWith("1 posting(s) came without posting_number (unkeyed:", StringComparison.Ordinal))
            .And.Contain(OzonTexts.FbsWithoutBuyer(["0105-0005-1"]))
            .And.Contain(n => n.En.StartsWith("1 return(s) came without their id (unkeyed:", StringComparison.Ordinal));
        rows.Single(r => r.SourceId == "0101-0001-1" && r.Feed == OzonConnector.FboFeed).BusinessDate.Should().Be(new DateOnly(2026, 3, 1), "created_at is a minute before in_process_at");
        rows.Single(r => r.SourceId == "0102-0002-1" && r.Feed == OzonConnector.FboFeed).BusinessDate.Should().Be(OzonFixtures.From);
        rows.Single(r => r.SourceId == "9002").OrderKey.Should().BeNull();
        rows.Should().Contain(r => r.Feed == OzonConnector.FboFeed && r.SourceId.StartsWith("unkeyed:", StringComparison.Ordinal) && r.OrderKey == null);

        ledger.Sales.Select(s => s.OrderId).Distinct().Should().Equal("0101-0001-1", "0105-0005-1");
        ledger.Sales.Where(s => s.OrderId == "0101-0001-1").Should().OnlyContain(s => s.OrderedAt == new DateTimeOffset(2026, 3, 1, 10, 14, 0, TimeSpan.FromHours(3)));
        ledger.Gaps.Should().Contain(g => g.OrderKey == "0102-0002-1" && g.PayoutEffect == 525.00m && g.Reason.Contains("neither in_process_at nor created_at"))
            .And.Contain(g => g.OrderKey == "0102-0002-1" && g.SourceIds.SequenceEqual(new[] { "9001" }) && g.PayoutEffect == 0m)
            .And.Contain(g => g.OrderKey == null && g.SourceIds.SequenceEqual(new[] { "9002" }) && g.Reason.Contains("names no posting_number"))
            .And.Contain(g => g.OrderKey == "0103-0003-1" && g.PayoutEffect == -160.00m && g.Reason.Contains("not a sale"));
        ledger.Returns.Should().ContainSingle("one return names no posting (so its cancelled posting is no sale), one's posting cannot be dated")
            .Which.Should().Match<Domain.Ledger.ReturnEvent>(r => r.OrderId == "0101-0001-1" && r.ReturnId.StartsWith("unkeyed:") && r.Refund == 1000m);
        (DerivedPayout.Of(ledger) + ledger.Gaps.Sum(g => g.PayoutEffect)).Should().Be(ozon.Connector.MarketplacePayout(rows));
    }

    [Fact]
    public async Task Money_the_day_list_shows_for_a_posting_whose_own_accruals_do_not_list_it_is_told_not_counted_twice()
    {
        var day = new DateOnly(2026, 3, 2);
        var stray = DayPostingAccrual(9_999, "0777-0007-1", "FBO", day, [Sale(OzonFixtures.Lamp, day)]);
        var data = OzonFixtures.HandChecked with { DayAccruals = [new FakeOzonDayAccrual(9_999, day, stray.ToJsonString())] };
        await using var ozon = await StartAsync(data);

        var rows = await ozon.FetchAsync(OzonFixtures.From, OzonFixtures.To);

        ozon.Fake.RequestsTo(OzonConnector.AccrualsByPostingPath).Should().Contain(r => r.Body.Contains("0777-0007-1"));
        ozon.Notices.Should().Contain(OzonTexts.DayAndPostingDisagree("0777-0007-1", day, 800.00m, 0m));
        ozon.Connector.MarketplacePayout(rows).Should().Be(data.AccruedTotal - 800.00m, "the day's copy of posting money is not counted beside the posting's own");
    }

    [Fact]
    public async Task Ozon_errors_and_notices_are_written_in_Russian_as_well_as_English()
    {
        OzonTexts.MissingCredentials.Ru.Should().NotBe(OzonTexts.MissingCredentials.En).And.Contain("Client-Id");
        OzonTexts.MethodRetired("POST /v3/posting/fbo/list").Ru.Should().Contain("POST /v3/posting/fbo/list").And.Contain("SellerDesk нужно обновить");
        await using var ozon = await StartAsync(OzonFixtures.HandChecked.WithPosting("0101-0001-1", p => p["in_process_at"] = null));

        await ozon.FetchAsync(OzonFixtures.From, OzonFixtures.To);

        ozon.Notices.Should().NotBeEmpty().And.OnlyContain(n => n.Ru.Length > 0 && n.Ru != n.En && n.Ru.Any(c => c >= 'а' && c <= 'я'));
    }
}

/// <summary>A tiny helper for editing JSON in an expression.</summary>
internal static class JsonEditing
{
    public static JsonObject Also(this JsonObject json, Action<JsonObject> edit)
    {
        edit(json);
        return json;
    }
}
