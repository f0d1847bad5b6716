using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>A marketplace row of the what-if page: margin and profit, today and in the scenario.</summary>
public sealed record ScenarioMarketplaceView(string Marketplace, decimal? MarginToday, decimal? MarginScenario, decimal? ProfitToday, decimal? ProfitScenario);

/// <summary>A channel row of the what-if page: verdict codes on both sides and whether it is marked as changed.</summary>
public sealed record ScenarioChannelView(string Marketplace, string Channel, string Today, string Scenario, bool Changed);

/// <summary>The what-if page (<c>/scenarios</c>).</summary>
public sealed class ScenariosPage(IPage page) : AppPage(page)
{
    public ILocator Link => Page.Locator("[data-testid=scenario-link]");

    public ILocator Name => Page.Locator("#scenario-name");

    public ILocator Stress => Page.Locator("[data-testid=stress-panel]");

    public async Task OpenAsync(string query)
    {
        await GotoAsync("scenarios?" + query);
        await WaitForFiguresAsync();
    }

    public async Task WaitForFiguresAsync() =>
        await Page.Locator("[data-testid=scenario-marketplaces], [data-testid=empty-state]").First.WaitForAsync();

    public async Task ChoosePresetAsync(string code) => await Page.Locator($"[data-testid=preset-{code}]").ClickAsync();

    public async Task<IReadOnlyList<ScenarioMarketplaceView>> MarketplacesAsync()
    {
        var rows = await Page.Locator("[data-testid=scenario-marketplaces] tbody tr").EvaluateAllAsync<string[][]>(
            """
            rows => rows.map(r => [r.dataset.marketplace, ...['cm_today', 'cm_scenario', 'profit_today', 'profit_scenario']
                .map(c => r.querySelector(`[data-cell=${c}]`).innerText.trim())])
            """);
        return rows.Select(r => new ScenarioMarketplaceView(r[0], Number(r[1]), Number(r[2]), Number(r[3]), Number(r[4]))).ToList();
    }

    public async Task<IReadOnlyList<ScenarioChannelView>> ChannelsAsync()
    {
        var rows = await Page.Locator("[data-testid=scenario-channels] tbody tr").EvaluateAllAsync<string[][]>(
            """
            rows => rows.map(r => [r.dataset.marketplace, r.dataset.channel,
                r.querySelector('[data-side=today]').dataset.verdict, r.querySelector('[data-side=scenario]').dataset.verdict,
                r.dataset.changed, r.classList.contains('scenario-changed') && r.querySelector('[data-testid=verdict-changed]') ? 'marked' : ''])
            """);
        return rows.Select(r => new ScenarioChannelView(r[0], r[1], r[2], r[3], r[4] == "true" && r[5] == "marked")).ToList();
    }

    public async Task<IReadOnlyList<(string Marketplace, string Sku)>> SkusTurningAsync() =>
        (await Page.Locator("[data-testid=scenario-skus] tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.marketplace, r.dataset.sku])"))
            .Select(r => (r[0], r[1])).ToList();

    /// <summary>A P&amp;L line's (today, scenario) amounts.</summary>
    public async Task<(decimal? Today, decimal? Scenario)> PnlAsync(string line)
    {
        var row = Page.Locator($"[data-testid=scenario-pnl] tr[data-line={line}]");
        return (Number(await row.Locator("[data-cell=today]").InnerTextAsync()), Number(await row.Locator("[data-cell=scenario]").InnerTextAsync()));
    }

    public async Task<decimal?> StressAsync(string which) => Number(await Stress.Locator($"[data-testid=stress-{which}]").InnerTextAsync());

    public ILocator Field(int adjustment, string field) => Page.Locator($"#adjustment-{adjustment}-{field}");

    public async Task AddAdjustmentAsync() => await Page.Locator("[data-testid=scenario-add]").ClickAsync();

    public async Task SaveAsync(string name)
    {
        await Name.FillAsync(name);
        await Page.Locator("[data-testid=scenario-save]").ClickAsync();
        await Link.WaitForAsync();
    }

    public async Task<IReadOnlyList<string>> SavedNamesAsync() => await Page.Locator("[data-testid=saved-scenario]").AllInnerTextsAsync();
}
