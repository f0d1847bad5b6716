using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

public sealed class OverviewPage(IPage page) : AppPage(page)
{
    public PeriodPicker Period => new(Page, Culture);

    public ILocator CogsWarning => Page.Locator("[data-testid=cogs-missing-warning]");

    public ILocator EmptyState => Page.Locator("[data-testid=empty-state]");

    public ILocator Chart => Page.Locator("[data-testid=margin-chart] svg.mud-chart-bar");

    public ILocator DemoNote => Page.Locator("[data-testid=demo-note]");

    public ILocator RoundingFootnote => Page.Locator("[data-testid=rounding-footnote]");

    /// <summary>Marketplace code → colour, as the chart's legend shows them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LegendColoursAsync() =>
        (await Page.Locator("[data-testid=chart-legend] li").EvaluateAllAsync<string[][]>("items => items.map(i => [i.dataset.marketplace, i.dataset.colour])"))
            .ToDictionary(i => i[0], i => i[1]);

    /// <summary>The fill colours of the chart's bars, one list per series in drawing order.</summary>
    public async Task<IReadOnlyList<string>> BarFillsAsync() =>
        (await Page.Locator("[data-testid=margin-chart] svg.mud-chart-bar .mud-chart-bar, [data-testid=margin-chart] svg.mud-chart-bar path[fill]").EvaluateAllAsync<string[]>(
            "paths => paths.map(p => (p.getAttribute('fill') || p.style.fill || '').toLowerCase()).filter(f => f && f !== 'none')")).Distinct().ToList();

    public async Task OpenAsync(string query)
    {
        await GotoAsync("?" + query);
        await Page.Locator("[data-testid=marketplace-table], [data-testid=empty-state]").First.WaitForAsync();
    }

    /// <summary>A headline card: revenue, margin, profit, return-loss-share or blended-cac.</summary>
    public async Task<string> CardTextAsync(string card) => await Page.Locator($"[data-testid=kpi-{card}-value]").InnerTextAsync();

    public async Task<decimal?> CardAsync(string card) => Number(await CardTextAsync(card));

    public async Task<decimal?> CardPercentAsync(string card) => Percent(await CardTextAsync(card));

    /// <summary>A cell of the marketplace table, by marketplace code (or "total") and the API's field name.</summary>
    public async Task<string> CellTextAsync(string marketplace, string metric) =>
        await Page.Locator($"[data-testid='mp-{marketplace}-{metric}']").InnerTextAsync();

    public async Task<decimal?> CellAsync(string marketplace, string metric) => Number(await CellTextAsync(marketplace, metric));

    public async Task<decimal?> CellPercentAsync(string marketplace, string metric) => Percent(await CellTextAsync(marketplace, metric));

    public async Task<IReadOnlyList<string>> MarketplacesAsync() =>
        (await Page.Locator("[data-testid=marketplace-table] thead th[data-marketplace]").EvaluateAllAsync<string[]>(
            "ths => ths.map(th => th.dataset.marketplace)")).ToList();
}
