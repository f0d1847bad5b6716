using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// Issue 12 point 5: the channels' revenue, DRR and ROAS with the money at stake on the channels to cut shown first,
/// and the overview's platform concentration with its warning above 60%.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ChannelRevenueAndConcentrationTests(SellerDeskApp app)
{
    private static string Cell(string marketplace, string channel, string name) =>
        $"[data-testid=channels-grid] tbody tr:has([data-cell=marketplace][data-code='{marketplace}']):has([data-cell=channel][data-code='{channel}']) [data-cell={name}]";

    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-US")]
    public async Task Each_channel_shows_the_revenue_drr_and_roas_the_api_returns(string culture)
    {
        var api = await app.Reports.ChannelsAsync(TestLedger.Query);
        var channels = new ChannelsPage(await app.NewPageAsync(locale: culture));
        await channels.OpenAsync(TestLedger.Query);
        if (channels.Culture != culture)
        {
            await channels.SwitchLanguageAsync(culture);
            await channels.WaitForFiguresAsync();
        }

        await Screenshots.SaveAsync(channels.Page, $"channels-revenue-{culture[..2]}");
        foreach (var row in api)
        {
            var (marketplace, channel) = (row.Text("marketplace"), row.Text("channel"));
            var because = $"{marketplace}/{channel}";
            UiNumbers.Parse(await channels.Page.Locator(Cell(marketplace, channel, "revenue")).InnerTextAsync(), channels.Culture).Should().Be(row.Number("revenue"), because);
            UiNumbers.ParsePercent(await channels.Page.Locator(Cell(marketplace, channel, "drr")).InnerTextAsync(), channels.Culture)
                .Should().Be(row.Number("drr") is { } drr ? Math.Round(drr, 3, MidpointRounding.AwayFromZero) : null, because);
            UiNumbers.Parse(await channels.Page.Locator(Cell(marketplace, channel, "roas")).InnerTextAsync(), channels.Culture)
                .Should().Be(row.Number("roas") is { } roas ? Math.Round(roas, 2, MidpointRounding.AwayFromZero) : null, because);
        }

        var headers = await channels.Page.Locator("[data-testid=channels-grid] thead th").AllInnerTextsAsync();
        headers.Should().Contain(h => h.Contains(culture == "en-US" ? "DRR" : "ДРР", StringComparison.Ordinal)).And.Contain(h => h.Contains("ROAS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_money_at_stake_on_the_channels_to_cut_comes_before_the_grid()
    {
        var cut = (await app.Reports.ChannelsAsync(TestLedger.Query)).Where(r => r.Text("verdict") == "cut").ToList();
        cut.Should().NotBeEmpty("the tiny example has a channel to cut");
        var channels = new ChannelsPage(await app.NewPageAsync());
        await channels.OpenAsync(TestLedger.Query);

        var stake = channels.Page.Locator("[data-testid=cut-stake]");
        var text = (await stake.InnerTextAsync()).Replace('\u00a0', ' ').Replace('\u202f', ' ');
        var spend = cut.Sum(r => r.Number("spend") ?? 0m);
        // first_order_profit is per new customer (rounded): the channels' first orders lost about that much times their
        // new customers, to a kopeck per customer.
        var loss = cut.Sum(r => -r.Number("first_order_profit")!.Value * r.Number("new_customers")!.Value);
        var shownSpend = decimal.Parse((await stake.GetAttributeAsync("data-spend"))!, System.Globalization.CultureInfo.InvariantCulture);
        var shownLoss = decimal.Parse((await stake.GetAttributeAsync("data-loss"))!, System.Globalization.CultureInfo.InvariantCulture);
        shownSpend.Should().Be(spend);
        shownLoss.Should().BeApproximately(loss, 0.01m * cut.Sum(r => r.Number("new_customers")!.Value));
        // The loss is what the first orders fell short of the spend: it already holds the spend, so no figure adds the two.
        text.Should().Contain(Money(shownSpend)).And.Contain(Money(shownLoss)).And.NotContain(Money(shownSpend + shownLoss));
        (await channels.Page.Locator("[data-testid=cut-stake-channel]").CountAsync()).Should().Be(cut.Count);
        var stakeBox = await stake.BoundingBoxAsync();
        var gridBox = await channels.Grid.BoundingBoxAsync();
        stakeBox!.Y.Should().BeLessThan(gridBox!.Y, "the money at stake goes first");

        await channels.Page.Locator("[data-testid=cut-stake-show]").ClickAsync();
        await Address.WaitForAsync(channels.Page, url => url.Contains("verdict=cut", StringComparison.Ordinal));
        // The address changes before the grid renders the filtered rows: wait for them, not for any figures.
        await channels.WaitForRowCountAsync(cut.Count);
        (await channels.RowsAsync()).Should().OnlyContain(r => r.Verdict == "cut");

        static string Money(decimal value) =>
            value.ToString("#,0.00", System.Globalization.CultureInfo.GetCultureInfo("ru-RU")).Replace('\u00a0', ' ').Replace('\u202f', ' ');
    }

    [Theory]
    [InlineData("ru-RU", "Свой магазин", "Вы зависите от одной площадки")]
    [InlineData("en-US", "Own store", "You depend on one marketplace")]
    public async Task The_overview_shows_the_concentration_and_warns_when_one_marketplace_carries_over_sixty_percent(string culture, string ownStore, string warning)
    {
        var api = await app.Reports.MarketplacesAsync(TestLedger.Query);
        var margin = api.Sum(r => r.Number("contribution_margin") ?? 0m);
        var top = api.OrderByDescending(r => r.Number("cm_share")).First();
        var overview = new OverviewPage(await app.NewPageAsync(locale: culture));
        await overview.OpenAsync(TestLedger.Query);
        if (overview.Culture != culture)
        {
            await overview.SwitchLanguageAsync(culture);
            await overview.OpenAsync(TestLedger.Query);
        }

        await Screenshots.SaveAsync(overview.Page, $"overview-concentration-{culture[..2]}");
        var share = top.Number("contribution_margin")!.Value / margin;
        share.Should().BeGreaterThan(0.6m, "own store carries 65% of the tiny example's margin");
        (await overview.CardPercentAsync("concentration")).Should().Be(Math.Round(share, 3, MidpointRounding.AwayFromZero));
        var card = await overview.Page.Locator("[data-testid=kpi-concentration]").InnerTextAsync();
        card.Should().Contain(ownStore).And.Contain("HHI");
        var alert = overview.Page.Locator("[data-testid=concentration-warning]");
        (await alert.GetAttributeAsync("data-marketplace")).Should().Be(top.Text("marketplace"));
        (await alert.InnerTextAsync()).Should().Contain(warning).And.Contain(ownStore);
    }

    [Fact]
    public async Task No_concentration_warning_where_no_marketplace_carries_over_sixty_percent()
    {
        // February alone: own store 341 and Wildberries 455 of margin, Ozon nothing.
        const string february = "from=2026-02-01&to=2026-02-28&as_of=2026-03-31";
        var api = await app.Reports.MarketplacesAsync(february);
        var overview = new OverviewPage(await app.NewPageAsync());
        await overview.OpenAsync(february);

        var top = api.Max(r => r.Number("cm_share") ?? decimal.MinValue);
        top.Should().BeLessThanOrEqualTo(0.6m, "Wildberries carries 57% of February's margin");
        (await overview.CardPercentAsync("concentration")).Should().Be(Math.Round(top, 3, MidpointRounding.AwayFromZero));
        (await overview.Page.Locator("[data-testid=concentration-warning]").CountAsync()).Should().Be(0);
    }
}
