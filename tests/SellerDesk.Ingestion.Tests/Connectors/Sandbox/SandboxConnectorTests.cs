using System.Globalization;
using Npgsql;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Connectors.Sandbox;

/// <summary>The built-in sandbox marketplace (docs/connectors/sandbox.md), alone and through the pull runner on PostgreSQL.</summary>
public sealed class SandboxConnectorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    // Noon in Moscow on 2026-03-31: the last day of the windows below is half over.
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 0, 0, TimeSpan.Zero);

    private static ConnectionSettings Connection(string? seed = null, Guid? id = null, Guid? workspace = null) => new(
        id ?? Guid.NewGuid(),
        workspace ?? Guid.NewGuid(),
        SandboxConnector.MarketplaceCode,
        seed is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [SandboxConnector.SeedKey] = seed },
        null);

    private static async Task<List<SourcePage>> FetchAsync(SandboxConnector connector, ConnectionSettings connection, DateOnly from, DateOnly to)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in connector.FetchAsync(connection, new PullWindow(from, to), CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    [Fact]
    public async Task The_same_seed_and_window_give_the_same_rows_every_time_and_another_seed_another_shop()
    {
        var connector = new SandboxConnector(time: new SkippingTimeProvider(Now));
        var from = new DateOnly(2026, 3, 1);
        var to = new DateOnly(2026, 3, 30);

        var first = (await FetchAsync(connector, Connection("7"), from, to)).SelectMany(p => p.Rows).ToList();
        var again = (await FetchAsync(new SandboxConnector(time: new SkippingTimeProvider(Now)), Connection("7"), from, to)).SelectMany(p => p.Rows).ToList();
        var other = (await FetchAsync(connector, Connection("8"), from, to)).SelectMany(p => p.Rows).ToList();

        again.Should().Equal(first);
        other.Should().NotEqual(first);
        first.Select(r => (r.Feed, r.SourceId)).Should().OnlyHaveUniqueItems();
        first.Select(r => r.Feed).Distinct().Should().BeEquivalentTo(
            [SandboxConnector.OrdersFeed, SandboxConnector.ReturnsFeed, SandboxConnector.AdsFeed, SandboxConnector.FeesFeed]);
    }

    [Fact]
    public async Task Each_day_is_one_page_and_nothing_later_than_now_is_given()
    {
        var connector = new SandboxConnector(time: new SkippingTimeProvider(Now));
        var pages = await FetchAsync(connector, Connection(), new DateOnly(2026, 3, 25), new DateOnly(2026, 3, 31));

        pages.Should().HaveCount(7);
        pages.Select(p => p.PagesRead).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        var orders = connector.Map([.. pages.SelectMany(p => p.Rows)], Moscow).Sales;
        orders.Should().NotBeEmpty();
        orders.Should().OnlyContain(s => s.OrderedAt <= Now);

        // Later in the day more of today's orders exist: the next pull gets them, the earlier ones unchanged.
        var evening = new SandboxConnector(time: new SkippingTimeProvider(Now.AddHours(10)));
        var later = evening.Map([.. (await FetchAsync(evening, Connection(), new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31))).SelectMany(p => p.Rows)], Moscow).Sales;
        later.Should().Contain(orders.Where(o => o.OrderedAt >= new DateTimeOffset(2026, 3, 30, 21, 0, 0, TimeSpan.Zero)));
        later.Count.Should().BeGreaterThan(orders.Count(o => o.OrderedAt >= new DateTimeOffset(2026, 3, 30, 21, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task A_return_whose_order_was_not_pulled_waits_for_it_but_counts_in_the_period_payout()
    {
        var connector = new SandboxConnector(time: new SkippingTimeProvider(Now));
        var rows = (await FetchAsync(connector, Connection(), new DateOnly(2026, 3, 20), new DateOnly(2026, 3, 30))).SelectMany(p => p.Rows).ToList();
        var orderIds = rows.Where(r => r.Feed == SandboxConnector.OrdersFeed).Select(r => r.OrderKey).ToHashSet();
        var orphans = rows.Where(r => r.Feed == SandboxConnector.ReturnsFeed && !orderIds.Contains(r.OrderKey)).ToList();
        orphans.Should().NotBeEmpty("returns of orders placed before the window arrive in it");

        var ledger = connector.Map(rows, Moscow);
        ledger.Returns.Should().OnlyContain(r => orderIds.Contains(r.OrderId));
        ledger.Returns.Should().HaveCount(rows.Count(r => r.Feed == SandboxConnector.ReturnsFeed) - orphans.Count);
        ledger.Gaps.Select(g => g.OrderKey).Should().BeEquivalentTo(orphans.Select(o => o.OrderKey), "each waiting return is a gap naming its order");
        ledger.Gaps.SelectMany(g => g.SourceIds).Should().BeEquivalentTo(orphans.Select(o => o.SourceId));
        (Payout.Of(ledger.Sales, ledger.Returns, ledger.Fees) + ledger.Gaps.Sum(g => g.PayoutEffect))
            .Should().Be(connector.MarketplacePayout(rows), "the ledger and its gaps account for every kopeck the sandbox pays");
    }

    [Fact]
    public async Task A_seed_that_is_not_a_number_fails_with_a_plain_message()
    {
        var connector = new SandboxConnector();
        var act = async () => await FetchAsync(connector, Connection("seven"), new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2));

        var thrown = (await act.Should().ThrowAsync<ConnectorException>()).Which;
        thrown.Text.En.Should().Contain("'seven' is not a whole number");
        thrown.Text.Ru.Should().Contain("«seven» — не целое число");
    }

    [Fact]
    public async Task Pulled_through_the_runner_it_reconciles_to_the_kopeck_a_re_pull_changes_nothing_and_late_returns_find_their_orders()
    {
        var time = new SkippingTimeProvider(Now);
        var connector = new SandboxConnector(time: time);
        var workspace = Guid.NewGuid();
        var connection = Connection("21", workspace: workspace);
        await ExecuteAsync("INSERT INTO workspaces (id, name) VALUES ($1, $2)", workspace, "sandbox " + workspace.ToString("N", CultureInfo.InvariantCulture));
        await ExecuteAsync(
            "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'sandbox', 'Sandbox', 'protected')",
            connection.Id,
            workspace);
        var runner = new PullRunner(database.DataSource, ConnectorMarketplaces.NewLedgerWriter(database.DataSource), time);

        async Task<PullRunResult> PullAsync(DateOnly from, DateOnly to)
        {
            var runId = Guid.NewGuid();
            await ExecuteAsync(
                "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to) VALUES ($1, $2, $3, 'manual', 'queued', $4, $5)",
                runId, workspace, connection.Id, from, to);
            return await runner.RunAsync(runId, connection, connector, Moscow, CancellationToken.None);
        }

        // March first: returns of late-February orders are kept as source rows but not yet in the ledger.
        var march = await PullAsync(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 30));
        march.Error.Should().BeNull();
        march.Succeeded.Should().BeTrue();
        march.Inserted.Should().Be(march.RowsRead);
        march.MarketplacePayout.Should().NotBeNull().And.Be(march.LedgerPayout);
        var returnsBefore = await CountAsync("SELECT count(*) FROM returns WHERE workspace_id = $1", workspace);

        var again = await PullAsync(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 30));
        again.Succeeded.Should().BeTrue();
        (again.Inserted, again.Updated).Should().Be((0, 0));
        (await CountAsync("SELECT count(*) FROM returns WHERE workspace_id = $1", workspace)).Should().Be(returnsBefore);

        // February's orders arrive: their March returns join the ledger.
        var february = await PullAsync(new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 28));
        february.Succeeded.Should().BeTrue();
        february.MarketplacePayout.Should().Be(february.LedgerPayout);
        (await CountAsync("SELECT count(*) FROM returns WHERE workspace_id = $1", workspace)).Should().BeGreaterThan(returnsBefore);
        (await CountAsync(
            "SELECT count(*) FROM source_rows WHERE connection_id = $1 AND feed = 'sandbox.returns'",
            connection.Id)).Should().Be(await CountAsync("SELECT count(*) FROM returns WHERE workspace_id = $1", workspace)
                + await CountAsync(
                    """
                    SELECT count(*) FROM source_rows r WHERE r.connection_id = $1 AND r.feed = 'sandbox.returns'
                      AND NOT EXISTS (SELECT 1 FROM source_rows o WHERE o.connection_id = r.connection_id AND o.feed = 'sandbox.orders' AND o.order_key = r.order_key)
                    """,
                    connection.Id),
            "every return whose order is stored is in the ledger, exactly once");
    }

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
