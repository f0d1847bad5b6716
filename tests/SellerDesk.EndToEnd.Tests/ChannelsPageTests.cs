using Microsoft.Playwright;
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

    [Fact]
    public async Task The_verdict_filter_is_a_set_of_checkboxes_kept_in_the_address()
    {
        var api = await app.Reports.ChannelsAsync(TestLedger.Query);
        var channels = new ChannelsPage(await app.NewPageAsync());
        await channels.OpenAsync(TestLedger.Query);

        await channels.SetVerdictAsync("cut", true);
        await Address.WaitForAsync(channels.Page, url => url.Contains("verdict=cut", StringComparison.Ordinal));
        await channels.SetVerdictAsync("pays_back", true);
        await Address.WaitForAsync(channels.Page, url => url.Contains("verdict=pays_back%2Ccut", StringComparison.Ordinal) || url.Contains("verdict=pays_back,cut", StringComparison.Ordinal));
        var url = channels.Page.Url;

        var fresh = new ChannelsPage(await app.NewPageAsync());
        await fresh.Page.GotoAsync(url);
        await fresh.WaitUntilInteractiveAsync();
        await fresh.WaitForFiguresAsync();
        (await fresh.TickedVerdictsAsync()).Should().BeEquivalentTo(["pays_back", "cut"]);
        var rows = await fresh.RowsAsync();
        rows.Select(r => (r.Marketplace, r.Channel)).Should().BeEquivalentTo(
            api.Where(r => r.Text("verdict") is "cut" or "pays_back").Select(r => (r.Text("marketplace"), r.Text("channel"))));
        url.Should().Contain(TestLedger.Query, "the period stays beside the filter");
        await Screenshots.SaveAsync(fresh.Page, "channels-verdict-filter");

        await fresh.SetVerdictAsync("pays_back", false);
        await fresh.SetVerdictAsync("cut", false);
        await Address.WaitForAsync(fresh.Page, url => !url.Contains("verdict", StringComparison.Ordinal));
        await fresh.WaitForRowCountAsync(api.Count);
        (await fresh.RowsAsync()).Should().HaveCount(api.Count, "no box ticked shows every channel");
    }

    [Fact]
    public async Task A_channel_named_in_the_workspace_list_shows_that_name_in_full_and_its_code_otherwise()
    {
        const string Name = "Блогер Анна — весенняя интеграция в Instagram и Telegram, промокод ANNA15";
        var channels = new ChannelsPage(await app.NewPageAsync());
        await channels.OpenAsync(TestLedger.Query);

        await channels.NameChannelsAsync(new Dictionary<string, string> { ["blogger_anna"] = Name });

        await Assertions.Expect(channels.Page.Locator("[data-cell=channel][data-code=blogger_anna]")).ToHaveTextAsync(Name);
        var rows = await channels.RowsAsync();
        rows.Single(r => r.Channel == "blogger_anna").ChannelText.Should().Be(Name);
        rows.Single(r => r.Channel == "ozon_ads").ChannelText.Should().Be("ozon_ads", "a code nobody named is shown as it is");
        var cut = await channels.Page.Locator("[data-cell=channel][data-code=blogger_anna]").EvaluateAsync<bool>(
            "e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth");
        cut.Should().BeFalse("the name is never truncated");
        await Screenshots.SaveAsync(channels.Page, "channels-named");

        var cohorts = new CohortsPage(channels.Page);
        await cohorts.OpenAsync(TestLedger.Query + "&marketplace=own_store");
        await cohorts.ChooseChannelAsync(Name, "blogger_anna");
        (await cohorts.Title.InnerTextAsync()).Should().Contain(Name, "the cohort title names the channel filter");
    }

    private static bool IsAscending(List<decimal> values) => values.Zip(values.Skip(1)).All(p => p.First <= p.Second);

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }
}
