using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>The ops page: connections, their schedules and runs.</summary>
public sealed class ConnectionsPage(IPage page) : AppPage(page)
{
    public ILocator EmptyState => Page.Locator("[data-testid=connections-empty]");

    public ILocator History => Page.Locator("[data-testid=run-history]");

    public async Task OpenAsync()
    {
        await GotoAsync("connections");
        await Page.Locator("[data-testid=add-connection]").WaitForAsync();
    }

    public ILocator Card(string name) => Page.Locator($"[data-testid=connection][data-connection='{name}']");

    /// <summary>Fills the add form and submits it with Enter, as a keyboard user would.</summary>
    public async Task AddAsync(string marketplace, string name, IReadOnlyDictionary<string, string> credentials)
    {
        await Page.Locator("[data-testid=add-marketplace]").SelectOptionAsync(marketplace);
        foreach (var (key, value) in credentials)
        {
            await Page.Locator($"[data-testid=add-connection] [data-testid=credential-{key}]").FillAsync(value);
        }

        await Page.Locator("[data-testid=add-name]").FillAsync(name);
        await Page.Locator("[data-testid=add-name]").PressAsync("Enter");
        await Card(name).WaitForAsync();
    }

    public async Task BackfillAsync(string name, string from, string to)
    {
        var card = Card(name);
        await card.Locator("[data-testid=connection-backfill]").ClickAsync();
        await card.Locator("[data-testid=backfill-from]").FillAsync(from);
        await card.Locator("[data-testid=backfill-to]").FillAsync(to);
        await card.Locator("[data-testid=backfill-run]").ClickAsync();
    }

    public async Task SetScheduleAsync(string name, string kind, string windowDays)
    {
        var card = Card(name);
        await card.Locator("[data-testid=connection-schedule-edit]").ClickAsync();
        await card.Locator("[data-testid=schedule-kind]").SelectOptionAsync(kind);
        await card.Locator("[data-testid=schedule-window]").FillAsync(windowDays);
        await card.Locator("[data-testid=schedule-save]").ClickAsync();
        await card.Locator("[data-testid=schedule-form]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }
}
