using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

[Collection(BrowserTests.Name)]
public sealed class ChannelsPageTests(SellerDeskApp app)
{
    [Fact]
    public async Task Every_channel_row_shows_the_cac_margin_ltv_and_verdict_the_api_returns()
    {
        var api = await app.Reports.ChannelsAsync(TestLedger.Query);
        var channels = new ChannelsPage(await app.NewPageAsync());

        await channels.OpenAsync(TestLedger.Query);
        await Screenshots.SaveAsync(channels.Page, "channels-ru");
        var rows = await channels.RowsAsync();

        rows.Select(r => (r.Marketplace, r.Channel)).Should().BeEquivalentTo(api.Select(r => (r.Text("marketplace"), r.Text("channel"))));
        foreach (var expected in api)
        {
            var row = rows.Single(r => r.Marketplace == expected.Text("marketplace") && r.Channel == expected.Text("channel"));
            var because = $"{row.Marketplace}/{row.Channel}";
            channels.Money(row.NewCustomers).Should().Be(expected.Number("new_customers"), because);
            channels.Money(row.Spend).Should().Be(expected.Number("spend"), because);
            channels.Money(row.Cac).Should().Be(expected.Number("cac"), because);
            channels.Money(row.FirstOrderMargin).Should().Be(expected.Number("first_order_margin"), because);
            channels.Money(row.LtvToDate).Should().Be(expected.Number("ltv_to_date"), because);
            row.Verdict.Should().Be(expected.Text("verdict"), because);
        }

        rows.Single(r => r.Channel == "vk_ads" && r.Marketplace == "own_store").VerdictText.Should().Be("Отключить");
        rows.Single(r => r.Channel == "blogger_anna").VerdictText.Should().Be("Окупается");
        rows.Single(r => r.Channel == "vk_ads" && r.Marketplace == "ozon").VerdictText.Should().Be("Нет новых покупателей");
    }

    [Fact]
    public async Task Missing_buyer_ids_are_explained_where_customer_metrics_rest_on_orders()
    {
        var channels = new ChannelsPage(await app.NewPageAsync());

        await channels.OpenAsync(TestLedger.Query);

        var wildberries = await channels.Page.Locator("[data-testid=identified-note-wildberries]").InnerTextAsync();
        wildberries.Should().Contain("0").And.Contain("Wildberries не передаёт продавцам ID покупателей");
        (await channels.Page.Locator("[data-testid=identified-note-ozon]").InnerTextAsync()).Should().Contain("50");
        (await channels.Page.Locator("[data-testid=identified-note-own_store]").CountAsync()).Should().Be(0, "every own-store customer has an id");
    }

    [Fact]
    public async Task Sorting_by_cac_reorders_the_rows_in_the_browser()
    {
        var channels = new ChannelsPage(await app.NewPageAsync());
        await channels.OpenAsync(TestLedger.Query);
        var before = (await channels.RowsAsync()).Select(r => channels.Money(r.Cac) ?? -1m).ToList();

        await channels.SortByAsync("CAC");

        before.Should().NotBeInAscendingOrder("rows start ordered by marketplace and channel");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<decimal> after;
        do
        {
            after = (await channels.RowsAsync()).Select(r => channels.Money(r.Cac) ?? -1m).ToList();
        }
        while (!IsAscending(after) && DateTime.UtcNow < deadline && await Pause());

        after.Should().BeInAscendingOrder().And.BeEquivalentTo(before);
    }

    private static bool IsAscending(List<decimal> values) => values.Zip(values.Skip(1)).All(p => p.First <= p.Second);

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }
}
