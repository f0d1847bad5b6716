using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Ledger;

namespace SellerDesk.Bench;

/// <summary>
/// Takes the importer's merge of sales apart after the benchmark: the benchmark workspace's sales lines are staged
/// again (as the importer stages them) and inserted for a new, empty workspace in three ways, each under
/// EXPLAIN (ANALYZE, BUFFERS, WAL) in its own transaction that is rolled back: into a bare copy of the table (heap
/// only), into <c>sales_lines</c> with a plain INSERT (adds the two indexes and the foreign-key triggers), and with
/// the importer's own merge statement (adds the anti-join and ON CONFLICT). The SQL is read from the Ingestion
/// assembly by reflection so it is exactly what the app runs.
/// </summary>
internal static class MergeDiagnostics
{
    private const string Columns = "marketplace, order_id, line_id, ordered_at, customer_id, channel, sku, quantity, revenue, commission, logistics, acquiring, other_fees";

    public static async Task<IReadOnlyList<(string Name, double Ms)>> RunAsync(string connectionString, string workspace, int quietWaitSeconds)
    {
        var tables = typeof(LedgerWriter).Assembly.GetType("SellerDesk.Data.Ledger.LedgerTables");
        var sales = tables?.GetProperty("Sales", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        var createStaging = sales?.GetType().GetProperty("CreateStagingSql")?.GetValue(sales) as string;
        var mergeSql = sales?.GetType().GetProperty("InsertSql")?.GetValue(sales) as string;
        if (createStaging is null || mergeSql is null)
        {
            Console.WriteLine("  (LedgerTables.Sales not found by reflection; merge diagnostics skipped)");
            return [];
        }

        var results = new List<(string, double)>();
        (string Name, string Sql)[] experiments =
        [
            ("INSERT into a bare copy of sales_lines (heap only, no index, no FK)", $"INSERT INTO bench_heap (workspace_id, {Columns}) SELECT $1, {Columns} FROM staging_sales_lines"),
            ("plain INSERT into sales_lines (as migrated: PK only since 0004, C-collated keys since 0005)", $"INSERT INTO sales_lines (workspace_id, {Columns}) SELECT $1, {Columns} FROM staging_sales_lines"),
            ("the importer's INSERT of new keys (LedgerTable.InsertSql; the whole merge when the workspace has no rows yet)", mergeSql),
        ];

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (name, sql) in experiments)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var target = Guid.NewGuid();
            await ExecuteAsync(connection, "INSERT INTO workspaces (id, name) VALUES ($1, $2)", target, "bench-merge-" + target.ToString("N")[..8]);
            await ExecuteAsync(connection, createStaging);
            var clock = Stopwatch.StartNew();
            await ExecuteAsync(
                connection,
                $"INSERT INTO staging_sales_lines (line, {Columns}) SELECT row_number() OVER ()::int, {Columns} FROM sales_lines WHERE workspace_id = (SELECT id FROM workspaces WHERE name = $1)",
                workspace);
            await ExecuteAsync(connection, "ANALYZE staging_sales_lines");
            var staged = clock.Elapsed.TotalSeconds;
            await ExecuteAsync(connection, "CREATE TABLE bench_heap (LIKE sales_lines INCLUDING DEFAULTS)");

            var (_, quiet, share) = quietWaitSeconds > 0 ? await ProcStats.WaitForQuietAsync(TimeSpan.FromSeconds(quietWaitSeconds)) : (0, true, 0);
            if (!quiet)
            {
                Console.WriteLine($"  (machine still {share:P0} busy; timing anyway)");
            }

            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, WAL) " + sql, connection) { CommandTimeout = 0 };
            explain.Parameters.Add(new NpgsqlParameter { Value = target, NpgsqlDbType = NpgsqlDbType.Uuid });
            if (sql.Contains("$2", StringComparison.Ordinal))
            {
                // The writer's source (decision 0010): the nil uuid, as for files.
                explain.Parameters.Add(new NpgsqlParameter { Value = Guid.Empty, NpgsqlDbType = NpgsqlDbType.Uuid });
            }
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            await transaction.RollbackAsync();
            var execution = plan.FirstOrDefault(l => l.StartsWith("Execution Time:", StringComparison.Ordinal));
            var ms = execution is null ? double.NaN : double.Parse(execution.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
            results.Add((name, ms));
            Console.WriteLine($"  {name}: {ms / 1000:0.00} s  (staging refilled server-side in {staged:0.0} s, not counted)");
            foreach (var line in plan)
            {
                Console.WriteLine("    " + line);
            }
        }

        return results;
    }

    /// <summary>
    /// Prints the plan PostgreSQL picks now for the importer's sales merge of <paramref name="salesCsv"/> into
    /// <paramref name="workspace"/>: the file is staged in this session as the importer stages it (EXPLAIN only, rolled back).
    /// </summary>
    public static async Task ExplainMergeAsync(string connectionString, string salesCsv, string workspace)
    {
        var tables = typeof(LedgerWriter).Assembly.GetType("SellerDesk.Data.Ledger.LedgerTables");
        var sales = tables?.GetProperty("Sales", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        var createStaging = sales?.GetType().GetProperty("CreateStagingSql")?.GetValue(sales) as string;
        var mergeSql = sales?.GetType().GetProperty("InsertSql")?.GetValue(sales) as string;
        if (createStaging is null || mergeSql is null)
        {
            Console.WriteLine("  (LedgerTables.Sales not found by reflection; no plan)");
            return;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(
            connection,
            """
            CREATE TEMP TABLE raw_sales (marketplace text, order_id text, line_id text, ordered_at timestamptz, customer_id text,
                channel text, sku text, quantity integer, revenue numeric, commission numeric, logistics numeric, acquiring numeric,
                other_fees numeric) ON COMMIT DROP
            """);
        await using (var writer = await connection.BeginTextImportAsync("COPY raw_sales FROM STDIN (FORMAT csv, HEADER true)"))
        {
            using var reader = new StreamReader(salesCsv);
            await writer.WriteAsync(await reader.ReadToEndAsync());
        }

        await ExecuteAsync(connection, createStaging);
        await ExecuteAsync(connection, $"INSERT INTO staging_sales_lines (line, {Columns}) SELECT row_number() OVER ()::int, {Columns} FROM raw_sales");
        await ExecuteAsync(connection, "ANALYZE staging_sales_lines");
        Guid workspaceId;
        await using (var id = new NpgsqlCommand("SELECT id FROM workspaces WHERE name = $1", connection))
        {
            id.Parameters.Add(new NpgsqlParameter { Value = workspace });
            workspaceId = (Guid)(await id.ExecuteScalarAsync())!;
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + mergeSql, connection);
        explain.Parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        explain.Parameters.Add(new NpgsqlParameter { Value = Guid.Empty, NpgsqlDbType = NpgsqlDbType.Uuid }); // the writer's source: files
        await using (var plan = await explain.ExecuteReaderAsync())
        {
            while (await plan.ReadAsync())
            {
                Console.WriteLine("    " + plan.GetString(0));
            }
        }

        await transaction.RollbackAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
