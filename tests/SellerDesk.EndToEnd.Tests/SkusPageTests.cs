using System.Text.Json;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>The SKUs page and a SKU's own page (issue 12 point 1) against the SKU report the API returns.</summary>
[Collection(BrowserTests.Name)]
public sealed class SkusPageTests(SellerDeskApp app)
{
    private async Task<IReadOnlyList<JsonElement>> ApiSkusAsync(string query)
    {
        using var response = await app.Api.GetAsync(new Uri($"api/v1/reports/skus?{query}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("skus").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public async Task Every_sku_row_shows_the_figures_the_api_returns_the_biggest_loss_first()
    {
        var api = await ApiSkusAsync(TestLedger.Query);
        var marketplaces = await app.Reports.MarketplacesAsync(TestLedger.Query);
        var skus = new SkusPage(await app.NewPageAsync());

        await skus.OpenAsync(TestLedger.Query);
        await Screenshots.SaveAsync(skus.Page, "skus-ru");
        var rows = await skus.RowsAsync();

        rows.Select(r => (r.Marketplace, r.Sku)).Should().BeEquivalentTo(api.Select(r => (r.Text("marketplace"), r.Text("sku"))));
        foreach (var expected in api)
        {
            var row = rows.Single(r => r.Marketplace == expected.Text("marketplace") && r.Sku == expected.Text("sku"));
            var because = $"{row.Marketplace}/{row.Sku}";
            foreach (var money in new[] { "units", "returned_units", "revenue", "fees", "net_cogs", "contribution_margin", "cm_per_unit" })
            {
                skus.Value(row.Cells[money]).Should().Be(expected.Number(money), $"{because} {money}");
            }

            foreach (var share in new[] { "cm_ratio", "return_loss_share" })
            {
                skus.Share(row.Cells[share]).Should().Be(expected.Number(share) is { } v ? Math.Round(v, 3, MidpointRounding.AwayFromZero) : null, $"{because} {share}");
            }

            row.Cells["cogs_missing_lines"].Should().Be(expected.Number("cogs_missing_lines")!.Value.ToString("0", System.Globalization.CultureInfo.InvariantCulture), because);
        }

        rows.Select(r => skus.Value(r.Cells["contribution_margin"])).Should().BeInAscendingOrder("the SKUs that lose the most come first");
        (await skus.UnsplitAsync("ad-spend")).Should().Be(marketplaces.Sum(m => m.Number("ad_spend")));
        (await skus.UnsplitAsync("period-fees")).Should().Be(marketplaces.Sum(m => m.Number("period_fees")));
        (await skus.UnsplitAsync("profit")).Should().Be(marketplaces.Sum(m => m.Number("profit")));
        (await skus.Unsplit.InnerTextAsync()).Should().Contain("нет честного ключа");
    }

    [Fact]
    public async Task The_marketplace_search_and_loss_filters_travel_in_the_address_and_agree_with_the_api()
    {
        var ozon = await ApiSkusAsync(TestLedger.Query + "&marketplace=ozon");
        var skus = new SkusPage(await app.NewPageAsync());
        await skus.OpenAsync(TestLedger.Query);

        await skus.ChooseMarketplaceAsync("ozon");
        await Address.WaitForAsync(skus.Page, url => url.Contains("marketplace=ozon", StringComparison.Ordinal));
        await skus.WaitForRowCountAsync(ozon.Count);
        (await skus.RowsAsync()).Select(r => r.Sku).Should().BeEquivalentTo(ozon.Select(r => r.Text("sku")));
        (await skus.UnsplitAsync("ad-spend")).Should().Be((await app.Reports.MarketplacesAsync(TestLedger.Query)).Single(m => m.Text("marketplace") == "ozon").Number("ad_spend"));

        await skus.ChooseMarketplaceAsync("all");
        await Address.WaitForAsync(skus.Page, url => !url.Contains("marketplace=", StringComparison.Ordinal));
        await skus.Search.FillAsync("tee");
        await Address.WaitForAsync(skus.Page, url => url.Contains("q=tee", StringComparison.Ordinal));
        await skus.WaitForSkusContainingAsync("TEE");
        var found = await skus.RowsAsync();
        found.Should().NotBeEmpty().And.OnlyContain(r => r.Sku.Contains("TEE", StringComparison.Ordinal));

        await skus.Search.FillAsync(string.Empty);
        await Address.WaitForAsync(skus.Page, url => !url.Contains("q=", StringComparison.Ordinal));
        await skus.SetLossesOnlyAsync(true);
        await Address.WaitForAsync(skus.Page, url => url.Contains("only=losses", StringComparison.Ordinal));
        var api = await ApiSkusAsync(TestLedger.Query);
        var losing = api.Where(r => r.Number("contribution_margin") < 0).Select(r => (r.Text("marketplace"), r.Text("sku"))).ToList();
        if (losing.Count == 0)
        {
            await skus.Page.Locator("[data-testid=skus-none]").WaitForAsync();
            await skus.Page.Locator("[data-testid=sku-clear-filters]").ClickAsync();
            await Address.WaitForAsync(skus.Page, url => !url.Contains("only=", StringComparison.Ordinal));
        }
        else
        {
            await skus.WaitForRowCountAsync(losing.Count);
            (await skus.RowsAsync()).Select(r => (r.Marketplace, r.Sku)).Should().BeEquivalentTo(losing);
        }
    }

    [Fact]
    public async Task A_sku_page_puts_its_marketplaces_side_by_side_and_its_months_add_up_to_the_period()
    {
        var api = (await ApiSkusAsync(TestLedger.Query)).Where(r => r.Text("sku") == "MUG-01").ToList();
        var skus = new SkusPage(await app.NewPageAsync());
        await skus.OpenAsync(TestLedger.Query);

        await skus.OpenSkuAsync("ozon", "MUG-01");
        await Address.WaitForAsync(skus.Page, url => url.Contains("skus/item", StringComparison.Ordinal) && url.Contains("from=2026-01-01", StringComparison.Ordinal));
        await Screenshots.SaveAsync(skus.Page, "sku-ru");

        (await skus.SideBySideAsync()).Should().BeEquivalentTo(api.Select(r => r.Text("marketplace")));
        foreach (var row in api)
        {
            var code = row.Text("marketplace");
            skus.Value(await skus.SideBySideTextAsync(code, "contribution_margin")).Should().Be(row.Number("contribution_margin"), code);
            skus.Value(await skus.SideBySideTextAsync(code, "units")).Should().Be(row.Number("units"), code);
        }

        var ozon = api.Single(r => r.Text("marketplace") == "ozon");
        var trend = await skus.TrendAsync();
        trend.Select(t => t.Month).Should().Equal("2026-01", "2026-02", "2026-03", "total");
        var total = trend.Single(t => t.Month == "total");
        skus.Value(total.Margin).Should().Be(ozon.Number("contribution_margin"));
        skus.Value(total.Revenue).Should().Be(ozon.Number("revenue"));
        // A month without sales shows its units (0) and one dash for the rest: it adds nothing.
        trend.Where(t => t.Month != "total").Sum(t => t.Margin.Length == 0 ? 0m : skus.Value(t.Margin) ?? 0m).Should().Be(ozon.Number("contribution_margin"));
        trend.Where(t => t.Month != "total").Sum(t => skus.Value(t.Units) ?? 0m).Should().Be(ozon.Number("units"));

        await skus.Page.Locator("[data-testid=sku-back]").ClickAsync();
        await Address.WaitForAsync(skus.Page, url => url.Contains("/skus?", StringComparison.Ordinal) && url.Contains("marketplace=ozon", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sku_not_sold_in_the_period_says_so_and_an_empty_period_says_what_to_do()
    {
        var skus = new SkusPage(await app.NewPageAsync());

        await skus.OpenSkuPageAsync($"from={TestLedger.EmptyFrom}&to={TestLedger.EmptyTo}&sku=MUG-01&marketplace=ozon");
        (await skus.Page.Locator("[data-testid=sku-not-sold]").InnerTextAsync()).Should().Contain("MUG-01");

        await skus.OpenAsync($"from={TestLedger.EmptyFrom}&to={TestLedger.EmptyTo}");
        (await skus.Page.Locator("[data-testid=empty-state]").InnerTextAsync()).Should().Contain("загрузите файл продаж");
    }

    public static TheoryData<string, string> Layouts() => new()
    {
        { "phone", "ru-RU" },
        { "phone", "en-US" },
        { "desktop", "ru-RU" },
        { "desktop", "en-US" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task The_skus_and_sku_pages_fit_a_phone_and_a_laptop_in_both_languages(string size, string culture)
    {
        var skus = new SkusPage(await app.NewPageAsync(viewport: size == "phone" ? SellerDeskApp.Phone : SellerDeskApp.Desktop));
        await skus.OpenAsync(TestLedger.Query);
        if (skus.Culture != culture)
        {
            await skus.SwitchLanguageAsync(culture);
            await skus.WaitForRowsAsync();
        }

        await Screenshots.SaveAsync(skus.Page, $"skus-{size}-{culture[..2]}");
        (await skus.SidewaysOverflowAsync()).Should().Be(0, $"the SKUs page at {size} in {culture} fits the window");
        (await skus.Heading.InnerTextAsync()).Should().Be(culture == "en-US" ? "SKUs" : "Товары (SKU)");
        (await skus.Unsplit.InnerTextAsync()).Should().Contain(culture == "en-US" ? "Not split by SKU" : "Не распределено по SKU");

        await skus.OpenSkuPageAsync(TestLedger.Query + "&marketplace=own_store&sku=MUG-01");
        await Screenshots.SaveAsync(skus.Page, $"sku-{size}-{culture[..2]}");
        (await skus.SidewaysOverflowAsync()).Should().Be(0, $"the SKU page at {size} in {culture} fits the window");
        (await skus.Page.Locator("#sku-trend-title").InnerTextAsync()).Should().Be(culture == "en-US" ? "Month by month" : "По месяцам");
    }
}
