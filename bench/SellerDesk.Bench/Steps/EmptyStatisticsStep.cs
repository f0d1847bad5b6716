using System.Diagnostics;
using System.Net.Http.Headers;
using Npgsql;

namespace SellerDesk.Bench.Steps;

/// <summary>Step 9 (diagnostic): plan stability of the sales merge on a ledger ANALYZEd while empty.</summary>
internal static class EmptyStatisticsStep
{
    /// <summary>
    /// Step 9: the same kind of import into a ledger whose tables were ANALYZEd while empty (as after a TRUNCATE, after
    /// deleting a workspace's data, or on a database analyzed before its first import). Prints the merge's plan under
    /// those statistics and times the import with a time limit, against the rate of step 4.
    /// </summary>
    public static async Task RunAsync(BenchContext context, BenchResults result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        var options = context.Options;
        var lines = options.StatsLines;
        BenchContext.Section($"9. Plan stability: {lines:N0} sales lines into a ledger ANALYZEd while empty (limit {options.StatsTimeoutSeconds} s)");
        var ledger = LedgerFiles.Write(context.Directory, "stats-", lines, full: false, context.First, context.Last, context.Zone, seed: 20250103);
        var database = context.Database + "_stats";
        var builder = new NpgsqlConnectionStringBuilder(context.BenchConnection) { Database = database };
        await BenchContext.DropDatabaseAsync(context.Admin, database);
        await BenchContext.ExecuteAsync(context.Admin, $"CREATE DATABASE {database}");
        try
        {
            await using var app = await AppProcess.StartAsync(builder.ConnectionString, BenchContext.Workspace, context.Token, Path.Combine(context.Directory, "app-stats.log"));
            await BenchContext.ExecuteAsync(builder.ConnectionString, "ANALYZE sales_lines, returns, unit_costs, ad_spend, period_fees");
            Console.WriteLine("  plan of the importer's sales merge now (EXPLAIN, file staged in a rolled-back transaction):");
            await MergeDiagnostics.ExplainMergeAsync(builder.ConnectionString, ledger.SalesPath, BenchContext.Workspace);

            await context.QuietAsync("import into an empty-analyzed ledger");
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.StatsTimeoutSeconds));
            try
            {
                await using var file = new FileStream(ledger.SalesPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous);
                using var content = new StreamContent(file, 1 << 16);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
                using var response = await app.Http.PostAsync(new Uri("/api/v1/imports/sales", UriKind.Relative), content, timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                var seconds = clock.Elapsed.TotalSeconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST /api/v1/imports/sales answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
                }

                result.EmptyStats = $"{lines:N0} lines in {seconds:0.0} s = {lines / seconds:N0} lines/s";
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                result.EmptyStats = $"{lines:N0} lines: not done after {options.StatsTimeoutSeconds} s (< {lines / (double)options.StatsTimeoutSeconds:N0} lines/s); request aborted";
            }

            Console.WriteLine($"  {result.EmptyStats}; step 4 imported {result.Big!.LinesPerSecond:N0} lines/s into a never-analyzed ledger");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchContext.DropDatabaseAsync(context.Admin, database);
        }
    }
}
