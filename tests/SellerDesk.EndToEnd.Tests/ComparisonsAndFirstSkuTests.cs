using System.Globalization;
using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// Issue 12 points 3 and 6 in the browser (decision 0029): Overview's tiles and the changes of its cards against the
/// previous period and a year earlier, the chart's grain, the Channels and SKUs strips, and LTV by first SKU beside
/// LTV by channel on Cohorts; in Russian and English, at desktop and phone width.
/// </summary>
[Collection(ComparisonBrowserTests.Name)]
public sealed class ComparisonsAndFirstSkuTests(SellerDeskApp app)
{
    /// <summary>March 2026: its previous period (29 January to 28 February) holds the tiny example's orders; a year earlier holds nothing.</summary>
    private const string March = "from=2026-03-01&to=2026-03-31&as_of=2026-03-31";

    private const string BeforeMarch = "from=2026-01-29&to=2026-02-28&as_of=2026-02-28";

    [Theory]
    [InlineData("ru-RU", "desktop")]
    [InlineData("en-US", "phone")]
    [InlineData("en-US", "desktop")]
    [InlineData("ru-RU", "phone")]
    public async Task Overview_cards_show_the_change_against_the_previous_period_and_say_when_a_year_ago_has_no_data(string locale, string width)
    {
        var phone = width == "phone";
        var overview = new OverviewPage(await app.NewPageAsync(locale, phone ? SellerDeskApp.Phone : SellerDeskApp.Desktop, touch: phone));
        var before = await app.Reports.MarketplacesAsync(BeforeMarch);
        var now = await app.Reports.MarketplacesAsync(March);

        await overview.OpenAsync(March);
        if (overview.Culture != locale)
        {
            await overview.SwitchLanguageAsync(locale);
        }

        await overview.Page.Locator("[data-testid=period-tiles][data-ready=true]").WaitForAsync();
        await overview.Page.Locator("[data-testid=kpi-revenue-delta]").First.WaitForAsync();

        var previous = overview.Page.Locator("[data-testid=kpi-revenue-delta][data-kind=previous]");
        Decimal(await previous.GetAttributeAsync("data-before")).Should().Be(before.Sum(r => r.Number("revenue") ?? 0m), "the previous period's revenue is that period's report");
        Decimal(await previous.GetAttributeAsync("data-difference")).Should().Be(now.Sum(r => r.Number("revenue") ?? 0m) - before.Sum(r => r.Number("revenue") ?? 0m));
        (await previous.InnerTextAsync()).Should().MatchRegex(@"[▲▼]\s*[+−]\d");
        var yearAgo = overview.Page.Locator("[data-testid=kpi-revenue-delta][data-kind=year]");
        (await yearAgo.GetAttributeAsync("data-has-data")).Should().Be("false");
        (await yearAgo.InnerTextAsync()).Should().Contain(locale == "ru-RU" ? "нет данных" : "no data").And.NotContain("%");
        (await overview.Page.Locator("[data-testid=kpi-margin-delta]").CountAsync()).Should().Be(2);

        // The tiles are today's, yesterday's, the last 7 days' and the month's, in the workspace's days; the tiny
        // example ends in March 2026, so each says it has nothing to compare with rather than showing 0 %.
        (await overview.Page.Locator("[data-testid=period-tiles] .period-tile").EvaluateAllAsync<string[]>("t => t.map(x => x.dataset.testid)"))
            .Should().Equal("tile-today", "tile-yesterday", "tile-week", "tile-month");
        (await overview.Page.Locator("[data-testid=tile-today] [data-kind=previous]").First.InnerTextAsync()).Should().Contain(locale == "ru-RU" ? "нет данных" : "no data");

        // March is 31 days: the chart is by day; changes of each marketplace sit below the table.
        (await overview.Page.Locator("[data-testid=chart-grain]").GetAttributeAsync("data-grain")).Should().Be("day");
        await overview.Page.Locator("[data-testid=marketplace-changes] [data-testid='mp-change-own_store-revenue-delta']").First.WaitForAsync();
        await Screenshots.SaveAsync(overview.Page, $"comparisons-overview-{locale[..2]}-{width}");
    }

    [Fact]
    public async Task The_chart_is_by_week_for_a_quarter_and_by_month_for_a_year()
    {
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync(TestLedger.Query);
        await overview.Chart.WaitForAsync();
        (await overview.Page.Locator("[data-testid=chart-grain]").GetAttributeAsync("data-grain")).Should().Be("week");
        var labels = overview.Page.Locator("[data-testid=margin-chart] .mud-charts-xaxis text");

        // The chart writes its axis labels in a render after its bars (about half the runs read none on 2026-12-07).
        await labels.First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var weeks = await labels.AllTextContentsAsync();
        // 14 weekly bars (1 January 2026 is a Thursday: 1–4 January, 12 whole weeks, 30–31 March), labelled every other
        // one so that at most twelve labels are written and they do not run into each other on a phone.
        weeks.Select(t => t.Trim()).Should().Equal("1 янв.", "12 янв.", "26 янв.", "9 февр.", "23 февр.", "9 мар.", "23 мар.");

        await overview.OpenAsync($"from=2025-04-01&to={TestLedger.To}&as_of={TestLedger.AsOf}");
        await overview.Chart.WaitForAsync();
        (await overview.Page.Locator("[data-testid=chart-grain]").GetAttributeAsync("data-grain")).Should().Be("month");
        await labels.Filter(new() { HasTextString = "2026" }).First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var months = await labels.AllTextContentsAsync();
        months.Select(t => t.Trim()).TakeLast(3).Should().Equal("янв. 2026", "февр. 2026", "март 2026");
        await Screenshots.SaveAsync(overview.Page, "comparisons-chart-by-month");
    }

    [Fact]
    public async Task Channels_and_skus_show_their_totals_against_the_previous_period()
    {
        var page = await app.NewPageAsync();
        var before = await app.Reports.ChannelsAsync(BeforeMarch);

        await page.GotoAsync("channels?" + March);
        await page.Locator("[data-testid=channel-changes][data-ready=true]").WaitForAsync();
        var spend = page.Locator("[data-testid=channel-changes-spend-delta][data-kind=previous]");
        Decimal(await spend.GetAttributeAsync("data-before")).Should().Be(before.Sum(r => r.Number("spend") ?? 0m));
        await Screenshots.SaveAsync(page, "comparisons-channels-ru-desktop");

        await page.GotoAsync("skus?" + March);
        await page.Locator("[data-testid=sku-changes][data-ready=true]").WaitForAsync();
        (await page.Locator("[data-testid=sku-changes-revenue-delta][data-kind=previous]").GetAttributeAsync("data-has-data")).Should().Be("true");
        (await page.Locator("[data-testid=sku-changes-revenue-delta][data-kind=year]").InnerTextAsync()).Should().Contain("нет данных");
        await Screenshots.SaveAsync(page, "comparisons-skus-ru-desktop");
    }

    [Theory]
    [InlineData("ru-RU", "desktop")]
    [InlineData("en-US", "phone")]
    [InlineData("en-US", "desktop")]
    [InlineData("ru-RU", "phone")]
    public async Task Cohorts_show_ltv_by_first_sku_beside_ltv_by_channel(string locale, string width)
    {
        var phone = width == "phone";
        var cohorts = new CohortsPage(await app.NewPageAsync(locale, phone ? SellerDeskApp.Phone : SellerDeskApp.Desktop, touch: phone));

        await cohorts.OpenAsync(TestLedger.Query + "&marketplace=own_store");
        if (cohorts.Culture != locale)
        {
            await cohorts.SwitchLanguageAsync(locale);
        }

        var panel = cohorts.Page.Locator("[data-testid=first-sku-panel][data-ready=true]");
        await panel.WaitForAsync();

        // c1 came with MUG-01 (its first order's larger line) and c3 with MUG-01, c2 with TEE-02 (decision 0029).
        var rows = await panel.Locator("[data-testid=first-sku-table] tbody tr.strong").EvaluateAllAsync<string[]>("r => r.map(x => x.dataset.sku)");
        rows.Should().Equal("MUG-01", "TEE-02");
        UiNumbers.Parse(await panel.Locator("[data-testid=first-sku-table] tr.strong[data-sku='MUG-01'] [data-cell=ltv_to_date]").InnerTextAsync(), locale).Should().Be(421.00m);
        UiNumbers.Parse(await panel.Locator("[data-testid=first-sku-table] tr.strong[data-sku='TEE-02'] [data-cell=ltv_to_date]").InnerTextAsync(), locale).Should().Be(741.00m);
        var skuTotal = await panel.Locator("[data-testid=first-sku-total] [data-cell=customers]").InnerTextAsync();
        var channelCustomers = await panel.Locator("[data-testid=first-channel-table] [data-cell=customers]").AllInnerTextsAsync();
        UiNumbers.Parse(skuTotal, locale).Should().Be(channelCustomers.Sum(t => UiNumbers.Parse(t, locale) ?? 0m), "both tables split the same new customers");
        await Screenshots.SaveAsync(cohorts.Page, $"first-sku-{locale[..2]}-{width}");

        await cohorts.OpenAsync(TestLedger.Query + "&marketplace=wildberries");
        await cohorts.Page.Locator("[data-testid=first-sku-unidentified]").WaitForAsync();
    }

    private static decimal? Decimal(string? text) => text is null ? null : decimal.Parse(text, CultureInfo.InvariantCulture);
}

/// <summary>
/// An app of its own with only the test ledger: the comparisons need a year-ago period that holds nothing, and other
/// browser tests import orders of other years into the shared app.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ComparisonBrowserTests : ICollectionFixture<SellerDeskApp>
{
    public const string Name = "browser-comparisons";
}
