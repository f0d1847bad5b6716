using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// The upload page tells which format a chosen file is in (decision 0027): the Wildberries weekly report's detail and
/// Ozon's accruals report as the cabinets export them, and ledger files, in Russian and in English, at desktop and
/// phone width. Nothing is imported here (the shared test ledger's figures stay as the other tests expect them).
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ReportUploadPageTests(SellerDeskApp app)
{
    public static TheoryData<string, int> Views { get; } = new()
    {
        { "ru-RU", 1440 },
        { "en-US", 1440 },
        { "ru-RU", 390 },
        { "en-US", 390 },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task Choosing_a_cabinet_report_says_which_report_it_is_and_asks_for_its_account(string locale, int width)
    {
        var russian = locale == "ru-RU";
        var page = await app.NewPageAsync(locale, new ViewportSize { Width = width, Height = 900 });
        await page.GotoAsync($"culture/set?culture={locale}&redirectUri={Uri.EscapeDataString("/upload")}");
        var upload = new UploadPage(page);
        await upload.OpenAsync();

        await upload.ChooseFileAsync("Еженедельный детализированный отчет №455120378.xlsx", Sample("wb-weekly-detail.xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var detected = upload.Page.Locator("[data-testid=upload-detected-format]");
        await Assertions.Expect(detected).ToContainTextAsync(russian ? "еженедельный отчёт о реализации Wildberries" : "the Wildberries weekly realization report");
        await Assertions.Expect(upload.Page.Locator("[data-testid=report-form]")).ToBeVisibleAsync();
        await Assertions.Expect(upload.Page.Locator("[data-testid=report-number]")).ToHaveValueAsync("455120378");
        await Assertions.Expect(upload.Page.Locator("[data-testid=upload-submit]")).ToContainTextAsync(russian ? "Загрузить отчёт" : "Import the report");
        await Screenshots.SaveAsync(upload.Page, $"upload-detected-wb-{locale}-{width}");

        await upload.ChooseFileAsync("accruals.csv", Sample("ozon-accruals.csv"), "text/csv");
        await Assertions.Expect(detected).ToContainTextAsync(russian ? "отчёт Ozon о начислениях" : "Ozon's accruals report");
        await Assertions.Expect(upload.Page.Locator("[data-testid=report-from]")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(upload.Page, $"upload-detected-ozon-{locale}-{width}");

        await upload.ChooseFileAsync("costs.csv", System.Text.Encoding.UTF8.GetBytes("sku,valid_from,unit_cost\nMUG-01,2020-01-01,100\n"), "text/csv");
        await Assertions.Expect(detected).ToContainTextAsync(russian ? "файл учёта: Себестоимость" : "a ledger file: Unit costs");
        await Assertions.Expect(upload.Page.Locator("#kind-costs")).ToBeCheckedAsync();
        await Assertions.Expect(upload.Page.Locator("[data-testid=report-form]")).ToHaveCountAsync(0);
    }

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "examples", "marketplace-reports", name));
}
