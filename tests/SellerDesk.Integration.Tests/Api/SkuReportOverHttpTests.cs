using System.Net;
using System.Text.Json;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>GET /api/v1/reports/skus (metrics.md 4.4) over the tiny example uploaded through the API.</summary>
public sealed class SkuReportOverHttpTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private const string Range = "from=2026-01-01&to=2026-03-31&as_of=2026-03-31";

    public async Task InitializeAsync()
    {
        await host.ImportTinyAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_sku_report_matches_the_extended_expectations_to_the_kopeck_with_exactly_its_field_names()
    {
        var actual = await GetJsonAsync($"/api/v1/reports/skus?{Range}");

        JsonAssert.Differences(SharedExamples.TinyExpectedExtended().GetProperty("skus"), actual.GetProperty("skus")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("own_store")]
    [InlineData("ozon")]
    [InlineData("wildberries")]
    public async Task A_marketplace_filter_keeps_exactly_that_marketplaces_rows(string marketplace)
    {
        var actual = await GetJsonAsync($"/api/v1/reports/skus?{Range}&marketplace={marketplace}");
        var expected = SharedExamples.TinyExpectedExtended().GetProperty("skus").EnumerateArray()
            .Where(r => r.GetProperty("marketplace").GetString() == marketplace)
            .ToList();

        expected.Should().NotBeEmpty();
        JsonAssert.Differences(JsonSerializer.SerializeToElement(expected), actual.GetProperty("skus")).Should().BeEmpty();
    }

    [Fact]
    public async Task The_months_of_a_period_add_up_to_its_sku_rows()
    {
        var whole = (await GetJsonAsync($"/api/v1/reports/skus?{Range}")).GetProperty("skus").EnumerateArray().ToList();
        var months = new List<JsonElement>();
        foreach (var (from, to) in new[] { ("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31") })
        {
            months.AddRange((await GetJsonAsync($"/api/v1/reports/skus?from={from}&to={to}&as_of=2026-03-31")).GetProperty("skus").EnumerateArray());
        }

        foreach (var row in whole)
        {
            var key = (row.GetProperty("marketplace").GetString(), row.GetProperty("sku").GetString());
            var parts = months.Where(m => (m.GetProperty("marketplace").GetString(), m.GetProperty("sku").GetString()) == key).ToList();
            foreach (var field in new[] { "units", "returned_units", "revenue", "net_revenue", "fees", "net_cogs", "contribution_margin", "return_loss", "cogs_missing_lines" })
            {
                parts.Sum(p => p.GetProperty(field).GetDecimal()).Should().Be(row.GetProperty(field).GetDecimal(), $"{key} {field}");
            }
        }
    }

    [Fact]
    public async Task A_marketplace_that_is_not_a_code_gets_a_plain_400_and_an_unknown_one_no_rows()
    {
        using var bad = await host.Client.GetAsync(new Uri($"/api/v1/reports/skus?{Range}&marketplace=Ozon%20Store", UriKind.Relative));
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("is not a marketplace code");

        var unknown = await GetJsonAsync($"/api/v1/reports/skus?{Range}&marketplace=kaspi");
        unknown.GetProperty("skus").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_malformed_period_gets_a_plain_400()
    {
        using var response = await host.Client.GetAsync(new Uri("/api/v1/reports/skus?from=2026-03-31&to=2026-01-01", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("is before");
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
