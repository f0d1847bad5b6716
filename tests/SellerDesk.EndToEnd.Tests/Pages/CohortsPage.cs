using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

public sealed class CohortsPage(IPage page) : AppPage(page)
{
    public PeriodPicker Period { get; } = new(page);

    public ILocator Table => Page.Locator("[data-testid=cohort-table]");

    public async Task OpenAsync(string query)
    {
        await GotoAsync("cohorts?" + query);
        await Page.Locator("[data-testid=cohort-table], [data-testid=empty-state], [data-testid=cohort-empty]").First.WaitForAsync();
    }

    public async Task<string?> MetricAsync() => await Table.GetAttributeAsync("data-metric");

    public ILocator Cell(string cohort, int offset) => Page.Locator($"[data-testid=cohort-table] tr[data-cohort='{cohort}'] td[data-offset='{offset}']");

    public ILocator Column(string cohort, string name) => Page.Locator($"[data-testid=cohort-table] tr[data-cohort='{cohort}'] td[data-cell='{name}']");

    public async Task<decimal?> CellValueAsync(string cohort, int offset) => Number(await Cell(cohort, offset).InnerTextAsync());

    public async Task<decimal?> CellPercentAsync(string cohort, int offset) => Percent(await Cell(cohort, offset).InnerTextAsync());

    public async Task<decimal?> ColumnValueAsync(string cohort, string name) => Number(await Column(cohort, name).InnerTextAsync());

    public async Task<IReadOnlyList<string>> CohortsAsync() =>
        (await Page.Locator("[data-testid=cohort-table] tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.cohort)")).ToList();

    /// <summary>Clicks a marketplace tab by its shown name and waits for the table to show that marketplace.</summary>
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

    /// <summary>Opens the channel drop-down and picks a channel by its shown name; waits for the table to show it.</summary>
    public async Task ChooseChannelAsync(string shownName, string code)
    {
        await Page.Locator("[data-testid=cohort-channel]").ClickAsync();
        await Page.Locator(".rz-dropdown-item").GetByText(shownName, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await Page.Locator($"[data-testid=cohort-table][data-channel='{code}'], [data-testid=cohort-empty]").First.WaitForAsync();
    }

    public async Task<IDownload> DownloadAsync(string format) =>
        await Page.RunAndWaitForDownloadAsync(async () => await Page.Locator($"[data-testid=export-{format}]").ClickAsync());
}
