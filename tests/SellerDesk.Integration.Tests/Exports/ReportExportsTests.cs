using SellerDesk.Web.Features.Exports;
using static SellerDesk.Integration.Tests.Exports.ExportFiles;

namespace SellerDesk.Integration.Tests.Exports;

/// <summary>The channels and marketplaces reports as files.</summary>
public sealed class ReportExportsTests
{
    [Fact]
    public async Task The_channels_workbook_shows_drr_as_a_percentage_roas_as_a_number_and_the_verdict_in_words()
    {
        var reports = ExportLedger.Reports();
        using var document = await XlsxAsync(ReportExports.Channels(reports, "ozon"), Russian);

        SheetNames(document).Should().Equal("Каналы", "Определения");
        var data = Sheet(document, 0);
        Text(Cell(data, "H1")).Should().Be("ДРР");
        var rows = AllText(data).Split('\n');
        // VK ads on Ozon: 300 spent, one new customer whose 1 000 ₽ order came through it: DRR 0.3, ROAS 3.33.
        var vk = rows.Single(r => r.StartsWith("ozon | vk_ads", StringComparison.Ordinal));
        vk.Should().Be("ozon | vk_ads | 1 | 1 | 0 | 300 | 1000 | 0.3 | 3.3333 | 300 | 325 | 25 | 325 | 1.0833 | Прибыльный");
        var vkRow = data.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().First(r => Text(r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ElementAt(1)) == "vk_ads");
        Format(document, vkRow.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ElementAt(7)).NumberFormatId!.Value.Should().Be(XlsxExport.PercentFormatId);
        Format(document, vkRow.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ElementAt(8)).NumberFormatId!.Value.Should().Be(XlsxExport.NumberFormatId);
        AllText(Sheet(document, 1)).Should().Contain("ДРР | Доля рекламных расходов");
    }

    [Fact]
    public async Task The_marketplaces_csv_in_english_has_one_row_per_marketplace_and_names_the_leading_platform()
    {
        var reports = ExportLedger.Reports();
        var table = ReportExports.Marketplaces(reports);

        table.FileName("csv").Should().Be("marketplaces_2026-01-01_2026-02-28.csv");
        var lines = Decode(await CsvAsync(table, CsvDialect.Comma, English)).TrimEnd('\n').Split('\n');
        lines[0].Should().StartWith("Marketplace,Revenue,Net revenue,Contribution margin,Period fees,Ad spend,Profit,");
        lines.Should().HaveCount(3);
        lines.Should().Contain(l => l.StartsWith("own_store,700.00,700.00,346.00,0.00,0.00,346.00,", StringComparison.Ordinal));

        using var document = await XlsxAsync(table, English);
        AllText(Sheet(document, 1)).Should().Contain("own_store carries");
    }
}
