using System.Text.Json;
using Microsoft.Playwright;
using SellerDesk.EndToEnd.Tests.Infrastructure;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// The report pages (Overview with its marketplaces table, Channels, Cohorts, SKUs, a SKU's page, P&amp;L, drill-down)
/// in both languages: on a 1440-px desktop the tables fit without any sideways scroll (the headers wrap, the numbers
/// stay on one line); on a desktop and on a 390-px phone nothing runs past the window except inside a box that scrolls
/// sideways, and no box cuts its content off; the trend charts' axis labels are readable on both: none overlaps
/// another (a day-by-day month and a year of months thin their labels to what the width holds), none is cut off,
/// none is tiny. Measured in Chromium: scrollWidth against clientWidth, and the elements' bounding boxes.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ReportLayoutTests(SellerDeskApp app)
{
    /// <summary>The table's box, every scrolling box around it, and its numbers: how far anything runs past its width.</summary>
    private const string MeasureTable = """
        (testId) => {
          const table = document.querySelector(`[data-testid="${testId}"]`);
          if (!table) return null;
          let scroll = 0;
          for (let e = table; e && e !== document.body; e = e.parentElement) {
            const overflow = getComputedStyle(e).overflowX;
            if (overflow === 'auto' || overflow === 'scroll' || e === table) scroll = Math.max(scroll, e.scrollWidth - e.clientWidth);
          }
          // A figure's own text never breaks over two lines (a note set under it, as its own block, is not a break).
          const wrapped = [...table.querySelectorAll('td.num, td .num')].flatMap(c => {
            const texts = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
            const broken = [];
            for (let n = texts.nextNode(); n; n = texts.nextNode()) {
              if (n.textContent.trim().length === 0) continue;
              const range = document.createRange();
              range.selectNodeContents(n);
              if (new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1) broken.push(n.textContent.trim());
            }
            return broken;
          });
          return {
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            scroll: scroll,
            numbers: table.querySelectorAll('td.num, td .num').length,
            wrapped: wrapped.slice(0, 5),
          };
        }
        """;

    /// <summary>The chart's x-axis labels that have text and show: their boxes, size on screen, whether they stay inside the chart; and whether the chart is drawn at its width.</summary>
    private const string MeasureLabels = """
        (testId) => {
          const box = document.querySelector(`[data-testid="${testId}"]`);
          if (!box) return null;
          const svg = box.querySelector('svg');
          const frame = svg.getBoundingClientRect();
          // The svg scales its viewBox to its box: a label's size on screen is its font size times that scale.
          const view = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width > 0 ? svg.viewBox.baseVal.width : frame.width;
          const scale = frame.width / view;
          const labels = [...svg.querySelectorAll('.mud-charts-xaxis text, text.mud-charts-xaxis')]
            .filter(t => t.textContent.trim().length > 0 && getComputedStyle(t).display !== 'none' && getComputedStyle(t).visibility !== 'hidden')
            .map(t => { const r = t.getBoundingClientRect(); return { text: t.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom, size: parseFloat(getComputedStyle(t).fontSize) * scale }; })
            .sort((a, b) => a.left - b.left);
          const overlaps = [];
          for (let i = 1; i < labels.length; i++) {
            if (labels[i].left < labels[i - 1].right + 2 && labels[i].top < labels[i - 1].bottom && labels[i - 1].top < labels[i].bottom) overlaps.push(labels[i - 1].text + ' / ' + labels[i].text);
          }
          return {
            drawn: Math.abs(frame.width - view) <= 2,
            count: labels.length,
            overlaps: overlaps,
            outside: labels.filter(l => l.left < frame.left - 1 || l.right > frame.right + 1).map(l => l.text),
            smallest: labels.length ? Math.min(...labels.map(l => l.size)) : 0,
          };
        }
        """;

    /// <summary>
    /// Every element of the page's content that no scrolling or clipping box holds must lie inside the window; a box
    /// that clips without scrolling (overflow hidden) must not be narrower than what it holds (but for an ellipsis, the
    /// charts' own drawing and a loading bar's moving stripes). Returns what breaks.
    /// </summary>
    // The names of figure rows (tr[data-metric]) that another row of the same table already has.
    private const string RepeatedRowNames = """
        () => [...document.querySelectorAll('table')].flatMap(t => {
            const names = [...t.querySelectorAll('tr[data-metric] > th')].map(th => th.innerText.trim());
            return names.filter((n, i) => names.indexOf(n) !== i);
        })
        """;

    private const string MeasureOverflow = """
        () => {
          const main = document.querySelector('.app-main');
          if (!main) return null;
          const width = document.documentElement.clientWidth;
          const name = e => e.tagName.toLowerCase() + (e.dataset.testid ? `[${e.dataset.testid}]` : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).slice(0, 2).join('.') : '');
          const held = e => { for (let a = e.parentElement; a && a !== main; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
          const outside = [];
          const cut = [];
          for (const e of [main, ...main.querySelectorAll('*')]) {
            const style = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            if ((r.width === 0 && r.height === 0) || style.position === 'fixed' || style.visibility === 'hidden') continue;
            if (!held(e) && (r.left < -1 || r.right > width + 1)) outside.push(`${name(e)} ${Math.round(r.left)}..${Math.round(r.right)} "${(e.textContent || '').trim().slice(0, 40)}"`);
            if ((style.overflowX === 'hidden' || style.overflowX === 'clip') && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                && style.textOverflow !== 'ellipsis' && e.tagName.toLowerCase() !== 'svg' && !e.closest('.chart-box, .mud-progress-linear'))
              cut.push(`${name(e)} ${e.scrollWidth}>${e.clientWidth} "${(e.textContent || '').trim().slice(0, 40)}"`);
          }
          return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, outside: outside.slice(0, 8), cut: cut.slice(0, 8) };
        }
        """;

    public static TheoryData<string, string, string> Tables()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var culture in new[] { "ru-RU", "en-US" })
        {
            data.Add("", "marketplace-table", culture);
            data.Add("channels", "channels-grid", culture);
            data.Add("skus", "sku-grid", culture);
            data.Add("pnl", "pnl-table", culture);
            data.Add("cohorts", "cohort-table", culture);
            data.Add("drilldown", "drill-table", culture);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task A_report_table_fits_a_1440_px_desktop_with_its_numbers_on_one_line(string address, string testId, string culture)
    {
        var page = await OpenAsync(address, TestLedger.Query, culture, SellerDeskApp.Desktop, $"[data-testid={testId}]");

        var measured = await page.EvaluateAsync<JsonElement>(MeasureTable, testId);
        await Screenshots.SaveAsync(page, $"report-layout-{(address.Length == 0 ? "overview" : address)}-desktop-{culture[..2]}");

        measured.ValueKind.Should().NotBe(JsonValueKind.Null, $"the page shows {testId}");
        measured.GetProperty("numbers").GetInt32().Should().BeGreaterThan(0, "the table has figures to measure");
        measured.GetProperty("page").GetInt32().Should().Be(0, $"{testId} in {culture}: the page does not scroll sideways");
        measured.GetProperty("scroll").GetInt32().Should().BeLessThanOrEqualTo(0, $"{testId} in {culture}: the table fits its panel, no sideways scroll of its own");
        measured.GetProperty("wrapped").EnumerateArray().Select(e => e.GetString()).Should().BeEmpty($"{testId} in {culture}: numbers never wrap");
    }

    public static TheoryData<string, string, string, string> Pages()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var size in new[] { "desktop", "phone" })
        {
            foreach (var culture in new[] { "ru-RU", "en-US" })
            {
                data.Add("", "[data-testid=marketplace-table]", size, culture);
                data.Add("channels", "[data-testid=channels-grid]", size, culture);
                data.Add("cohorts", "[data-testid=cohort-table]", size, culture);
                data.Add("skus", "[data-testid=sku-grid]", size, culture);
                data.Add("skus/item", "[data-testid=sku-trend]", size, culture);
                data.Add("pnl", "[data-testid=pnl-table]", size, culture);
                data.Add("drilldown", "[data-testid=drill-table]", size, culture);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Nothing_on_a_report_page_runs_past_the_window_outside_a_box_that_scrolls(string address, string wait, string size, string culture)
    {
        var query = address == "skus/item" ? TestLedger.Query + "&marketplace=own_store&sku=MUG-01" : TestLedger.Query;
        var page = await OpenAsync(address, query, culture, size == "phone" ? SellerDeskApp.Phone : SellerDeskApp.Desktop, wait);

        var measured = await page.EvaluateAsync<JsonElement>(MeasureOverflow);
        var name = address.Length == 0 ? "overview" : address.Replace('/', '-');
        await Screenshots.SaveAsync(page, $"report-layout-page-{name}-{size}-{culture[..2]}");

        measured.ValueKind.Should().NotBe(JsonValueKind.Null, "the page has its content");
        measured.GetProperty("page").GetInt32().Should().Be(0, $"{name} at {size} in {culture}: the page does not scroll sideways");
        measured.GetProperty("outside").EnumerateArray().Select(e => e.GetString()).Should().BeEmpty($"{name} at {size} in {culture}: what is wider than the window scrolls inside its own box");
        measured.GetProperty("cut").EnumerateArray().Select(e => e.GetString()).Should().BeEmpty($"{name} at {size} in {culture}: no box cuts its content off");
        (await page.EvaluateAsync<string[]>(RepeatedRowNames)).Should().BeEmpty($"{name} in {culture}: every figure row has a name of its own");
    }

    public static TheoryData<string, string, string, string> Charts()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var size in new[] { "desktop", "phone" })
        {
            foreach (var culture in new[] { "ru-RU", "en-US" })
            {
                // Overview: a quarter (weeks) and a month day by day (31 date labels to thin); a SKU's year of months.
                data.Add("overview", TestLedger.Query, size, culture);
                data.Add("overview", "from=2026-03-01&to=2026-03-31&as_of=2026-03-31", size, culture);
                data.Add("sku", "from=2025-04-01&to=2026-03-31&as_of=2026-03-31&marketplace=own_store&sku=MUG-01", size, culture);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public async Task The_trend_charts_axis_labels_never_overlap_on_a_desktop_or_a_phone(string chart, string query, string size, string culture)
    {
        var viewport = size == "phone" ? SellerDeskApp.Phone : SellerDeskApp.Desktop;
        var (address, testId) = chart == "sku" ? ("skus/item", "sku-trend-chart") : (string.Empty, "margin-chart");
        var page = await OpenAsync(address, query, culture, viewport, $"[data-testid={testId}] svg");
        await page.Locator($"[data-testid={testId}] svg .mud-charts-xaxis").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // The chart is drawn once at a default size and again when the browser has measured its box (its viewBox then
        // matches its width): measure the drawing that stays, waiting at most 10 s for it.
        var measured = await page.EvaluateAsync<JsonElement>(MeasureLabels, testId);
        for (var attempt = 0; attempt < 40 && !Settled(measured); attempt++)
        {
            await Task.Delay(250);
            measured = await page.EvaluateAsync<JsonElement>(MeasureLabels, testId);
        }

        measured.GetProperty("drawn").GetBoolean().Should().BeTrue($"{chart} at {size} in {culture}: the chart is drawn at its box's width");

        var grain = chart == "sku" ? "month" : await page.Locator("[data-testid=chart-grain]").GetAttributeAsync("data-grain");
        await Screenshots.SaveAsync(page, $"report-layout-chart-{chart}-{grain}-{size}-{culture[..2]}");

        var count = measured.GetProperty("count").GetInt32();
        count.Should().BeGreaterThanOrEqualTo(3, $"{chart} by {grain} at {size} in {culture}: the axis names several dates");
        measured.GetProperty("overlaps").EnumerateArray().Select(e => e.GetString()).Should().BeEmpty($"{chart} by {grain} at {size} in {culture}: labels never overlap");
        measured.GetProperty("outside").EnumerateArray().Select(e => e.GetString()).Should().BeEmpty($"{chart} by {grain} at {size} in {culture}: no label is cut off");
        measured.GetProperty("smallest").GetDouble().Should().BeGreaterThanOrEqualTo(10, "labels are readable");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")).Should().Be(0);
    }

    /// <summary>Drawn at its width, and its labels written (the app thins them in the browser once it is drawn).</summary>
    private static bool Settled(JsonElement measured) =>
        measured.GetProperty("drawn").GetBoolean() && measured.GetProperty("count").GetInt32() >= 3 && measured.GetProperty("overlaps").GetArrayLength() == 0;

    private async Task<IPage> OpenAsync(string address, string query, string culture, ViewportSize viewport, string wait)
    {
        var page = await app.NewPageAsync(locale: culture, viewport: viewport);
        var target = "/" + address + "?" + query;
        await page.GotoAsync($"culture/set?culture={culture}&redirectUri={Uri.EscapeDataString(target)}");

        // The prerendered table is replaced when the circuit renders the page: measure the interactive one.
        await page.Locator(".app-shell[data-interactive=true]").WaitForAsync();
        await page.Locator(wait).First.WaitForAsync();
        return page;
    }
}
