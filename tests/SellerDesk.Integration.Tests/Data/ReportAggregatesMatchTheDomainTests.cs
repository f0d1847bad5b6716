using System.Globalization;
using Npgsql;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Demo;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The stored facts summed into <see cref="ReportSums"/> (migration 0017, <see cref="ReportQueries.LoadSumsAsync"/>) must
/// agree with the domain's <see cref="ReportSums.Of"/> over the whole ledger on a realistic year: every kind of return,
/// a COGS change, lines without cost, returns after as_of, repeat buyers, orders without buyer ids.
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
        var asOf = DateOnly.Parse(asOfText, CultureInfo.InvariantCulture);
        var period = new ReportPeriod(new DateOnly(2025, 1, 1), asOf, asOf);
        var facts = EconomicsFacts.Build(year.Ledger.Sales, year.Ledger.Returns, year.Ledger.Costs, [], Moscow);
        var expected = ReportSums.Of(period, facts, year.Ledger.AdSpend, year.Ledger.Fees);

        var actual = await new ReportQueries(year.Database.DataSource).LoadSumsAsync(year.Workspace, period);

        Same(actual.Months.ToDictionary(m => (m.Marketplace, m.Month), m => m.Lines), expected.Months.ToDictionary(m => (m.Marketplace, m.Month), m => m.Lines), "months");
        Same(actual.Skus.ToDictionary(m => (m.Marketplace, m.Sku), m => m.Lines), expected.Skus.ToDictionary(m => (m.Marketplace, m.Sku), m => m.Lines), "skus");
        Same(actual.Channels.ToDictionary(m => (m.Marketplace, m.Channel), m => m.Lines), expected.Channels.ToDictionary(m => (m.Marketplace, m.Channel), m => m.Lines), "channels");
        var stored = actual.Customers.ToDictionary(c => (c.Marketplace, c.AcquisitionChannel, c.Cohort, c.Month));
        stored.Keys.Should().BeEquivalentTo(expected.Customers.Select(c => (c.Marketplace, c.AcquisitionChannel, c.Cohort, c.Month)));
        foreach (var row in expected.Customers)
        {
            var key = (row.Marketplace, row.AcquisitionChannel, row.Cohort, row.Month);
            var got = stored[key];
            (got.NewCustomers, got.IdentifiedCustomers, got.AttributedCustomers, got.ActiveCustomers)
                .Should().Be((row.NewCustomers, row.IdentifiedCustomers, row.AttributedCustomers, row.ActiveCustomers), $"customers {key}");
            SameVector(got.FirstOrders, row.FirstOrders, $"first orders {key}");
            SameVector(got.Orders, row.Orders, $"orders {key}");
        }

        actual.Customers.Should().Contain(c => c.Orders.ReturnLoss != 0 && c.Month != c.Cohort, "repeat orders with returns are covered");
        actual.Spend.Should().OnlyContain(s => s.Date <= asOf);
        actual.Spend.Should().BeEquivalentTo(expected.Spend);
        actual.Fees.Should().BeEquivalentTo(expected.Fees);
    }

    [Fact]
    public async Task Reports_read_the_ledger_afresh_after_every_import()
    {
        var service = new ReportService(new ReportQueries(year.Database.DataSource), TimeProvider.System);
        var workspace = new SellerDesk.Data.Workspaces.WorkspaceContext(year.Workspace, "facts", "Europe/Moscow");
        // After the demo year's last day, so the other tests of this class, all as of that day or earlier, never see it.
        var request = new ReportRequest(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 30));
        var before = (await service.LoadFactsAsync(workspace, request)).Marketplaces().SingleOrDefault(m => m.Marketplace == "own_store");

        var extra = new SellerDesk.Domain.Ledger.SaleLine("own_store", "S-CACHE-1", "1", new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.FromHours(3)),
            "C-CACHE", "organic", year.Ledger.Costs[0].Sku, 1, 1000m, 0m, 100m, 0m, 0m);
        (await new LedgerImporter(year.Database.DataSource).WriteAsync(year.Workspace, new LedgerBatch { Sales = [extra] })).Errors.Should().BeEmpty();
        var after = (await service.LoadFactsAsync(workspace, request)).Marketplaces().Single(m => m.Marketplace == "own_store");

        after.Revenue.Should().Be((before?.Revenue ?? 0m) + 1000m);
        after.NewCustomers.Should().Be((before?.NewCustomers ?? 0) + 1);
    }

    private static void Same<TKey>(Dictionary<TKey, LineEconomics> actual, Dictionary<TKey, LineEconomics> expected, string because)
        where TKey : notnull
    {
        actual.Keys.Should().BeEquivalentTo(expected.Keys, because);
        foreach (var (key, value) in expected)
        {
            SameVector(actual[key], value, $"{because} {key}");
        }
    }

    /// <summary>Equal components; stored amounts keep 12 digits after the point, so sums may differ in the 10th.</summary>
    private static void SameVector(LineEconomics actual, LineEconomics expected, string because)
    {
        foreach (var property in typeof(LineEconomics).GetProperties())
        {
            var a = Convert.ToDecimal(property.GetValue(actual), CultureInfo.InvariantCulture);
            var e = Convert.ToDecimal(property.GetValue(expected), CultureInfo.InvariantCulture);
            a.Should().BeApproximately(e, 0.000_000_001m, $"{because} {property.Name}");
        }
    }

    [Fact]
    public async Task A_write_of_some_orders_shows_in_the_next_report_as_in_a_fresh_service()
    {
        // "Today" is in December 2026, after the demo year and after every other test's dates in this class.
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 15, 12, 0, 0, TimeSpan.FromHours(3)));
        var queries = new ReportQueries(year.Database.DataSource);
        var service = new ReportService(queries, clock);
        var workspace = new SellerDesk.Data.Workspaces.WorkspaceContext(year.Workspace, "facts", "Europe/Moscow");
        var request = new ReportRequest(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        var before = await service.LoadFactsAsync(workspace, request);

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

        var patched = await service.LoadFactsAsync(workspace, request);
        var afresh = await new ReportService(queries, clock).LoadFactsAsync(workspace, request);

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
        await service.LoadFactsAsync(workspace, request);

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

        var patched = await service.LoadFactsAsync(workspace, request);
        var afresh = await new ReportService(queries, clock).LoadFactsAsync(workspace, request);

        patched.Marketplaces().Should().BeEquivalentTo(afresh.Marketplaces());
        patched.Channels().Should().BeEquivalentTo(afresh.Channels());
        patched.Cohorts().Should().BeEquivalentTo(afresh.Cohorts());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
