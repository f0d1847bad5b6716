using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SellerDesk.Data;

namespace SellerDesk.Testing;

/// <summary>
/// A fresh, migrated PostgreSQL database for one test class, cloned from a template that is migrated once per
/// schema version (CREATE DATABASE ... TEMPLATE). Needs SELLERDESK_TEST_CONNECTION (or ConnectionStrings__SellerDesk):
/// a role allowed to create databases; scripts/test.sh sets it. Use as an xunit class fixture.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _templateName;

    public string ConnectionString { get; private set; } = string.Empty;

    public string Name { get; } = "sellerdesk_test_" + Guid.NewGuid().ToString("N")[..12];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("SELLERDESK_TEST_CONNECTION")
        ?? Environment.GetEnvironmentVariable("ConnectionStrings__SellerDesk")
        ?? throw new InvalidOperationException(
            "No test database: set SELLERDESK_TEST_CONNECTION to a PostgreSQL role that may create databases (scripts/test.sh does).");

    public async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var template = await EnsureTemplateAsync();
            try
            {
                await using var admin = new NpgsqlConnection(AdminConnectionString);
                await admin.OpenAsync();
                await Execute(admin, $"CREATE DATABASE \"{Name}\" TEMPLATE \"{template}\"");
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName && attempt < 3)
            {
                // A test run of another checkout (another schema) on the same server dropped our template as stale:
                // build it again.
                await ForgetTemplateAsync(template);
            }
        }

        ConnectionString = WithDatabase(Name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await DropAsync(admin, Name);
    }

    /// <summary>A new workspace row named <paramref name="prefix"/> and its id (unique per call), for tests that write a ledger.</summary>
    public async Task<Guid> NewWorkspaceAsync(string prefix)
    {
        var id = Guid.NewGuid();
        await using var command = DataSource.CreateCommand("INSERT INTO workspaces (id, name) VALUES ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = prefix + " " + id.ToString("N") });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>
    /// Drops a database, ending the sessions still in it. <c>WITH (FORCE)</c> refuses (42501) when one of them is an
    /// autovacuum worker, which a role without pg_signal_backend may not end; a plain DROP asks autovacuum to leave by
    /// itself, so that is tried next, a few times while the worker winds down (55006).
    /// </summary>
    public static async Task DropAsync(NpgsqlConnection admin, string name)
    {
        ArgumentNullException.ThrowIfNull(admin);
        try
        {
            await Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\"");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    public static string WithDatabase(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    private static async Task ForgetTemplateAsync(string template)
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_templateName == template)
            {
                _templateName = null;
            }
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task<string> EnsureTemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_templateName is not null)
            {
                return _templateName;
            }

            // Named by a hash of the scripts (string.GetHashCode differs per process): every test process and every
            // run reuses the template of the same schema.
            var scripts = string.Join("\n", Migrator.Scripts.Select(s => s.Version + "\n" + s.Sql));
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(scripts)));
            var name = $"sellerdesk_test_template_{hash[..16].ToLowerInvariant()}";
            await using var admin = new NpgsqlConnection(AdminConnectionString);
            await admin.OpenAsync();

            // Test processes of several projects run at once: one of them builds the template.
            await Execute(admin, "SELECT pg_advisory_lock(4242001)");
            try
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin);
                exists.Parameters.Add(new NpgsqlParameter { Value = name });
                if (await exists.ExecuteScalarAsync() is null)
                {
                    var building = name + "_building";
                    await DropAsync(admin, building);
                    await Execute(admin, $"CREATE DATABASE \"{building}\"");
                    await using (var source = NpgsqlDataSource.Create(WithDatabase(building)))
                    {
                        await new Migrator(source, NullLogger<Migrator>.Instance).MigrateAsync();
                    }

                    NpgsqlConnection.ClearAllPools();
                    await Execute(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
                    await Execute(admin, $"COMMENT ON DATABASE \"{name}\" IS '{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}'");

                    // Templates of other schemas are left for a day: another checkout's tests may be running on one.
                    var stale = new List<string>();
                    await using (var list = new NpgsqlCommand(
                        """
                        SELECT d.datname FROM pg_database d
                        WHERE d.datname LIKE 'sellerdesk\_test\_template\_%' AND d.datname <> $1
                          AND coalesce(nullif(regexp_replace(shobj_description(d.oid, 'pg_database'), '[^0-9]', '', 'g'), '')::bigint, 0)
                              < extract(epoch FROM now())::bigint - 86400
                        """,
                        admin))
                    {
                        list.Parameters.Add(new NpgsqlParameter { Value = name });
                        await using var reader = await list.ExecuteReaderAsync();
                        while (await reader.ReadAsync())
                        {
                            stale.Add(reader.GetString(0));
                        }
                    }

                    foreach (var old in stale)
                    {
                        await DropAsync(admin, old);
                    }
                }
            }
            finally
            {
                await Execute(admin, "SELECT pg_advisory_unlock(4242001)");
            }

            _templateName = name;
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
