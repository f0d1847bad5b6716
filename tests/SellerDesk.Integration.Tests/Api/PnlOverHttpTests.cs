using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using SellerDesk.Integration.Tests.Exports;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>The worked example uploaded through the API and read back as the profit and loss report (metrics.md 4.5) and its files.</summary>
public sealed class PnlOverHttpTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private const string Range = "from=2026-01-01&to=2026-03-31&as_of=2026-03-31";

    public async Task InitializeAsync()
    {
        await host.ImportTinyAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_pnl_matches_the_extended_expectations_to_the_kopeck_with_exactly_its_field_names()
    {
        var actual = await GetJsonAsync($"/api/v1/reports/pnl?{Range}");

        JsonAssert.Differences(SharedExamples.TinyExpectedExtended().GetProperty("pnl"), actual.GetProperty("pnl")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_marketplace_filter_keeps_that_marketplaces_rows_only()
    {
        var actual = await GetJsonAsync($"/api/v1/reports/pnl?{Range}&marketplace=ozon");

        var expected = SharedExamples.TinyExpectedExtended().GetProperty("pnl").EnumerateArray()
            .Where(r => r.GetProperty("marketplace").GetString() == "ozon")
            .ToList();
        using var expectedDocument = JsonDocument.Parse(JsonSerializer.Serialize(expected));
        JsonAssert.Differences(expectedDocument.RootElement, actual.GetProperty("pnl")).Should().BeEmpty();
        actual.GetProperty("pnl").GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task The_csv_is_the_statement_with_months_as_columns_named_by_report_filter_and_period()
    {
        using var response = await host.Client.GetAsync(new Uri($"/api/v1/reports/pnl?{Range}&marketplace=ozon&format=csv", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.FileName.Should().Be("pnl_ozon_2026-01-01_2026-03-31.csv");
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        lines[0].Should().Be("Marketplace,Line,Code,2026-01,2026-02,2026-03,Total");
        lines.Should().Contain("ozon,Revenue,revenue,2400.00,0.00,620.00,3020.00");
        lines.Should().Contain("ozon,Period fees,period_fees,0.00,150.00,0.00,150.00");
        lines.Should().Contain("ozon,    · acceptance,period_fees.acceptance,0.00,150.00,0.00,150.00");
        lines.Should().Contain("ozon,Profit,profit,100.00,-650.00,-103.00,-653.00");

        var russian = await host.Client.GetByteArrayAsync(new Uri($"/api/v1/reports/pnl?{Range}&marketplace=ozon&format=csv&dialect=semicolon&lang=ru", UriKind.Relative));
        russian.Take(3).Should().Equal([0xEF, 0xBB, 0xBF]);
        Encoding.UTF8.GetString(russian, 3, russian.Length - 3).Should().Contain("ozon;Прибыль;profit;100,00;-650,00;-103,00;-653,00\n");
    }

    [Fact]
    public async Task The_workbook_in_russian_holds_the_statement_and_its_definitions()
    {
        var bytes = await host.Client.GetByteArrayAsync(new Uri($"/api/v1/reports/pnl?{Range}&format=xlsx&lang=ru", UriKind.Relative));

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        ExportFiles.SheetNames(document).Should().Equal("Прибыли и убытки", "Определения");
        var data = ExportFiles.AllText(ExportFiles.Sheet(document, 0));
        data.Should().Contain("все | Прибыль | profit | -2988 | -1154 | -103 | -4245");
        data.Should().Contain("wildberries |     · хранение | period_fees.storage | 320 | 300 | 0 | 620");
        ExportFiles.AllText(ExportFiles.Sheet(document, 1)).Should().Contain("Маркетплейс | все");
    }

    [Fact]
    public async Task A_bad_dialect_or_language_gets_a_plain_400()
    {
        using var dialect = await host.Client.GetAsync(new Uri($"/api/v1/reports/pnl?{Range}&format=csv&dialect=tab", UriKind.Relative));
        using var language = await host.Client.GetAsync(new Uri($"/api/v1/reports/pnl?{Range}&format=xlsx&lang=de", UriKind.Relative));

        dialect.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await dialect.Content.ReadAsStringAsync()).Should().Contain("dialect 'tab' is not one of semicolon");
        language.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await language.Content.ReadAsStringAsync()).Should().Contain("lang 'de' is not one of ru, en");
    }

    private async Task<JsonElement> GetJsonAsync(string url) =>
        JsonDocument.Parse(await host.Client.GetStringAsync(new Uri(url, UriKind.Relative))).RootElement;
}
