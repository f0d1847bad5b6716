using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

[Collection(BrowserTests.Name)]
public sealed class CohortsPageTests(SellerDeskApp app)
{
    [Fact]
    public async Task The_triangle_equals_the_api_and_switching_the_metric_rerenders_it()
    {
        var api = (await app.Reports.CohortsAsync(TestLedger.Query + "&marketplace=own_store")).ToList();
        var cohorts = new CohortsPage(await app.NewPageAsync());

        await cohorts.OpenAsync(TestLedger.Query + "&marketplace=own_store");

        (await cohorts.CohortsAsync()).Should().Equal(api.Select(r => r.Text("cohort")));
        (await cohorts.MetricAsync()).Should().Be("margin");
        foreach (var row in api)
        {
            var cohort = row.Text("cohort");
            (await cohorts.ColumnValueAsync(cohort, "customers")).Should().Be(row.Number("customers"));
            (await cohorts.ColumnValueAsync(cohort, "cac")).Should().Be(row.Number("cac"));
            var ltv = row.GetProperty("ltv").EnumerateArray().Select(v => v.GetDecimal()).ToList();
            for (var k = 0; k < ltv.Count; k++)
            {
                (await cohorts.CellValueAsync(cohort, k)).Should().Be(ltv[k], $"{cohort} m{k}");
            }
        }

        await Screenshots.SaveAsync(cohorts.Page, "cohorts-margin-ru");

        await cohorts.ChooseMetricAsync("Удержание", "retention");
        cohorts.Page.Url.Should().Contain("metric=retention");
        foreach (var row in api)
        {
            var retention = row.GetProperty("retention").EnumerateArray().Select(v => v.GetDecimal()).ToList();
            for (var k = 0; k < retention.Count; k++)
            {
                (await cohorts.CellPercentAsync(row.Text("cohort"), k)).Should().Be(Math.Round(retention[k], 3, MidpointRounding.AwayFromZero));
            }
        }

        await cohorts.ChooseMetricAsync("LTV по выручке", "revenue");
        var first = api[0];
        (await cohorts.CellValueAsync(first.Text("cohort"), 1)).Should().Be(first.GetProperty("revenue_ltv")[1].GetDecimal());
    }

    [Fact]
    public async Task Cells_where_ltv_has_reached_cac_are_green_and_the_others_red()
    {
        var cohorts = new CohortsPage(await app.NewPageAsync());

        await cohorts.OpenAsync(TestLedger.Query + "&marketplace=ozon");

        // Ozon's January cohort: CAC 350, margin LTV 400 from m0 on (payback in m0).
        (await cohorts.Column("2026-01", "payback").InnerTextAsync()).Trim().Should().Be("m0");
        (await cohorts.Cell("2026-01", 0).GetAttributeAsync("style")).Should().Contain("rgba(46, 160, 67");
        // Own store's January cohort: CAC 2 100, LTV 912 at m0: not paid back.
        await cohorts.ChooseMarketplaceAsync("Свой магазин", "own_store");
        (await cohorts.Cell("2026-01", 0).GetAttributeAsync("style")).Should().Contain("rgba(229, 57, 53");
        (await cohorts.Column("2026-01", "payback").InnerTextAsync()).Trim().Should().Be("ещё нет");
    }

    [Fact]
    public async Task Filtering_by_acquisition_channel_shows_only_that_channels_cohorts()
    {
        var query = TestLedger.Query + "&marketplace=ozon";
        var api = await app.Reports.CohortsAsync(query + "&channel=ozon_ads");
        var cohorts = new CohortsPage(await app.NewPageAsync());
        await cohorts.OpenAsync(query);
        var all = await cohorts.ColumnValueAsync("2026-01", "customers");

        await cohorts.ChooseChannelAsync("ozon_ads", "ozon_ads");

        cohorts.Page.Url.Should().Contain("channel=ozon_ads");
        (await cohorts.CohortsAsync()).Should().Equal(api.Select(r => r.Text("cohort")));
        var first = api[0];
        (await cohorts.ColumnValueAsync(first.Text("cohort"), "customers")).Should().Be(first.Number("customers")).And.NotBe(all);
        (await cohorts.ColumnValueAsync(first.Text("cohort"), "cac")).Should().Be(first.Number("cac"));
        (await cohorts.CellValueAsync(first.Text("cohort"), 0)).Should().Be(first.GetProperty("ltv")[0].GetDecimal());
    }

    [Fact]
    public async Task The_month_of_as_of_is_marked_immature_while_it_is_not_over()
    {
        var cohorts = new CohortsPage(await app.NewPageAsync());

        await cohorts.OpenAsync($"from={TestLedger.From}&to={TestLedger.To}&as_of={TestLedger.MidMonthAsOf}&marketplace=own_store");
        await Screenshots.SaveAsync(cohorts.Page, "cohorts-immature");

        (await cohorts.Cell("2026-01", 2).GetAttributeAsync("data-immature")).Should().Be("true");
        (await cohorts.Cell("2026-01", 2).GetAttributeAsync("title")).Should().Contain("месяц не закончился");
        (await cohorts.Cell("2026-01", 1).GetAttributeAsync("data-immature")).Should().Be("false");
        (await cohorts.Cell("2026-02", 1).GetAttributeAsync("data-immature")).Should().Be("true");

        await cohorts.OpenAsync(TestLedger.Query + "&marketplace=own_store");
        (await cohorts.Page.Locator("td[data-immature=true]").CountAsync()).Should().Be(0, "31 March closes the month");
    }

    [Fact]
    public async Task The_csv_export_downloads_the_rows_on_screen_as_the_api_exports_them_in_the_pages_dialect()
    {
        var query = TestLedger.Query + "&marketplace=ozon&metric=revenue";
        var cohorts = new CohortsPage(await app.NewPageAsync());
        await cohorts.OpenAsync(query);

        var download = await cohorts.DownloadAsync("csv");
        var path = await download.PathAsync();

        download.SuggestedFilename.Should().Be("cohorts_ozon_revenue_2026-01-01_2026-03-31.csv", "the file name carries the report, filters and period");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes.Take(3).Should().Equal([0xEF, 0xBB, 0xBF], "the Russian page downloads the dialect Russian Excel opens: a BOM, ';' and decimal commas");
        (await File.ReadAllTextAsync(path)).Should().Be(await app.Reports.CohortsCsvAsync(query + "&dialect=semicolon"));
        (await File.ReadAllTextAsync(path)).Should().StartWith("marketplace;cohort;customers;spend;cac;payback_month;m0");
        var xlsx = await cohorts.DownloadAsync("xlsx");
        xlsx.SuggestedFilename.Should().Be("cohorts_ozon_revenue_2026-01-01_2026-03-31.xlsx");
        new FileInfo(await xlsx.PathAsync()).Length.Should().BeGreaterThan(1000);
    }

    [Fact]
    public async Task The_page_opens_on_the_marketplace_with_the_most_identified_customers()
    {
        var channels = await app.Reports.ChannelsAsync(TestLedger.Query);
        var expected = channels
            .GroupBy(c => c.Text("marketplace"))
            .OrderByDescending(g => g.Sum(c => c.Number("identified_customers") ?? 0m))
            .First().Key;
        var cohorts = new CohortsPage(await app.NewPageAsync());

        await cohorts.OpenAsync(TestLedger.Query);

        expected.Should().Be("own_store", "the tiny example's own store has three buyers with ids, Ozon one and Wildberries none");
        (await cohorts.MarketplaceAsync()).Should().Be(expected);
        (await cohorts.IdentifiedNote.CountAsync()).Should().Be(0, "every own-store customer has an id");
    }

    [Fact]
    public async Task On_wildberries_the_page_says_every_order_counts_as_a_customer()
    {
        var cohorts = new CohortsPage(await app.NewPageAsync());

        await cohorts.OpenAsync(TestLedger.Query + "&marketplace=wildberries");

        (await cohorts.IdentifiedNote.InnerTextAsync()).Should().Contain("каждый заказ считается отдельным покупателем");
        await cohorts.ChooseMarketplaceAsync("Ozon", "ozon");
        (await cohorts.IdentifiedNote.InnerTextAsync()).Should().Contain("Ozon").And.Contain("50");
        await Screenshots.SaveAsync(cohorts.Page, "cohorts-identified-note");
    }

    [Fact]
    public async Task All_marketplaces_shows_every_cohort_row_and_a_customer_weighted_average()
    {
        var api = await app.Reports.CohortsAsync(TestLedger.Query);
        var cohorts = new CohortsPage(await app.NewPageAsync());
        await cohorts.OpenAsync(TestLedger.Query);

        await cohorts.ChooseMarketplaceAsync("Все маркетплейсы", "all");

        (await cohorts.RowKeysAsync()).Should().BeEquivalentTo(api.Select(r => (r.Text("cohort"), r.Text("marketplace"))));
        var customers = api.Sum(r => r.Number("customers")!.Value);
        var weighted = api.Sum(r => r.Number("customers")!.Value * r.GetProperty("ltv")[0].GetDecimal()) / customers;
        (await cohorts.AverageValueAsync(0)).Should().BeApproximately(weighted, 0.01m, "m0 is averaged over every cohort, weighted by its customers");
        (await cohorts.Average.Locator("td[data-cell=customers]").InnerTextAsync()).Trim().Should().Be(customers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await cohorts.Title.InnerTextAsync()).Should().StartWith("Все маркетплейсы");
        await Screenshots.SaveAsync(cohorts.Page, "cohorts-all-marketplaces");
    }

    [Fact]
    public async Task Every_month_column_is_shown_without_clipping_on_a_laptop()
    {
        var cohorts = new CohortsPage(await app.NewPageAsync());

        // As of December 2026 the January cohort has twelve months, m0 to m11 (as_of may not lie after today: a fixed past date).
        await cohorts.OpenAsync($"from={TestLedger.From}&to={TestLedger.To}&as_of=2026-12-05&marketplace=all");

        var (columns, visible) = await cohorts.MonthColumnsAsync();
        columns.Should().Be(12);
        visible.Should().Be(columns, "no month column is cut off at 1440 px");
        await Screenshots.SaveAsync(cohorts.Page, "cohorts-twelve-months");
    }
}
