using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>One channel row as shown.</summary>
public sealed record ChannelRowView(string Marketplace, string Channel, string NewCustomers, string Spend, string Cac, string FirstOrderMargin, string LtvToDate, string LtvCac, string Verdict, string VerdictText, string ChannelText);

public sealed class ChannelsPage(IPage page) : AppPage(page)
{
    private const string RowSelector = "[data-testid=channels-grid] tbody tr:has([data-cell=channel])";

    public PeriodPicker Period => new(Page, Culture);

    public ILocator Grid => Page.Locator("[data-testid=channels-grid]");

    public ILocator IdentifiedNotes => Page.Locator("[data-testid=identified-notes]");

    public async Task OpenAsync(string query)
    {
        await GotoAsync("channels?" + query);
        await WaitForFiguresAsync();
    }

    /// <summary>Waits for the grid (or the empty state) after a load or a client-side navigation.</summary>
    public async Task WaitForFiguresAsync() =>
        await Page.Locator($"{RowSelector}, [data-testid=empty-state], [data-testid=channels-none]").First.WaitForAsync();

    /// <summary>Waits until the grid shows <paramref name="count"/> channels (a filter's re-render may follow its address).</summary>
    public async Task WaitForRowCountAsync(int count) =>
        await Assertions.Expect(Page.Locator(RowSelector)).ToHaveCountAsync(count);

    public async Task<IReadOnlyList<ChannelRowView>> RowsAsync()
    {
        var rows = await Page.Locator(RowSelector).EvaluateAllAsync<string[][]>(
            """
            rows => rows.map(r => {
                const cell = name => (r.querySelector(`[data-cell=${name}]`)?.innerText ?? '').trim();
                const verdict = r.querySelector('[data-cell=verdict]');
                return [r.querySelector('[data-cell=marketplace]').dataset.code, r.querySelector('[data-cell=channel]').dataset.code,
                        cell('new_customers'), cell('spend'), cell('cac'), cell('first_order_margin'), cell('ltv_to_date'), cell('ltv_cac'),
                        verdict?.dataset.verdict ?? '', (verdict?.textContent ?? '').trim(), cell('channel')];
            })
            """);
        return rows.Select(r => new ChannelRowView(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])).ToList();
    }

    public decimal? Money(string text) => Number(text);

    /// <summary>Clicks a column header to sort by it.</summary>
    public async Task SortByAsync(string title) =>
        await Page.Locator("[data-testid=channels-grid] thead th").Filter(new LocatorFilterOptions { HasText = title }).First.Locator(".column-options .mud-icon-button").ClickAsync();

    /// <summary>Ticks or unticks a verdict (the API's code) in the filter.</summary>
    public async Task SetVerdictAsync(string code, bool shown)
    {
        var box = Page.Locator($"input[data-testid=verdict-option][data-verdict={code}]");
        await box.SetCheckedAsync(shown);
    }

    public async Task<IReadOnlyList<string>> TickedVerdictsAsync() =>
        (await Page.Locator("input[data-testid=verdict-option]").EvaluateAllAsync<string[]>(
            "boxes => boxes.filter(b => b.checked).map(b => b.dataset.verdict)")).ToList();

    /// <summary>Opens the channel-names dialog, names the codes given and saves with Enter.</summary>
    public async Task NameChannelsAsync(IReadOnlyDictionary<string, string> names)
    {
        await Page.Locator("[data-testid=channel-names-edit]").ClickAsync();
        var dialog = Page.Locator("[data-testid=channel-names-form]");
        await dialog.WaitForAsync();
        string? last = null;
        foreach (var (code, name) in names)
        {
            last = $"#channel-name-{code}";
            await Page.Locator(last).FillAsync(name);
        }

        await Page.Locator(last!).PressAsync("Enter");
        await dialog.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }
}
