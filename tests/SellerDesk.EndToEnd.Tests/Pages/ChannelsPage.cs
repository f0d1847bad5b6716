using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Pages;

/// <summary>One channel row as shown.</summary>
public sealed record ChannelRowView(string Marketplace, string Channel, string NewCustomers, string Spend, string Cac, string FirstOrderMargin, string LtvToDate, string LtvCac, string Verdict, string VerdictText);

public sealed class ChannelsPage(IPage page) : AppPage(page)
{
    public PeriodPicker Period { get; } = new(page);

    public ILocator Grid => Page.Locator("[data-testid=channels-grid]");

    public ILocator IdentifiedNotes => Page.Locator("[data-testid=identified-notes]");

    public async Task OpenAsync(string query)
    {
        await GotoAsync("channels?" + query);
        await WaitForFiguresAsync();
    }

    /// <summary>Waits for the grid (or the empty state) after a load or a client-side navigation.</summary>
    public async Task WaitForFiguresAsync() =>
        await Page.Locator("[data-testid=channels-grid] tr[data-channel], [data-testid=empty-state]").First.WaitForAsync();

    public async Task<IReadOnlyList<ChannelRowView>> RowsAsync()
    {
        var rows = await Page.Locator("[data-testid=channels-grid] tr[data-channel]").EvaluateAllAsync<string[][]>(
            """
            rows => rows.map(r => {
                const cell = name => (r.querySelector(`[data-cell=${name}]`)?.innerText ?? '').trim();
                const verdict = r.querySelector('[data-cell=verdict]');
                return [r.dataset.marketplace, r.dataset.channel, cell('new_customers'), cell('spend'), cell('cac'),
                        cell('first_order_margin'), cell('ltv_to_date'), cell('ltv_cac'),
                        verdict?.dataset.verdict ?? '', (verdict?.textContent ?? '').trim()];
            })
            """);
        return rows.Select(r => new ChannelRowView(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9])).ToList();
    }

    public decimal? Money(string text) => Number(text);

    /// <summary>Clicks a column header to sort by it.</summary>
    public async Task SortByAsync(string title) =>
        await Page.Locator("[data-testid=channels-grid] thead th").Filter(new LocatorFilterOptions { HasText = title }).First.Locator(".rz-column-title").ClickAsync();
}
