using Hangfire.PostgreSql;
using Npgsql;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// Creates or upgrades Hangfire's tables (schema <c>hangfire</c>) with Hangfire.PostgreSql's own scripts, under a
/// PostgreSQL advisory lock of its own so nodes starting together do not race (the same pattern as our migrations,
/// which run first). Every node does it, also one with <c>Scheduler:Enabled=false</c>, so its API can queue runs.
/// </summary>
public sealed class JobStorageSchema(string connectionString, string schemaName)
{
    private const long InstallLock = 0x5345_4C4C_4846_3031; // "SELLHF01"

    public async Task InstallAsync(CancellationToken cancellationToken)
    {
        // A connection of its own, not pooled: the install scripts SET search_path on the session.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var session = new NpgsqlConnection(builder.ConnectionString);
        await session.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({InstallLock})", session))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            PostgreSqlObjectsInstaller.Install(session, schemaName);
        }
        finally
        {
            try
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({InstallLock})", session);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // A broken session has lost its lock with it.
            }
        }
    }
}
