using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SellerDesk.Data;

/// <summary>
/// Applies the committed, ordered SQL scripts in Migrations/ that the database has not seen yet,
/// each in its own transaction, under a PostgreSQL advisory lock so several nodes can start at once.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    /// <summary>Arbitrary constant naming SellerDesk's migration lock.</summary>
    private const long AdvisoryLockKey = 0x5E11E5D5;

    private const string ResourcePrefix = "SellerDesk.Data.Migrations.";

    /// <summary>The scripts shipped with this build, by version (the file name without extension), in order.</summary>
    public static IReadOnlyList<(string Version, string Sql)> Scripts { get; } = LoadScripts();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", null, cancellationToken);
        try
        {
            await ExecuteAsync(
                connection,
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """,
                null,
                cancellationToken);

            var applied = await AppliedAsync(connection, cancellationToken);

            var count = 0;
            foreach (var (version, sql) in Scripts)
            {
                var checksum = Checksum(sql);
                if (applied.TryGetValue(version, out var seen))
                {
                    if (seen != checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {version} was changed after it was applied. Add a new migration instead of editing an applied one.");
                    }

                    continue;
                }

                logger.LogInformation("Applying migration {Version}", version);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, sql, transaction, cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = version });
                    record.Parameters.Add(new NpgsqlParameter { Value = checksum });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                count++;
            }

            // Ledgers written before the facts existed get theirs, computed by the domain (migrations 0014, 0017).
            await Facts.OrderFactStore.BuildPendingAsync(dataSource, cancellationToken);
            return count;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", null, CancellationToken.None);
        }
    }

    /// <summary>Versions shipped but not yet applied; empty when the database is current.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return Scripts.Select(s => s.Version).ToList();
            }
        }

        var applied = await AppliedAsync(connection, cancellationToken);
        return Scripts.Select(s => s.Version).Where(v => !applied.ContainsKey(v)).ToList();
    }

    /// <summary>Applied versions with their checksums.</summary>
    private static async Task<Dictionary<string, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Checksum(string sql) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    private static List<(string Version, string Sql)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return (n[ResourcePrefix.Length..^4], reader.ReadToEnd());
            })
            .ToList();
    }
}
