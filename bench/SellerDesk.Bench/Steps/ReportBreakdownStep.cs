using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Npgsql;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Bench.Steps;

/// <summary>Step 7 (diagnostic): where a report call's time goes, in-process against the same database.</summary>
internal static class ReportBreakdownStep
{
    /// <summary>
    /// Takes a report call that misses ReportService's cache apart: the longest report SQL alone (EXPLAIN ANALYZE),
    /// fetching and materializing the sums (<see cref="ReportQueries.LoadSumsAsync"/>, what
    /// <see cref="ReportService.LoadFactsAsync"/> reads), and each report's computation.
    /// </summary>
    public static async Task<Breakdown> RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        BenchContext.Section("7. Where report time goes (in-process, same database)");
        await using var dataSource = NpgsqlDataSource.Create(context.BenchConnection);
        var workspaceId = await context.WorkspaceIdAsync();
        var first = context.First;
        var last = context.Last;

        // The report SQL is private to FactSumQueries; read it rather than copy it, so the two never drift apart. Its
        // longest private SQL text is the heaviest of the sums ($1 workspace, $2 from, $3 to, $4 as_of).
        var field = typeof(ReportQueries).Assembly.GetType("SellerDesk.Data.Reports.FactSumQueries")?.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string))
            .MaxBy(f => ((string)f.GetValue(null)!).Length);
        var sql = field?.GetValue(null) as string;
        var sqlName = "FactSumQueries." + (field?.Name ?? "?");
        double? executionMs = null;
        void AddPeriod(NpgsqlParameterCollection parameters)
        {
            parameters.Add(new NpgsqlParameter { Value = workspaceId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            parameters.Add(new NpgsqlParameter { Value = first, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
            parameters.Add(new NpgsqlParameter { Value = last, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
            parameters.Add(new NpgsqlParameter { Value = last, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        }

        if (sql is not null)
        {
            await using var explain = dataSource.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql);
            AddPeriod(explain.Parameters);
            var plan = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }

            Console.WriteLine($"  EXPLAIN (ANALYZE, BUFFERS) of {sqlName} (as_of = last day):");
            foreach (var line in plan)
            {
                Console.WriteLine("    " + line);
            }

            var execution = plan.FirstOrDefault(l => l.StartsWith("Execution Time:", StringComparison.Ordinal));
            if (execution is not null)
            {
                executionMs = double.Parse(execution.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
            }

            // The same query with sorts in memory: how much of it is spilling to disk at the server's work_mem.
            await reader.DisposeAsync();
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var set = new NpgsqlCommand("SET LOCAL work_mem = '512MB'", connection, transaction))
            {
                await set.ExecuteNonQueryAsync();
            }

            await using var again = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection, transaction);
            AddPeriod(again.Parameters);
            var inMemory = new List<string>();
            await using (var second = await again.ExecuteReaderAsync())
            {
                while (await second.ReadAsync())
                {
                    inMemory.Add(second.GetString(0));
                }
            }

            await transaction.RollbackAsync();
            Console.WriteLine("  the same with SET LOCAL work_mem = '512MB' (no spill to disk); top nodes, sorts and totals:");
            foreach (var line in inMemory.Where(l => l.Contains("actual time", StringComparison.Ordinal) && (l.Contains("Sort", StringComparison.Ordinal) || l.Contains("Aggregate", StringComparison.Ordinal) || l.Contains("Join", StringComparison.Ordinal) || l.Contains("Scan on sales_lines", StringComparison.Ordinal))
                || l.Contains("Sort Method", StringComparison.Ordinal) || l.StartsWith("Execution Time", StringComparison.Ordinal)))
            {
                Console.WriteLine("    " + line.Trim());
            }
        }
        else
        {
            Console.WriteLine("  (no SQL text found in FactSumQueries by reflection; EXPLAIN skipped)");
        }

        var queries = new ReportQueries(dataSource);
        var period = new ReportPeriod(first, last, last);
        var load = new List<double>();
        var build = new List<double>();
        var channels = new List<double>();
        var marketplaces = new List<double>();
        var cohorts = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var sums = await queries.LoadSumsAsync(workspaceId, period);
            load.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var reports = new FactReports(sums);
            build.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            _ = reports.Channels();
            channels.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            _ = reports.Marketplaces();
            marketplaces.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            _ = reports.Cohorts();
            cohorts.Add(clock.Elapsed.TotalMilliseconds);
        }

        var breakdown = new Breakdown(executionMs, BenchContext.Median(load), BenchContext.Median(build), BenchContext.Median(channels), BenchContext.Median(marketplaces), BenchContext.Median(cohorts));
        Console.WriteLine("  median of 3 in-process runs:");
        Console.WriteLine($"    {sqlName} executing in PostgreSQL (EXPLAIN ANALYZE)  {executionMs,8:0} ms");
        Console.WriteLine($"    ReportQueries.LoadSumsAsync (SQL + fetch + objects)          {breakdown.LoadMs,8:0} ms");
        Console.WriteLine($"    new FactReports                                             {breakdown.BuildMs,8:0} ms");
        Console.WriteLine($"    Channels() {breakdown.ChannelsMs,6:0} ms, Marketplaces() {breakdown.MarketplacesMs,6:0} ms, Cohorts() {breakdown.CohortsMs,6:0} ms");
        Console.WriteLine("    (an API call that misses ReportService's cache pays LoadSumsAsync; a cached call only the report itself)");
        return breakdown;
    }
}
