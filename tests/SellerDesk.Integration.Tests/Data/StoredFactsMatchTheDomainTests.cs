using System.Globalization;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Tests;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The facts the ledger's writers store (migration 0017) summed in PostgreSQL give exactly the domain's
/// <see cref="ReportSums.Of"/> of the same ledger held in memory, for several periods and as_of values: after one
/// write of a whole random ledger, and after the same ledger written piece by piece (attribution rows arriving after
/// their orders, later orders changing customers' first orders, returns and costs afterwards, restated attribution),
/// and after returns written alone (which rewrite nothing but their orders' return effects and rollups).
/// </summary>
public sealed class StoredFactsMatchTheDomainTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public StoredFactsMatchTheDomainTests(TestDatabase database) => _database = database;

    [Theory]
    [InlineData(11)]
    [InlineData(29)]
    public async Task One_write_of_a_random_ledger_stores_the_facts_the_domain_computes(int seed)
    {
        var ledger = Ledger(seed);
        var workspace = await _database.NewWorkspaceAsync("random");

        await _database.WriteLedgerAsync(workspace, new LedgerBatch
        {
            Costs = ledger.Costs, Sales = ledger.Sales, Returns = ledger.Returns, AdSpend = ledger.Spend, Fees = ledger.Fees, Attribution = ledger.Attribution,
        });

        await ExpectSameSumsAsync(_database, workspace, ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, ledger.Spend, ledger.Fees, seed);
    }

    [Fact]
    public async Task A_random_ledger_written_piece_by_piece_and_restated_stores_the_same_facts()
    {
        var ledger = Ledger(7);
        var workspace = await _database.NewWorkspaceAsync("random");
        var middle = RandomLedger.FirstDay.AddDays(90);
        var late = ledger.Sales.Where(s => LocalDates.Of(s.OrderedAt, RandomLedger.Moscow) >= middle).ToList();
        var early = ledger.Sales.Except(late).ToList();

        // Later orders first: the earlier ones, written next, become their customers' first orders.
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Sales = late });
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Attribution = ledger.Attribution });
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Sales = early });
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Returns = ledger.Returns, AdSpend = ledger.Spend, Fees = ledger.Fees });
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Costs = ledger.Costs });
        await ExpectSameSumsAsync(_database, workspace, ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, ledger.Spend, ledger.Fees, 7);

        // Restated attribution: other order counts for a third of the rows.
        var restated = ledger.Attribution.Select((a, i) => i % 3 == 0 ? a with { Orders = (a.Orders + 2) % 5 } : a).ToList();
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Attribution = restated });
        await ExpectSameSumsAsync(_database, workspace, ledger.Sales, ledger.Returns, ledger.Costs, restated, ledger.Spend, ledger.Fees, 8);
    }

    [Fact]
    public async Task Returns_written_alone_rewrite_their_orders_return_effects_and_nothing_else_and_the_sums_still_equal_the_domain()
    {
        var ledger = Ledger(13);
        var workspace = await _database.NewWorkspaceAsync("random");
        await _database.WriteLedgerAsync(workspace, new LedgerBatch
        {
            Costs = ledger.Costs, Sales = ledger.Sales, AdSpend = ledger.Spend, Fees = ledger.Fees, Attribution = ledger.Attribution,
        });
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Returns = [.. ledger.Returns.Where((_, i) => i % 2 == 0)] });
        var before = await RowVersionsAsync(workspace);

        // The other half, and a third of the first half again with another refund (a restated returns file).
        var restated = ledger.Returns.Select((r, i) => i % 6 == 0 ? r with { Refund = Math.Round(r.Refund / 2, 2) } : r).ToList();
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Returns = restated });

        (await RowVersionsAsync(workspace)).Should().Equal(before, "a write of returns alone rewrites no sale fact, customer fact or claim");
        await ExpectSameSumsAsync(_database, workspace, ledger.Sales, restated, ledger.Costs, ledger.Attribution, ledger.Spend, ledger.Fees, 13);
    }

    /// <summary>Every sale fact, customer fact and claim of the workspace with the transaction that wrote it (xmin).</summary>
    private async Task<List<string>> RowVersionsAsync(Guid workspace)
    {
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT 'line ' || marketplace || ' ' || order_id || ' ' || line_id || ' ' || xmin::text FROM line_facts WHERE workspace_id = $1",
            "SELECT 'order ' || marketplace || ' ' || order_id || ' ' || xmin::text FROM customer_order_facts WHERE workspace_id = $1",
            "SELECT 'claim ' || date || ' ' || marketplace || ' ' || channel || ' ' || sku || ' ' || xmin::text FROM attribution_claims WHERE workspace_id = $1",
        })
        {
            await using var command = _database.DataSource.CreateCommand(sql);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = workspace });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        rows.Should().NotBeEmpty();
        return rows;
    }

    /// <summary>A random ledger; its attribution rows name only marketplaces the ledger accepts them for (not own_store).</summary>
    internal static RandomLedger Ledger(int seed, int orders = 300)
    {
        var ledger = RandomLedger.Generate(seed, orders);
        return ledger with { Attribution = [.. ledger.Attribution.Where(a => a.Marketplace != "own_store")] };
    }

    /// <summary>
    /// The stored facts of <paramref name="workspace"/> summed by <see cref="ReportQueries.LoadSumsAsync"/> equal the
    /// domain's <see cref="ReportSums.Of"/> of the given ledger, for the whole span, the month rollups' periods and
    /// random ones.
    /// </summary>
    internal static async Task ExpectSameSumsAsync(
        TestDatabase database,
        Guid workspace,
        IReadOnlyList<SaleLine> sales,
        IReadOnlyList<ReturnEvent> returns,
        IReadOnlyList<UnitCost> costs,
        IReadOnlyList<AttributionRow> attribution,
        IReadOnlyList<AdSpend> spend,
        IReadOnlyList<PeriodFee> fees,
        int seed)
    {
        var facts = EconomicsFacts.Build(sales, returns, costs, attribution, RandomLedger.Moscow);
        var queries = new ReportQueries(database.DataSource);
        var random = new Random(seed);
        List<ReportPeriod> periods =
        [
            new(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay),
            new(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay.AddDays(60)),
            new(RandomLedger.FirstDay.AddDays(30), RandomLedger.FirstDay.AddDays(120), RandomLedger.FirstDay.AddDays(75)),

            // The month rollups (migration 0026, MonthReads): whole months alone; a partial first month and as_of
            // early in a later month; one month with effects up to a month-end as_of two months on; as_of on the
            // last day of a month inside the period; a period ending late in a month with as_of late in the next; a
            // period of two partial months; a period inside one month (the days alone).
            new(new DateOnly(2025, 11, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 31)),
            new(new DateOnly(2025, 11, 15), new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 10)),
            new(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), new DateOnly(2026, 3, 31)),
            new(new DateOnly(2025, 12, 1), new DateOnly(2026, 4, 20), new DateOnly(2026, 2, 28)),
            new(new DateOnly(2025, 11, 15), new DateOnly(2026, 2, 25), new DateOnly(2026, 3, 27)),
            new(new DateOnly(2025, 11, 15), new DateOnly(2025, 12, 20), new DateOnly(2025, 12, 20)),
            new(new DateOnly(2026, 1, 10), new DateOnly(2026, 1, 20), new DateOnly(2026, 2, 27)),

            // The day before the last return: the channel rows must leave out the effects of that one later day.
            new(RandomLedger.FirstDay, RandomLedger.LastDay, returns.Max(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.ReturnedAt, RandomLedger.Moscow).DateTime)).AddDays(-1)),
            .. Enumerable.Range(0, 4).Select(_ => RandomLedger.Period(random)),
        ];
        ReportSums.Of(periods[0], facts, spend, fees).Customers.Should().Contain(c => c.AttributedCustomers > 0, "the ledger attributes customers");
        foreach (var period in periods)
        {
            var expected = ReportSums.Of(period, facts, spend, fees);

            var actual = await queries.LoadSumsAsync(workspace, period);

            var because = $"as of {period.AsOf:yyyy-MM-dd}, {period.From:yyyy-MM-dd} to {period.To:yyyy-MM-dd}";
            Same(actual.Skus.ToDictionary(s => (s.Marketplace, s.Sku), s => s.Lines), expected.Skus.ToDictionary(s => (s.Marketplace, s.Sku), s => s.Lines), because + " skus");
            Same(actual.Months.ToDictionary(s => (s.Marketplace, s.Month), s => s.Lines), expected.Months.ToDictionary(s => (s.Marketplace, s.Month), s => s.Lines), because + " months");
            Same(actual.Days.ToDictionary(s => (s.Marketplace, s.Date), s => s.Lines), expected.Days.ToDictionary(s => (s.Marketplace, s.Date), s => s.Lines), because + " days");
            Same(actual.Channels.ToDictionary(s => (s.Marketplace, s.Channel), s => s.Lines), expected.Channels.ToDictionary(s => (s.Marketplace, s.Channel), s => s.Lines), because + " channels");
            var actualCustomers = actual.Customers.ToDictionary(c => (c.Marketplace, c.AcquisitionChannel, c.Cohort, c.Month));
            var expectedCustomers = expected.Customers.ToDictionary(c => (c.Marketplace, c.AcquisitionChannel, c.Cohort, c.Month));
            actualCustomers.Keys.Should().BeEquivalentTo(expectedCustomers.Keys, because + " customers");
            foreach (var (key, row) in expectedCustomers)
            {
                var stored = actualCustomers[key];
                (stored.NewCustomers, stored.IdentifiedCustomers, stored.AttributedCustomers, stored.ActiveCustomers)
                    .Should().Be((row.NewCustomers, row.IdentifiedCustomers, row.AttributedCustomers, row.ActiveCustomers), $"{because} customers {key}");
                SameVector(stored.FirstOrders, row.FirstOrders, $"{because} first orders {key}");
                SameVector(stored.Orders, row.Orders, $"{because} orders {key}");
            }

            actual.Attribution.Should().BeEquivalentTo(expected.Attribution, because + " attribution");
            actual.Spend.Should().BeEquivalentTo(expected.Spend, because);
            actual.Fees.Should().BeEquivalentTo(expected.Fees, because);
        }
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
}
