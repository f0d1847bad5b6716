using Npgsql;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Ingestion.Demo;
using SellerDesk.Ingestion.Files;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The SQL that sums order lines (docs/decisions/0004) must agree with the domain's line rules on a realistic year:
/// every kind of return, a COGS change, lines without cost, returns after as_of.
/// </summary>
public sealed class OrderFactsMatchTheDomainTests(OrderFactsMatchTheDomainTests.DemoYear year) : IClassFixture<OrderFactsMatchTheDomainTests.DemoYear>
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
    public async Task The_database_computes_the_same_order_facts_as_the_domain(string asOfText)
    {
        var asOf = DateOnly.Parse(asOfText, System.Globalization.CultureInfo.InvariantCulture);
        var expected = OrderFactBuilder.Build(year.Ledger.Sales, year.Ledger.Returns, year.Ledger.Costs, Moscow, asOf)
            .ToDictionary(o => (o.Marketplace, o.OrderId));

        var inputs = await new ReportQueries(year.Database.DataSource).LoadInputsAsync(year.Workspace, "Europe/Moscow", asOf);

        inputs.Orders.Should().HaveCount(expected.Count);
        var mismatches = inputs.Orders
            .Select(actual => (actual, expected: expected[(actual.Marketplace, actual.OrderId)]))
            .Where(pair => !Same(pair.actual, pair.expected))
            .Select(pair => $"{pair.actual} <> {pair.expected}")
            .Take(5)
            .ToList();
        mismatches.Should().BeEmpty();
        inputs.Orders.Should().Contain(o => o.ReturnLoss != 0 && o.CogsMissingLines == 0);
        inputs.Spend.Should().OnlyContain(s => s.Date <= asOf);
    }

    /// <summary>Equal to 10 decimal places: PostgreSQL numeric division keeps fewer digits than decimal.</summary>
    private static bool Same(OrderFact a, OrderFact b) =>
        a.Marketplace == b.Marketplace && a.OrderId == b.OrderId && a.CustomerId == b.CustomerId && a.Channel == b.Channel
        && a.OrderedAt == b.OrderedAt && a.LocalDate == b.LocalDate
        && a.Quantity == b.Quantity && a.ReturnedUnits == b.ReturnedUnits && a.CogsMissingLines == b.CogsMissingLines
        && Math.Round(a.Revenue - b.Revenue, 10) == 0 && Math.Round(a.NetRevenue - b.NetRevenue, 10) == 0
        && Math.Round(a.ContributionMargin - b.ContributionMargin, 10) == 0 && Math.Round(a.ReturnLoss - b.ReturnLoss, 10) == 0;
}
