using System.Net;
using System.Text;
using System.Text.Json;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>The worked example of metrics.md, uploaded through the API and read back as the three reports.</summary>
public sealed class TinyExampleOverHttpTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private const string Range = "from=2026-01-01&to=2026-03-31&as_of=2026-03-31";

    public async Task InitializeAsync()
    {
        await host.ImportTinyAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("channels")]
    [InlineData("marketplaces")]
    [InlineData("cohorts")]
    public async Task Each_report_matches_expected_json_to_the_kopeck_with_exactly_its_field_names(string report)
    {
        var actual = await GetJsonAsync($"/api/v1/reports/{report}?{Range}");

        var differences = JsonAssert.Differences(SharedExamples.TinyApiExpected().GetProperty(report), actual.GetProperty(report));

        differences.Should().BeEmpty();
    }

    [Fact]
    public async Task Concentration_and_channel_revenue_drr_and_roas_are_those_of_expected_extended_json()
    {
        var marketplaces = await GetJsonAsync($"/api/v1/reports/marketplaces?{Range}");
        var channels = await GetJsonAsync($"/api/v1/reports/channels?{Range}");

        JsonAssert.Differences(SharedExamples.TinyExpectedExtended().GetProperty("concentration"), marketplaces.GetProperty("concentration"))
            .Should().BeEmpty();
        JsonAssert.Differences(SharedExamples.TinyExpectedExtended().GetProperty("channels_extra"), channels.GetProperty("channels"), exactFields: false)
            .Should().BeEmpty();
    }

    [Fact]
    public async Task Uploading_the_same_files_again_inserts_nothing_and_the_reports_do_not_change()
    {
        using var content = new StringContent(await File.ReadAllTextAsync(SharedExamples.Tiny("sales.csv")), Encoding.UTF8, "text/csv");
        using var response = await host.Client.PostAsync(new Uri("/api/v1/imports/sales", UriKind.Relative), content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        body.GetProperty("inserted").GetInt32().Should().Be(0);
        body.GetProperty("updated").GetInt32().Should().Be(0);
        body.GetProperty("rows").GetInt32().Should().Be(13);
        var channels = await GetJsonAsync($"/api/v1/reports/channels?{Range}");
        JsonAssert.Differences(SharedExamples.TinyApiExpected().GetProperty("channels"), channels.GetProperty("channels")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_rejected_upload_lists_its_problems_and_writes_nothing()
    {
        const string bad = """
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics
            own_store,S9,1,2026-03-20T12:00:00+03:00,c9,vk_ads,MUG-01,two,500,0,100
            own_store,S10,1,2026-13-20T12:00:00+03:00,c9,vk_ads,MUG-01,1,500,0,100
            """;
        using var content = new StringContent(bad, Encoding.UTF8, "text/csv");
        using var response = await host.Client.PostAsync(new Uri("/api/v1/imports/sales", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().ToList();
        errors.Should().Contain(e => e.GetProperty("line").GetInt32() == 2 && e.GetProperty("column").GetString() == "quantity");
        errors.Should().Contain(e => e.GetProperty("line").GetInt32() == 3 && e.GetProperty("column").GetString() == "ordered_at");

        var marketplaces = await GetJsonAsync($"/api/v1/reports/marketplaces?{Range}");
        JsonAssert.Differences(SharedExamples.TinyApiExpected().GetProperty("marketplaces"), marketplaces.GetProperty("marketplaces")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_token_of_another_workspace_sees_nothing_of_this_one()
    {
        await using (var db = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<SellerDesk.Data.SellerDeskDbContext>()
            .UseNpgsqlFor(host.Database))
        {
            var other = new SellerDesk.Data.Entities.Workspace { Id = Guid.NewGuid(), Name = "other-seller" };
            db.Workspaces.Add(other);
            await db.SaveChangesAsync();
            await SellerDesk.Web.Auth.ApiTokens.EnsureAsync(db, other.Id, "other-token", SellerDesk.Web.Auth.ApiRoles.Owner, "test", CancellationToken.None);
        }

        using var client = host.CreateClient("other-token");
        foreach (var report in new[] { "channels", "marketplaces", "cohorts" })
        {
            var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/reports/{report}?{Range}", UriKind.Relative))).RootElement;
            json.GetProperty(report).GetArrayLength().Should().Be(0, report);
        }
    }

    [Fact]
    public async Task Without_a_valid_token_the_api_answers_401_as_problem_details()
    {
        using var anonymous = host.CreateClient(null);
        using var wrong = host.CreateClient("not-a-token");

        foreach (var client in new[] { anonymous, wrong })
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/reports/channels?{Range}", UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
    }

    [Fact]
    public async Task A_malformed_period_gets_a_plain_400()
    {
        using var response = await host.Client.GetAsync(new Uri("/api/v1/reports/channels?from=2026-02-30&to=2026-03-31", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("'2026-02-30' is not a date");
    }

    [Fact]
    public async Task The_cohort_csv_has_one_row_per_cohort_with_the_chosen_metric()
    {
        var csv = await host.Client.GetStringAsync(new Uri($"/api/v1/reports/cohorts?{Range}&format=csv&metric=retention", UriKind.Relative));

        var lines = csv.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("marketplace,cohort,customers,spend,cac,payback_month,m0,m1,m2");
        lines.Should().HaveCount(7);
        lines.Should().Contain("ozon,2026-01,2,700.00,350.00,0,1.0000,0.0000,0.5000");
        lines.Should().Contain("wildberries,2026-03,1,400.00,400.00,,1.0000,,");
    }

    [Fact]
    public async Task The_cohort_workbook_has_the_cohorts_and_a_definitions_sheet()
    {
        var bytes = await host.Client.GetByteArrayAsync(new Uri($"/api/v1/reports/cohorts?{Range}&format=xlsx", UriKind.Relative));

        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheets = document.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value).ToList();
        sheets.Should().Equal("Cohorts", "Definitions");
        var cohortRows = document.WorkbookPart.WorksheetParts.First().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Count();
        cohortRows.Should().Be(7);
    }

    private async Task<JsonElement> GetJsonAsync(string url) =>
        JsonDocument.Parse(await host.Client.GetStringAsync(new Uri(url, UriKind.Relative))).RootElement;
}
