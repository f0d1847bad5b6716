using System.Net;
using System.Text;
using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// Attribution coverage shown honestly (issue 14, point 4): the Channels page says how many of a channel's new
/// customers came by attribution, and the Overview and Channels pages say when attribution claimed more orders than
/// the ledger has. August 2025, a month no other browser test and not the default period uses.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AttributionPagesTests(SellerDeskApp app)
{
    private const string Query = "from=2025-08-01&to=2025-08-31&as_of=2025-08-31";

    [Fact]
    public async Task A_campaign_of_marketplace_orders_shows_its_attributed_customers_and_the_orders_it_claimed_beyond_the_ledger_in_both_languages()
    {
        await LoadAsync(app.Api);
        var api = await app.Reports.ChannelsAsync(Query);
        var campaign = api.Single(r => r.Text("channel") == "wb_search_att");
        campaign.Number("new_customers").Should().Be(3);
        campaign.Number("attributed_customers").Should().Be(3);
        var channels = new ChannelsPage(await app.NewPageAsync());

        await channels.OpenAsync(Query);

        var note = channels.Page.Locator("[data-cell=attributed_customers]");
        await Assertions.Expect(note).ToHaveTextAsync("все по атрибуции");
        (await note.GetAttributeAsync("data-count")).Should().Be("3");
        var warning = channels.Page.Locator("[data-testid=attribution-unmatched]");
        await Assertions.Expect(warning).ToContainTextAsync("Атрибуция заявила больше заказов, чем есть в учёте");
        (await channels.Page.Locator("[data-testid=attribution-unmatched-wildberries]").InnerTextAsync()).Should().Contain("Wildberries").And.Contain("2");
        (await channels.Page.Locator("[data-testid=attribution-unmatched-wildberries]").GetAttributeAsync("data-unmatched")).Should().Be("2");
        (await channels.RowsAsync()).Single(r => r.Channel == "wb_search_att").Verdict.Should().Be(campaign.Text("verdict"));
        await Screenshots.SaveAsync(channels.Page, "channels-attribution-ru");

        await channels.SwitchLanguageAsync("en-US");
        await channels.WaitForFiguresAsync();
        await Assertions.Expect(note).ToHaveTextAsync("all by attribution");
        await Assertions.Expect(warning).ToContainTextAsync("Attribution claimed more orders than the ledger has");
        await Assertions.Expect(warning).ToContainTextAsync("sales data is missing");
        await Screenshots.SaveAsync(channels.Page, "channels-attribution-en");

        var overview = new OverviewPage(channels.Page);
        await overview.OpenAsync(Query);
        var overviewWarning = overview.Page.Locator("[data-testid=attribution-unmatched-wildberries]");
        await Assertions.Expect(overviewWarning).ToContainTextAsync("2 orders claimed by campaigns or tracked links are not in the ledger");
        await Screenshots.SaveAsync(overview.Page, "overview-attribution-en");
    }

    [Fact]
    public async Task A_period_whose_attribution_the_ledger_covers_shows_no_warning()
    {
        var overview = new OverviewPage(await app.NewPageAsync());

        await overview.OpenAsync(TestLedger.Query);

        (await overview.Page.Locator("[data-testid=attribution-unmatched]").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_upload_page_offers_attribution_explains_it_with_an_example_and_names_a_bad_rows_problems_in_both_languages()
    {
        var upload = new UploadPage(await app.NewPageAsync());
        await upload.OpenAsync();

        await upload.ChooseKindAsync("attribution");

        await Assertions.Expect(upload.ExpectedHeader).ToHaveTextAsync("date,marketplace,channel,sku,orders");
        var help = upload.Page.Locator("[data-testid=attribution-help]");
        await Assertions.Expect(help).ToContainTextAsync("отслеживаемой ссылке");
        await Assertions.Expect(upload.Page.Locator("[data-testid=attribution-example]")).ToContainTextAsync("2026-03-02,ozon,promo_anna10,TEA-02,2");
        await upload.ChooseFileAsync("anna.csv", "date,marketplace,channel,sku,orders\n2026-03-01,wildberries,organic,MUG-01,-1\n");
        await upload.ImportAsync();
        var problems = await upload.ProblemsAsync();
        problems.Should().Equal(
            new UploadProblemView("2", "channel", "'organic' — не канал атрибуции (атрибуция называет кампанию, ссылку или промокод, которые привели заказы)"),
            new UploadProblemView("2", "orders", "'-1' — отрицательное число (orders — целое число от 0)"));
        await Screenshots.SaveAsync(upload.Page, "upload-attribution-ru");

        await upload.SwitchLanguageAsync("en-US");
        await upload.ChooseKindAsync("attribution");
        await Assertions.Expect(help).ToContainTextAsync("tracked-link report");
        await Assertions.Expect(help).ToContainTextAsync("promo code ANNA10");
        await Screenshots.SaveAsync(upload.Page, "upload-attribution-en");
    }

    /// <summary>
    /// Three Wildberries orders of one mug (two on 5 August, one on 6 August) that the ledger holds as organic, and a
    /// search campaign whose statistics claim 2 orders on the 5th and 3 on the 6th: all three orders are its, and 2
    /// of its claimed orders are not in the ledger.
    /// </summary>
    private static async Task LoadAsync(HttpClient api)
    {
        await PostAsync(api, "sales", """
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
            wildberries,ATT-1,1,2025-08-05T10:00:00+03:00,,organic,ATT-MUG,1,1000,100,50,0,0
            wildberries,ATT-2,1,2025-08-05T12:00:00+03:00,,organic,ATT-MUG,1,1000,100,50,0,0
            wildberries,ATT-3,1,2025-08-06T12:00:00+03:00,,organic,ATT-MUG,1,1000,100,50,0,0
            """);
        await PostAsync(api, "ad_spend", """
            date,marketplace,channel,amount
            2025-08-05,wildberries,wb_search_att,300
            """);
        await PostAsync(api, "attribution", """
            date,marketplace,channel,sku,orders
            2025-08-05,wildberries,wb_search_att,ATT-MUG,2
            2025-08-06,wildberries,wb_search_att,ATT-MUG,3
            """);
    }

    private static async Task PostAsync(HttpClient api, string kind, string csv)
    {
        using var content = new StringContent(csv.ReplaceLineEndings("\n") + "\n", Encoding.UTF8, "text/csv");
        using var response = await api.PostAsync(new Uri($"api/v1/imports/{kind}", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Loading {kind} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
