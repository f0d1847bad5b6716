using SellerDesk.Data;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// A seeded random sequence of pulls of overlapping windows, restatements (new report revisions that change, drop and
/// re-issue rows), failing feeds and deletions of a connection with its data, over two shops of one marketplace. After
/// each step every connection's ledger rows are exactly the mapping of what its marketplace reported last for the
/// windows pulled (kept by <see cref="SourceModel"/>, not by the runner), and every run's reconciliation matches. With
/// one ledger row altered behind the runner's back, the next run over it reports the difference and names the order.
/// </summary>
public sealed class RandomizedPullSequenceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 31);

    [Theory]
    [InlineData(20260331)]
    [InlineData(8)]
    public async Task After_every_step_each_connection_holds_exactly_what_its_marketplace_reported_last_and_every_run_reconciles(int seed)
    {
        var random = new Random(seed);
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shops = new[] { new Shop(51, await w.SandboxAsync(51)), new Shop(52, await w.SandboxAsync(52)) };
        var (dropped, updated, deletions, failures) = (0, 0, 0, 0);
        for (var step = 0; step < 24; step++)
        {
            var shop = shops[random.Next(shops.Length)];
            var roll = random.Next(100);
            string what;
            if (roll < 15)
            {
                shop.Revision++;
                what = $"revision {shop.Revision} of shop {shop.Seed}";
            }
            else if (roll < 22)
            {
                await DeleteAndReconnectAsync(w, shop);
                deletions++;
                what = $"shop {shop.Seed} deleted with its data and connected again";
            }
            else
            {
                var from = Today.AddDays(-random.Next(0, 50));
                var to = Min(Today, from.AddDays(random.Next(0, 21)));
                string[] failing = roll < 30 ? [SandboxConnector.AdsFeed] : [];
                var connector = w.Sandbox(shop.Revision, failing);
                await shop.Model.PullAsync(connector, shop.Connection, new PullWindow(from, to));
                var (_, result) = await w.PullAsync(shop.Connection, connector, from, to);
                what = $"pull of shop {shop.Seed} from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} at revision {shop.Revision}{(failing.Length > 0 ? " with ads failing" : "")}";
                result.Succeeded.Should().BeTrue($"step {step}, {what}: {result.Error?.En}");
                result.Reconciled.Should().BeTrue($"step {step}, {what}: {result.Reconciliation?.En}");
                (dropped, updated, failures) = (dropped + result.Dropped, updated + result.Updated, failures + failing.Length);
            }

            foreach (var each in shops)
            {
                (await w.LedgerAsync(LedgerSource.Connection(each.Connection.Id)))
                    .ShouldEqual(each.Model.Expected(w.Sandbox()), $"shop {each.Seed} after step {step}, {what}");
            }

            var all = await w.LedgerAsync();
            all.Count.Should().Be(
                shops.Sum(s => s.Model.Expected(w.Sandbox()).Count), $"the workspace holds the union of the connections' rows after step {step}");
        }

        // The sequence went through every kind of step it is meant to.
        (dropped, updated, deletions, failures).Should().Match<(int Dropped, int Updated, int Deletions, int Failures)>(
            t => t.Dropped > 0 && t.Updated > 0 && t.Deletions > 0 && t.Failures > 0);
    }

    [Fact]
    public async Task The_same_sequence_with_one_ledger_row_altered_behind_the_runners_back_reports_the_difference_on_the_next_run_over_it()
    {
        var random = new Random(77);
        var w = await PullWorkspace.CreateAsync(database, Now);
        var shops = new[] { new Shop(61, await w.SandboxAsync(61)), new Shop(62, await w.SandboxAsync(62)) };
        for (var step = 0; step < 8; step++)
        {
            var shop = shops[step % 2];
            if (random.Next(4) == 0)
            {
                shop.Revision++;
            }

            var from = Today.AddDays(-random.Next(5, 40));
            var (_, result) = await w.PullAsync(shop.Connection, w.Sandbox(shop.Revision), from, Min(Today, from.AddDays(random.Next(3, 15))));
            result.Reconciled.Should().BeTrue($"step {step}: {result.Reconciliation?.En}");
        }

        var victim = shops[random.Next(2)];
        var lines = (await w.LedgerAsync(LedgerSource.Connection(victim.Connection.Id))).Sales;
        var line = lines[random.Next(lines.Count)];
        var amount = decimal.Round((decimal)random.NextDouble() * 500m, 2) + 0.01m;
        await w.ExecuteAsync(
            "UPDATE sales_lines SET commission = commission - $4 WHERE workspace_id = $1 AND order_id = $2 AND line_id = $3",
            w.Id, line.OrderId, line.LineId, amount);
        var ordered = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(line.OrderedAt, PullWorkspace.Moscow).DateTime);

        var (_, next) = await w.PullAsync(victim.Connection, w.Sandbox(victim.Revision), ordered.AddDays(-2), Min(Today, ordered.AddDays(2)));
        var other = shops.Single(s => s != victim);
        var (_, untouched) = await w.PullAsync(other.Connection, w.Sandbox(other.Revision), Today.AddDays(-40), Today);

        next.Reconciled.Should().BeFalse();
        next.DifferingOrders.Should().Equal((line.OrderId, amount));
        (next.LedgerPayout - next.MarketplacePayout).Should().Be(amount);
        next.Reconciliation!.En.Should().Contain(line.OrderId);
        untouched.Reconciled.Should().BeTrue("the other connection's rows were not touched");
    }

    private static async Task DeleteAndReconnectAsync(PullWorkspace w, Shop shop)
    {
        await using (var session = await w.Database.DataSource.OpenConnectionAsync())
        {
            (await ConnectionData.DeleteAsync(session, w.Id, shop.Connection.Id, ConnectionDataChoice.Remove, CancellationToken.None)).Should().BeTrue();
        }

        (await w.LedgerAsync(LedgerSource.Connection(shop.Connection.Id))).Count.Should().Be(0);
        shop.Connection = await w.SandboxAsync(shop.Seed, $"Sandbox {shop.Seed} again {Guid.NewGuid():N}");
        shop.Model.Clear();
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private sealed class Shop(int seed, ConnectionSettings connection)
    {
        public int Seed { get; } = seed;

        public ConnectionSettings Connection { get; set; } = connection;

        public int Revision { get; set; }

        public SourceModel Model { get; } = new();
    }
}
