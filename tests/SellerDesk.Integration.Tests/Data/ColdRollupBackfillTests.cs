using System.Globalization;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Tests;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// Migrations 0026, 0028 and 0029 fill their rollups for ledgers written before them from the day rollups. What each fills
/// equals, row for row and digit for digit, what the facts refresh writes for the same ledger: an installation that
/// upgrades gets the figures a new one would.
/// </summary>
public sealed class ColdRollupBackfillTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Marker = "-- Ledgers written before this migration.";

    /// <summary>What a ledger written before a migration lacks: the rows of its new tables, or its new column's values.</summary>
    private const string NoRows = "DELETE FROM {0}";

    [Theory]
    // A ledger written before 0026 has none of its rows, nor 0029's column: both backfills run, in order.
    [InlineData(
        "0026_cold_report_rollups 0029_channel_totals_last_effect",
        NoRows + "; ALTER TABLE fact_channel_totals ALTER COLUMN last_effect DROP NOT NULL",
        new[] { "fact_sku_months", "fact_customer_months", "fact_customer_count_months", "fact_channel_totals", "fact_claim_days" })]
    [InlineData("0028_sku_day_blocks", NoRows, new[] { "fact_sku_blocks" })]
    [InlineData(
        "0029_channel_totals_last_effect",
        "ALTER TABLE {0} ALTER COLUMN last_effect DROP NOT NULL; UPDATE {0} SET last_effect = NULL",
        new[] { "fact_channel_totals" })]
    public async Task The_migrations_backfill_equals_what_the_facts_refresh_writes(string migrations, string before, string[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var ledger = RandomLedger.Generate(13);
        var workspace = await database.NewWorkspaceAsync("backfill " + migrations);
        await database.WriteLedgerAsync(workspace, new LedgerBatch { Sales = ledger.Sales, Costs = ledger.Costs });
        await database.WriteLedgerAsync(workspace, new LedgerBatch
        {
            Returns = ledger.Returns, Attribution = [.. ledger.Attribution.Where(a => a.Marketplace != "own_store")],
        });

        await using var connection = await database.DataSource.OpenConnectionAsync();
        foreach (var table in tables)
        {
            (await CountAsync(connection, $"SELECT count(*) FROM {table}")).Should().BeGreaterThan(0, $"{table} holds the refresh's rows");
            await ExecuteAsync(connection, $"CREATE TEMP TABLE written_{table} AS SELECT * FROM {table}");
            await ExecuteAsync(connection, string.Format(CultureInfo.InvariantCulture, before, table));
        }

        foreach (var migration in migrations.Split(' '))
        {
            await ExecuteAsync(connection, BackfillSql(migration));
        }

        foreach (var table in tables)
        {
            // As text: the same values with the same decimal places.
            var differences = await CountAsync(
                connection,
                $"""
                SELECT count(*) FROM (
                    (SELECT row_to_json(t)::text FROM {table} AS t EXCEPT ALL SELECT row_to_json(w)::text FROM written_{table} AS w)
                    UNION ALL
                    (SELECT row_to_json(w)::text FROM written_{table} AS w EXCEPT ALL SELECT row_to_json(t)::text FROM {table} AS t)
                ) AS d
                """);
            differences.Should().Be(0, $"{table} backfilled equals {table} written by the refresh");
        }
    }

    /// <summary>The statements of the migration after its marker: the backfill of ledgers written before it.</summary>
    private static string BackfillSql(string migration)
    {
        using var stream = typeof(Migrator).Assembly.GetManifestResourceStream($"SellerDesk.Data.Migrations.{migration}.sql")
            ?? throw new InvalidOperationException($"Migration {migration} is not embedded.");
        using var reader = new StreamReader(stream);
        var sql = reader.ReadToEnd();
        var start = sql.IndexOf(Marker, StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the migration marks where its backfill starts");
        return sql[start..];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
