using System.Globalization;
using Npgsql;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Demo;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The stored order facts summed into <see cref="OrderDay"/> rows (docs/decisions/0014) must agree with the domain's
/// line and customer rules applied to the whole ledger on a realistic year: every kind of return, a COGS change, lines
/// without cost, returns after as_of, repeat buyers, orders without buyer ids.
/// </summary>
public sealed class ReportAggregatesMatchTheDomainTests(ReportAggregatesMatchTheDomainTests.DemoYear year) : IClassFixture<ReportAggregatesMatchTheDomainTests.DemoYear>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly DateOnly LastDay = new(2026, 10, 31);

    /// <summary>The demo seller's year written once into a fresh database for the whole class.</summary>
    public sealed class DemoYear : IAsyncLifetime
    {
        public TestDatabase Database { get; } = new();

        public Guid Workspace { get; } = Guid.NewGuid();

        public DemoLedger Ledger { get; } = DemoSeller.Generate(LastDay, Moscow);

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            await using (var command = Database.DataSource.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, 'facts')"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = Workspace });
                await command.ExecuteNonQueryAsync();
            }

            var result = await new LedgerImporter(Database.DataSource).WriteAsync(
                Workspace,
                new LedgerBatch { Costs = Ledger.Costs, Sales = Ledger.Sales, Returns = Ledger.Returns, AdSpend = Ledger.AdSpend, Fees = Ledger.Fees },
                CancellationToken.None);
            result.Errors.Should().BeEmpty();
        }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    [Theory]
    [InlineData("2026-10-31")]
    [InlineData("2026-06-15")]
    [InlineData("2026-01-31")]
    public async Task The_database_computes_the_same_report_aggregates_as_the_domain(string asOfText)
    {
        var asOf = DateOnly.Parse(asOfText, System.Globalization.CultureInfo.InvariantCulture);
        var orders = OrderFactBuilder.Build(year.Ledger.Sales, year.Ledger.Returns, year.Ledger.Costs, Moscow, asOf);
        var expected = OrderDay.FromOrders(orders, asOf)
            .ToDictionary(d => (d.Marketplace, d.OrderDate, d.FirstOrderDate, d.AcquisitionChannel));

        var inputs = await new ReportQueries(year.Database.DataSource).LoadInputsAsync(year.Workspace, "Europe/Moscow", asOf);

        inputs.Days.Should().HaveCount(expected.Count);
        var mismatches = inputs.Days
            .Select(actual => (actual, expected: expected.GetValueOrDefault((actual.Marketplace, actual.OrderDate, actual.FirstOrderDate, actual.AcquisitionChannel))))
            .Where(pair => pair.expected is null || !Same(pair.actual, pair.expected))
            .Select(pair => $"{pair.actual} <> {pair.expected}")
            .Take(5)
            .ToList();
        mismatches.Should().BeEmpty();
        inputs.Days.Should().Contain(d => d.ReturnLoss != 0 && d.OrderDate != d.FirstOrderDate, "repeat orders with returns are covered");
        inputs.Spend.Should().OnlyContain(s => s.Date <= asOf);
    }

    [Theory]
    [InlineData("2026-10-31")]
    [InlineData("2026-06-15")]
    public async Task The_database_computes_the_same_order_facts_as_the_domain(string asOfText)
    {
        var asOf = DateOnly.Parse(asOfText, System.Globalization.CultureInfo.InvariantCulture);
        var expected = OrderFactBuilder.Build(year.Ledger.Sales, year.Ledger.Returns, year.Ledger.Costs, Moscow, asOf)
            .ToDictionary(o => (o.Marketplace, o.OrderId));

        var actual = await new ReportQueries(year.Database.DataSource).LoadOrderFactsAsync(year.Workspace, asOf);

        actual.Should().HaveCount(expected.Count);
        actual.Where(a => !expected.TryGetValue((a.Marketplace, a.OrderId), out var e) || !Same(a, e)).Take(5).Should().BeEmpty();
    }

    [Fact]
    public async Task Reports_read_the_ledger_afresh_after_every_import()
    {
        var service = new ReportService(new ReportQueries(year.Database.DataSource), TimeProvider.System);
        var workspace = new SellerDesk.Data.Workspaces.WorkspaceContext(year.Workspace, "facts", "Europe/Moscow");
        // After the demo year's last day, so the other tests of this class, all as of that day or earlier, never see it.
        var request = new ReportRequest(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 30));
        var before = (await service.LoadAsync(workspace, request)).Marketplaces().SingleOrDefault(m => m.Marketplace == "own_store");

        var extra = new SellerDesk.Domain.Ledger.SaleLine("own_store", "S-CACHE-1", "1", new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(3)),
            "C-CACHE", "organic", year.Ledger.Costs[0].Sku, 1, 1000m, 0m, 100m, 0m, 0m);
        (await new LedgerImporter(year.Database.DataSource).WriteAsync(year.Workspace, new LedgerBatch { Sales = [extra] })).Errors.Should().BeEmpty();
        var after = (await service.LoadAsync(workspace, request)).Marketplaces().Single(m => m.Marketplace == "own_store");

        after.Revenue.Should().Be((before?.Revenue ?? 0m) + 1000m);
        after.NewCustomers.Should().Be((before?.NewCustomers ?? 0) + 1);
    }

    private static bool Same(OrderFact a, OrderFact b) =>
        a with { Revenue = 0, NetRevenue = 0, ContributionMargin = 0, ReturnLoss = 0, OrderedAt = default }
            == b with { Revenue = 0, NetRevenue = 0, ContributionMargin = 0, ReturnLoss = 0, OrderedAt = default }
        && a.OrderedAt == b.OrderedAt
        && Math.Round(a.Revenue - b.Revenue, 10) == 0 && Math.Round(a.NetRevenue - b.NetRevenue, 10) == 0
        && Math.Round(a.ContributionMargin - b.ContributionMargin, 10) == 0 && Math.Round(a.ReturnLoss - b.ReturnLoss, 10) == 0;

    [Fact]
    public async Task A_write_of_some_orders_shows_in_the_next_report_as_in_a_fresh_service()
    {
        // "Today" is in December 2026, after the demo year and after every other test's dates in this class.
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 15, 12, 0, 0, TimeSpan.FromHours(3)));
        var queries = new ReportQueries(year.Database.DataSource);
        var service = new ReportService(queries, clock);
        var workspace = new SellerDesk.Data.Workspaces.WorkspaceContext(year.Workspace, "facts", "Europe/Moscow");
        var request = new ReportRequest(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        var before = await service.LoadAsync(workspace, request);

        // A known own-store customer orders again, a new customer orders twice, a demo order gets a late return, ad spend.
        var known = year.Ledger.Sales.First(s => s.Marketplace == "own_store" && s.CustomerId is not null);
        var returned = year.Ledger.Sales.First(s => s.Marketplace == "wildberries" && year.Ledger.Returns.All(r => r.OrderId != s.OrderId));
        var at = new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.FromHours(3));
        var batch = new LedgerBatch
        {
            Sales =
            [
                known with { OrderId = "FRESH-1", LineId = "1", OrderedAt = at },
                known with { OrderId = "FRESH-2", LineId = "1", OrderedAt = at, CustomerId = "C-FRESH", Channel = "vk_ads" },
                known with { OrderId = "FRESH-3", LineId = "1", OrderedAt = at.AddDays(1), CustomerId = "C-FRESH", Channel = "referral" },
            ],
            Returns = [new SellerDesk.Domain.Ledger.ReturnEvent(returned.Marketplace, returned.OrderId, returned.LineId, "LATE-1", at.AddDays(-5), 1, returned.Revenue / returned.Quantity, 0m, 60m, false, "late")],
            AdSpend = [new SellerDesk.Domain.Ledger.AdSpend(new DateOnly(2026, 12, 10), "own_store", "vk_ads", 777m)],
        };
        (await new LedgerImporter(year.Database.DataSource).WriteAsync(year.Workspace, batch)).Errors.Should().BeEmpty();

        var patched = await service.LoadAsync(workspace, request);
        var afresh = await new ReportService(queries, clock).LoadAsync(workspace, request);

        patched.Marketplaces().Should().BeEquivalentTo(afresh.Marketplaces());
        patched.Channels().Should().BeEquivalentTo(afresh.Channels());
        patched.Cohorts().Should().BeEquivalentTo(afresh.Cohorts());
        patched.Marketplaces().Single(m => m.Marketplace == "own_store").Revenue
            .Should().Be(before.Marketplaces().Single(m => m.Marketplace == "own_store").Revenue + (3 * known.Revenue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10_000)]
    public async Task Two_writes_of_some_orders_show_in_the_next_report_as_in_a_fresh_service(int partOrders)
    {
        // Two writes (two versions): a customer's two orders land in different parts when parts are small, an order is
        // restated by the second write (so it comes twice), and one order has no buyer id.
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 20, 12, 0, 0, TimeSpan.FromHours(3)));
        var queries = new ReportQueries(year.Database.DataSource);
        var service = new ReportService(queries, clock);
        var workspace = new SellerDesk.Data.Workspaces.WorkspaceContext(year.Workspace, "facts", "Europe/Moscow");
        var request = new ReportRequest(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        await service.LoadAsync(workspace, request);

        var known = year.Ledger.Sales.First(s => s.Marketplace == "own_store" && s.CustomerId is not null);
        var at = new DateTimeOffset(2026, 12, 18, 12, 0, 0, TimeSpan.FromHours(3));
        var tag = string.Create(CultureInfo.InvariantCulture, $"PART{partOrders}");
        var importer = new LedgerImporter(year.Database.DataSource);
        (await importer.WriteAsync(year.Workspace, new LedgerBatch
        {
            Sales =
            [
                known with { OrderId = tag + "-A", LineId = "1", OrderedAt = at, CustomerId = "C-" + tag, Channel = "vk_ads" },
                known with { OrderId = tag + "-B", LineId = "1", OrderedAt = at.AddHours(1), CustomerId = "C-" + tag, Channel = "referral" },
                known with { OrderId = tag + "-C", LineId = "1", OrderedAt = at.AddHours(2), CustomerId = null, Channel = "organic" },
            ],
        })).Errors.Should().BeEmpty();
        (await importer.WriteAsync(year.Workspace, new LedgerBatch
        {
            Sales = [known with { OrderId = tag + "-A", LineId = "1", OrderedAt = at, CustomerId = "C-" + tag, Channel = "vk_ads", Revenue = known.Revenue * 2 }],
            AdSpend = [new SellerDesk.Domain.Ledger.AdSpend(new DateOnly(2026, 12, 18), "own_store", "vk_ads", 123m)],
        })).Errors.Should().BeEmpty();

        var patched = await service.LoadAsync(workspace, request);
        var afresh = await new ReportService(queries, clock).LoadAsync(workspace, request);

        patched.Marketplaces().Should().BeEquivalentTo(afresh.Marketplaces());
        patched.Channels().Should().BeEquivalentTo(afresh.Channels());
        patched.Cohorts().Should().BeEquivalentTo(afresh.Cohorts());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }

    /// <summary>Equal to 10 decimal places: PostgreSQL numeric division keeps fewer digits than decimal.</summary>
    private static bool Same(OrderDay a, OrderDay b) =>
        a with { Revenue = 0, NetRevenue = 0, ContributionMargin = 0, ReturnLoss = 0, FirstOrderMargin = 0 }
            == b with { Revenue = 0, NetRevenue = 0, ContributionMargin = 0, ReturnLoss = 0, FirstOrderMargin = 0 }
        && Math.Round(a.Revenue - b.Revenue, 10) == 0 && Math.Round(a.NetRevenue - b.NetRevenue, 10) == 0
        && Math.Round(a.ContributionMargin - b.ContributionMargin, 10) == 0 && Math.Round(a.ReturnLoss - b.ReturnLoss, 10) == 0
        && Math.Round(a.FirstOrderMargin - b.FirstOrderMargin, 10) == 0;
}
