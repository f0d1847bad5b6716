using System.Globalization;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;
using static SellerDesk.Ingestion.Tests.Connectors.Wildberries.WildberriesFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>Fetching from a fake Wildberries over real HTTP: paging, throttling, failures, auth, ad windows.</summary>
public sealed class WildberriesConnectorTests
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly FakeWildberriesReport FiveDays = FakeWildberriesReport.Generate(Start, days: 5, ordersPerDay: 4);
    private static readonly WildberriesOptions SmallPages = new() { ReportLimit = 7, RowsPerPage = 5 };

    [Fact]
    public async Task Every_page_of_the_report_is_read_until_Wildberries_answers_204()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays, SmallPages);
        var lines = FiveDays.Lines;

        var pages = await wb.FetchPagesAsync(Start, Start.AddDays(4));

        var reportRows = pages.SelectMany(p => p.Rows).Where(r => r.Feed == WildberriesConnector.RealizationFeed).ToList();
        reportRows.Select(r => r.SourceId).Should().Equal(lines.Select(l => l.RrdId.ToString(CultureInfo.InvariantCulture)));
        var requests = wb.Fake.ReportRequests;
        var expectedAfter = new List<long> { 0 };
        expectedAfter.AddRange(lines.Chunk(7).Select(page => page[^1].RrdId));
        requests.Select(r => long.Parse(r["rrdid"]!, CultureInfo.InvariantCulture)).Should().Equal(expectedAfter);
        requests.Select(r => r.Status).Should().Equal([.. Enumerable.Repeat(200, expectedAfter.Count - 1), 204]);
        requests.Should().OnlyContain(r =>
            r.Authorization == FakeWildberries.DefaultToken && r["dateFrom"] == "2026-03-01" && r["dateTo"] == "2026-03-05"
            && r["limit"] == "7" && r["period"] == "daily" && r.Accept!.Contains("application/json"));
        pages.Select(p => p.PagesRead).Should().Equal(Enumerable.Range(1, pages.Count));
        pages.Where(p => p.Rows[0].Feed == WildberriesConnector.RealizationFeed).Should().OnlyContain(p => p.Rows.Count <= 5);
        wb.Fake.AdsRequests.Should().ContainSingle().Which.Should().Match<FakeWbRequest>(r => r["from"] == "2026-03-01" && r["to"] == "2026-03-05");
        wb.Time.Delays.Should().BeEmpty();
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
            payload.RootElement.GetProperty("ppvz_for_pay").GetDecimal().Should().Be(2050.00m);
            payload.RootElement.GetProperty("supplier_oper_name").GetString().Should().Be("Продажа");
            payload.RootElement.GetProperty("retail_price").GetDecimal().Should().Be(3000m, "fields the mapping does not read are kept too");
        }

        rows.Single(r => r.SourceId == "11").OrderKey.Should().BeNull("storage belongs to no order");
        rows.Where(r => r.Feed == WildberriesConnector.AdsFeed).Select(r => (r.SourceId, r.OrderKey, r.BusinessDate)).Should().Equal(
            ("501@2026-03-02T10:00:00+03:00", (string?)null, new DateOnly(2026, 3, 2)),
            ("502@2026-03-02T18:00:00", null, new DateOnly(2026, 3, 2)),
            ("501@2026-03-03T09:00:00", null, new DateOnly(2026, 3, 3)));
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
        requests[0]["rrdid"].Should().Be("0");
        var resumedAfter = long.Parse(requests[1]["rrdid"]!, CultureInfo.InvariantCulture);
        resumedAfter.Should().BeInRange(report.Lines[0].RrdId, report.Lines[249].RrdId, "the lines that arrived before the break are kept");
        wb.Time.Delays.Should().ContainSingle().Which.Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Throttling_waits_the_seconds_Wildberries_advises_then_goes_on()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays, SmallPages);
        wb.Fake.ThrottleNext(2, retrySeconds: 7);

        var rows = await wb.FetchAsync(Start, Start.AddDays(4));

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(FiveDays.Lines.Count);
        wb.Time.Delays.Should().Equal(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7));
        wb.Fake.ReportRequests.Take(3).Select(r => (r.Status, r["rrdid"])).Should().Equal((429, "0"), (429, "0"), (200, "0"));
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_try_fails_as_throttled_and_leaves_it_to_the_next_run()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays, SmallPages);
        wb.Fake.ThrottleNext(100, retrySeconds: 30);

        var fetch = () => wb.FetchAsync(Start, Start.AddDays(4));

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Should().Match<ConnectorException>(e =>
            e.Failure == ConnectorFailure.Throttled
            && e.Message == "Wildberries is still throttling after 5 tries; the next scheduled run will continue");
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
            && e.Message == "Wildberries asks to wait 11 h 38 min before the next request; the next scheduled run will continue");
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
            && e.Message == "token rejected by Wildberries: paste a new one with the Statistics category");
        wb.Fake.Requests.Should().ContainSingle().Which.Status.Should().Be(401);
        wb.Time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_connection_without_a_token_fails_as_unauthorized_without_calling_Wildberries()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays);
        var connection = wb.Connection with { Credentials = new Dictionary<string, string>() };

        var fetch = async () =>
        {
            await foreach (var _ in wb.Connector.FetchAsync(connection, new PullWindow(Start, Start), CancellationToken.None))
            {
            }
        };

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Failure.Should().Be(ConnectorFailure.Unauthorized);
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
            && e.Message == "Wildberries answered 500 five times in a row; the pull will retry at the next run");
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
    public async Task A_few_500s_are_ridden_out_and_the_report_is_read_whole()
    {
        await using var wb = await WildberriesHarness.StartAsync(FiveDays, SmallPages);
        wb.Fake.FailNext(2, status: 503);

        var rows = await wb.FetchAsync(Start, Start.AddDays(4));

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(FiveDays.Lines.Count);
        wb.Time.Delays.Should().HaveCount(2);
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
        wb.Connector.Map(ads, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).AdSpend.Sum(a => a.Amount).Should().Be(report.AdCharges.Sum(c => c.UpdSum));
    }

    [Fact]
    public async Task Ad_spend_is_asked_for_with_the_separate_ads_token_when_the_connection_has_one()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        var connection = wb.Connection with
        {
            Credentials = new Dictionary<string, string> { ["token"] = FakeWildberries.DefaultToken, ["ads_token"] = "promotion-only" },
        };

        var fetch = async () =>
        {
            await foreach (var _ in wb.Connector.FetchAsync(connection, new PullWindow(From, To), CancellationToken.None))
            {
            }
        };

        (await fetch.Should().ThrowAsync<ConnectorException>()).Which.Message
            .Should().Be("token rejected by Wildberries: paste a new one with the Promotion category");
        wb.Fake.AdsRequests.Should().ContainSingle().Which.Authorization.Should().Be("promotion-only");
        wb.Fake.ReportRequests.Should().OnlyContain(r => r.Authorization == FakeWildberries.DefaultToken);
    }
}
