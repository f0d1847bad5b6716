using Npgsql;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Files;

/// <summary>Migrations 0005 and 0009: the key text columns of sales_lines, returns, source_rows and pull_staging compare byte-wise, and keys of default-collation text still find rows through the primary key.</summary>
public sealed class LedgerKeyCollationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_key_text_columns_of_sales_lines_and_returns_use_the_C_collation()
    {
        (await TextColumnsAsync("sales_lines", "returns")).Should().Equal(
            "returns.marketplace C", "returns.order_id C", "returns.line_id C", "returns.return_id C", "returns.reason default",
            "returns.import_file default",
            "sales_lines.marketplace C", "sales_lines.order_id C", "sales_lines.line_id C",
            "sales_lines.customer_id default", "sales_lines.channel default", "sales_lines.sku default",
            "sales_lines.import_file default");
    }

    [Fact]
    public async Task The_key_text_columns_of_source_rows_and_pull_staging_use_the_C_collation()
    {
        (await TextColumnsAsync("source_rows", "pull_staging")).Should().Equal(
            "pull_staging.feed C", "pull_staging.source_id C", "pull_staging.order_key C", "pull_staging.payload default",
            "source_rows.feed C", "source_rows.source_id C", "source_rows.order_key C", "source_rows.payload default");
    }

    /// <summary>"table.column collation" of every text column of the tables, in table and column order.</summary>
    private async Task<List<string>> TextColumnsAsync(params string[] tables)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT table_name || '.' || column_name || ' ' || coalesce(collation_name, 'default')
            FROM information_schema.columns
            WHERE table_name = ANY($1) AND data_type = 'text'
            ORDER BY table_name, ordinal_position
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tables });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    [Fact]
    public async Task A_join_from_default_collation_text_uses_the_primary_key()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(
            """
            CREATE TEMP TABLE probe (marketplace text, order_id text, line_id text) ON COMMIT DROP;
            SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off;
            EXPLAIN SELECT l.line_id FROM probe AS p
            JOIN sales_lines AS l ON l.workspace_id = gen_random_uuid() AND l.marketplace = p.marketplace
                AND l.order_id = p.order_id AND l.line_id = p.line_id
            """,
            connection,
            transaction);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        plan.Should().Contain(line => line.Contains("Index", StringComparison.Ordinal) && line.Contains("sales_lines_pkey", StringComparison.Ordinal));
    }
}
