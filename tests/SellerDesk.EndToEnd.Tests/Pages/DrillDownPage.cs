using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>The drill-down page: the orders behind a figure, their sum, lines and sources.</summary>
public sealed class DrillDownPage(IPage page) : AppPage(page)
{
    public ILocator Orders => Page.Locator("[data-testid=drill-table] tr.drill-order");

    public ILocator Sources => Page.Locator("[data-testid=drill-table] [data-testid=drill-source]");

    /// <summary>Waits until the page shows its sum (after a click on a figure elsewhere).</summary>
    public async Task WaitAsync()
    {
        await Page.Locator("[data-testid=drill-totals]").WaitForAsync();
        await WaitUntilInteractiveAsync();
    }

    public async Task<decimal?> TotalAsync(string kpi) => Number(await Page.Locator($"[data-testid=drill-{kpi}-value]").InnerTextAsync());

    public async Task<decimal?> OrderMarginAsync(int index) => Number(await Orders.Nth(index).Locator("td[data-cell=margin]").InnerTextAsync());
}
