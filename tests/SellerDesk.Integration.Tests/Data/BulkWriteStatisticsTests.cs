using Npgsql;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Tests;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// A bulk write into a ledger whose tables were analyzed while empty refreshes their statistics inside its own
/// transaction, before the facts are read back by key: planned on "empty" statistics, the facts' key joins became
/// nested loops over a marketplace's whole index, quadratic in the write (a 100,000-line import ran for more than
/// 13 minutes; docs/benchmarks.md). Small writes leave the statistics alone. Autovacuum is off on these tables here,
/// so only the writer can have analyzed them.
/// </summary>
public sealed class BulkWriteStatisticsTests : IClassFixture<TestDatabase>
{
    private static readonly string[] Tables = ["sales_lines", "returns", "line_facts", "line_return_facts", "customer_order_facts"];
    private readonly TestDatabase _database;

    public BulkWriteStatisticsTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task A_bulk_write_into_tables_analyzed_while_empty_leaves_them_with_statistics_of_what_it_wrote()
    {
        foreach (var table in Tables)
        {
            await ExecuteAsync($"ALTER TABLE {table} SET (autovacuum_enabled = false)");
        }

        // A small write first (statistics stay as they are), then everything analyzed while nearly empty.
        var small = RandomLedger.Generate(5, orders: 60);
        await _database.WriteLedgerAsync(await _database.NewWorkspaceAsync("bulk"), new LedgerBatch { Costs = small.Costs, Sales = small.Sales });
        await ExecuteAsync("ANALYZE " + string.Join(", ", Tables));
        var before = await TuplesAsync();
        before["line_facts"].Should().BeLessThan(200);

        var again = RandomLedger.Generate(6, orders: 60);
        await _database.WriteLedgerAsync(await _database.NewWorkspaceAsync("bulk"), new LedgerBatch { Costs = again.Costs, Sales = again.Sales, Returns = again.Returns });
        (await TuplesAsync()).Should().BeEquivalentTo(before, "a write of 60 orders is not worth an ANALYZE");

        // 1,500 orders: a small seller's first file. Planned on the "empty" statistics, a first import of 4,970 lines
        // spent 2.7 s reading its own lines back (docs/benchmarks.md, "A small first import").
        var bulk = RandomLedger.Generate(7, orders: 1_500);
        await _database.WriteLedgerAsync(await _database.NewWorkspaceAsync("bulk"), new LedgerBatch { Costs = bulk.Costs, Sales = bulk.Sales, Returns = bulk.Returns });

        var after = await TuplesAsync();
        var lines = await CountAsync("sales_lines");
        after["sales_lines"].Should().BeGreaterThan(lines / 2);
        after["line_facts"].Should().BeGreaterThan(await CountAsync("line_facts") / 2);
        after["customer_order_facts"].Should().BeGreaterThan(await CountAsync("customer_order_facts") / 2);
    }

    private async Task<Dictionary<string, double>> TuplesAsync()
    {
        var tuples = new Dictionary<string, double>();
        foreach (var table in Tables)
        {
            await using var command = _database.DataSource.CreateCommand("SELECT reltuples FROM pg_class WHERE oid = $1::regclass");
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            tuples[table] = Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return tuples;
    }

    private async Task<double> CountAsync(string table)
    {
        await using var command = _database.DataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
