using Microsoft.Extensions.Logging.Abstractions;
using SellerDesk.Data;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>Migration 0011 (issue 9, point 3): the tables Quartz left behind go, and nothing else does.</summary>
public sealed class QuartzTablesDroppedTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Migration = "0011_drop_quartz";

    [Fact]
    public async Task Migration_0011_drops_every_table_quartz_left_and_nothing_else()
    {
        Migrator.Scripts.Select(s => s.Version).Should().Contain(Migration);

        // A database as Quartz's store left it (its tables reference each other), before 0011 ran.
        await ExecuteAsync(
            """
            CREATE TABLE qrtz_job_details (sched_name text, job_name text, job_group text, PRIMARY KEY (sched_name, job_name, job_group));
            CREATE TABLE qrtz_triggers (sched_name text, trigger_name text, trigger_group text, job_name text, job_group text,
                PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, job_name, job_group) REFERENCES qrtz_job_details);
            CREATE TABLE qrtz_cron_triggers (sched_name text, trigger_name text, trigger_group text, cron_expression text,
                FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers);
            CREATE TABLE qrtz_fired_triggers (sched_name text, entry_id text PRIMARY KEY);
            CREATE TABLE qrtz_scheduler_state (sched_name text, instance_name text PRIMARY KEY);
            CREATE TABLE qrtz_locks (sched_name text, lock_name text PRIMARY KEY);
            INSERT INTO qrtz_job_details VALUES ('QuartzScheduler', 'run-queued-pull', 'queued-pulls');
            INSERT INTO qrtz_triggers VALUES ('QuartzScheduler', 't', 'connection-pulls', 'run-queued-pull', 'queued-pulls');
            INSERT INTO qrtz_cron_triggers VALUES ('QuartzScheduler', 't', 'connection-pulls', '0 0 6 * * ?');
            DELETE FROM schema_migrations WHERE version = '0011_drop_quartz';
            """);
        var ours = await TablesAsync("NOT LIKE");
        (await TablesAsync("LIKE")).Should().HaveCount(6);

        var applied = await new Migrator(database.DataSource, NullLogger<Migrator>.Instance).MigrateAsync();

        applied.Should().Be(1, "only 0011 was pending");
        (await TablesAsync("LIKE")).Should().BeEmpty("Quartz's tables are gone");
        (await TablesAsync("NOT LIKE")).Should().Equal(ours, "every table of SellerDesk stays");
    }

    private async Task<List<string>> TablesAsync(string like)
    {
        await using var command = database.DataSource.CreateCommand(
            $"SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename {like} 'qrtz\\_%' ORDER BY tablename");
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
