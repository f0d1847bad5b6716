using System.Text;
using DocumentFormat.OpenXml.Packaging;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

[Collection(BrowserTests.Name)]
public sealed class PnlPageTests(SellerDeskApp app)
{
    private static readonly string[] Months = ["2026-01", "2026-02", "2026-03"];

    [Fact]
    public async Task The_statement_equals_the_api_month_by_month_and_a_line_opens_into_its_fee_kinds()
    {
        var api = await app.Reports.PnlAsync(TestLedger.Query);
        var pnl = new PnlPage(await app.NewPageAsync());

        await pnl.OpenAsync(TestLedger.Query);

        (await pnl.Heading.InnerTextAsync()).Should().Be("Прибыли и убытки");
        (await pnl.Table.GetAttributeAsync("data-marketplace")).Should().Be("all");
        foreach (var line in new[] { "revenue", "refunds", "commission", "logistics", "cogs", "contribution_margin", "period_fees", "ad_spend", "profit" })
        {
            foreach (var month in Months)
            {
                var expected = api.Where(r => r.Text("month") == month).Sum(r => r.Number(line) ?? 0m);
                (await pnl.ValueAsync(line, month)).Should().Be(expected, $"{line} {month}");
            }

            (await pnl.TotalAsync(line)).Should().Be(api.Sum(r => r.Number(line) ?? 0m), line);
        }

        (await pnl.Parts("period_fees").CountAsync()).Should().Be(0, "lines start closed");
        await pnl.ToggleAsync("period_fees");
        (await pnl.Parts("period_fees").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.part)")).Should().Equal("acceptance", "storage");
        (await pnl.PartValueAsync("period_fees", "storage", "2026-01")).Should().Be(320m);
        (await pnl.PartValueAsync("period_fees", "acceptance", "2026-02")).Should().Be(150m);
        (await pnl.Note("period_fees").InnerTextAsync()).Should().Contain("по видам расходов");

        await pnl.ToggleAsync("revenue");
        (await pnl.Note("revenue").InnerTextAsync()).Should().Contain("более подробной разбивки нет");
        await pnl.ToggleAsync("profit");
        (await pnl.Note("profit").InnerTextAsync()).Should().Contain("Считается из строк выше");
        await Screenshots.SaveAsync(pnl.Page, "pnl-ru-desktop");

        await pnl.ToggleAsync("revenue");
        (await pnl.Note("revenue").CountAsync()).Should().Be(0, "a second click closes the line");

        await pnl.ChooseMarketplaceAsync("Ozon", "ozon");
        pnl.Page.Url.Should().Contain("marketplace=ozon");
        (await pnl.ValueAsync("revenue", "2026-02")).Should().Be(0m, "Ozon sold nothing in February");
        (await pnl.ValueAsync("period_fees", "2026-02")).Should().Be(150m);
        (await pnl.TotalAsync("profit")).Should().Be(api.Where(r => r.Text("marketplace") == "ozon").Sum(r => r.Number("profit")!.Value));
    }

    [Fact]
    public async Task The_russian_page_downloads_russian_excel_files_named_by_marketplace_and_period()
    {
        var pnl = new PnlPage(await app.NewPageAsync());
        await pnl.OpenAsync(TestLedger.Query + "&marketplace=ozon");

        var csv = await pnl.DownloadAsync("csv");
        csv.SuggestedFilename.Should().Be("pnl_ozon_2026-01-01_2026-03-31.csv");
        var bytes = await File.ReadAllBytesAsync(await csv.PathAsync());
        bytes.Take(3).Should().Equal([0xEF, 0xBB, 0xBF]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).TrimEnd('\n').Split('\n');
        lines[0].Should().Be("Маркетплейс;Строка;Код;2026-01;2026-02;2026-03;Итого");
        lines.Should().Contain("ozon;Прибыль;profit;100,00;-650,00;-103,00;-653,00");

        var xlsx = await pnl.DownloadAsync("xlsx");
        xlsx.SuggestedFilename.Should().Be("pnl_ozon_2026-01-01_2026-03-31.xlsx");
        using var document = SpreadsheetDocument.Open(await xlsx.PathAsync(), false);
        document.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value)
            .Should().Equal("Прибыли и убытки", "Определения");
    }

    [Fact]
    public async Task In_english_the_lines_and_the_download_are_english_and_the_csv_uses_commas()
    {
        var pnl = new PnlPage(await app.NewPageAsync());
        await pnl.OpenAsync(TestLedger.Query);
        await pnl.SwitchLanguageAsync("en-US");
        await pnl.Page.Locator("[data-testid=pnl-table]").WaitForAsync();

        (await pnl.Heading.InnerTextAsync()).Should().Be("Profit and loss");
        (await pnl.LineNameAsync("contribution_margin")).Should().Be("Contribution margin");
        await pnl.ToggleAsync("commission");
        (await pnl.Parts("commission").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.part)")).Should().Equal("commission_charged", "commission_refunded");
        await pnl.ToggleAsync("ad_spend");
        (await pnl.Parts("ad_spend").CountAsync()).Should().BeGreaterThan(0);
        await Screenshots.SaveAsync(pnl.Page, "pnl-en-desktop");

        var csv = await pnl.DownloadAsync("csv");
        var bytes = await File.ReadAllBytesAsync(await csv.PathAsync());
        bytes.Take(3).Should().NotEqual([0xEF, 0xBB, 0xBF]);
        var text = Encoding.UTF8.GetString(bytes);
        text.Should().StartWith("Marketplace,Line,Code,2026-01,2026-02,2026-03,Total\n");
        text.Should().Contain("\nall,Profit,profit,-2988.00,-1154.00,-103.00,-4245.00\n");
    }

    [Fact]
    public async Task A_month_not_over_on_the_as_of_date_is_marked()
    {
        var pnl = new PnlPage(await app.NewPageAsync());

        await pnl.OpenAsync($"from={TestLedger.From}&to={TestLedger.To}&as_of={TestLedger.MidMonthAsOf}");

        (await pnl.MonthHeader("2026-03").GetAttributeAsync("data-unfinished")).Should().Be("true");
        (await pnl.MonthHeader("2026-02").GetAttributeAsync("data-unfinished")).Should().Be("false");
        (await pnl.UnfinishedLegend.InnerTextAsync()).Should().Contain("15 мар");

        await pnl.OpenAsync(TestLedger.Query);
        (await pnl.UnfinishedLegend.CountAsync()).Should().Be(0, "31 March closes the month");
    }

    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-US")]
    public async Task On_a_phone_the_statement_scrolls_inside_its_panel_and_a_line_still_opens(string culture)
    {
        var pnl = new PnlPage(await app.NewPageAsync(viewport: SellerDeskApp.Phone, touch: true));
        await pnl.OpenAsync(TestLedger.Query);
        if (culture == "en-US")
        {
            await pnl.SwitchLanguageAsync(culture);
            await pnl.Page.Locator("[data-testid=pnl-table]").WaitForAsync();
        }

        await pnl.ToggleAsync("period_fees");
        (await pnl.Parts("period_fees").CountAsync()).Should().Be(2);
        (await pnl.SidewaysOverflowAsync()).Should().Be(0, "the table scrolls inside its panel, not the page");
        await Screenshots.SaveAsync(pnl.Page, $"pnl-{culture[..2]}-phone");
    }

    [Fact]
    public async Task The_channels_and_overview_pages_download_their_tables_for_russian_excel()
    {
        var page = await app.NewPageAsync();
        var overview = new OverviewPage(page);
        await overview.OpenAsync(TestLedger.Query);

        var marketplaces = await page.RunAndWaitForDownloadAsync(async () => await page.Locator("[data-testid=marketplaces-export-xlsx]").ClickAsync());
        marketplaces.SuggestedFilename.Should().Be("marketplaces_2026-01-01_2026-03-31.xlsx");
        using (var document = SpreadsheetDocument.Open(await marketplaces.PathAsync(), false))
        {
            document.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value)
                .Should().Equal("Маркетплейсы", "Определения");
        }

        var channels = new ChannelsPage(page);
        await channels.OpenAsync(TestLedger.Query);
        var csv = await page.RunAndWaitForDownloadAsync(async () => await page.Locator("[data-testid=channels-export-csv]").ClickAsync());
        csv.SuggestedFilename.Should().Be("channels_2026-01-01_2026-03-31.csv");
        var bytes = await File.ReadAllBytesAsync(await csv.PathAsync());
        bytes.Take(3).Should().Equal([0xEF, 0xBB, 0xBF]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).TrimEnd('\n').Split('\n');
        lines[0].Should().StartWith("Маркетплейс;Канал;Новые покупатели;");
        lines.Should().HaveCount((await app.Reports.ChannelsAsync(TestLedger.Query)).Count + 1);
    }
}
