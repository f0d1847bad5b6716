using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>One SKU row as shown: codes plus the cells' text by the API's field names.</summary>
public sealed record SkuRowView(string Marketplace, string Sku, IReadOnlyDictionary<string, string> Cells);

/// <summary>The SKUs page (profit per SKU) and a SKU's own page.</summary>
public sealed class SkusPage(IPage page) : AppPage(page)
{
    private const string RowSelector = "[data-testid=sku-grid] tbody tr:has([data-cell=sku])";

    public static IReadOnlyList<string> Fields { get; } =
        ["units", "returned_units", "revenue", "fees", "net_cogs", "contribution_margin", "cm_per_unit", "cm_ratio", "return_loss_share"];

    public ILocator Unsplit => Page.Locator("[data-testid=sku-unsplit]");

    public ILocator Search => Page.Locator("#sku-search");

    public async Task OpenAsync(string query)
    {
        await GotoAsync("skus?" + query);
        await WaitForRowsAsync();
    }

    public async Task WaitForRowsAsync() =>
        await Page.Locator($"{RowSelector}, [data-testid=empty-state], [data-testid=skus-none]").First.WaitForAsync();

    /// <summary>Waits for <paramref name="count"/> rows: a filter's re-render may follow its address.</summary>
    public async Task WaitForRowCountAsync(int count) =>
        await Assertions.Expect(Page.Locator(RowSelector)).ToHaveCountAsync(count);

    /// <summary>Waits until every row's SKU contains <paramref name="text"/> (a search's re-render may follow its address).</summary>
    public async Task WaitForSkusContainingAsync(string text) =>
        await Assertions.Expect(Page.Locator(RowSelector).Filter(new() { HasNot = Page.Locator("[data-cell=sku]", new() { HasText = text }) }))
            .ToHaveCountAsync(0);

    public async Task<IReadOnlyList<SkuRowView>> RowsAsync()
    {
        var fields = string.Join(",", Fields.Select(f => $"'{f}'"));
        var rows = await Page.Locator(RowSelector).EvaluateAllAsync<string[][]>(
            $$"""
            rows => rows.map(r => {
                const cell = name => (r.querySelector(`[data-cell=${name}]`)?.innerText ?? '').trim();
                return [r.querySelector('[data-cell=marketplace]').dataset.code, r.querySelector('[data-cell=sku]').dataset.code,
                        r.querySelector('[data-cell=cogs_missing_lines]').dataset.count, ...[{{fields}}].map(cell)];
            })
            """);
        return rows.Select(r => new SkuRowView(
                r[0],
                r[1],
                Fields.Select((f, i) => (f, r[3 + i])).Append(("cogs_missing_lines", r[2])).ToDictionary(x => x.Item1, x => x.Item2)))
            .ToList();
    }

    public decimal? Value(string text) => Number(text);

    public decimal? Share(string text) => Percent(text);

    public async Task<decimal?> UnsplitAsync(string figure) => Number(await Page.Locator($"[data-testid=unsplit-{figure}]").InnerTextAsync());

    public async Task ChooseMarketplaceAsync(string code) =>
        await Page.Locator($"[data-testid=sku-marketplace] [data-code='{code}']").ClickAsync();

    public async Task SetLossesOnlyAsync(bool on) => await Page.Locator("input[data-testid=sku-losses-only]").SetCheckedAsync(on);

    /// <summary>Opens a SKU's own page from its row, with the keyboard (focus the link, Enter).</summary>
    public async Task OpenSkuAsync(string marketplace, string sku)
    {
        var link = Page.Locator($"{RowSelector}:has([data-cell=marketplace][data-code='{marketplace}']) [data-cell=sku][data-code='{sku}']");
        await link.FocusAsync();
        await link.PressAsync("Enter");
        await WaitForSkuPageAsync();
    }

    public async Task OpenSkuPageAsync(string query)
    {
        await GotoAsync("skus/item?" + query);
        await WaitForSkuPageAsync();
    }

    public async Task WaitForSkuPageAsync()
    {
        await Page.Locator("[data-testid=sku-marketplaces], [data-testid=sku-not-sold]").First.WaitForAsync();
        if (await Page.Locator("[data-testid=sku-marketplaces]").CountAsync() > 0)
        {
            await Page.Locator("[data-testid=sku-trend], [data-testid=sku-trend-failed]").First.WaitForAsync();
        }
    }

    /// <summary>The marketplaces in the side-by-side table, in order.</summary>
    public async Task<IReadOnlyList<string>> SideBySideAsync() =>
        (await Page.Locator("[data-testid=sku-marketplaces] thead th[data-marketplace]").EvaluateAllAsync<string[]>("ths => ths.map(th => th.dataset.marketplace)")).ToList();

    public async Task<string> SideBySideTextAsync(string marketplace, string metric) =>
        await Page.Locator($"[data-testid='sku-mp-{marketplace}-{metric}']").InnerTextAsync();

    /// <summary>The trend's rows: month ("2026-01", or "total") → the contribution margin and revenue cells' text.</summary>
    public async Task<IReadOnlyList<(string Month, string Units, string Revenue, string Margin)>> TrendAsync()
    {
        var rows = await Page.Locator("[data-testid=sku-trend] tbody tr").EvaluateAllAsync<string[][]>(
            """
            rows => rows.map(r => {
                const cell = name => (r.querySelector(`[data-cell=${name}]`)?.innerText ?? '').trim();
                return [r.dataset.month, cell('units'), cell('revenue'), cell('contribution_margin')];
            })
            """);
        return rows.Select(r => (r[0], r[1], r[2], r[3])).ToList();
    }
}
