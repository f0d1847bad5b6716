using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>
/// Rows sent through <c>POST /api/v1/imports/{kind}</c> (not a file on the upload page, not a pull) name that API upload,
/// its UTC time and their line in the drill-down over HTTP: the JSON's origin, and the exported files in English and
/// Russian ("API upload … UTC, line N" / "загрузка через API … UTC, строка N"), never a generic "(request body)".
/// </summary>
public sealed class ApiUploadProvenanceOverHttpTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Range = "from=2026-04-01&to=2026-04-30&as_of=2026-04-30";

    private const string Sales = """
        marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
        own_store,API-1,1,2026-04-10T12:00:00+03:00,c1,vk_ads,MUG-01,2,1000,0,150,20,0
        own_store,API-2,1,2026-04-11T12:00:00+03:00,c2,organic,TEE-02,1,900,0,0,18,0
        own_store,API-2,2,2026-04-11T12:00:00+03:00,c2,organic,MUG-01,1,500,0,0,10,0
        """;

    private const string Returns = """
        marketplace,order_id,line_id,return_id,returned_at,quantity,refund,commission_refund,return_logistics,restockable,reason
        own_store,API-2,2,R1,2026-04-20T10:00:00+03:00,1,500,0,90,false,broken
        """;

    [Fact]
    public async Task Rows_sent_as_an_api_body_name_the_api_upload_its_utc_time_and_their_line()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using (var content = new StringContent(Sales, Encoding.UTF8, "text/csv"))
        using (var response = await host.Client.PostAsync(new Uri("/api/v1/imports/sales", UriKind.Relative), content))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        // The returns go as a multipart form with a file name: still an API upload, and the name is kept.
        using (var form = new MultipartFormDataContent())
        {
            var file = new StringContent(Returns, Encoding.UTF8);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "april-returns.csv");
            using var response = await host.Client.PostAsync(new Uri("/api/v1/imports/returns", UriKind.Relative), form);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        using var page = await host.Client.GetAsync(new Uri($"/api/v1/reports/drilldown?{Range}&marketplace=own_store", UriKind.Relative));
        var text = await page.Content.ReadAsStringAsync();
        page.StatusCode.Should().Be(HttpStatusCode.OK, text);
        text.Should().NotContain("(request body)");
        using var json = JsonDocument.Parse(text);
        var order = json.RootElement.GetProperty("orders").EnumerateArray().Single(o => o.GetProperty("order_id").GetString() == "API-2");
        var line = order.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("line_id").GetString() == "2").GetProperty("origin");
        line.GetProperty("kind").GetString().Should().Be("api_upload");
        line.GetProperty("line").GetInt32().Should().Be(4, "the line's record is on the body's fourth line");
        line.GetProperty("file").ValueKind.Should().Be(JsonValueKind.Null, "a bare body has no file name");
        var uploadedAt = line.GetProperty("uploaded_at").GetDateTimeOffset();
        uploadedAt.Should().BeOnOrAfter(before).And.BeOnOrBefore(after);
        uploadedAt.Offset.Should().Be(TimeSpan.Zero, "the upload's time is given in UTC");

        var returned = order.GetProperty("returns").EnumerateArray().Single().GetProperty("origin");
        (returned.GetProperty("kind").GetString(), returned.GetProperty("file").GetString(), returned.GetProperty("line").GetInt32())
            .Should().Be(("api_upload", "april-returns.csv", 2));
        returned.GetProperty("uploaded_at").GetDateTimeOffset().Should().BeOnOrAfter(uploadedAt).And.BeOnOrBefore(after);

        var shown = uploadedAt.UtcDateTime;
        var english = await ExportAsync("en");
        english.Should().Contain($"API upload {shown:yyyy-MM-dd HH:mm:ss} UTC, line 4").And.NotContain("(request body)");
        var russian = await ExportAsync("ru");
        russian.Should().Contain($"загрузка через API {shown:dd.MM.yyyy HH:mm:ss} UTC, строка 4").And.NotContain("(request body)");
    }

    private async Task<string> ExportAsync(string language)
    {
        using var response = await host.Client.GetAsync(new Uri($"/api/v1/reports/drilldown?{Range}&marketplace=own_store&format=csv&lang={language}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return text;
    }
}
