using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Bench;

/// <summary>
/// The whole benchmark: generate the ledger files, create a throw-away database, time PostgreSQL's own COPY of
/// sales.csv, run the app as a child process and time the imports through the API (with its memory sampled), time
/// the three reports over HTTP, take the report query apart, print a summary against the targets, drop the database.
/// </summary>
internal sealed class BenchRun(BenchOptions options)
{
    private const string Workspace = "bench";
    private const string TimeZoneId = "Europe/Moscow";
    private const double ImportTarget = 50_000;
    private const double CopyRatioTarget = 0.25;
    private const double MemoryGrowthLimit = 1.25;
    private const double ReportTargetMs = 1_000;
    private const double WarmReportTargetMs = 200;
    private const double FreshTargetSeconds = 5;
    private const double LoadP95TargetMs = 500;
    private const int LoadRequests = 200;

    // The naive peer (issue 11, benchmark): the marketplaces report's line figures (metrics.md sections 2 and 4.2),
    // new customers, ad spend and period fees computed by one straightforward SQL statement over the raw ledger
    // tables, as a database-only tool would: $1 workspace, $2 from, $3 to, $4 as_of, $5 the time zone.
    internal const string NaivePeerSql = """
        WITH ret AS (
            SELECT marketplace, order_id, line_id, sum(quantity) AS r, sum(refund) AS refund,
                   sum(commission_refund) AS commission_refund, sum(return_logistics) AS return_logistics,
                   coalesce(sum(quantity) FILTER (WHERE NOT restockable), 0) AS nonrestock
            FROM returns
            WHERE workspace_id = $1 AND (returned_at AT TIME ZONE $5)::date <= $4
            GROUP BY marketplace, order_id, line_id
        ), lines AS (
            SELECT s.marketplace, s.quantity AS q, s.revenue, s.commission, s.logistics, s.acquiring, s.other_fees,
                   coalesce(r.r, 0) AS r, coalesce(r.refund, 0) AS refund, coalesce(r.commission_refund, 0) AS commission_refund,
                   coalesce(r.return_logistics, 0) AS return_logistics, coalesce(r.nonrestock, 0) AS nonrestock,
                   c.unit_cost
            FROM sales_lines AS s
            LEFT JOIN ret AS r ON r.marketplace = s.marketplace AND r.order_id = s.order_id AND r.line_id = s.line_id
            LEFT JOIN LATERAL (
                SELECT u.unit_cost FROM unit_costs AS u
                WHERE u.workspace_id = s.workspace_id AND u.sku = s.sku AND u.valid_from <= (s.ordered_at AT TIME ZONE $5)::date
                ORDER BY u.valid_from DESC LIMIT 1) AS c ON true
            WHERE s.workspace_id = $1 AND (s.ordered_at AT TIME ZONE $5)::date BETWEEN $2 AND least($3, $4)
        ), firsts AS (
            SELECT DISTINCT ON (marketplace, coalesce(customer_id, 'order:' || order_id))
                   marketplace, (ordered_at AT TIME ZONE $5)::date AS first_date
            FROM sales_lines
            WHERE workspace_id = $1 AND (ordered_at AT TIME ZONE $5)::date <= $4
            ORDER BY marketplace, coalesce(customer_id, 'order:' || order_id), ordered_at, order_id
        )
        SELECT l.marketplace, sum(l.revenue) AS revenue, sum(l.revenue - l.refund) AS net_revenue,
               sum(l.revenue - l.refund
                   - (l.commission - l.commission_refund + l.logistics + l.return_logistics + l.acquiring + l.other_fees)
                   - coalesce(l.unit_cost, 0) * (l.q - l.r + l.nonrestock)) AS contribution_margin,
               sum(CASE WHEN l.r = 0 THEN 0 ELSE
                   l.r::numeric / l.q * (l.commission + l.logistics + l.acquiring + l.other_fees)
                   - l.commission_refund + l.return_logistics + coalesce(l.unit_cost, 0) * l.nonrestock END) AS return_loss,
               sum(l.r)::numeric / nullif(sum(l.q), 0) AS return_rate,
               count(*) FILTER (WHERE l.unit_cost IS NULL) AS cogs_missing_lines,
               (SELECT count(*) FROM firsts AS f WHERE f.marketplace = l.marketplace AND f.first_date BETWEEN $2 AND least($3, $4)) AS new_customers,
               (SELECT coalesce(sum(amount), 0) FROM ad_spend AS a WHERE a.workspace_id = $1 AND a.marketplace = l.marketplace AND a.date BETWEEN $2 AND least($3, $4)) AS ad_spend,
               (SELECT coalesce(sum(amount), 0) FROM period_fees AS p WHERE p.workspace_id = $1 AND p.marketplace = l.marketplace AND p.date BETWEEN $2 AND least($3, $4)) AS period_fees
        FROM lines AS l
        GROUP BY l.marketplace
        ORDER BY l.marketplace
        """;

    private static readonly string[] Reports = ["channels", "marketplaces", "cohorts", "skus", "pnl"];

    private readonly string _token = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    private readonly string _database = "sellerdesk_bench_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sellerdesk-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly DateOnly _first = new(options.Year, 1, 1);
    private readonly DateOnly _last = new(options.Year, 12, 31);
    private readonly List<string> _busySteps = [];
    private string _admin = string.Empty;
    private string _benchConnection = string.Empty;

    public async Task<int> RunAsync()
    {
        Directory.CreateDirectory(_directory);
        var machine = await MachineAsync();
        Console.WriteLine("SellerDesk end-to-end benchmark");
        foreach (var (name, value) in machine)
        {
            Console.WriteLine($"  {name,-12} {value}");
        }

        Console.WriteLine($"  {"app",-12} {AppProcess.WebDll()}");
        Console.WriteLine($"  {"work dir",-12} {_directory}");

        // 1. The files.
        Section("1. Generating the ledger files");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        var clock = Stopwatch.StartNew();
        var big = LedgerFiles.Write(_directory, "big-", options.Lines, full: true, _first, _last, zone, seed: 20250101);
        var small = LedgerFiles.Write(_directory, "small-", options.SmallLines, full: false, _first, _last, zone, seed: 20250102);
        Console.WriteLine($"  sales.csv      {big.SalesLines,10:N0} lines, {big.Orders:N0} orders ({(double)big.SalesLines / big.Orders:0.00} lines/order), " +
            $"{Mb(big.SalesBytes)} MB, {big.Customers:N0} identified buyers (ozon, yandex_market, own_store); the demo seller scaled up, {LedgerFiles.Skus} SKUs");
        Console.WriteLine($"  costs.csv      {big.CostRows,10:N0} rows");
        Console.WriteLine($"  returns.csv    {big.ReturnRows,10:N0} rows ({100.0 * big.ReturnRows / big.SalesLines:0.0}% of lines)");
        Console.WriteLine($"  ad_spend.csv   {big.AdSpendRows,10:N0} rows");
        Console.WriteLine($"  fees.csv       {big.FeeRows,10:N0} rows");
        Console.WriteLine($"  attribution.csv {big.AttributionRows,9:N0} rows (the marketplaces' campaign statistics, metrics.md 3.1)");
        Console.WriteLine($"  small sales.csv {small.SalesLines,9:N0} lines, {Mb(small.SalesBytes)} MB (a separate ledger of the same year)");
        Console.WriteLine($"  generated in {clock.Elapsed.TotalSeconds:0.0} s");

        var builder = new NpgsqlConnectionStringBuilder(options.Connection);
        var admin = builder.ConnectionString;
        _admin = admin;
        builder.Database = _database;
        builder.CommandTimeout = 0;
        _benchConnection = builder.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {_database}");
        Console.WriteLine($"  database {_database} created on {builder.Host}:{builder.Port}");

        var result = new Results();
        var completed = false;
        try
        {
            await MeasureAsync(big, small, result);
            completed = true;
        }
        finally
        {
            if (options.KeepDatabase)
            {
                Console.WriteLine($"\n  database {_database} kept (--keep-database): {_benchConnection}");
            }
            else
            {
                await DropDatabaseAsync(admin);
                Console.WriteLine($"\n  database {_database} dropped");
            }

            if (options.KeepFiles)
            {
                Console.WriteLine($"  files and app logs kept in {_directory}");
            }
            else
            {
                foreach (var csv in Directory.EnumerateFiles(_directory, "*.csv"))
                {
                    File.Delete(csv);
                }

                if (completed)
                {
                    Directory.Delete(_directory, recursive: true);
                    Console.WriteLine($"  {_directory} deleted");
                }
                else
                {
                    Console.WriteLine($"  CSV files deleted; app logs kept in {_directory}");
                }
            }
        }

        return PrintSummary(machine, big, result, _busySteps);
    }

    private static void Section(string title) => Console.WriteLine($"\n== {title}");

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops the benchmark database. Plain DROP DATABASE first: it stops autovacuum workers itself (WITH (FORCE) may
    /// not signal them without superuser rights); this process's pooled connections are closed before.
    /// </summary>
    private Task DropDatabaseAsync(string admin) => DropDatabaseAsync(admin, _database);

    private static async Task DropDatabaseAsync(string admin, string database)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database}");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                return;
            }
        }
    }

    private static string Pass(bool ok) => ok ? "PASS" : "FAIL";

    /// <summary>The commit of the app's source, and how many files under src/ differ from it.</summary>
    private static async Task<string> SourceAsync()
    {
        var directory = Path.GetDirectoryName(AppProcess.WebDll());
        while (directory is not null && !Directory.Exists(Path.Combine(directory, ".git")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        if (directory is null)
        {
            return "?";
        }

        async Task<string> GitAsync(params string[] arguments)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-C");
            start.ArgumentList.Add(directory);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var git = Process.Start(start)!;
            var output = await git.StandardOutput.ReadToEndAsync();
            await git.WaitForExitAsync();
            return output.Trim();
        }

        try
        {
            var commit = await GitAsync("rev-parse", "--short", "HEAD");
            var changed = (await GitAsync("status", "--porcelain", "--", "src")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return changed == 0 ? $"commit {commit}, src/ clean" : $"commit {commit} + {changed} uncommitted file(s) under src/";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "? (git not found)";
        }
    }

    private async Task<List<(string Name, string Value)>> MachineAsync()
    {
        string Cpu() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        string Ram()
        {
            var kb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return $"{long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB";
        }

        string Os() => File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "?"
            : RuntimeInformation.OSDescription;

        await using var connection = new NpgsqlConnection(options.Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT current_setting('server_version'),
                   format('shared_buffers=%s work_mem=%s maintenance_work_mem=%s max_wal_size=%s synchronous_commit=%s wal_level=%s',
                          current_setting('shared_buffers'), current_setting('work_mem'), current_setting('maintenance_work_mem'),
                          current_setting('max_wal_size'), current_setting('synchronous_commit'), current_setting('wal_level'))
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return
        [
            ("date", DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)),
            ("cpu", $"{Environment.ProcessorCount} x {Cpu()} (nproc {Environment.ProcessorCount})"),
            ("ram", Ram()),
            ("os", $"{Os()}, {RuntimeInformation.FrameworkDescription}"),
            ("load avg", File.ReadAllText("/proc/loadavg").Trim() + " (at start)"),
            ("source", await SourceAsync()),
            ("postgresql", reader.GetString(0) + " (same machine)"),
            ("pg settings", reader.GetString(1)),
        ];
    }

    private async Task MeasureAsync(GeneratedLedger big, GeneratedLedger small, Results result)
    {
        // 2. PostgreSQL's own COPY of the same file, on the quiet database before the app starts.
        Section("2. PostgreSQL COPY of sales.csv into a bare table (no keys, no indexes; text, timestamptz, integer, numeric)");
        result.Copy = await CopyAsync(big);

        // 3. The smaller import in a fresh app process, for its memory.
        Section($"3. Import of {small.SalesLines:N0} sales lines through the API (fresh app process)");
        await using (var smallApp = await StartAppAsync("app-small.log"))
        {
            await ImportAsync(smallApp, "costs", big.CostsPath!, big.CostRows, sample: false);
            result.Small = await ImportAsync(smallApp, "sales", small.SalesPath, small.SalesLines, sample: true);
        }

        // The big import, best of --import-runs: each run starts from an empty ledger in a fresh app process; the
        // app of the last run stays up for the other files and the reports.
        AppProcess? app = null;
        try
        {
            var runs = new List<ImportMeasurement>();
            for (var run = 1; run <= options.ImportRuns; run++)
            {
                if (app is not null)
                {
                    await app.DisposeAsync();
                    app = null;
                }

                // A new database, as on a fresh install: ledger tables never analyzed. (Not TRUNCATE: autovacuum may
                // then ANALYZE the empty tables before the import, which sends the merge into the plan of step 9.)
                await DropDatabaseAsync(_admin);
                await ExecuteAsync(_admin, $"CREATE DATABASE {_database}");
                Section($"4. Import of {big.SalesLines:N0} sales lines through the API (run {run} of {options.ImportRuns}; fresh app process, empty ledger)");
                app = await StartAppAsync($"app-big-{run}.log");
                await ImportAsync(app, "costs", big.CostsPath!, big.CostRows, sample: false);
                runs.Add(await ImportAsync(app, "sales", big.SalesPath, big.SalesLines, sample: true));
            }

            // The fastest run is the import figure; the memory figure is the highest peak of all runs.
            result.Big = runs.MinBy(r => r.Seconds)! with { RssPeak = runs.Max(r => r.RssPeak) };
            result.Loads["import"] = LoadAverage();
            result.BigRuns = runs;
            var rate = result.Big.LinesPerSecond;
            Console.WriteLine($"\n  API import, best of {runs.Count}: {rate:N0} lines/s (runs: {string.Join(", ", runs.Select(r => r.LinesPerSecond.ToString("N0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"  API import vs COPY: {rate:N0} / {result.Copy.LinesPerSecond:N0} lines/s = {rate / result.Copy.LinesPerSecond:0.00}");
            Console.WriteLine($"  peak RSS: {Mb(result.Small.RssPeak)} MB at {result.Small.Lines:N0} lines, {Mb(result.Big.RssPeak)} MB at {result.Big.Lines:N0} lines " +
                $"(x{(double)result.Big.RssPeak / result.Small.RssPeak:0.00}, highest peak of the runs)");

            var live = app ?? throw new InvalidOperationException("No import run.");
            var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
            Section("5. The other ledger files through the API");
            result.Others.Add(await ImportAsync(live, "returns", big.ReturnsPath!, big.ReturnRows, sample: true));
            result.Others.Add(await ImportAsync(live, "ad_spend", big.AdSpendPath!, big.AdSpendRows, sample: false));
            result.Others.Add(await ImportAsync(live, "fees", big.FeesPath!, big.FeeRows, sample: false));
            result.Others.Add(await ImportAsync(live, "attribution", big.AttributionPath!, big.AttributionRows, sample: false));

            Section($"6. Reports over HTTP for {_first:yyyy-MM-dd}..{_last:yyyy-MM-dd}, as_of {_last:yyyy-MM-dd}: 1 cold + {options.WarmCalls} warm calls each");
            await WaitForAutovacuumAsync();
            var before = ProcStats.Memory(live.Pid);
            foreach (var report in Reports)
            {
                result.Reports.Add(await ReportAsync(live, report));
            }

            var after = ProcStats.Memory(live.Pid);
            result.ReportRss = (before.Rss, after.Rss, after.Hwm);
            Console.WriteLine($"  app RSS {Mb(before.Rss)} MB before the reports, {Mb(after.Rss)} MB after; peak over the app's life (VmHWM) {Mb(after.Hwm)} MB");

            Section("6a. The naive peer: the marketplaces report as one SQL statement over the raw ledger tables");
            result.Naive = await NaivePeerAsync(live);

            // Reports answer from facts stored with the ledger (decision 0014): a restarted app holds nothing and sums them.
            Section("6b. Reports right after a restart of the app (first call of each in a fresh process)");
            await live.DisposeAsync();
            app = null;
            app = await StartAppAsync("app-restarted.log");
            live = app;
            // Each report's first call with an as_of of its own (the app keeps read sums per as_of and ledger version,
            // so a shared as_of would make the later calls cache hits): every call below reads the rollups afresh.
            // Then the same with an as_of in the past (mid-year), which must be no slower.
            for (var i = 0; i < Reports.Length; i++)
            {
                await QuietAsync($"report {Reports[i]} after a restart");
                var (ms, rows) = await ReportOnceAsync(live, Reports[i], _last.AddDays(-i));
                result.Restarted.Add((Reports[i], ms, LoadAverage()));
                Console.WriteLine($"  {Reports[i],-13} {(i == 0 ? "first call after the restart" : "cold (as_of " + _last.AddDays(-i).ToString("MM-dd", CultureInfo.InvariantCulture) + ")"),-30} {ms,7:0} ms ({rows} rows)  load {LoadAverage()}");
            }

            var past = new DateOnly(options.Year, 6, 30);
            for (var i = 0; i < Reports.Length; i++)
            {
                var (ms, rows) = await ReportOnceAsync(live, Reports[i], past.AddDays(-i));
                result.PastAsOf.Add((Reports[i], ms, LoadAverage()));
                Console.WriteLine($"  {Reports[i],-13} {"cold, as_of " + past.AddDays(-i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),-30} {ms,7:0} ms ({rows} rows)  load {LoadAverage()}");
            }

            Section($"6d. {LoadRequests} concurrent report requests from a load generator in its own process (5 reports x 6 periods x 3 as_of)");
            foreach (var round in new[] { "first round (some as_of not read yet)", "second round (warm)" })
            {
                await QuietAsync("load round");
                var r = await LoadGenerator.RunAsync(live.BaseAddress, _token, options.Year, LoadRequests);
                result.Load.Add((round, r, LoadAverage()));
                Console.WriteLine($"  {round,-40} {r.Ok} answered, {r.Errors} errors; p50 {r.P50:0} ms, p95 {r.P95:0} ms, max {r.Max:0} ms; " +
                    $"{r.Requests / (r.WallMs / 1000):0} requests/s over {r.WallMs:0} ms  load {LoadAverage()}");
                foreach (var error in r.ErrorLines.Take(5))
                {
                    Console.WriteLine("    " + error);
                }
            }

            Section($"6c. Freshness: one day's orders ({_last:yyyy-MM-dd}) imported into the {big.SalesLines:N0}-line ledger, then the next report");
            var day = LedgerFiles.Write(_directory, "day-", options.DayLines, full: false, _last, _last, zone, seed: 20251231);
            var dayPath = Path.Combine(_directory, "day-orders.csv");
            await File.WriteAllLinesAsync(dayPath, File.ReadLines(day.SalesPath).Select((line, i) => i == 0 ? line : DayOrder(line)));
            var revenueBefore = await RevenueAsync(live);
            await QuietAsync("one day's import");
            var dayImport = await ImportAsync(live, "sales", dayPath, day.SalesLines, sample: false);
            var fresh = Stopwatch.StartNew();
            var revenueAfter = await RevenueAsync(live);
            result.Fresh = (day.SalesLines, dayImport.Seconds, fresh.Elapsed.TotalMilliseconds, revenueAfter - revenueBefore);
            result.Loads["fresh"] = LoadAverage();
            Console.WriteLine($"  {day.SalesLines:N0} lines ({day.Orders:N0} orders) written with their facts in {dayImport.Seconds:0.00} s; " +
                $"the next marketplaces report {fresh.Elapsed.TotalMilliseconds:0} ms later shows revenue +{revenueAfter - revenueBefore:N2}");

            if (!options.SkipDiagnostics)
            {
                Section("7. Where report time goes (in-process, same database)");
                result.Breakdown = await ReportBreakdownAsync();
            }
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        if (options.SkipDiagnostics)
        {
            Console.WriteLine("\n  steps 7-9 skipped (--skip-diagnostics)");
            return;
        }

        Section("8. Where the sales merge time goes (EXPLAIN ANALYZE in rolled-back transactions: the same sales lines again, for an empty workspace)");
        result.Merge = await MergeDiagnostics.RunAsync(_benchConnection, Workspace, options.QuietWaitSeconds);

        await EmptyStatisticsAsync(result);
    }

    /// <summary>
    /// Step 9: the same kind of import into a ledger whose tables were ANALYZEd while empty (as after a TRUNCATE, after
    /// deleting a workspace's data, or on a database analyzed before its first import). Prints the merge's plan under
    /// those statistics and times the import with a time limit, against the rate of step 4.
    /// </summary>
    private async Task EmptyStatisticsAsync(Results result)
    {
        var lines = options.StatsLines;
        Section($"9. Plan stability: {lines:N0} sales lines into a ledger ANALYZEd while empty (limit {options.StatsTimeoutSeconds} s)");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        var ledger = LedgerFiles.Write(_directory, "stats-", lines, full: false, _first, _last, zone, seed: 20250103);
        var database = _database + "_stats";
        var builder = new NpgsqlConnectionStringBuilder(_benchConnection) { Database = database };
        await DropDatabaseAsync(_admin, database);
        await ExecuteAsync(_admin, $"CREATE DATABASE {database}");
        try
        {
            await using var app = await AppProcess.StartAsync(builder.ConnectionString, Workspace, _token, Path.Combine(_directory, "app-stats.log"));
            await ExecuteAsync(builder.ConnectionString, "ANALYZE sales_lines, returns, unit_costs, ad_spend, period_fees");
            Console.WriteLine("  plan of the importer's sales merge now (EXPLAIN, file staged in a rolled-back transaction):");
            await MergeDiagnostics.ExplainMergeAsync(builder.ConnectionString, ledger.SalesPath, Workspace);

            await QuietAsync("import into an empty-analyzed ledger");
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
            await DropDatabaseAsync(_admin, database);
        }
    }

    /// <summary>Waits for a quiet machine before a timed step (--quiet-wait) and notes when it did not get quiet.</summary>
    private async Task QuietAsync(string step)
    {
        if (options.QuietWaitSeconds == 0)
        {
            return;
        }

        var (waited, quiet, share) = await ProcStats.WaitForQuietAsync(TimeSpan.FromSeconds(options.QuietWaitSeconds));
        if (!quiet)
        {
            _busySteps.Add(FormattableString.Invariant($"{step} ({share:P0} busy)"));
            Console.WriteLine($"  (machine still {share:P0} busy after waiting {waited:0} s; timing '{step}' anyway)");
        }
        else if (waited > 5)
        {
            Console.WriteLine($"  (waited {waited:0} s for a quiet machine before '{step}')");
        }
    }

    private async Task<AppProcess> StartAppAsync(string log)
    {
        var clock = Stopwatch.StartNew();
        var app = await AppProcess.StartAsync(_benchConnection, Workspace, _token, Path.Combine(_directory, log));
        var (rss, _) = ProcStats.Memory(app.Pid);
        Console.WriteLine($"  app pid {app.Pid} ready at {app.BaseAddress} in {clock.Elapsed.TotalSeconds:0.0} s, RSS {Mb(rss)} MB");
        return app;
    }

    private async Task<CopyMeasurement> CopyAsync(GeneratedLedger big)
    {
        await using var connection = new NpgsqlConnection(_benchConnection);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE bare (
                marketplace text, order_id text, line_id text, ordered_at timestamptz, customer_id text, channel text,
                sku text, quantity integer, revenue numeric, commission numeric, logistics numeric, acquiring numeric, other_fees numeric)
            """,
            connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var runs = new List<(double Seconds, double PgCpu)>();
        for (var run = 1; run <= 2; run++)
        {
            await using (var truncate = new NpgsqlCommand("TRUNCATE bare", connection))
            {
                await truncate.ExecuteNonQueryAsync();
            }

            await QuietAsync($"COPY run {run}");
            var pg = ProcStats.PostgresCpuSeconds(_database);
            var machineCpu = ProcStats.MachineBusySeconds();
            var benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds;
            var clock = Stopwatch.StartNew();
            await using (var writer = await connection.BeginTextImportAsync("COPY bare FROM STDIN (FORMAT csv, HEADER true)"))
            {
                using var reader = new StreamReader(big.SalesPath, System.Text.Encoding.UTF8, false, 1 << 20);
                var buffer = new char[1 << 16];
                int read;
                while ((read = await reader.ReadAsync(buffer)) > 0)
                {
                    await writer.WriteAsync(buffer.AsMemory(0, read));
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var pgCpu = ProcStats.PostgresCpuSeconds(_database) - pg;
            benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds - benchCpu;
            var otherCpu = ProcStats.Others(ProcStats.MachineBusySeconds() - machineCpu, 0, pgCpu, benchCpu);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM bare", connection);
            var rows = (long)(await count.ExecuteScalarAsync())!;
            if (rows != big.SalesLines)
            {
                throw new InvalidOperationException($"COPY loaded {rows} rows, expected {big.SalesLines}.");
            }

            runs.Add((seconds, pgCpu));
            Console.WriteLine($"  run {run}: {rows:N0} rows in {seconds:0.00} s = {rows / seconds:N0} lines/s [CPU s: PostgreSQL {pgCpu:0.0}, bench {benchCpu:0.0}, other processes {otherCpu:0.0}]");
        }

        await using (var drop = new NpgsqlCommand("DROP TABLE bare", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var best = runs.MinBy(r => r.Seconds);
        Console.WriteLine($"  best: {big.SalesLines / best.Seconds:N0} lines/s (the ratio below uses the best run)");
        return new CopyMeasurement(big.SalesLines, best.Seconds, best.PgCpu);
    }

    private async Task<ImportMeasurement> ImportAsync(AppProcess app, string kind, string path, long expectedRows, bool sample)
    {
        var length = new FileInfo(path).Length;
        var clock = new Stopwatch();
        var upload = new UploadStream(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan),
            clock);
        using var content = new StreamContent(upload, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        content.Headers.ContentLength = length;

        if (sample)
        {
            await QuietAsync($"import {expectedRows:N0} {kind}");
        }

        var appCpu = ProcStats.CpuSeconds(app.Pid);
        var pgCpu = ProcStats.PostgresCpuSeconds(_database);
        var machineCpu = ProcStats.MachineBusySeconds();
        var benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds;
        var activity = sample ? await ActivitySampler.StartAsync(_benchConnection) : null;
        var rss = sample ? new RssSampler(app.Pid) : null;
        string body;
        int status;
        clock.Start();
        using (var response = await app.Http.PostAsync(new Uri($"/api/v1/imports/{kind}", UriKind.Relative), content))
        {
            body = await response.Content.ReadAsStringAsync();
            status = (int)response.StatusCode;
        }

        var elapsed = clock.Elapsed;
        if (rss is not null)
        {
            await rss.DisposeAsync();
        }

        if (activity is not null)
        {
            await activity.DisposeAsync();
        }

        appCpu = ProcStats.CpuSeconds(app.Pid) - appCpu;
        pgCpu = ProcStats.PostgresCpuSeconds(_database) - pgCpu;
        machineCpu = ProcStats.MachineBusySeconds() - machineCpu;
        benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds - benchCpu;
        var otherCpu = ProcStats.Others(machineCpu, appCpu, pgCpu, benchCpu);
        if (status != 200)
        {
            throw new InvalidOperationException($"POST /api/v1/imports/{kind} answered {status}: {body[..Math.Min(body.Length, 3000)]}");
        }

        using var json = JsonDocument.Parse(body);
        var rows = json.RootElement.GetProperty("rows").GetInt64();
        var inserted = json.RootElement.GetProperty("inserted").GetInt64();
        var updated = json.RootElement.GetProperty("updated").GetInt64();
        if (rows != expectedRows || inserted != expectedRows)
        {
            throw new InvalidOperationException($"{kind}: expected {expectedRows} rows inserted, the answer was {body}");
        }

        var measurement = new ImportMeasurement(kind, rows, elapsed.TotalSeconds, upload.Finished?.TotalSeconds, appCpu, pgCpu)
        {
            OtherCpu = otherCpu,
            RssStart = rss?.Start ?? 0,
            RssPeak = rss?.Peak ?? 0,
            RssEnd = rss?.End ?? 0,
            RssByTenth = rss?.PeakByTenth() ?? [],
        };
        Console.WriteLine($"  {kind,-9} {rows,10:N0} rows (inserted {inserted:N0}, updated {updated:N0}) in {elapsed.TotalSeconds,7:0.00} s = {rows / elapsed.TotalSeconds,9:N0} rows/s" +
            $"  [CPU s: app {appCpu:0.0}, PostgreSQL {pgCpu:0.0}, bench {benchCpu:0.0}, other processes {otherCpu:0.0}]");
        if (!sample)
        {
            return measurement;
        }

        Console.WriteLine($"    upload body sent by {measurement.UploadSeconds:0.00} s of {elapsed.TotalSeconds:0.00} s; {Mb(length)} MB");
        Console.WriteLine($"    app RSS: start {Mb(measurement.RssStart)} MB, peak {Mb(measurement.RssPeak)} MB, end {Mb(measurement.RssEnd)} MB; " +
            $"peak per tenth of the import: {string.Join(" ", measurement.RssByTenth.Select(Mb))} MB");
        Console.WriteLine($"    phases seen in pg_stat_activity (wall time, from..to seconds, wait events):");
        foreach (var phase in activity!.Phases)
        {
            Console.WriteLine($"      {phase.Label,-52} {phase.Total.TotalSeconds,7:0.00} s  {phase.FirstSeen.TotalSeconds,6:0.0}..{phase.LastSeen.TotalSeconds,6:0.0}  {phase.Waits}");
            measurement.Phases.Add((phase.Label, phase.Total.TotalSeconds));
        }

        Console.WriteLine($"      {"no statement of the app open",-52} {activity.Outside.TotalSeconds,7:0.00} s");
        return measurement;
    }

    /// <summary>Waits (up to 3 minutes) until no autovacuum worker runs in the benchmark database, so warm calls are not disturbed.</summary>
    private async Task WaitForAutovacuumAsync()
    {
        await using var connection = new NpgsqlConnection(_benchConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()", connection);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3) && (long)(await command.ExecuteScalarAsync())! > 0)
        {
            await Task.Delay(500);
        }

        Console.WriteLine($"  waited {clock.Elapsed.TotalSeconds:0.0} s for autovacuum of the new rows to finish");
    }

    /// <summary>One call of a report over the full year: its time and rows.</summary>
    private async Task<(double Ms, int Rows)> ReportOnceAsync(AppProcess app, string report, DateOnly? asOf = null)
    {
        var uri = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"/api/v1/reports/{report}?from={_first:yyyy-MM-dd}&to={_last:yyyy-MM-dd}&as_of={asOf ?? _last:yyyy-MM-dd}"),
            UriKind.Relative);
        var clock = Stopwatch.StartNew();
        using var response = await app.Http.GetAsync(uri);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        }

        using var json = JsonDocument.Parse(bytes);
        return (ms, json.RootElement.GetProperty(report).GetArrayLength());
    }

    /// <summary>The full year's revenue of every marketplace as the marketplaces report gives it.</summary>
    private async Task<decimal> RevenueAsync(AppProcess app)
    {
        var uri = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"/api/v1/reports/marketplaces?from={_first:yyyy-MM-dd}&to={_last:yyyy-MM-dd}&as_of={_last:yyyy-MM-dd}"),
            UriKind.Relative);
        using var response = await app.Http.GetAsync(uri);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("marketplaces").EnumerateArray().Sum(m => m.GetProperty("revenue").GetDecimal());
    }

    /// <summary>A generated sales line with its order id made distinct from the big ledger's (prefix <c>D</c>).</summary>
    private static string DayOrder(string line)
    {
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        return string.Concat(line.AsSpan(0, comma + 1), "D", line.AsSpan(comma + 1));
    }

    /// <summary>The 1-minute load average of the machine (<c>/proc/loadavg</c>), printed next to every figure.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>
    /// Runs <see cref="NaivePeerSql"/> twice (the first after the app's reports, so the ledger pages are as warm as
    /// the app's were) and checks its revenue against the app's marketplaces report.
    /// </summary>
    private async Task<(double FirstMs, double SecondMs, decimal Revenue, decimal AppRevenue, string Load)> NaivePeerAsync(AppProcess app)
    {
        await using var connection = new NpgsqlConnection(_benchConnection);
        await connection.OpenAsync();
        Guid workspaceId;
        await using (var find = new NpgsqlCommand("SELECT id FROM workspaces WHERE name = $1", connection))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = Workspace });
            workspaceId = (Guid)(await find.ExecuteScalarAsync())!;
        }

        var times = new List<double>();
        decimal revenue = 0;
        for (var run = 0; run < 2; run++)
        {
            await QuietAsync("naive peer");
            await using var command = new NpgsqlCommand(NaivePeerSql, connection) { CommandTimeout = 0 };
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            command.Parameters.Add(new NpgsqlParameter { Value = _first });
            command.Parameters.Add(new NpgsqlParameter { Value = _last });
            command.Parameters.Add(new NpgsqlParameter { Value = _last });
            command.Parameters.Add(new NpgsqlParameter { Value = TimeZoneId });
            var clock = Stopwatch.StartNew();
            revenue = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    revenue += reader.GetDecimal(1);
                }
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            Console.WriteLine($"  run {run + 1}: {times[^1]:0} ms  load {LoadAverage()}");
        }

        var appRevenue = await RevenueAsync(app);
        Console.WriteLine($"  revenue: naive {revenue:N2}, SellerDesk {appRevenue:N2} ({(revenue == appRevenue ? "equal" : "DIFFERENT")})");
        return (times[0], times[1], revenue, appRevenue, LoadAverage());
    }

    private async Task<ReportMeasurement> ReportAsync(AppProcess app, string report)
    {
        var uri = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"/api/v1/reports/{report}?from={_first:yyyy-MM-dd}&to={_last:yyyy-MM-dd}&as_of={_last:yyyy-MM-dd}"),
            UriKind.Relative);

        async Task<(double Ms, int Bytes, int Rows)> CallAsync()
        {
            var clock = Stopwatch.StartNew();
            using var response = await app.Http.GetAsync(uri);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var ms = clock.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
            }

            using var json = JsonDocument.Parse(bytes);
            return (ms, bytes.Length, json.RootElement.GetProperty(report).GetArrayLength());
        }

        await QuietAsync($"report {report}");
        var cold = await CallAsync();
        var warm = new List<double>();
        var appCpu = ProcStats.CpuSeconds(app.Pid);
        var pgCpu = ProcStats.PostgresCpuSeconds(_database);
        var machineCpu = ProcStats.MachineBusySeconds();
        var benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds;
        for (var i = 0; i < options.WarmCalls; i++)
        {
            warm.Add((await CallAsync()).Ms);
        }

        appCpu = ProcStats.CpuSeconds(app.Pid) - appCpu;
        pgCpu = ProcStats.PostgresCpuSeconds(_database) - pgCpu;
        benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds - benchCpu;
        var otherCpu = ProcStats.Others(ProcStats.MachineBusySeconds() - machineCpu, appCpu, pgCpu, benchCpu);

        var measurement = new ReportMeasurement(report, cold.Ms, warm.Min(), Median(warm), warm.Max(), cold.Rows, cold.Bytes) { Load = LoadAverage() };
        Console.WriteLine($"  {report,-13} cold {cold.Ms,7:0} ms; warm min {measurement.WarmMin,7:0} / median {measurement.WarmMedian,7:0} / max {measurement.WarmMax,7:0} ms" +
            $"  ({cold.Rows} rows, {cold.Bytes:N0} bytes)");
        Console.WriteLine($"                warm calls: {string.Join(" ", warm.Select(w => w.ToString("0", CultureInfo.InvariantCulture)))} ms" +
            $"  [CPU s over the warm calls: app {appCpu:0.0}, PostgreSQL {pgCpu:0.0}, other processes {otherCpu:0.0}]");
        return measurement;
    }

    /// <summary>
    /// Takes a report call that misses ReportService's cache apart: the longest report SQL alone (EXPLAIN ANALYZE),
    /// fetching and materializing the sums (<see cref="ReportQueries.LoadSumsAsync"/>, what
    /// <see cref="ReportService.LoadFactsAsync"/> reads), and each report's computation.
    /// </summary>
    private async Task<Breakdown> ReportBreakdownAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_benchConnection);
        Guid workspaceId;
        await using (var command = dataSource.CreateCommand("SELECT id FROM workspaces WHERE name = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Workspace });
            workspaceId = (Guid)(await command.ExecuteScalarAsync())!;
        }

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
            parameters.Add(new NpgsqlParameter { Value = _first, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
            parameters.Add(new NpgsqlParameter { Value = _last, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
            parameters.Add(new NpgsqlParameter { Value = _last, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
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
        var period = new ReportPeriod(_first, _last, _last);
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

        var breakdown = new Breakdown(executionMs, Median(load), Median(build), Median(channels), Median(marketplaces), Median(cohorts));
        Console.WriteLine("  median of 3 in-process runs:");
        Console.WriteLine($"    {sqlName} executing in PostgreSQL (EXPLAIN ANALYZE)  {executionMs,8:0} ms");
        Console.WriteLine($"    ReportQueries.LoadSumsAsync (SQL + fetch + objects)          {breakdown.LoadMs,8:0} ms");
        Console.WriteLine($"    new FactReports                                             {breakdown.BuildMs,8:0} ms");
        Console.WriteLine($"    Channels() {breakdown.ChannelsMs,6:0} ms, Marketplaces() {breakdown.MarketplacesMs,6:0} ms, Cohorts() {breakdown.CohortsMs,6:0} ms");
        Console.WriteLine("    (an API call that misses ReportService's cache pays LoadSumsAsync; a cached call only the report itself)");
        return breakdown;
    }

    private static int PrintSummary(List<(string Name, string Value)> machine, GeneratedLedger big, Results result, List<string> busySteps)
    {
        var copy = result.Copy!;
        var importRate = result.Big!.LinesPerSecond;
        var ratio = importRate / copy.LinesPerSecond;
        var growth = (double)result.Big.RssPeak / result.Small!.RssPeak;
        var importLoad = result.Loads.GetValueOrDefault("import", "?");
        var rows = new List<(string Target, string Measured, string Goal, bool Ok)>
        {
            ($"Import {big.SalesLines:N0} sales lines via API, with facts", $"{importRate:N0} lines/s ({result.Big.Seconds:0.0} s, best of {result.BigRuns.Count}; load {importLoad})", $">= {ImportTarget:N0} lines/s", importRate >= ImportTarget),
            ("Import rate vs PostgreSQL COPY", $"{ratio:0.00} ({importRate:N0} / {copy.LinesPerSecond:N0})", $">= {CopyRatioTarget:0.00}", ratio >= CopyRatioTarget),
            ($"Peak RSS of the import: {big.SalesLines / 1000:N0}k vs {result.Small.Lines / 1000:N0}k", $"{Mb(result.Big.RssPeak)} vs {Mb(result.Small.RssPeak)} MB (x{growth:0.00})", $"<= x{MemoryGrowthLimit:0.00}", growth <= MemoryGrowthLimit),
        };
        foreach (var report in result.Reports)
        {
            rows.Add(($"Report {report.Name}, full year, warm median", $"{report.WarmMedian:0} ms (max {report.WarmMax:0}; load {report.Load})", $"< {WarmReportTargetMs:0} ms", report.WarmMedian < WarmReportTargetMs));
            rows.Add(($"Report {report.Name}, first call after the imports", $"{report.Cold:0} ms (load {report.Load})", $"< {ReportTargetMs:0} ms", report.Cold < ReportTargetMs));
        }

        foreach (var (name, ms, load) in result.Restarted)
        {
            rows.Add(($"Report {name}, cold after a restart", $"{ms:0} ms (load {load})", $"< {ReportTargetMs:0} ms", ms < ReportTargetMs));
        }

        foreach (var (name, ms, load) in result.PastAsOf)
        {
            var today = result.Restarted.FirstOrDefault(r => r.Name == name).Ms;
            rows.Add(($"Report {name}, cold, as_of mid-year", $"{ms:0} ms vs {today:0} ms at year end (load {load})", $"< {ReportTargetMs:0} ms", ms < ReportTargetMs));
        }

        if (result.Naive is { } naive)
        {
            rows.Add(("Naive peer: marketplaces as one SQL", $"{naive.FirstMs:0} / {naive.SecondMs:0} ms (load {naive.Load}; revenue {(naive.Revenue == naive.AppRevenue ? "equal" : "DIFFERS")})", "(reference)", naive.Revenue == naive.AppRevenue));
        }

        foreach (var (round, r, load) in result.Load)
        {
            rows.Add(($"{r.Requests} concurrent reports, {round.Split(' ')[0]} round", $"p50 {r.P50:0}, p95 {r.P95:0} ms, {r.Errors} errors (load {load})", $"p95 < {LoadP95TargetMs:0} ms, 0 err", r.P95 < LoadP95TargetMs && r.Errors == 0));
        }

        rows.Add(("App RSS serving the reports (VmHWM)", $"{Mb(result.ReportRss.Hwm)} MB (after the reports {Mb(result.ReportRss.After)} MB)", "(10M: <= x1.25 of 1M)", true));

        if (result.Fresh is { } fresh)
        {
            rows.Add(($"One day ({fresh.Lines:N0} lines) in the next report", $"{fresh.ReportMs:0} ms after the write ({fresh.WriteSeconds:0.00} s; load {result.Loads.GetValueOrDefault("fresh", "?")})", $"< {FreshTargetSeconds:0} s", fresh.ReportMs < FreshTargetSeconds * 1000 && fresh.RevenueAdded > 0));
        }

        Section("SUMMARY");
        foreach (var (name, value) in machine)
        {
            Console.WriteLine($"  {name,-12} {value}");
        }

        Console.WriteLine();
        Console.WriteLine($"  | {"target",-46} | {"measured",-62} | {"goal",-24} | result |");
        Console.WriteLine($"  |{new string('-', 48)}|{new string('-', 64)}|{new string('-', 26)}|--------|");
        foreach (var (target, measured, goal, ok) in rows)
        {
            Console.WriteLine($"  | {target,-46} | {measured,-62} | {goal,-24} | {Pass(ok),-6} |");
        }

        Console.WriteLine();
        Console.WriteLine($"  {result.Big.Lines:N0}-line import: RSS start {Mb(result.Big.RssStart)} MB -> end {Mb(result.Big.RssEnd)} MB; {result.Small.Lines:N0}-line import: peak {Mb(result.Small.RssPeak)} MB, " +
            $"{result.Small.LinesPerSecond:N0} lines/s");
        Console.WriteLine($"  other imports: {string.Join(", ", result.Others.Select(o => $"{o.Kind} {o.Lines:N0} rows {o.Seconds:0.00} s"))}");
        Console.WriteLine($"  sales import into a ledger ANALYZEd while empty (step 9): {result.EmptyStats}");
        Console.WriteLine($"  CPU of other processes during the {result.Big.Lines:N0}-line import: {result.Big.OtherCpu:0.0} s over {result.Big.Seconds:0.0} s wall " +
            $"({result.Big.OtherCpu / result.Big.Seconds / Environment.ProcessorCount:P0} of the machine)");
        Console.WriteLine(busySteps.Count == 0
            ? "  every timed step started on a quiet machine (<15% CPU busy)"
            : $"  steps started on a busy machine (figures disturbed): {string.Join("; ", busySteps)}");
        return rows.All(r => r.Ok) ? 0 : 1;
    }

    private sealed class Results
    {
        public CopyMeasurement? Copy { get; set; }

        public ImportMeasurement? Small { get; set; }

        public ImportMeasurement? Big { get; set; }

        public List<ImportMeasurement> BigRuns { get; set; } = [];

        public List<ImportMeasurement> Others { get; } = [];

        public List<ReportMeasurement> Reports { get; } = [];

        public List<(string Name, double Ms, string Load)> Restarted { get; } = [];

        public List<(string Name, double Ms, string Load)> PastAsOf { get; } = [];

        public List<(string Round, LoadRound Figures, string Load)> Load { get; } = [];

        public (double FirstMs, double SecondMs, decimal Revenue, decimal AppRevenue, string Load)? Naive { get; set; }

        public Dictionary<string, string> Loads { get; } = [];

        public (long Lines, double WriteSeconds, double ReportMs, decimal RevenueAdded)? Fresh { get; set; }

        public (long Before, long After, long Hwm) ReportRss { get; set; }

        public Breakdown? Breakdown { get; set; }

        public IReadOnlyList<(string Name, double Ms)> Merge { get; set; } = [];

        public string? EmptyStats { get; set; }
    }

    private sealed record CopyMeasurement(long Lines, double Seconds, double PgCpu)
    {
        public double LinesPerSecond => Lines / Seconds;
    }

    private sealed record ImportMeasurement(string Kind, long Lines, double Seconds, double? UploadSeconds, double AppCpu, double PgCpu)
    {
        public double LinesPerSecond => Lines / Seconds;

        public double OtherCpu { get; init; }

        public long RssStart { get; init; }

        public long RssPeak { get; init; }

        public long RssEnd { get; init; }

        public IReadOnlyList<long> RssByTenth { get; init; } = [];

        public List<(string Label, double Seconds)> Phases { get; } = [];
    }

    private sealed record ReportMeasurement(string Name, double Cold, double WarmMin, double WarmMedian, double WarmMax, int Rows, int Bytes)
    {
        public string Load { get; init; } = "?";
    }

    private sealed record Breakdown(
        double? ExecutionMs, double LoadMs, double BuildMs, double ChannelsMs, double MarketplacesMs, double CohortsMs);
}
