using System.Globalization;
using Npgsql;
using SellerDesk.Data.Facts;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Tests;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The facts refresh reads the lines of the days a write touched through the BRIN index on <c>sales_lines
/// (ordered_at)</c> (migration 0030) when the ledger is stored about in date order, and by the ledger's key when it is
/// not, or when the days' ranges would read many more lines than the days' orders (<see cref="LineFactStore.DayRangesAsync"/>,
/// which gives the days' time ranges, or none). Either way the stored facts are the domain's. That a write read through
/// the BRIN is taken from PostgreSQL's own count of its scans.
/// </summary>
public sealed class DayLinesByDateTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public DayLinesByDateTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task A_restated_day_is_read_by_date_only_from_a_ledger_stored_in_date_order_and_the_facts_are_the_domains_either_way()
    {
        await ExecuteAsync("ALTER TABLE sales_lines SET (autovacuum_enabled = false)");

        // Written ten days at a time in date order, as daily pulls fill a ledger: the heap is in date order.
        var ledger = StoredFactsMatchTheDomainTests.Ledger(41, orders: 900);
        var inOrder = await _database.NewWorkspaceAsync("dated");
        await WriteInBatchesAsync(inOrder, ledger, Batches(ledger.Sales).OrderBy(b => b.Key));
        await ExecuteAsync("ANALYZE sales_lines");
        (await CorrelationAsync()).Should().BeGreaterThan(0.9, "the ledger was written in date order");

        var restated = await RestateADayAsync(inOrder, ledger.Sales);
        restated.ScansAfter.Should().BeGreaterThan(restated.ScansBefore, "a day of a ledger stored in date order is read by date");
        (await RangesAsync(dayOrders: 50, new DateOnly(2026, 1, 10), new DateOnly(2026, 1, 11), new DateOnly(2026, 1, 20))).Should().Equal(
            [(new DateTime(2026, 1, 9, 21, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 11, 21, 0, 0, DateTimeKind.Utc)),
             (new DateTime(2026, 1, 19, 21, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 20, 21, 0, 0, DateTimeKind.Utc))],
            "consecutive days are one range, from midnight to midnight in Moscow");

        // Twenty days hold about 200 lines of this ledger (900 orders of 1-3 lines in 180 days): more than 20 for one
        // order, fewer than 20 for each of 50.
        var twentyDays = Enumerable.Range(0, 20).Select(i => new DateOnly(2026, 1, 1).AddDays(i)).ToArray();
        (await RangesAsync(dayOrders: 1, twentyDays)).Should().BeNull("the ranges would read more lines than the days' orders are worth");
        (await RangesAsync(dayOrders: 50, twentyDays)).Should().HaveCount(1);
        await StoredFactsMatchTheDomainTests.ExpectSameSumsAsync(
            _database, inOrder, restated.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, ledger.Spend, ledger.Fees, 41);

        // The same ledger three times more, in batches of 30 days shuffled twice and once from the last: most of the
        // heap is now out of date order.
        foreach (var seed in new[] { 42, 43 })
        {
            var shuffled = new Random(seed);
            await WriteInBatchesAsync(await _database.NewWorkspaceAsync("shuffled"), ledger, Batches(ledger.Sales, days: 30).OrderBy(_ => shuffled.Next()));
        }

        var outOfOrder = await _database.NewWorkspaceAsync("shuffled");
        await WriteInBatchesAsync(outOfOrder, ledger, Batches(ledger.Sales, days: 30).OrderBy(b => -b.Key));
        await ExecuteAsync("ANALYZE sales_lines");
        (await CorrelationAsync()).Should().BeLessThan(0.9, "most of the ledger was written out of date order");

        var byKey = await RestateADayAsync(outOfOrder, ledger.Sales);
        (await RangesAsync(dayOrders: 50, new DateOnly(2026, 1, 10))).Should().BeNull("a ledger out of date order is read by key");
        byKey.ScansAfter.Should().Be(byKey.ScansBefore, "nor through the date index");
        await StoredFactsMatchTheDomainTests.ExpectSameSumsAsync(
            _database, outOfOrder, byKey.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, ledger.Spend, ledger.Fees, 44);
    }

    /// <summary>The sales in batches of <paramref name="days"/> local days, keyed by the batch's number.</summary>
    private static IEnumerable<IGrouping<int, SaleLine>> Batches(IReadOnlyList<SaleLine> sales, int days = 10) =>
        sales.GroupBy(s => (LocalDates.Of(s.OrderedAt, RandomLedger.Moscow).DayNumber - RandomLedger.FirstDay.DayNumber) / days);

    private async Task WriteInBatchesAsync(Guid workspace, RandomLedger ledger, IEnumerable<IGrouping<int, SaleLine>> batches)
    {
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Costs = ledger.Costs });
        foreach (var batch in batches)
        {
            await _database.WriteLedgerAsync(workspace, new LedgerBatch { Sales = [.. batch] });
        }

        await _database.WriteLedgerAsync(workspace, new LedgerBatch
        {
            Returns = ledger.Returns, AdSpend = ledger.Spend, Fees = ledger.Fees, Attribution = ledger.Attribution,
        });
    }

    /// <summary>
    /// Writes the lines of the ledger's busiest day again with 10.00 more revenue each, as a restated day's file or
    /// pull; returns the ledger's sales after it and the date index's scans counted before and after it.
    /// </summary>
    private async Task<(IReadOnlyList<SaleLine> Sales, long ScansBefore, long ScansAfter)> RestateADayAsync(Guid workspace, IReadOnlyList<SaleLine> sales)
    {
        var day = sales.GroupBy(s => LocalDates.Of(s.OrderedAt, RandomLedger.Moscow)).MaxBy(g => g.Count())!.Key;
        var restated = sales.Select(s => LocalDates.Of(s.OrderedAt, RandomLedger.Moscow) == day ? s with { Revenue = s.Revenue + 10m } : s).ToList();
        var before = await SettledScansAsync();
        await _database.WriteLedgerAsync(workspace, new LedgerBatch { Sales = [.. restated.Where(s => LocalDates.Of(s.OrderedAt, RandomLedger.Moscow) == day)] });
        return (restated, before, await SettledScansAsync());
    }

    /// <summary>
    /// The date index's scans by every other session so far. A session reports its counts to PostgreSQL's statistics
    /// up to 10 s late, but always when it ends: the pool's idle sessions are closed first, and the count is read once
    /// it has stayed the same for a second.
    /// </summary>
    private async Task<long> SettledScansAsync()
    {
        _database.DataSource.Clear();
        var scans = await ScansAsync();
        for (var i = 0; i < 30; i++)
        {
            await Task.Delay(1000);
            var again = await ScansAsync();
            if (again == scans)
            {
                return scans;
            }

            scans = again;
        }

        throw new TimeoutException("the date index's scan count did not settle in 30 s");
    }

    private async Task<long> ScansAsync()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname = 'ix_sales_lines_ordered_at_brin'", connection);
        var scans = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        await connection.CloseAsync();
        return scans;
    }

    /// <summary>
    /// What the refresh would read by date for these days (all of one marketplace) with <paramref name="dayOrders"/>
    /// orders, in a transaction rolled back.
    /// </summary>
    private async Task<List<(DateTime From, DateTime To)>?> RangesAsync(long dayOrders, params DateOnly[] days)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE lf_days ON COMMIT DROP AS SELECT 'ozon'::text AS marketplace, d AS order_date FROM unnest($1::date[]) AS d", connection))
        {
            create.Parameters.Add(new NpgsqlParameter { Value = days });
            await create.ExecuteNonQueryAsync();
        }

        var ranges = await LineFactStore.DayRangesAsync(connection, "Europe/Moscow", dayOrders, CancellationToken.None);
        await transaction.RollbackAsync();
        return ranges;
    }

    private async Task<double> CorrelationAsync()
    {
        await using var command = _database.DataSource.CreateCommand(
            "SELECT coalesce(max(abs(correlation)), 0) FROM pg_stats WHERE tablename = 'sales_lines' AND attname = 'ordered_at'");
        return Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
