using Npgsql;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The schema's shape for PostgreSQL distributed by workspace (docs/scaling.md): every table of a workspace has a
/// non-null <c>workspace_id</c>, and every primary key, unique key and foreign key of it begins with that column
/// (a foreign key may instead point at a reference table, copied to every node). Read from the migrated catalog, so a
/// new table or key that breaks the rule fails here until it is fixed or classified below with its reason.
/// </summary>
public sealed class WorkspaceKeysTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>Small tables every node keeps a copy of (Citus reference tables), with why they have no workspace key.</summary>
    public static readonly IReadOnlyDictionary<string, string> ReferenceTables = new Dictionary<string, string>
    {
        ["workspaces"] = "the workspaces themselves: the distribution key's own table",
        ["users"] = "a person signs in before any workspace is chosen and may belong to several",
        ["user_claims"] = "part of a user (Identity)",
        ["user_logins"] = "part of a user (Identity)",
        ["user_tokens"] = "part of a user (Identity: two-factor keys, recovery codes)",
        ["api_tokens"] = "looked up by the hash of the presented token, before its workspace is known",
        ["invitations"] = "looked up by the hash of the invitation link, before its workspace is known",
        ["installation"] = "one row: the installation's own state",
        ["data_protection_keys"] = "the key ring shared by every web node",
        ["schema_migrations"] = "the migrator's own record",
    };

    /// <summary>Tables that stay on the coordinator (Citus local tables), with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> LocalTables = new Dictionary<string, string>
    {
        ["audit_log"] = "also holds installation-wide events (sign-in failures, first account) that have no workspace",
    };

    [Fact]
    public async Task Every_key_of_a_workspace_table_begins_with_workspace_id()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        (await ProblemsAsync(connection)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_table_keyed_without_its_workspace_is_reported()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE keys_probe_parent (id uuid PRIMARY KEY, workspace_id uuid NOT NULL REFERENCES workspaces (id));
            CREATE TABLE keys_probe_child (
                workspace_id uuid NOT NULL,
                parent_id uuid NOT NULL REFERENCES keys_probe_parent (id),
                code text NOT NULL,
                CONSTRAINT ux_keys_probe_child_code UNIQUE (code));
            CREATE TABLE keys_probe_orphan (id uuid PRIMARY KEY);
            """,
            connection,
            transaction))
        {
            await create.ExecuteNonQueryAsync();
        }

        var problems = await ProblemsAsync(connection, transaction);
        await transaction.RollbackAsync();

        problems.Should().BeEquivalentTo(
            "keys_probe_child: foreign key keys_probe_child_parent_id_fkey (parent_id) does not begin with workspace_id",
            "keys_probe_child: unique key ux_keys_probe_child_code (code) does not begin with workspace_id",
            "keys_probe_orphan: no workspace_id column, and not classified as a reference or local table",
            "keys_probe_parent: primary key keys_probe_parent_pkey (id) does not begin with workspace_id");
    }

    [Fact]
    public async Task Every_classified_table_exists()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var tables = await ReadAsync(connection, null, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", r => r.GetString(0));

        tables.Should().Contain(ReferenceTables.Keys.Concat(LocalTables.Keys));
    }

    private static async Task<List<string>> ProblemsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        var problems = new List<string>();
        var workspaceTables = (await ReadAsync(
            connection,
            transaction,
            """
            SELECT t.table_name,
                   EXISTS (SELECT 1 FROM information_schema.columns c
                           WHERE c.table_schema = 'public' AND c.table_name = t.table_name
                             AND c.column_name = 'workspace_id' AND c.is_nullable = 'NO')
            FROM information_schema.tables t
            WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            """,
            r => (Table: r.GetString(0), HasWorkspace: r.GetBoolean(1))))
            .Where(t => !ReferenceTables.ContainsKey(t.Table) && !LocalTables.ContainsKey(t.Table))
            .ToList();

        problems.AddRange(workspaceTables.Where(t => !t.HasWorkspace)
            .Select(t => $"{t.Table}: no workspace_id column, and not classified as a reference or local table"));

        var distributed = workspaceTables.Where(t => t.HasWorkspace).Select(t => t.Table).ToHashSet(StringComparer.Ordinal);
        var keys = await ReadAsync(
            connection,
            transaction,
            """
            SELECT c.conrelid::regclass::text, c.contype::text, c.conname,
                   array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
                   coalesce(c.confrelid::regclass::text, '')
            FROM pg_constraint c
            JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')
            UNION ALL
            SELECT i.indrelid::regclass::text, 'u', i.indexrelid::regclass::text,
                   array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o),
                   ''
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid)
            """,
            r => (Table: r.GetString(0), Kind: r.GetString(1), Name: r.GetString(2), Columns: r.GetFieldValue<string[]>(3), References: r.GetString(4)));

        foreach (var (table, kind, name, columns, references) in keys.Where(k => distributed.Contains(k.Table)))
        {
            var what = kind switch { "p" => "primary key", "u" => "unique key", _ => "foreign key" };
            if (kind == "f" && ReferenceTables.ContainsKey(references))
            {
                continue;
            }

            if (columns.Length == 0 || columns[0] != "workspace_id")
            {
                problems.Add($"{table}: {what} {name} ({string.Join(", ", columns)}) does not begin with workspace_id");
            }
        }

        // A reference table is copied to every node: it cannot point at rows that live on one of them.
        foreach (var (table, _, name, _, references) in keys.Where(k => k.Kind == "f" && ReferenceTables.ContainsKey(k.Table) && distributed.Contains(k.References)))
        {
            problems.Add($"{table}: reference table's foreign key {name} points at the distributed table {references}");
        }

        return problems;
    }

    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> read)
    {
        var result = new List<T>();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(read(reader));
        }

        return result;
    }
}
