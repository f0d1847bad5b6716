using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// The upload page tells which format a chosen file is in (decision 0027): the Wildberries weekly report's detail and
/// Ozon's accruals report as the cabinets export them, and ledger files, in Russian and in English, at desktop and
/// phone width; a marketplace report in a layout SellerDesk does not read is named in plain words and cannot be imported. Nothing is imported here (the shared test ledger's figures stay as the other tests expect them).
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

    [Theory]
    [InlineData("ru-RU", 1440)]
    [InlineData("en-US", 390)]
    public async Task Choosing_a_report_in_a_layout_SellerDesk_does_not_read_names_it_in_plain_words_and_offers_no_import(string locale, int width)
    {
        var russian = locale == "ru-RU";
        var page = await app.NewPageAsync(locale, new ViewportSize { Width = width, Height = 900 });
        await page.GotoAsync($"culture/set?culture={locale}&redirectUri={Uri.EscapeDataString("/upload")}");
        var upload = new UploadPage(page);
        await upload.OpenAsync();

        // Ozon's accruals in the long layout the cabinet also offers: one row per service, a single amount column.
        var longLayout = System.Text.Encoding.UTF8.GetBytes(
            "Дата начисления;Группа услуг;Тип начисления;Номер отправления или идентификатор услуги;Артикул;SKU;Количество;Сумма итого, руб.\r\n"
            + "03.03.2026;Продажи;Выручка;0123456789-0001-1;TEA-02;987654321;1;1500\r\n");
        await upload.ChooseFileAsync("Начисления.csv", longLayout, "text/csv");

        var detected = upload.Page.Locator("[data-testid=upload-detected]");
        await Assertions.Expect(detected).ToContainTextAsync(russian
            ? "отчёт, который SellerDesk не читает: отчёт Ozon о начислениях в длинном виде (строка на услугу, со столбцами «Группа услуг» и «Сумма итого, руб.»)"
            : "a report SellerDesk does not read: Ozon's accruals report in its long layout (one row per service, with «Группа услуг» and «Сумма итого, руб.»)");
        await Assertions.Expect(detected).ToContainTextAsync(russian
            ? "Скачайте отчёт в этом виде и загрузите его; из этого файла ничего не прочитано."
            : "Download the report in that layout and upload it; nothing was read from this file.");
        await Assertions.Expect(upload.Page.Locator("[data-testid=report-form]")).ToHaveCountAsync(0);
        await Assertions.Expect(upload.Page.Locator("[data-testid=upload-submit]")).ToBeDisabledAsync();

        // The disabled button names what was chosen (a report), not the sales file kind still selected below.
        await Assertions.Expect(upload.Page.Locator("[data-testid=upload-submit]")).ToHaveTextAsync(russian ? "Загрузить отчёт" : "Import the report");
        await Screenshots.SaveAsync(upload.Page, $"upload-unsupported-ozon-{locale}-{width}");
    }

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "examples", "marketplace-reports", name));
}
