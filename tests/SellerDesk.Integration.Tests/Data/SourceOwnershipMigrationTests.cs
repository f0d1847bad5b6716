using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// Migration 0010 gives the rows already in a ledger their source (decision 0010): an order to the connection whose
/// source rows feed it (the one that pulled last when two claim it), a fee or a pulled ad channel on a date to the
/// connection with source rows on that date, everything else to files; and run history outlives its connection.
/// </summary>
public sealed class SourceOwnershipMigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string File = "00000000-0000-0000-0000-000000000000";

    [Fact]
    public async Task Rows_in_the_ledger_before_0010_belong_to_the_connection_that_pulled_them_and_the_rest_to_files()
    {
        var name = database.Name + "_m10";
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        try
        {
            await using var source = NpgsqlDataSource.Create(TestDatabase.WithDatabase(name));
            await using (var session = await source.OpenConnectionAsync())
            {
                await ExecuteAsync(session, "CREATE TABLE schema_migrations (version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                foreach (var (version, sql) in Migrator.Scripts.Where(s => string.CompareOrdinal(s.Version, "0010") < 0))
                {
                    await ExecuteAsync(session, sql);
                    await ExecuteAsync(session, $"INSERT INTO schema_migrations (version, checksum) VALUES ('{version}', '{Checksum(sql)}')");
                }

                await ExecuteAsync(session, """
                    INSERT INTO workspaces (id, name) VALUES ('11111111-0000-0000-0000-000000000001', 'before 0010');
                    INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES
                        ('aaaaaaaa-0000-0000-0000-000000000001', '11111111-0000-0000-0000-000000000001', 'sandbox', 'Shop A', 'p'),
                        ('bbbbbbbb-0000-0000-0000-000000000002', '11111111-0000-0000-0000-000000000001', 'sandbox', 'Shop B', 'p');
                    INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to, finished_at) VALUES
                        ('cccccccc-0000-0000-0000-000000000001', '11111111-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001', 'manual', 'succeeded', '2026-03-01', '2026-03-02', '2026-03-03 10:00Z'),
                        ('cccccccc-0000-0000-0000-000000000002', '11111111-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002', 'manual', 'succeeded', '2026-03-02', '2026-03-02', '2026-03-03 11:00Z');
                    INSERT INTO source_rows (connection_id, feed, source_id, workspace_id, order_key, business_date, payload, needs_derivation) VALUES
                        ('aaaaaaaa-0000-0000-0000-000000000001', 'sandbox.orders', 'O1', '11111111-0000-0000-0000-000000000001', 'O1', '2026-03-01', '{}', false),
                        ('aaaaaaaa-0000-0000-0000-000000000001', 'sandbox.orders', 'O2', '11111111-0000-0000-0000-000000000001', 'O2', '2026-03-02', '{}', false),
                        ('bbbbbbbb-0000-0000-0000-000000000002', 'sandbox.orders', 'O2', '11111111-0000-0000-0000-000000000001', 'O2', '2026-03-02', '{}', false),
                        ('aaaaaaaa-0000-0000-0000-000000000001', 'sandbox.fees', '2026-03-01:storage', '11111111-0000-0000-0000-000000000001', NULL, '2026-03-01', '{}', false),
                        ('bbbbbbbb-0000-0000-0000-000000000002', 'sandbox.fees', '2026-03-02:storage', '11111111-0000-0000-0000-000000000001', NULL, '2026-03-02', '{}', false);
                    INSERT INTO sales_lines (workspace_id, marketplace, order_id, line_id, ordered_at, channel, sku, quantity, revenue, commission, logistics, acquiring, other_fees) VALUES
                        ('11111111-0000-0000-0000-000000000001', 'sandbox', 'O1', 'O1-1', '2026-03-01 09:00Z', 'organic', 'MUG', 1, 100, 10, 5, 1, 0),
                        ('11111111-0000-0000-0000-000000000001', 'sandbox', 'O2', 'O2-1', '2026-03-02 09:00Z', 'organic', 'MUG', 1, 100, 10, 5, 1, 0),
                        ('11111111-0000-0000-0000-000000000001', 'sandbox', 'O3', 'O3-1', '2026-03-02 10:00Z', 'organic', 'MUG', 1, 100, 10, 5, 1, 0),
                        ('11111111-0000-0000-0000-000000000001', 'wildberries', 'O1', 'O1-1', '2026-03-01 09:00Z', 'organic', 'MUG', 1, 100, 10, 5, 1, 0);
                    INSERT INTO returns (workspace_id, marketplace, order_id, line_id, return_id, returned_at, quantity, refund, commission_refund, return_logistics, restockable) VALUES
                        ('11111111-0000-0000-0000-000000000001', 'sandbox', 'O1', 'O1-1', 'R1', '2026-03-02 12:00Z', 1, 100, 10, 50, true);
                    INSERT INTO period_fees (workspace_id, date, marketplace, kind, amount) VALUES
                        ('11111111-0000-0000-0000-000000000001', '2026-03-01', 'sandbox', 'storage', 120),
                        ('11111111-0000-0000-0000-000000000001', '2026-03-02', 'sandbox', 'storage', 130),
                        ('11111111-0000-0000-0000-000000000001', '2026-03-03', 'sandbox', 'storage', 140),
                        ('11111111-0000-0000-0000-000000000001', '2026-03-01', 'wildberries', 'storage', 150);
                    INSERT INTO ad_spend (workspace_id, date, marketplace, channel, amount) VALUES
                        ('11111111-0000-0000-0000-000000000001', '2026-03-01', 'sandbox', 'sandbox_ads', 900),
                        ('11111111-0000-0000-0000-000000000001', '2026-03-01', 'sandbox', 'vk_ads', 300);
                    """);
            }

            (await new Migrator(source, NullLogger<Migrator>.Instance).MigrateAsync()).Should().BeGreaterThanOrEqualTo(1);

            await using var check = await source.OpenConnectionAsync();
            (await ListAsync(check, "SELECT marketplace || '/' || order_id || '=' || source FROM sales_lines ORDER BY 1")).Should().Equal(
                $"sandbox/O1=aaaaaaaa-0000-0000-0000-000000000001",
                $"sandbox/O2=bbbbbbbb-0000-0000-0000-000000000002",
                $"sandbox/O3={File}",
                $"wildberries/O1={File}");
            (await ListAsync(check, "SELECT order_id || '=' || source FROM returns")).Should().Equal("O1=aaaaaaaa-0000-0000-0000-000000000001");
            (await ListAsync(check, "SELECT marketplace || '/' || date || '=' || source FROM period_fees ORDER BY 1")).Should().Equal(
                "sandbox/2026-03-01=aaaaaaaa-0000-0000-0000-000000000001",
                "sandbox/2026-03-02=bbbbbbbb-0000-0000-0000-000000000002",
                $"sandbox/2026-03-03={File}",
                $"wildberries/2026-03-01={File}");
            (await ListAsync(check, "SELECT channel || '=' || source FROM ad_spend ORDER BY 1")).Should().Equal(
                "sandbox_ads=aaaaaaaa-0000-0000-0000-000000000001",
                $"vk_ads={File}");

            await ExecuteAsync(check, "DELETE FROM connections WHERE id = 'aaaaaaaa-0000-0000-0000-000000000001'");
            (await ListAsync(check, "SELECT coalesce(connection_id::text, '-') || ' ' || connection_name || ' ' || marketplace FROM pull_runs ORDER BY id")).Should().Equal(
                "- Shop A sandbox",
                "bbbbbbbb-0000-0000-0000-000000000002 Shop B sandbox");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString);
            await admin.OpenAsync();
            await TestDatabase.DropAsync(admin, name);
        }
    }

    private static string Checksum(string sql) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    private static async Task ExecuteAdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection session, string sql)
    {
        await using var command = new NpgsqlCommand(sql, session);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection session, string sql)
    {
        await using var command = new NpgsqlCommand(sql, session);
        var list = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
