using System.Net;
using System.Text.Json;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>
/// The report endpoints serialize each answer once per period, ledger version and filter (ReportAnswers): a filtered
/// answer is never the unfiltered one kept, nor the other way round, and a write is in the next answer.
/// </summary>
public sealed class ReportAnswersOverHttpTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private const string Range = "from=2026-01-01&to=2026-03-31&as_of=2026-03-31";

    public async Task InitializeAsync()
    {
        await host.ImportTinyAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("skus", "skus")]
    [InlineData("pnl", "pnl")]
    [InlineData("cohorts", "cohorts")]
    public async Task Filtered_and_unfiltered_answers_of_one_period_and_version_are_each_their_own(string report, string rows)
    {
        var all = await GetAsync($"/api/v1/reports/{report}?{Range}");
        var ozon = await GetAsync($"/api/v1/reports/{report}?{Range}&marketplace=ozon");
        var wildberries = await GetAsync($"/api/v1/reports/{report}?{Range}&marketplace=wildberries");
        var allAgain = await GetAsync($"/api/v1/reports/{report}?{Range}");

        allAgain.Should().Be(all, "the same request of the same version gets the same answer");
        foreach (var (answer, marketplace) in new[] { (ozon, "ozon"), (wildberries, "wildberries") })
        {
            var kept = Rows(answer, rows);
            kept.Should().NotBeEmpty(marketplace);
            kept.Should().OnlyContain(r => r.GetProperty("marketplace").GetString() == marketplace, "a filtered answer holds only its marketplace");
            kept.Count.Should().BeLessThan(Rows(all, rows).Count, $"{marketplace}: not the unfiltered answer");
        }

        if (report != "cohorts")
        {
            // SKU and P&L rows are per marketplace: a filter keeps exactly that marketplace's rows of the whole answer.
            var fromAll = Rows(all, rows).Where(r => r.GetProperty("marketplace").GetString() == "ozon").Select(r => r.GetRawText());
            Rows(ozon, rows).Select(r => r.GetRawText()).Should().Equal(fromAll);
        }
    }

    [Fact]
    public async Task A_write_is_in_the_next_answer_of_the_same_period()
    {
        var before = await GetAsync($"/api/v1/reports/skus?{Range}&marketplace=own_store");
        await host.ImportAsync(
            "sales",
            "marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees\n" +
            "own_store,ANSWERS-1,1,2026-02-20T12:00:00+03:00,c-answers,vk_ads,MUG-01,3,1500,0,150,30,0\n");

        var after = await GetAsync($"/api/v1/reports/skus?{Range}&marketplace=own_store");

        after.Should().NotBe(before);
        Units(after, "MUG-01").Should().Be(Units(before, "MUG-01") + 3, "the new line's three units are in the answer after the write");
    }

    private async Task<string> GetAsync(string uri)
    {
        using var response = await host.Client.GetAsync(new Uri(uri, UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK, uri);
        response.Content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        return await response.Content.ReadAsStringAsync();
    }

    private static List<JsonElement> Rows(string answer, string property) =>
        [.. JsonDocument.Parse(answer).RootElement.GetProperty(property).EnumerateArray()];

    private static int Units(string answer, string sku) =>
        Rows(answer, "skus").Single(r => r.GetProperty("sku").GetString() == sku).GetProperty("units").GetInt32();
}
