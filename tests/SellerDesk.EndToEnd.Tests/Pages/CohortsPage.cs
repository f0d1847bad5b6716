using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

public sealed class CohortsPage(IPage page) : AppPage(page)
{
    public PeriodPicker Period => new(Page, Culture);

    public ILocator Table => Page.Locator("[data-testid=cohort-table]");

    public ILocator Title => Page.Locator("[data-testid=cohort-title]");

    public ILocator IdentifiedNote => Page.Locator("[data-testid=cohort-identified-note]");

    public ILocator Average => Page.Locator("[data-testid=cohort-average]");

    public async Task OpenAsync(string query)
    {
        await GotoAsync("cohorts?" + query);
        await Page.Locator("[data-testid=cohort-table], [data-testid=empty-state], [data-testid=cohort-empty]").First.WaitForAsync();
    }

    public async Task<string?> MetricAsync() => await Table.GetAttributeAsync("data-metric");

    public async Task<string?> MarketplaceAsync() => await Table.GetAttributeAsync("data-marketplace");

    public ILocator Cell(string cohort, int offset) => Page.Locator($"[data-testid=cohort-table] tbody tr[data-cohort='{cohort}'] td[data-offset='{offset}']");

    public ILocator Column(string cohort, string name) => Page.Locator($"[data-testid=cohort-table] tbody tr[data-cohort='{cohort}'] td[data-cell='{name}']");

    public async Task<decimal?> CellValueAsync(string cohort, int offset) => Number(await Cell(cohort, offset).InnerTextAsync());

    public async Task<decimal?> CellPercentAsync(string cohort, int offset) => Percent(await Cell(cohort, offset).InnerTextAsync());

    public async Task<decimal?> ColumnValueAsync(string cohort, string name) => Number(await Column(cohort, name).InnerTextAsync());

    public async Task<decimal?> AverageValueAsync(int offset) => Number(await Average.Locator($"td[data-offset='{offset}']").InnerTextAsync());

    public async Task<IReadOnlyList<string>> CohortsAsync() =>
        (await Page.Locator("[data-testid=cohort-table] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.cohort)")).ToList();

    /// <summary>(cohort, marketplace) of every row, in order.</summary>
    public async Task<IReadOnlyList<(string Cohort, string Marketplace)>> RowKeysAsync() =>
        (await Page.Locator("[data-testid=cohort-table] tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.cohort, r.dataset.marketplace])"))
            .Select(r => (r[0], r[1])).ToList();

    /// <summary>The month columns (m0, m1, ...) whose header is fully inside the table's visible box.</summary>
    public async Task<(int Columns, int Visible)> MonthColumnsAsync() =>
        await Page.Locator("[data-testid=cohort-table-scroll]").EvaluateAsync<(int, int)>(
            """
            box => {
                const edge = box.getBoundingClientRect();
                const heads = [...box.querySelectorAll('thead th[data-offset]')];
                const visible = heads.filter(h => { const r = h.getBoundingClientRect(); return r.left >= edge.left - 0.5 && r.right <= edge.right + 0.5; });
                return { item1: heads.length, item2: visible.length };
            }
            """);

    /// <summary>Clicks a marketplace by its shown name and waits for the table to show that marketplace.</summary>
    public async Task ChooseMarketplaceAsync(string shownName, string code)
    {
        await Page.Locator("[data-testid=cohort-marketplace]").GetByText(shownName, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await Page.Locator($"[data-testid=cohort-table][data-marketplace='{code}']").WaitForAsync();
    }

    /// <summary>Clicks a metric (margin, revenue, retention) by its shown name and waits for the table to show it.</summary>
    public async Task ChooseMetricAsync(string shownName, string code)
    {
        await Page.Locator("[data-testid=cohort-metric]").GetByText(shownName, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await Page.Locator($"[data-testid=cohort-table][data-metric={code}]").WaitForAsync();
    }

    /// <summary>Opens the channel list and picks a channel by its shown name; waits for the table to show it.</summary>
    public async Task ChooseChannelAsync(string shownName, string code)
    {
        await Page.Locator("[data-testid=cohort-channel]").ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list-item").GetByText(shownName, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await Page.Locator($"[data-testid=cohort-table][data-channel='{code}'], [data-testid=cohort-empty]").First.WaitForAsync();
    }

    public async Task<IDownload> DownloadAsync(string format) =>
        await Page.RunAndWaitForDownloadAsync(async () => await Page.Locator($"[data-testid=export-{format}]").ClickAsync());
}
