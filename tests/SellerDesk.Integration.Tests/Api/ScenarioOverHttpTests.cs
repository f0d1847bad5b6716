using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>
/// POST /api/v1/scenarios/evaluate (import-and-api.md; metrics.md section 6) over the tiny example uploaded through the
/// API: the worked scenario of expected-extended.json to the kopeck, and both sides against the plain report endpoints.
/// </summary>
public sealed class ScenarioOverHttpTests(ScenarioOverHttpTests.TinyHost host) : IClassFixture<ScenarioOverHttpTests.TinyHost>
{
    private const string Range = "from=2026-01-01&to=2026-03-31&as_of=2026-03-31";

    private static readonly JsonElement Worked = SharedExamples.TinyExpectedExtended().GetProperty("scenario");

    /// <summary>The app with the tiny example uploaded once through the API (imports are rate-limited per workspace).</summary>
    public sealed class TinyHost : ApiHost
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await ImportTinyAsync();
        }
    }

    private static object Body(JsonElement adjustments) => new { from = "2026-01-01", to = "2026-03-31", as_of = "2026-03-31", adjustments };

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private async Task<(HttpStatusCode Status, JsonElement Body)> EvaluateAsync(object body, HttpClient? client = null)
    {
        using var response = await (client ?? host.Client).PostAsJsonAsync(new Uri("/api/v1/scenarios/evaluate", UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : Json(text));
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return Json(body);
    }

    /// <summary>R exactly as the report endpoints give the same period: every field, every row, in order.</summary>
    private async Task<IReadOnlyList<string>> DifferencesFromTheReportsAsync(JsonElement reports)
    {
        reports.EnumerateObject().Select(p => p.Name).Should().Equal("channels", "marketplaces", "skus", "pnl");
        var differences = new List<string>();
        foreach (var (field, path) in new[] { ("channels", "channels"), ("marketplaces", "marketplaces"), ("skus", "skus"), ("pnl", "pnl") })
        {
            var plain = (await GetAsync($"/api/v1/reports/{path}?{Range}")).GetProperty(field);
            differences.AddRange(JsonAssert.Differences(plain, reports.GetProperty(field)).Select(d => field + d[1..]));
        }

        return differences;
    }

    [Fact]
    public async Task The_worked_scenario_matches_expected_extended_json_to_the_kopeck()
    {
        var (status, answer) = await EvaluateAsync(Body(Worked.GetProperty("adjustments")));

        status.Should().Be(HttpStatusCode.OK, answer.ToString());
        var scenario = answer.GetProperty("scenario");
        // The example lists the fields of 4.1/4.2 it was written with; the answer's rows are the report endpoints' own,
        // which carry 3.1's attributed_customers and attribution_unmatched too (checked exactly below).
        JsonAssert.Differences(Worked.GetProperty("marketplaces"), scenario.GetProperty("marketplaces"), exactFields: false).Should().BeEmpty();
        JsonAssert.Differences(Worked.GetProperty("channels"), scenario.GetProperty("channels"), exactFields: false).Should().BeEmpty();
        JsonAssert.Differences(Worked.GetProperty("skus"), scenario.GetProperty("skus")).Should().BeEmpty();
        JsonAssert.Differences(Worked.GetProperty("pnl"), scenario.GetProperty("pnl")).Should().BeEmpty();
        scenario.GetProperty("marketplaces")[0].EnumerateObject().Select(p => p.Name)
            .Should().Equal((await GetAsync($"/api/v1/reports/marketplaces?{Range}")).GetProperty("marketplaces")[0].EnumerateObject().Select(p => p.Name));
        (await DifferencesFromTheReportsAsync(answer.GetProperty("baseline"))).Should().BeEmpty();
    }

    [Fact]
    public async Task An_empty_adjustment_list_gives_the_plain_reports_on_both_sides()
    {
        var (status, answer) = await EvaluateAsync(Body(Json("[]")));

        status.Should().Be(HttpStatusCode.OK);
        (await DifferencesFromTheReportsAsync(answer.GetProperty("baseline"))).Should().BeEmpty();
        (await DifferencesFromTheReportsAsync(answer.GetProperty("scenario"))).Should().BeEmpty();
    }

    [Theory]
    [InlineData("""[{ "returns_scale": 1 }]""")]
    [InlineData("""[{ "marketplace": "wildberries", "returns_scale": 1 }, { "returns_scale": 1, "price_pct": 0 }]""")]
    [InlineData("""[{ "marketplace": "ozon", "channel": "vk_ads", "price_pct": 0, "commission_pp": 0, "logistics_pct": 0, "returns_scale": 1, "ad_spend_pct": 0 }]""")]
    public async Task Keeping_every_return_and_changing_nothing_else_gives_the_plain_reports(string adjustments)
    {
        var (status, answer) = await EvaluateAsync(Body(Json(adjustments)));

        status.Should().Be(HttpStatusCode.OK);
        (await DifferencesFromTheReportsAsync(answer.GetProperty("scenario"))).Should().BeEmpty();
    }

    [Fact]
    public async Task Keeping_no_returns_changes_the_figures_of_the_marketplaces_that_had_returns()
    {
        var (_, answer) = await EvaluateAsync(Body(Json("""[{ "returns_scale": 0 }]""")));

        var before = answer.GetProperty("baseline").GetProperty("marketplaces").EnumerateArray().ToDictionary(m => m.GetProperty("marketplace").GetString()!);
        var after = answer.GetProperty("scenario").GetProperty("marketplaces").EnumerateArray().ToDictionary(m => m.GetProperty("marketplace").GetString()!);
        before["wildberries"].GetProperty("return_loss").GetDecimal().Should().BeGreaterThan(0m);
        after.Values.Should().OnlyContain(m => m.GetProperty("return_loss").GetDecimal() == 0m);
    }

    [Theory]
    [InlineData("""{ "to": "2026-03-31", "adjustments": [] }""", "from")]
    [InlineData("""{ "from": "2026-03-31", "to": "2026-01-01", "adjustments": [] }""", "is before")]
    [InlineData("""{ "from": "2026-01-01", "to": "2026-03-31", "as_of": "2999-01-01", "adjustments": [] }""", "as_of")]
    [InlineData("""{ "from": "2026-01-01", "to": "2026-03-31" }""", "adjustments")]
    [InlineData("""{ "from": "2026-01-01", "to": "2026-03-31", "adjustments": [{ "returns_scale": 1.5 }] }""", "returns_scale")]
    [InlineData("""{ "from": "2026-01-01", "to": "2026-03-31", "adjustments": [{ "marketplace": "Wild Berries", "commission_pp": 3 }] }""", "marketplace")]
    [InlineData("""{ "from": "2026-01-01", "to": "2026-03-31", "adjustments": [{ "price_pct": -150 }] }""", "price_pct")]
    public async Task A_request_the_scenario_cannot_run_gets_a_400_that_names_what_is_wrong(string body, string named)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync(new Uri("/api/v1/scenarios/evaluate", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain(named);
    }

    [Fact]
    public async Task Without_a_token_the_endpoint_answers_401()
    {
        using var anonymous = host.CreateClient(null);

        var (status, _) = await EvaluateAsync(Body(Json("[]")), anonymous);

        status.Should().Be(HttpStatusCode.Unauthorized);
    }
}
