using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

public sealed class MigratedSchemaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_migrated_schema_has_every_table_column_type_nullability_and_key_of_the_EF_model()
    {
        await using var db = CreateContext();
        var columns = await ReadColumnsAsync();
        var keys = await ReadPrimaryKeysAsync();
        var problems = new List<string>();

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var mapped = new HashSet<string>();
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)!;
                mapped.Add(column);
                if (!columns.TryGetValue((table, column), out var actual))
                {
                    problems.Add($"{table}.{column}: in the model, not in the database");
                    continue;
                }

                var expectedType = Normalize(property.GetColumnType());
                if (expectedType != actual.Type)
                {
                    problems.Add($"{table}.{column}: model type {expectedType}, database type {actual.Type}");
                }

                if (property.IsNullable != actual.Nullable)
                {
                    problems.Add($"{table}.{column}: model nullable {property.IsNullable}, database nullable {actual.Nullable}");
                }
            }

            problems.AddRange(columns.Keys
                .Where(k => k.Table == table && !mapped.Contains(k.Column))
                .Select(k => $"{table}.{k.Column}: in the database, not in the model"));

            var modelKey = string.Join(",", entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(store)));
            if (keys.GetValueOrDefault(table) != modelKey)
            {
                problems.Add($"{table}: model key ({modelKey}), database key ({keys.GetValueOrDefault(table)})");
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_nothing_is_pending()
    {
        var migrator = new Migrator(database.DataSource, NullLogger<Migrator>.Instance);

        (await migrator.MigrateAsync()).Should().Be(0);
        (await migrator.PendingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Several_nodes_migrating_a_new_database_at_once_apply_each_script_once()
    {
        var name = database.Name + "_race";
        await using (var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            await using var source = NpgsqlDataSource.Create(TestDatabase.WithDatabase(name));
            var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
                Task.Run(() => new Migrator(source, NullLogger<Migrator>.Instance).MigrateAsync())));

            applied.Sum().Should().Be(Migrator.Scripts.Count);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString);
            await admin.OpenAsync();
            await TestDatabase.DropAsync(admin, name);
        }
    }

    private SellerDeskDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SellerDeskDbContext>().UseNpgsql(database.DataSource).Options);

    private static string Normalize(string? type) => type switch
    {
        "timestamp with time zone" => "timestamptz",
        "integer" => "int4",
        "bigint" => "int8",
        "boolean" => "bool",

        // Identity's e-mail and name columns: information_schema's udt_name has no length.
        { } varying when varying.StartsWith("character varying", StringComparison.Ordinal) => "varchar",

        // Arrays: information_schema's udt_name spells text[] as _text.
        { } array when array.EndsWith("[]", StringComparison.Ordinal) => "_" + Normalize(array[..^2]),
        _ => type ?? string.Empty,
    };

    private async Task<Dictionary<(string Table, string Column), (string Type, bool Nullable)>> ReadColumnsAsync()
    {
        var result = new Dictionary<(string, string), (string, bool)>();
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable = 'YES'
            FROM information_schema.columns c
            WHERE c.table_schema = 'public' AND c.table_name <> 'schema_migrations'
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[(reader.GetString(0), reader.GetString(1))] = (reader.GetString(2), reader.GetBoolean(3));
        }

        return result;
    }

    private async Task<Dictionary<string, string>> ReadPrimaryKeysAsync()
    {
        var result = new Dictionary<string, string>();
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT tc.table_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position)
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'
            GROUP BY tc.table_name
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }
}
