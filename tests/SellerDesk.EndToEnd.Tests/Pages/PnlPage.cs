using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>The profit and loss page: a line per row, a month per column, lines that open into their parts.</summary>
public sealed class PnlPage(IPage page) : AppPage(page)
{
    public ILocator Table => Page.Locator("[data-testid=pnl-table]");

    public ILocator UnfinishedLegend => Page.Locator("[data-testid=pnl-unfinished-legend]");

    public async Task OpenAsync(string query)
    {
        await GotoAsync("pnl?" + query);
        await Page.Locator("[data-testid=pnl-table], [data-testid=empty-state]").First.WaitForAsync();
    }

    public ILocator Cell(string line, string month) => Page.Locator($"[data-testid=pnl-table] tr[data-line='{line}'] td[data-month='{month}']");

    public ILocator Total(string line) => Page.Locator($"[data-testid=pnl-table] tr[data-line='{line}'] td[data-cell=total]");

    public ILocator Parts(string line) => Page.Locator($"[data-testid=pnl-table] tr[data-part-of='{line}']");

    public ILocator Note(string line) => Page.Locator($"[data-testid=pnl-table] tr[data-note-of='{line}']");

    public ILocator MonthHeader(string month) => Page.Locator($"[data-testid=pnl-table] thead th[data-month='{month}']");

    public async Task<decimal?> ValueAsync(string line, string month) => Number(await Cell(line, month).InnerTextAsync());

    public async Task<decimal?> TotalAsync(string line) => Number(await Total(line).InnerTextAsync());

    public async Task<decimal?> PartValueAsync(string line, string part, string month) =>
        Number(await Page.Locator($"[data-testid=pnl-table] tr[data-part-of='{line}'][data-part='{part}'] td[data-month='{month}']").InnerTextAsync());

    public async Task<string> LineNameAsync(string line) => (await Page.Locator($"[data-testid=pnl-toggle-{line}]").InnerTextAsync()).Trim();

    /// <summary>Opens (or closes) a line and waits until its parts or its note show (or are gone).</summary>
    public async Task ToggleAsync(string line)
    {
        var toggle = Page.Locator($"[data-testid=pnl-toggle-{line}]");
        var wasOpen = await toggle.GetAttributeAsync("aria-expanded") == "true";
        await toggle.ClickAsync();
        await Page.Locator($"[data-testid=pnl-toggle-{line}][aria-expanded='{(wasOpen ? "false" : "true")}']").WaitForAsync();
    }

    /// <summary>Clicks a marketplace by its shown name and waits for the table to show it.</summary>
    public async Task ChooseMarketplaceAsync(string shownName, string code)
    {
        await Page.Locator("[data-testid=pnl-marketplace]").GetByText(shownName, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await Page.Locator($"[data-testid=pnl-table][data-marketplace='{code}']").WaitForAsync();
    }

    public async Task<IDownload> DownloadAsync(string format) =>
        await Page.RunAndWaitForDownloadAsync(async () => await Page.Locator($"[data-testid=export-{format}]").ClickAsync());
}
