using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SellerDesk.Integration.Tests.Api;

/// <summary><c>POST /api/v1/imports/attribution</c> (import-and-api.md): 200 with the counts, or 422 listing every problem.</summary>
public sealed class AttributionImportOverHttpTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Header = "date,marketplace,channel,sku,orders";

    [Fact]
    public async Task A_valid_file_sent_as_a_form_is_stored_with_its_file_name_and_sent_again_changes_nothing()
    {
        var csv = Header + "\n2026-03-01,wildberries,blogger_anna,MUG-01,3\n2026-03-02,ozon,promo_anna10,TEA-02,2\n";

        var first = await PostFormAsync(csv, "anna.csv");
        var again = await PostFormAsync(csv, "anna.csv");

        first.StatusCode.Should().Be(HttpStatusCode.OK, first.Body);
        var body = JsonDocument.Parse(first.Body).RootElement;
        body.GetProperty("kind").GetString().Should().Be("attribution");
        body.GetProperty("rows").GetInt32().Should().Be(2);
        body.GetProperty("inserted").GetInt32().Should().Be(2);
        var repeated = JsonDocument.Parse(again.Body).RootElement;
        repeated.GetProperty("inserted").GetInt32().Should().Be(0);
        repeated.GetProperty("updated").GetInt32().Should().Be(0);
        await using var command = host.Database.DataSource.CreateCommand(
            "SELECT import_file || ':' || import_line FROM attribution_rows WHERE channel = 'blogger_anna' AND sku = 'MUG-01'");
        ((string?)await command.ExecuteScalarAsync()).Should().MatchRegex(@"^API upload \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: anna\.csv:2$", "an API upload keeps its instant and the form's file name (decision 0021)");
    }

    [Fact]
    public async Task A_bad_file_gets_422_with_every_problem_by_line_and_column_and_nothing_is_written()
    {
        const string csv = Header + "\n2026-04-01,wildberries,blogger_boris,MUG-01,1\n2026-04-01,wildberries,organic,MUG-01,1\n2026-04-01,wildberries,blogger_boris,TEA-02,-1\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");

        using var response = await host.Client.PostAsync(new Uri("/api/v1/imports/attribution", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString())).ToList();
        errors.Should().Equal((3, "channel"), (4, "orders"));
        await using var command = host.Database.DataSource.CreateCommand("SELECT count(*) FROM attribution_rows WHERE channel = 'blogger_boris'");
        (await command.ExecuteScalarAsync()).Should().Be(0L);
    }

    private async Task<(HttpStatusCode StatusCode, string Body)> PostFormAsync(string csv, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new StringContent(csv, Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        using var response = await host.Client.PostAsync(new Uri("/api/v1/imports/attribution", UriKind.Relative), form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
