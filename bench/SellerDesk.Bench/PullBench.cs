using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;

namespace SellerDesk.Bench;

/// <summary>
/// The Wildberries pull benchmark (issue 3: a 200 000-line report pulled end to end from the fake server at
/// 20 000 lines/s or more, memory flat): the fake Wildberries of the tests serves a generated report over local HTTP,
/// a real <see cref="PullRunner"/> pulls it into a fresh, migrated database (fetch, parse, stage, merge, derive the
/// ledger, write it, reconcile), timed end to end with the runner's phases and this process's memory.
/// </summary>
internal sealed class PullBench(BenchOptions options)
{
    private const double Target = 20_000;
    private static readonly DateOnly From = new(2026, 1, 1);
    private const int Days = 31;

    public async Task<int> RunAsync()
    {
        Console.WriteLine("SellerDesk Wildberries pull benchmark");
        Console.WriteLine($"  date        {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"  cpu         {Environment.ProcessorCount} x {Cpu()}");
        Console.WriteLine($"  load avg    {File.ReadAllText("/proc/loadavg").Trim()} (at start)");
        Console.WriteLine($"  runtime     {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}");

        var small = Report(options.PullSmallLines, seed: 50);
        var big = Report(options.PullLines, seed: 200);
        await using var fake = await FakeWildberries.StartAsync(small);
        Console.WriteLine($"  fake        {fake.BaseUrl} (in this process)");

        var results = new List<Measurement>();
        Console.WriteLine("\n== warm-up (2 000 lines, not counted)");
        fake.Report = Report(2_000, seed: 1);
        await PullAsync(fake, "warm-up", repull: false);

        Console.WriteLine($"\n== small pull ({small.Lines.Count:N0} report lines)");
        fake.Report = small;
        var smallRun = await PullAsync(fake, "small", repull: false);

        fake.Report = big;
        for (var run = 1; run <= options.PullRuns; run++)
        {
            Console.WriteLine($"\n== big pull {run}/{options.PullRuns} ({big.Lines.Count:N0} report lines)");
            results.Add(await PullAsync(fake, $"big {run}", repull: run == options.PullRuns));
        }

        var rates = results.Select(r => r.LinesPerSecond).Order().ToList();
        var best = results.MaxBy(r => r.LinesPerSecond)!;
        var median = rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[(rates.Count / 2) - 1] + rates[rates.Count / 2]) / 2;
        Console.WriteLine("\n== summary");
        Console.WriteLine($"  big pull: best {best.LinesPerSecond:N0} lines/s ({best.Seconds:0.00} s), median {median:N0} lines/s over {results.Count} runs" +
            $" -> target {Target:N0} lines/s: {(best.LinesPerSecond >= Target ? "PASS" : "FAIL")}");
        Console.WriteLine($"  memory over the idle process: {smallRun.Lines:N0} lines +{Mb(smallRun.RssPeak - smallRun.RssBefore)} MB RSS, " +
            $"+{Mb(smallRun.ManagedPeak - smallRun.ManagedBefore)} MB managed live; {best.Lines:N0} lines +{Mb(best.RssPeak - best.RssBefore)} MB RSS, " +
            $"+{Mb(best.ManagedPeak - best.ManagedBefore)} MB managed live (the first run of a size grows the heap; compare the live figures)");
        Console.WriteLine($"  best run's phases: {string.Join(", ", best.Phases.Select(p => $"{p.Name} {p.Seconds:0.00} s"))}");
        return best.LinesPerSecond >= Target ? 0 : 1;
    }

    private static FakeWildberriesReport Report(int lines, int seed)
    {
        // Lines per order of the generator, measured on a sample, so the report comes out near the size asked for.
        var probe = FakeWildberriesReport.Generate(From, days: 3, ordersPerDay: 500, seed: seed);
        var perOrder = probe.Lines.Count / 1_500.0;
        var ordersPerDay = Math.Max(1, (int)Math.Round(lines / perOrder / Days));
        var report = FakeWildberriesReport.Generate(From, Days, ordersPerDay, seed);
        _ = report.LineJson; // serialised once here, not while timed
        return report;
    }

    private async Task<Measurement> PullAsync(FakeWildberries fake, string label, bool repull)
    {
        var database = "sellerdesk_pullbench_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var admin = new NpgsqlConnectionStringBuilder(options.Connection).ConnectionString;
        var builder = new NpgsqlConnectionStringBuilder(options.Connection) { Database = database, CommandTimeout = 0 };
        builder.Options = string.IsNullOrEmpty(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off"; // as the app does
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync();
            var workspaceId = Guid.NewGuid();
            var connectionId = Guid.NewGuid();
            await ExecuteAsync(dataSource, "INSERT INTO workspaces (id, name) VALUES ($1, 'pull bench')", workspaceId);
            await ExecuteAsync(
                dataSource,
                "INSERT INTO connections (id, workspace_id, marketplace, name, protected_credentials) VALUES ($1, $2, 'wildberries', 'WB', 'protected')",
                connectionId,
                workspaceId);

            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var connector = new WildberriesConnector(new ResilientHttpSender(http, TimeProvider.System), new WildberriesOptions());
            var connection = fake.Connection(connectionId) with { WorkspaceId = workspaceId };
            var window = (From: fake.Report.Lines.Min(l => l.ReportDate), To: fake.Report.Lines.Max(l => l.ReportDate));
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
            var phases = new List<(string Name, double Seconds)>();
            var runner = new PullRunner(dataSource, new LedgerImporter(dataSource), TimeProvider.System)
            {
                PhaseTimed = (name, elapsed) => phases.Add((name, elapsed.TotalSeconds)),
            };

            // "Refresh": the reports as of the report's last day are held before the pull and brought up to date after
            // it, as the app does when a pull succeeds (decision 0009); timed as part of the pull.
            var today = new DateTimeOffset(window.To.ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(3));
            var reports = new ReportService(new ReportQueries(dataSource), new FixedClock(today));
            var workspace = new WorkspaceContext(workspaceId, "bench", "Europe/Moscow");
            await reports.LoadAsync(workspace, new ReportRequest(window.From, window.To));

            var measurement = await TimedAsync();
            if (repull)
            {
                phases.Clear();
                var again = await TimedAsync();
                Console.WriteLine($"  re-pull of the same report: {again.Seconds:0.00} s ({again.LinesPerSecond:N0} lines/s), " +
                    $"phases {string.Join(", ", again.Phases.Select(p => $"{p.Name} {p.Seconds:0.00}"))}");
            }

            return measurement;

            async Task<Measurement> TimedAsync()
            {
                var runId = Guid.NewGuid();
                await ExecuteAsync(
                    dataSource,
                    "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to) VALUES ($1, $2, $3, 'manual', 'queued', $4, $5)",
                    runId,
                    workspaceId,
                    connectionId,
                    window.From,
                    window.To);

                if (options.QuietWaitSeconds > 0)
                {
                    var (waited, quiet, share) = await ProcStats.WaitForQuietAsync(TimeSpan.FromSeconds(options.QuietWaitSeconds));
                    Console.WriteLine(quiet
                        ? $"  (machine quiet after {waited:0} s)"
                        : $"  (machine still {share:P0} busy after waiting {waited:0} s; timing anyway)");
                }

                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var rssBefore = ProcStats.Memory(Environment.ProcessId).Rss;
                var managedBefore = GC.GetTotalMemory(false);
                var pgCpu = ProcStats.PostgresCpuSeconds(database);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var machine = ProcStats.MachineBusySeconds();
                var liveBefore = Live();
                using var sampling = new CancellationTokenSource();
                long rssPeak = rssBefore, managedPeak = managedBefore, livePeak = liveBefore;
                var sampler = Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        rssPeak = Math.Max(rssPeak, ProcStats.Memory(Environment.ProcessId).Rss);
                        managedPeak = Math.Max(managedPeak, GC.GetTotalMemory(false));
                        livePeak = Math.Max(livePeak, Live());
                        try
                        {
                            await Task.Delay(20, sampling.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                });

                var clock = Stopwatch.StartNew();
                var result = await runner.RunAsync(runId, connection, connector, zone, CancellationToken.None);
                var refreshStart = clock.Elapsed;
                var refresh = await reports.RefreshAsync(workspace);
                phases.Add(("refresh", (clock.Elapsed - refreshStart).TotalSeconds));
                clock.Stop();
                var marketplaces = (await reports.LoadAsync(workspace, new ReportRequest(window.From, window.To))).Marketplaces();
                Console.WriteLine($"  reports refreshed ({refresh.Kind}, {refresh.OrdersRead:N0} orders read): revenue " +
                    $"{marketplaces.Sum(m => m.Revenue):N2} over {marketplaces.Count} marketplace(s)");
                await sampling.CancelAsync();
                await sampler;
                var appCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                pgCpu = ProcStats.PostgresCpuSeconds(database) - pgCpu;
                var others = ProcStats.Others(ProcStats.MachineBusySeconds() - machine, appCpu, pgCpu, 0);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"The pull failed: {result.Error}");
                }

                var lines = result.RowsRead;
                var m = new Measurement(label, lines, clock.Elapsed.TotalSeconds, rssBefore, rssPeak, liveBefore, livePeak, [.. phases]);
                Console.WriteLine($"  {lines:N0} rows ({result.Inserted:N0} inserted, {result.Updated:N0} updated, {result.PagesRead} pages) in " +
                    $"{m.Seconds:0.00} s = {m.LinesPerSecond:N0} lines/s; CPU: this process (pull + fake server) {appCpu:0.0} s, " +
                    $"PostgreSQL {pgCpu:0.0} s, other processes {others:0.0} s");
                Console.WriteLine($"  payout: marketplace {result.MarketplacePayout:N2}, ledger {result.LedgerPayout:N2}" +
                    $" ({(result.MarketplacePayout == result.LedgerPayout ? "equal to the kopeck" : "DIFFERENT")})");
                Console.WriteLine($"  memory: RSS {Mb(rssBefore)} -> peak {Mb(rssPeak)} MB (+{Mb(rssPeak - rssBefore)}), " +
                    $"managed live after a GC {Mb(liveBefore)} -> peak {Mb(livePeak)} MB (+{Mb(livePeak - liveBefore)}), " +
                    $"managed heap with garbage peak {Mb(managedPeak)} MB (+{Mb(managedPeak - managedBefore)})");
                Console.WriteLine($"  phases: {string.Join(", ", phases.Select(p => $"{p.Name} {p.Seconds:0.00} s"))}" +
                    $" (other {m.Seconds - phases.Sum(p => p.Seconds):0.00} s)");
                return m;
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (options.KeepDatabase)
            {
                Console.WriteLine($"  database {database} kept (--keep-database)");
            }
            else
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            }
        }
    }

    /// <summary>The managed heap as the last collection left it, without its fragmentation: live objects, not garbage.</summary>
    private static long Live()
    {
        var info = GC.GetGCMemoryInfo();
        return info.HeapSizeBytes - info.FragmentedBytes;
    }

    private static string Cpu() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private sealed record Measurement(
        string Label, int Lines, double Seconds, long RssBefore, long RssPeak, long ManagedBefore, long ManagedPeak,
        IReadOnlyList<(string Name, double Seconds)> Phases)
    {
        public double LinesPerSecond => Lines / Seconds;
    }
}

/// <summary>A clock stopped at one instant: "today" for the reports of the benchmark.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
