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

    /// <summary>How many pixels of the run history are hidden to the right of its card (0: nothing is cut off).</summary>
    public async Task<int> HistoryClippedByAsync() =>
        await History.EvaluateAsync<int>(
            """
            grid => {
                const box = grid.querySelector('.mud-table-container') ?? grid;
                const table = grid.querySelector('table');
                return Math.max(0, Math.ceil(table.getBoundingClientRect().right - box.getBoundingClientRect().right), box.scrollWidth - box.clientWidth);
            }
            """);

    public ILocator Card(string name) => Page.Locator($"[data-testid=connection][data-connection='{name}']");

    /// <summary>Fills the add form and submits it with Enter, as a keyboard user would.</summary>
    public async Task AddAsync(string marketplace, string name, IReadOnlyDictionary<string, string> credentials)
    {
        await ChooseAsync(Page.Locator("[data-testid=add-marketplace]"), marketplace);
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
        var dates = new PeriodPicker(Page, Culture);
        await card.Locator("#backfill-from").FillAsync(dates.Typed(from));
        await card.Locator("#backfill-to").FillAsync(dates.Typed(to));
        await card.Locator("[data-testid=backfill-run]").ClickAsync();
    }

    /// <summary>Opens a Mud select and clicks the option whose value is <paramref name="value"/>.</summary>
    public async Task ChooseAsync(ILocator select, string value)
    {
        ArgumentNullException.ThrowIfNull(select);
        await select.ClickAsync();
        await Page.Locator($".mud-popover-open [data-value='{value}']").ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    public async Task SetScheduleAsync(string name, string kind, string windowDays)
    {
        var card = Card(name);
        await card.Locator("[data-testid=connection-schedule-edit]").ClickAsync();
        await ChooseAsync(card.Locator("[data-testid=schedule-kind]"), kind);
        await card.Locator("#schedule-window").FillAsync(windowDays);
        await card.Locator("[data-testid=schedule-save]").ClickAsync();
        await card.Locator("[data-testid=schedule-form]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    /// <summary>Clicks a connection's delete button and waits for the dialog that asks what becomes of its data.</summary>
    public async Task<ILocator> OpenDeleteAsync(string name)
    {
        await Card(name).Locator("[data-testid=connection-delete]").ClickAsync();
        var dialog = Page.Locator(".mud-dialog", new() { Has = Page.Locator("[data-testid=delete-confirm]") });
        await dialog.WaitForAsync();
        return dialog;
    }

    /// <summary>A count the delete dialog shows: orders, sales_lines, returns, ad_spend or fees.</summary>
    public async Task<long> DeleteCountAsync(string kind) =>
        (long)Number(await Page.Locator($"[data-testid=delete-counts] [data-kind={kind}] dd").InnerTextAsync())!.Value;
}
