using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Npgsql;
using SellerDesk.EndToEnd.Tests.Infrastructure;
using SellerDesk.EndToEnd.Tests.Pages;

namespace SellerDesk.EndToEnd.Tests;

/// <summary>
/// Issue 8 in the browser: what deleting a connection does to its data, the safe defaults of a new connection, one
/// account per connection, the account filter of the report pages and the rows a run could not map. Each test pulls
/// sandbox shops of its own seeds into months of 2025 that no other browser test reads.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ConnectionDataPageTests(SellerDeskApp app)
{
    private static readonly string[] Additive = ["revenue", "net_revenue", "contribution_margin", "ad_spend", "period_fees", "profit", "new_customers"];

    private SandboxConnections Sandbox => new(app.Api);

    [Fact]
    public async Task Deleting_a_connection_asks_keep_or_remove_keep_leaves_the_totals_and_remove_takes_out_exactly_its_figures()
    {
        const string query = "from=2025-05-01&to=2025-05-31&as_of=2025-05-31";
        var kept = await Sandbox.CreateAsync("Удаляемая с данными 61", 61);
        var removed = await Sandbox.CreateAsync("Удаляемая без данных 62", 62);
        await Sandbox.PullAsync(kept, "2025-05-01", "2025-05-31");
        var removedRun = await Sandbox.PullAsync(removed, "2025-05-01", "2025-05-31");
        var before = await SandboxFiguresAsync(query);
        var ofRemoved = await SandboxFiguresAsync(query + "&source=" + removed);
        before["revenue"].Should().BeGreaterThan(ofRemoved["revenue"]!.Value).And.BePositive();

        var ops = new ConnectionsPage(await app.NewPageAsync());
        await ops.OpenAsync();

        // Keep: the dialog says what the connection stored, keep is chosen already; the totals stay as they were.
        var data = await Sandbox.DataAsync(kept);
        var dialog = await ops.OpenDeleteAsync("Удаляемая с данными 61");
        foreach (var (kind, field) in new[] { ("orders", "orders"), ("sales_lines", "sales_lines"), ("returns", "returns"), ("ad_spend", "ad_spend"), ("fees", "fees") })
        {
            (await ops.DeleteCountAsync(kind)).Should().Be(data.GetProperty(field).GetInt64(), kind);
        }

        data.GetProperty("orders").GetInt64().Should().BePositive();
        await Assertions.Expect(ops.Page.GetByRole(AriaRole.Radio, new() { Name = "Оставить данные (рекомендуется)" })).ToBeCheckedAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("История его загрузок сохранится");
        await Screenshots.SaveAsync(ops.Page, "connections-delete-dialog-ru");
        await ops.Page.Locator("[data-testid=delete-confirm]").ClickAsync();
        await Assertions.Expect(ops.Card("Удаляемая с данными 61")).ToHaveCountAsync(0);
        (await SandboxFiguresAsync(query)).Should().Equal(before, "kept rows stay in every report");

        // Remove: chosen by keyboard, explained; the totals drop by exactly the connection's own figures.
        await ops.OpenDeleteAsync("Удаляемая без данных 62");
        var remove = ops.Page.GetByRole(AriaRole.Radio, new() { Name = "Удалить данные" });
        await remove.FocusAsync();
        await ops.Page.Keyboard.PressAsync("Space");
        await Assertions.Expect(remove).ToBeCheckedAsync();
        await Assertions.Expect(ops.Page.Locator("[data-testid=delete-remove-warning]")).ToBeVisibleAsync();
        await Assertions.Expect(ops.Page.Locator("[data-testid=delete-confirm]")).ToHaveTextAsync("Удалить вместе с данными");
        await Screenshots.SaveAsync(ops.Page, "connections-delete-remove-ru");
        await ops.Page.Locator("[data-testid=delete-confirm]").ClickAsync();
        await Assertions.Expect(ops.Card("Удаляемая без данных 62")).ToHaveCountAsync(0);
        var after = await SandboxFiguresAsync(query);
        foreach (var metric in Additive)
        {
            after[metric].Should().Be(before[metric] - ofRemoved[metric], metric);
        }

        // The run history stays, with the deleted connection's name.
        await Assertions.Expect(ops.History.Locator($"[data-testid=run-reconciliation][data-run='{removedRun}']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_new_connection_shows_and_keeps_the_safe_defaults_and_a_second_connection_of_one_account_is_refused_at_its_credentials()
    {
        await Sandbox.CreateAsync("Кабинет 71", 71);
        var ops = new ConnectionsPage(await app.NewPageAsync());
        await ops.OpenAsync();

        await ops.ChooseAsync(ops.Page.Locator("[data-testid=add-marketplace]"), "sandbox");
        await Assertions.Expect(ops.Page.Locator("#new-backfill")).ToHaveValueAsync("90");
        await Assertions.Expect(ops.Page.Locator("#new-schedule-hour")).ToHaveValueAsync("6");
        await Assertions.Expect(ops.Page.Locator("#new-schedule-minute")).ToHaveValueAsync("0");
        await Assertions.Expect(ops.Page.Locator("#new-schedule-window")).ToHaveValueAsync("14");
        await Assertions.Expect(ops.Page.Locator("[data-testid=add-start-hint]")).ToContainTextAsync("Europe/Moscow");

        // The same shop again: refused in plain words under its credentials, nothing added, nothing crashed.
        await ops.Page.Locator("[data-testid=add-connection] [data-testid=credential-seed]").FillAsync("71");
        await ops.Page.Locator("[data-testid=add-name]").FillAsync("Дубль 71");
        await ops.Page.Locator("[data-testid=add-name]").PressAsync("Enter");
        var refusal = ops.Page.Locator("[data-testid=add-connection] [data-testid=credentials-error]");
        await Assertions.Expect(refusal).ToContainTextAsync("уже подключён как «Кабинет 71»");
        await Assertions.Expect(ops.Card("Дубль 71")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(ops.Page, "connections-duplicate-ru");

        // Another shop with the defaults as shown: daily at 06:00, and a first pull of the last 90 days.
        await ops.Page.Locator("[data-testid=add-connection] [data-testid=credential-seed]").FillAsync("72");
        await ops.Page.Locator("[data-testid=add-name]").FillAsync("Кабинет 72");
        await ops.Page.Locator("[data-testid=add-name]").PressAsync("Enter");
        await ops.Card("Кабинет 72").WaitForAsync();
        await Assertions.Expect(refusal).ToHaveCountAsync(0);
        await Assertions.Expect(ops.Card("Кабинет 72").Locator("[data-testid=connection-schedule]")).ToContainTextAsync("каждый день в 06:00, последние 14 дн.");
        var connections = await Sandbox.GetAsync("api/v1/connections");
        var created = connections.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Кабинет 72");
        created.GetProperty("cron").GetString().Should().Be("0 0 6 * * ?");
        created.GetProperty("enabled").GetBoolean().Should().BeTrue();
        var runs = await Sandbox.GetAsync($"api/v1/connections/{created.GetProperty("id").GetGuid()}/pulls");
        var first = runs.EnumerateArray().Should().ContainSingle().Subject;
        first.GetProperty("trigger").GetString().Should().Be("backfill");
        var from = DateOnly.Parse(first.GetProperty("from").GetString()!, CultureInfo.InvariantCulture);
        var to = DateOnly.Parse(first.GetProperty("to").GetString()!, CultureInfo.InvariantCulture);
        (to.DayNumber - from.DayNumber + 1).Should().Be(90);
    }

    [Fact]
    public async Task Validation_answers_are_in_the_users_language_on_the_page()
    {
        var ops = new ConnectionsPage(await app.NewPageAsync("en-US"));
        await ops.OpenAsync();
        await ops.SwitchLanguageAsync("en-US");
        await Sandbox.CreateAsync("Account 75", 75);
        await ops.Page.ReloadAsync();
        await ops.WaitUntilInteractiveAsync();
        await ops.ChooseAsync(ops.Page.Locator("[data-testid=add-marketplace]"), "sandbox");
        await ops.Page.Locator("[data-testid=add-connection] [data-testid=credential-seed]").FillAsync("75");
        await ops.Page.Locator("[data-testid=add-name]").FillAsync("Again 75");
        await ops.Page.Locator("[data-testid=add-name]").PressAsync("Enter");
        await Assertions.Expect(ops.Page.Locator("[data-testid=add-connection] [data-testid=credentials-error]"))
            .ToContainTextAsync("this Sandbox account is already connected as 'Account 75'");
        await Screenshots.SaveAsync(ops.Page, "connections-duplicate-en");

        // A backfill before 2015 and a bad cron, in Russian after switching.
        await ops.SwitchLanguageAsync("ru-RU");
        await ops.BackfillAsync("Account 75", "2014-12-01", "2014-12-31");
        var card = ops.Card("Account 75");
        await Assertions.Expect(card.Locator("[data-testid=form-errors]")).ToContainTextAsync("раньше 01.01.2015: таких старых данных маркетплейсы не отдают");
        await card.Locator("[data-testid=connection-schedule-edit]").ClickAsync();
        await ops.ChooseAsync(card.Locator("[data-testid=schedule-kind]"), "Cron");
        await card.Locator("#schedule-cron").FillAsync("каждый день");
        await card.Locator("[data-testid=schedule-save]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=form-errors]")).ToContainTextAsync("не cron-выражение");
        await Screenshots.SaveAsync(ops.Page, "connections-validation-ru");
    }

    [Fact]
    public async Task The_account_filter_shows_each_connections_figures_and_they_add_up_to_the_total_on_every_report_page()
    {
        const string query = "from=2025-06-01&to=2025-06-30&as_of=2025-06-30";
        var first = await Sandbox.CreateAsync("Магазин 81", 81);
        var second = await Sandbox.CreateAsync("Магазин 82", 82);
        await Sandbox.PullAsync(first, "2025-06-01", "2025-06-30");
        await Sandbox.PullAsync(second, "2025-06-01", "2025-06-30");
        var all = await SandboxFiguresAsync(query);
        var ofFirst = await SandboxFiguresAsync(query + "&source=" + first);
        var ofSecond = await SandboxFiguresAsync(query + "&source=" + second);
        ofFirst["revenue"].Should().BePositive();
        ofSecond["revenue"].Should().BePositive().And.NotBe(ofFirst["revenue"]!.Value, "two shops of different seeds sell differently");

        var overview = new OverviewPage(await app.NewPageAsync());
        await overview.OpenAsync(query);
        (await overview.CellAsync("sandbox", "revenue")).Should().Be(all["revenue"]);
        await overview.ChooseAccountAsync(first.ToString());
        await Assertions.Expect(overview.Page).ToHaveURLAsync(new Regex("source=" + first));
        await WaitForAsync(() => overview.CellAsync("sandbox", "revenue"), ofFirst["revenue"]);
        var shownFirst = await OverviewFiguresAsync(overview);
        await Screenshots.SaveAsync(overview.Page, "overview-account-ru");
        await overview.ChooseAccountAsync(second.ToString());
        await Assertions.Expect(overview.Page).ToHaveURLAsync(new Regex("source=" + second));
        await WaitForAsync(() => overview.CellAsync("sandbox", "revenue"), ofSecond["revenue"]);
        var shownSecond = await OverviewFiguresAsync(overview);
        foreach (var metric in Additive)
        {
            shownFirst[metric].Should().Be(ofFirst[metric], metric);
            shownSecond[metric].Should().Be(ofSecond[metric], metric);
            (shownFirst[metric] + shownSecond[metric]).Should().Be(all[metric], metric + " of the two accounts adds up to the total");
        }

        // The filter goes with the period to the other report pages, and they show that account's figures.
        await overview.NavigateAsync("channels");
        await Assertions.Expect(overview.Page).ToHaveURLAsync(new Regex("channels\\?.*source=" + second));
        var channels = new ChannelsPage(overview.Page);
        await channels.WaitUntilInteractiveAsync();
        await channels.WaitForFiguresAsync();
        var apiChannels = (await app.Reports.ChannelsAsync(query + "&source=" + second)).Where(r => r.Text("marketplace") == "sandbox").ToList();
        var shownChannels = (await channels.RowsAsync()).Where(r => r.Marketplace == "sandbox").ToList();
        shownChannels.Select(r => r.Channel).Should().BeEquivalentTo(apiChannels.Select(r => r.Text("channel")));
        foreach (var row in apiChannels)
        {
            channels.Money(shownChannels.Single(r => r.Channel == row.Text("channel")).NewCustomers).Should().Be(row.Number("new_customers"));
        }

        await Assertions.Expect(overview.Page.Locator("#account-filter")).ToHaveValueAsync(new Regex("Магазин 82"));
        await Screenshots.SaveAsync(overview.Page, "channels-account-ru");

        var cohorts = new CohortsPage(await app.NewPageAsync());
        await cohorts.OpenAsync(query + "&marketplace=sandbox&source=" + first);
        var apiCohorts = (await app.Reports.CohortsAsync(query + "&marketplace=sandbox&source=" + first)).ToList();
        (await cohorts.CohortsAsync()).Should().Equal(apiCohorts.Select(r => r.Text("cohort")));
        await Assertions.Expect(cohorts.Page.Locator("[data-testid=account-picker]")).ToBeVisibleAsync();
        (await cohorts.Page.Locator("[data-testid=export-csv]").GetAttributeAsync("href")).Should().Contain("source=" + first, "the download is of the account shown");
        await Screenshots.SaveAsync(cohorts.Page, "cohorts-account-ru");
        (await cohorts.SidewaysOverflowAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_run_history_says_whether_a_run_matches_and_lists_the_rows_it_could_not_map()
    {
        // April's first days carry returns of March orders this pull does not read: rows that cannot be mapped.
        var connection = await Sandbox.CreateAsync("Пробелы 91", 91);
        var run = await Sandbox.PullAsync(connection, "2025-04-01", "2025-04-30");
        var gaps = await Sandbox.GetAsync($"api/v1/pulls/{run}/gaps");
        gaps.GetArrayLength().Should().BePositive("returns of orders before the window cannot be mapped");

        var ops = new ConnectionsPage(await app.NewPageAsync());
        await ops.OpenAsync();
        var cellSelector = $"[data-testid=run-reconciliation][data-run='{run}']";
        var cell = ops.History.Locator(cellSelector);
        await Assertions.Expect(cell.Locator("[data-testid=run-reconciliation-verdict]")).ToContainTextAsync("совпадает с маркетплейсом");
        var row = ops.History.Locator("tr", new() { Has = ops.Page.Locator(cellSelector) });
        await Assertions.Expect(row.Locator("[data-testid=run-notices]")).ToContainTextAsync("Не удалось разнести в учёт исходных строк");
        await cell.Locator("[data-testid=run-gaps]").ClickAsync();
        var list = ops.Page.Locator("[data-testid=gap-list]");
        await Assertions.Expect(list.Locator("[data-testid=gap]")).ToHaveCountAsync(gaps.GetArrayLength());
        var firstGap = gaps[0];
        await Assertions.Expect(list.Locator("[data-testid=gap-reason]").First).ToContainTextAsync(firstGap.GetProperty("reason").GetString()!);
        var payload = list.Locator("[data-testid=gap-payload]").First;
        await Assertions.Expect(payload).ToContainTextAsync(firstGap.GetProperty("order_key").GetString()!);
        (await payload.EvaluateAsync<string>("e => getComputedStyle(e).overflow")).Should().Be("auto", "a long payload scrolls inside its box");
        await Screenshots.SaveAsync(ops.Page, "connections-gaps-ru");
        await ops.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(list).ToHaveCountAsync(0);
        (await ops.SidewaysOverflowAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_run_whose_ledger_differs_from_the_marketplace_says_by_how_much_and_names_the_order()
    {
        var connection = await Sandbox.CreateAsync("Расхождение 93", 93);
        await Sandbox.PullAsync(connection, "2025-03-01", "2025-03-10");

        // A ledger line altered behind the runner's back: the next pull of the window compares it with the marketplace.
        string order;
        await using (var db = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await db.OpenAsync();
            await using var pick = new NpgsqlCommand("SELECT order_id, line_id FROM sales_lines WHERE source = $1 ORDER BY order_id, line_id LIMIT 1", db);
            pick.Parameters.Add(new NpgsqlParameter { Value = connection });
            string line;
            await using (var reader = await pick.ExecuteReaderAsync())
            {
                (await reader.ReadAsync()).Should().BeTrue();
                order = reader.GetString(0);
                line = reader.GetString(1);
            }

            await using var alter = new NpgsqlCommand("UPDATE sales_lines SET revenue = revenue + 123.45 WHERE source = $1 AND order_id = $2 AND line_id = $3", db);
            alter.Parameters.Add(new NpgsqlParameter { Value = connection });
            alter.Parameters.Add(new NpgsqlParameter { Value = order });
            alter.Parameters.Add(new NpgsqlParameter { Value = line });
            (await alter.ExecuteNonQueryAsync()).Should().Be(1);
        }

        var run = await Sandbox.PullAsync(connection, "2025-03-01", "2025-03-10");
        var ops = new ConnectionsPage(await app.NewPageAsync());
        await ops.OpenAsync();
        var cell = ops.History.Locator($"[data-testid=run-reconciliation][data-run='{run}']");
        await Assertions.Expect(cell.Locator("[data-testid=run-reconciliation-verdict]")).ToContainTextAsync("расходится на 123,45");
        await Assertions.Expect(cell.Locator("[data-testid=run-reconciliation-detail]")).ToContainTextAsync($"заказы {order} (+123,45");
        await Assertions.Expect(ops.Card("Расхождение 93").Locator("[data-testid=connection-reconciliation]")).ToContainTextAsync("расходится на 123,45");
        await Screenshots.SaveAsync(ops.Page, "connections-differs-ru");

        await ops.SwitchLanguageAsync("en-US");
        await Assertions.Expect(ops.History.Locator($"[data-testid=run-reconciliation][data-run='{run}'] [data-testid=run-reconciliation-detail]"))
            .ToContainTextAsync($"orders {order} (+");
        await Assertions.Expect(ops.History.Locator($"[data-testid=run-reconciliation][data-run='{run}'] [data-testid=run-reconciliation-verdict]"))
            .ToContainTextAsync("differs by");
    }

    [Fact]
    public async Task The_changed_pages_fit_a_laptop_and_a_phone_in_both_languages_without_sideways_scrolling()
    {
        const string query = "from=2025-07-01&to=2025-07-15&as_of=2025-07-15";
        var first = await Sandbox.CreateAsync("Витрина 85", 85);
        var second = await Sandbox.CreateAsync("Витрина 86", 86);
        var run = await Sandbox.PullAsync(first, "2025-07-01", "2025-07-15");
        await Sandbox.PullAsync(second, "2025-07-01", "2025-07-15");
        foreach (var culture in new[] { "ru-RU", "en-US" })
        {
            foreach (var (size, viewport) in new[] { ("1440", SellerDeskApp.Desktop), ("390", SellerDeskApp.Phone) })
            {
                var phone = size == "390";
                var page = await app.NewPageAsync(culture, viewport, touch: phone);
                var ops = new ConnectionsPage(page);
                await ops.OpenAsync();
                if (culture == "en-US")
                {
                    await ops.SwitchLanguageAsync("en-US");
                }

                var name = $"{culture[..2]}-{size}";
                await Screenshots.SaveAsync(page, $"issue8-connections-{name}");
                (await ops.SidewaysOverflowAsync()).Should().Be(0, $"connections {name}");

                await ops.OpenDeleteAsync("Витрина 86");
                await Screenshots.SaveAsync(page, $"issue8-delete-dialog-{name}");
                (await ops.SidewaysOverflowAsync()).Should().Be(0, $"delete dialog {name}");
                await page.Locator("[data-testid=delete-cancel]").ClickAsync();
                await page.Locator("[data-testid=delete-counts]").WaitForAsync(new() { State = WaitForSelectorState.Detached });

                await ops.History.Locator($"[data-testid=run-reconciliation][data-run='{run}'] [data-testid=run-gaps]").ClickAsync();
                await page.Locator("[data-testid=gap-list]").WaitForAsync();
                await Screenshots.SaveAsync(page, $"issue8-gaps-dialog-{name}");
                (await ops.SidewaysOverflowAsync()).Should().Be(0, $"gaps dialog {name}");
                await page.Keyboard.PressAsync("Escape");
                await page.Locator("[data-testid=gap-list]").WaitForAsync(new() { State = WaitForSelectorState.Detached });

                foreach (var path in new[] { "", "channels", "cohorts" })
                {
                    await page.GotoAsync($"{path}?{query}&source={first}");
                    await ops.WaitUntilInteractiveAsync();
                    await Assertions.Expect(page.Locator("[data-testid=account-picker]")).ToBeVisibleAsync();
                    await Assertions.Expect(page.Locator("[data-testid=account-picker]")).ToContainTextAsync(culture == "ru-RU" ? "Кабинет" : "Account");
                    var pageName = path.Length == 0 ? "overview" : path;
                    await Screenshots.SaveAsync(page, $"issue8-{pageName}-{name}");
                    (await ops.SidewaysOverflowAsync()).Should().Be(0, $"{pageName} {name}");
                }

                await page.Context.CloseAsync();
            }
        }
    }

    /// <summary>Reads a figure until it shows <paramref name="expected"/> (the page reloads after the address changes).</summary>
    private static async Task WaitForAsync(Func<Task<decimal?>> read, decimal? expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        decimal? shown;
        while ((shown = await read()) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        shown.Should().Be(expected);
    }

    private async Task<Dictionary<string, decimal?>> SandboxFiguresAsync(string query)
    {
        var row = (await app.Reports.MarketplacesAsync(query)).Single(r => r.Text("marketplace") == "sandbox");
        return Additive.ToDictionary(m => m, m => row.Number(m));
    }

    private static async Task<Dictionary<string, decimal?>> OverviewFiguresAsync(OverviewPage overview)
    {
        var figures = new Dictionary<string, decimal?>();
        foreach (var metric in Additive)
        {
            figures[metric] = await overview.CellAsync("sandbox", metric);
        }

        return figures;
    }
}
