using System.Net.Http.Json;
using System.Text.Json;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;
using SellerDesk.Testing;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// The what-if page (issue 13 point 1) and the concentration stress (point 2) over the tiny example, against
/// expected-extended.json and POST /api/v1/scenarios/evaluate, in Russian and English, on a desktop and a phone.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ScenariosPageTests(SellerDeskApp app)
{
    private async Task<JsonElement> EvaluateAsync(object adjustments)
    {
        using var response = await app.Api.PostAsJsonAsync(
            new Uri("api/v1/scenarios/evaluate", UriKind.Relative), new { from = TestLedger.From, to = TestLedger.To, as_of = TestLedger.AsOf, adjustments });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> ByMarketplace(JsonElement rows) =>
        rows.EnumerateArray().ToDictionary(r => r.Text("marketplace"));

    private static void ShowsBothSides(IReadOnlyList<ScenarioMarketplaceView> shown, JsonElement baseline, JsonElement scenario)
    {
        var before = ByMarketplace(baseline);
        var after = ByMarketplace(scenario);
        shown.Where(r => r.Marketplace != "total").Select(r => r.Marketplace).Should().BeEquivalentTo(before.Keys);
        foreach (var row in shown.Where(r => r.Marketplace != "total"))
        {
            row.MarginToday.Should().Be(before[row.Marketplace].Number("contribution_margin"), row.Marketplace);
            row.ProfitToday.Should().Be(before[row.Marketplace].Number("profit"), row.Marketplace);
            row.MarginScenario.Should().Be(after[row.Marketplace].Number("contribution_margin"), row.Marketplace);
            row.ProfitScenario.Should().Be(after[row.Marketplace].Number("profit"), row.Marketplace);
        }

        var total = shown.Single(r => r.Marketplace == "total");
        total.ProfitToday.Should().Be(before.Values.Sum(m => m.Number("profit")));
        total.ProfitScenario.Should().Be(after.Values.Sum(m => m.Number("profit")));
    }

    [Fact]
    public async Task The_worked_scenario_in_the_address_shows_expected_extended_json_beside_today_in_russian_on_a_desktop()
    {
        var worked = SharedExamples.TinyExpectedExtended().GetProperty("scenario");
        var page = new ScenariosPage(await app.NewPageAsync(viewport: SellerDeskApp.Desktop));

        await page.OpenAsync(TestLedger.Query + "&adj=" + Uri.EscapeDataString("mp:wildberries,comm:5~ret:0"));
        await Screenshots.SaveAsync(page.Page, "scenarios-ru-desktop");

        (await page.Heading.InnerTextAsync()).Should().Be("Что если");
        ShowsBothSides(await page.MarketplacesAsync(), SharedExamples.TinyExpected().GetProperty("marketplaces"), worked.GetProperty("marketplaces"));
        (await page.Field(0, "commission").InputValueAsync()).Should().Be("5");
        (await page.Field(1, "returns").InputValueAsync()).Should().Be("0");
        var pnl = worked.GetProperty("pnl").EnumerateArray().ToList();
        (await page.PnlAsync("commission")).Scenario.Should().Be(pnl.Sum(r => r.Number("commission")));
        (await page.PnlAsync("profit")).Scenario.Should().Be(pnl.Sum(r => r.Number("profit")));
        (await page.PnlAsync("profit")).Today.Should().Be(SharedExamples.TinyExpectedExtended().GetProperty("pnl").EnumerateArray().Sum(r => r.Number("profit")));

        // The stress of the tiny example: own_store carries the top share; +5 pp on its 4 350 of net revenue costs 217.50,
        // a month without its sales (January, margin 912) costs 912; profit today is -4 245.
        (await page.Stress.GetAttributeAsync("data-testid")).Should().Be("stress-panel");
        (await page.StressAsync("commission")).Should().Be(-4462.5m);
        (await page.StressAsync("month")).Should().Be(-5157m);
        (await page.SidewaysOverflowAsync()).Should().Be(0);

        // The download is the same scenario: each marketplace's P&L lines and the total, today and in the scenario.
        var csv = await page.Page.RunAndWaitForDownloadAsync(async () => await page.Page.Locator("[data-testid=scenario-export-csv]").ClickAsync());
        csv.SuggestedFilename.Should().Be("scenario_2026-01-01_2026-03-31.csv");
        var bytes = await File.ReadAllBytesAsync(await csv.PathAsync());
        var lines = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).TrimEnd('\n').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines[0].Should().Be("Маркетплейс;Статья;Сейчас;Сценарий;Изменение");
        lines.Should().Contain("wildberries;Прибыль;-2075,00;-986,00;1089,00").And.Contain("Итого;Прибыль;-4245,00;-2826,00;1419,00");
        lines.Should().HaveCount(1 + (4 * 11));
        var xlsx = await page.Page.RunAndWaitForDownloadAsync(async () => await page.Page.Locator("[data-testid=scenario-export-xlsx]").ClickAsync());
        xlsx.SuggestedFilename.Should().Be("scenario_2026-01-01_2026-03-31.xlsx");
        (await File.ReadAllBytesAsync(await xlsx.PathAsync())).Take(2).Should().Equal((byte)'P', (byte)'K');
    }

    [Fact]
    public async Task A_preset_applies_at_once_travels_in_the_address_and_agrees_with_the_api_in_english_on_a_phone()
    {
        var page = new ScenariosPage(await app.NewPageAsync("en-US", SellerDeskApp.Phone));
        await page.OpenAsync(TestLedger.Query);
        await page.SwitchLanguageAsync("en-US");
        await page.WaitForFiguresAsync();
        (await page.Page.Locator("[data-testid=scenario-no-adjustments]").IsVisibleAsync()).Should().BeTrue("with no adjustments the page says what to do");

        await page.ChoosePresetAsync("wb_commission");
        await Address.WaitForAsync(page.Page, url => Uri.UnescapeDataString(url).Contains("adj=mp:wildberries,comm:3", StringComparison.Ordinal));
        await page.Page.Locator("#adjustment-0-commission").WaitForAsync();
        await Screenshots.SaveAsync(page.Page, "scenarios-en-phone");

        var api = await EvaluateAsync(new[] { new { marketplace = "wildberries", commission_pp = 3 } });
        ShowsBothSides(await page.MarketplacesAsync(), api.GetProperty("baseline").GetProperty("marketplaces"), api.GetProperty("scenario").GetProperty("marketplaces"));
        (await page.Heading.InnerTextAsync()).Should().Be("What-if");
        (await page.SidewaysOverflowAsync()).Should().Be(0, "the page fits a phone");

        await page.ChoosePresetAsync("no_returns");
        await Address.WaitForAsync(page.Page, url => Uri.UnescapeDataString(url).Contains("adj=ret:0", StringComparison.Ordinal));
        var none = await EvaluateAsync(new[] { new { returns_scale = 0 } });
        await page.Page.Locator("#adjustment-0-returns").WaitForAsync();
        ShowsBothSides(await page.MarketplacesAsync(), none.GetProperty("baseline").GetProperty("marketplaces"), none.GetProperty("scenario").GetProperty("marketplaces"));
    }

    [Fact]
    public async Task Exactly_the_channels_whose_verdict_changes_are_highlighted_and_the_skus_that_turn_unprofitable_are_listed_in_english()
    {
        var page = new ScenariosPage(await app.NewPageAsync("en-US", SellerDeskApp.Desktop));

        await page.OpenAsync(TestLedger.Query + "&adj=" + Uri.EscapeDataString("mp:own_store,ad:-90"));
        await page.SwitchLanguageAsync("en-US");
        await page.WaitForFiguresAsync();
        (await page.Heading.InnerTextAsync()).Should().Be("What-if");
        await Screenshots.SaveAsync(page.Page, "scenarios-en-desktop");

        var channels = await page.ChannelsAsync();
        channels.Where(c => c.Changed).Select(c => (c.Marketplace, c.Channel, c.Today, c.Scenario)).Should().Equal(
            ("own_store", "blogger_anna", "pays_back", "profitable"),
            ("own_store", "vk_ads", "cut", "profitable"));
        channels.Where(c => !c.Changed).Should().OnlyContain(c => c.Today == c.Scenario);
        channels.Should().HaveCount(SharedExamples.TinyExpected().GetProperty("channels").GetArrayLength());

        await page.OpenAsync(TestLedger.Query + "&adj=" + Uri.EscapeDataString("price:-30"));
        var api = await EvaluateAsync(new[] { new { price_pct = -30 } });
        var before = api.GetProperty("baseline").GetProperty("skus").EnumerateArray().ToDictionary(s => (s.Text("marketplace"), s.Text("sku")), s => s.Number("contribution_margin"));
        var turning = api.GetProperty("scenario").GetProperty("skus").EnumerateArray()
            .Where(s => s.Number("contribution_margin") < 0 && before[(s.Text("marketplace"), s.Text("sku"))] >= 0)
            .Select(s => (s.Text("marketplace"), s.Text("sku")))
            .ToList();
        turning.Should().NotBeEmpty();
        (await page.SkusTurningAsync()).Should().BeEquivalentTo(turning);
    }

    [Fact]
    public async Task A_scenario_typed_by_keyboard_is_saved_named_and_opened_by_its_link_by_members_only_in_russian_on_a_phone()
    {
        var page = new ScenariosPage(await app.NewPageAsync(viewport: SellerDeskApp.Phone));
        await page.OpenAsync(TestLedger.Query);

        await page.AddAdjustmentAsync();
        await page.Field(0, "logistics").FillAsync("20");
        await page.Field(0, "logistics").PressAsync("Enter");
        await Address.WaitForAsync(page.Page, url => Uri.UnescapeDataString(url).Contains("adj=log:20", StringComparison.Ordinal));
        var name = "Логистика +20 % " + Guid.NewGuid().ToString("N")[..6];
        await page.SaveAsync(name);
        await Screenshots.SaveAsync(page.Page, "scenarios-ru-phone-saved");
        var link = await page.Link.InputValueAsync();
        link.Should().Contain("/scenarios?id=").And.Contain("from=" + TestLedger.From);
        (await page.SavedNamesAsync()).Should().Contain(name);
        var shown = await page.MarketplacesAsync();

        var other = new ScenariosPage(await app.NewPageAsync(viewport: SellerDeskApp.Desktop));
        await other.Page.GotoAsync(link + "&as_of=" + TestLedger.AsOf);
        await other.WaitUntilInteractiveAsync();
        await other.WaitForFiguresAsync();
        (await other.Field(0, "logistics").InputValueAsync()).Should().Be("20");
        (await other.Name.InputValueAsync()).Should().Be(name);
        (await other.MarketplacesAsync()).Should().Equal(shown);
        var api = await EvaluateAsync(new[] { new { logistics_pct = 20 } });
        ShowsBothSides(shown, api.GetProperty("baseline").GetProperty("marketplaces"), api.GetProperty("scenario").GetProperty("marketplaces"));

        var stranger = await app.NewPageAsync(signedIn: false);
        await stranger.GotoAsync(link);
        stranger.Url.Should().Contain("/account/signin", "a shared link opens for signed-in members only");
    }

    [Fact]
    public async Task The_overview_concentration_card_shows_the_stress_of_the_top_marketplace()
    {
        var overview = new OverviewPage(await app.NewPageAsync("en-US", SellerDeskApp.Desktop));
        await overview.OpenAsync(TestLedger.Query);
        await overview.SwitchLanguageAsync("en-US");
        await overview.OpenAsync(TestLedger.Query);
        await Screenshots.SaveAsync(overview.Page, "overview-stress-en");

        var stress = overview.Page.Locator("[data-testid=kpi-concentration] [data-testid=concentration-stress]");
        (await stress.GetAttributeAsync("data-marketplace")).Should().Be("own_store");
        var format = (System.Globalization.NumberFormatInfo)System.Globalization.CultureInfo.GetCultureInfo("en-US").NumberFormat.Clone();
        format.CurrencySymbol = "₽";
        string Money(decimal value) => value.ToString("C2", format);
        static string Plain(string text) => text.Replace('\u00a0', ' ').Replace('\u202f', ' ');
        Plain(await stress.Locator("[data-testid=stress-commission]").InnerTextAsync()).Should().Contain(Money(-4462.5m)).And.Contain(Money(-217.5m));
        Plain(await stress.Locator("[data-testid=stress-month]").InnerTextAsync()).Should().Contain("January 2026").And.Contain(Money(-5157m)).And.Contain(Money(-912m));
    }
}
