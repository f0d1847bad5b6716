using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Testing.Marketplaces;

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
    private const int SampleMs = 50;

    public async Task<int> RunAsync()
    {
        Console.WriteLine("SellerDesk Wildberries pull benchmark");
        Console.WriteLine($"  date        {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"  cpu         {Environment.ProcessorCount} x {Cpu()}");
        Console.WriteLine($"  load avg    {File.ReadAllText("/proc/loadavg").Trim()} (at start)");
        Console.WriteLine($"  runtime     {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine("  fakes       each report served by a child process of its own (fake-wb), so no report is in this process's memory");

        var results = new List<Measurement>();
        await using (var warmUp = await FakeWildberriesProcess.StartAsync(2_000, seed: 1))
        {
            Console.WriteLine("\n== warm-up (2 000 lines, not counted)");
            await PullAsync(warmUp, "warm-up", repull: false, memory: false);
        }

        Measurement smallRun;
        await using (var small = await FakeWildberriesProcess.StartAsync(options.PullSmallLines, seed: 50))
        {
            Console.WriteLine($"\n== small pull ({small.Lines:N0} lines)");
            smallRun = await PullAsync(small, "small", repull: false, memory: false);
        }

        await using (var big = await FakeWildberriesProcess.StartAsync(options.PullLines, seed: 200))
        {
            for (var run = 1; run <= options.PullRuns; run++)
            {
                Console.WriteLine($"\n== big pull {run}/{options.PullRuns} ({big.Lines:N0} lines)");
                results.Add(await PullAsync(big, $"big {run}", repull: run == options.PullRuns, memory: false));
            }
        }

        // Memory: each size pulled once more into a fresh database while a sampler makes a full blocking collection
        // every SampleMs and reads the live managed heap (not timed: the collections slow the pull down).
        var memory = new List<Measurement>();
        foreach (var (name, lines, seed) in new[] { ("small", options.PullSmallLines, 50), ("big", options.PullLines, 200), ("huge", options.PullHugeLines, 400) })
        {
            if (lines <= 0)
            {
                continue;
            }

            await using var fake = await FakeWildberriesProcess.StartAsync(lines, seed);
            Console.WriteLine($"\n== memory run, {name} ({fake.Lines:N0} lines, full collection every {SampleMs} ms)");
            memory.Add(await PullAsync(fake, $"memory {name}", repull: false, memory: true));
        }

        var rates = results.Select(r => r.LinesPerSecond).Order().ToList();
        var best = results.MaxBy(r => r.LinesPerSecond)!;
        var median = rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[(rates.Count / 2) - 1] + rates[rates.Count / 2]) / 2;
        Console.WriteLine("\n== summary");
        Console.WriteLine($"  big pull: best {best.LinesPerSecond:N0} lines/s ({best.Seconds:0.00} s), median {median:N0} lines/s over {results.Count} runs" +
            $" -> target {Target:N0} lines/s: {(best.LinesPerSecond >= Target ? "PASS" : "FAIL")}");
        Console.WriteLine($"  small pull: {smallRun.LinesPerSecond:N0} lines/s; RSS over idle: small +{Mb(smallRun.RssPeak - smallRun.RssBefore)} MB, " +
            $"best big +{Mb(best.RssPeak - best.RssBefore)} MB");
        Console.WriteLine("  live managed memory over the idle process (MB): lines | pull peak | refresh peak | kept after (report facts) | bytes kept per order");
        foreach (var m in memory)
        {
            Console.WriteLine($"    {m.Lines,9:N0} | {Mb(m.PullPeak - m.ManagedBefore),9} | {Mb(m.RefreshPeak - m.ManagedBefore),12} | " +
                $"{Mb(m.ManagedAfter - m.ManagedBefore),25} | {(m.Orders > 0 ? (m.ManagedAfter - m.ManagedBefore) / m.Orders : 0),6:N0} ({m.Orders:N0} orders)");
        }

        // Flat: a report twice the big one's size (or more) needs no more working memory than the big one (within x1.25).
        // A report smaller than the pull's buffers (one 100,000-line page, 50,000-row write parts) needs less; it is shown.
        var flat = true;
        var reference = memory.FirstOrDefault(m => m.Label == "memory big");
        foreach (var m in memory.Where(m => reference is not null && m.Lines > reference.Lines))
        {
            var ratio = (double)Math.Max(1, m.PullPeak - m.ManagedBefore) / Math.Max(1, reference!.PullPeak - reference.ManagedBefore);
            var ok = ratio <= 1.25;
            flat &= ok;
            Console.WriteLine($"  pull working memory, {m.Lines:N0} vs {reference.Lines:N0} lines: x{ratio:0.00} -> flat (<= x1.25): {(ok ? "PASS" : "FAIL")}");
        }

        Console.WriteLine($"  best run's phases: {string.Join(", ", best.Phases.Select(p => $"{p.Name} {p.Seconds:0.00} s"))}");
        return best.LinesPerSecond >= Target && flat ? 0 : 1;
    }

    private async Task<Measurement> PullAsync(FakeWildberriesProcess fake, string label, bool repull, bool memory)
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
            var connection = new ConnectionSettings(
                connectionId,
                workspaceId,
                WildberriesConnector.MarketplaceCode,
                new Dictionary<string, string> { [WildberriesConnector.TokenKey] = FakeWildberries.DefaultToken },
                fake.BaseUrl);
            var window = (From: fake.First, To: fake.Last);
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
            var phases = new List<(string Name, double Seconds)>();
            var runner = new PullRunner(dataSource, ConnectorMarketplaces.NewLedgerWriter(dataSource), TimeProvider.System)
            {
                PhaseTimed = (name, elapsed) => phases.Add((name, elapsed.TotalSeconds)),
            };

            // "Refresh": the reports as of the report's last day are held before the pull and brought up to date after
            // it, as the app does when a pull succeeds (decision 0009); timed as part of the pull.
            var today = new DateTimeOffset(window.To.ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(3));
            var reports = new ReportService(new ReportQueries(dataSource), new FixedClock(today));
            var workspace = new WorkspaceContext(workspaceId, "bench", "Europe/Moscow");
            await reports.LoadFactsAsync(workspace, new ReportRequest(window.From, window.To));

            var measurement = await TimedAsync();
            if (repull)
            {
                phases.Clear();
                var again = await TimedAsync();
                Console.WriteLine($"  re-pull of the same report: {again.Seconds:0.00} s ({again.LinesPerSecond:N0} lines/s), " +
                    $"phases {string.Join(", ", again.Phases.Select(p => $"{p.Name} {p.Seconds:0.00}"))}");
            }

            GC.KeepAlive(reports);
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

                if (options.QuietWaitSeconds > 0 && !memory)
                {
                    var (waited, quiet, share) = await ProcStats.WaitForQuietAsync(TimeSpan.FromSeconds(options.QuietWaitSeconds));
                    Console.WriteLine(quiet
                        ? $"  (machine quiet after {waited:0} s)"
                        : $"  (machine still {share:P0} busy after waiting {waited:0} s; timing anyway)");
                }

                var managedBefore = LiveAfterFullCollection();
                var rssBefore = ProcStats.Memory(Environment.ProcessId).Rss;
                var pgCpu = ProcStats.PostgresCpuSeconds(database);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var fakeCpu = ProcStats.CpuSeconds(fake.ProcessId);
                var machine = ProcStats.MachineBusySeconds();
                using var sampling = new CancellationTokenSource();
                long rssPeak = rssBefore, pullPeak = managedBefore, refreshPeak = managedBefore;
                var refreshing = false;
                var sampler = Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        rssPeak = Math.Max(rssPeak, ProcStats.Memory(Environment.ProcessId).Rss);
                        if (memory)
                        {
                            var live = LiveAfterFullCollection();
                            if (Volatile.Read(ref refreshing))
                            {
                                refreshPeak = Math.Max(refreshPeak, live);
                            }
                            else
                            {
                                pullPeak = Math.Max(pullPeak, live);
                            }
                        }

                        try
                        {
                            await Task.Delay(memory ? SampleMs : 20, sampling.Token);
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
                Volatile.Write(ref refreshing, true);
                // The pull wrote its orders' facts in its own transactions (decision 0014): the first report after it
                // only sums them. Its time is the freshness of the reports after the pull.
                var firstReport = await reports.LoadFactsAsync(workspace, new ReportRequest(window.From, window.To));
                var changedOrders = firstReport.Marketplaces().Sum(r => r.Quantity);
                phases.Add(("report", (clock.Elapsed - refreshStart).TotalSeconds));
                clock.Stop();
                await sampling.CancelAsync();
                await sampler;
                var appCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                fakeCpu = ProcStats.CpuSeconds(fake.ProcessId) - fakeCpu;
                pgCpu = ProcStats.PostgresCpuSeconds(database) - pgCpu;
                var others = ProcStats.Others(ProcStats.MachineBusySeconds() - machine, appCpu, pgCpu, fakeCpu);
                var managedAfter = LiveAfterFullCollection();
                var marketplaces = (await reports.LoadFactsAsync(workspace, new ReportRequest(window.From, window.To))).Marketplaces();
                Console.WriteLine($"  first report after the pull ({changedOrders:N0} units in the window): revenue " +
                    $"{marketplaces.Sum(m => m.Revenue):N2} over {marketplaces.Count} marketplace(s)");
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"The pull failed: {result.Error}");
                }

                var lines = result.RowsRead;
                var m = new Measurement(label, lines, clock.Elapsed.TotalSeconds, rssBefore, rssPeak, managedBefore, pullPeak, refreshPeak, managedAfter,
                    changedOrders, [.. phases]);
                Console.WriteLine($"  {lines:N0} rows ({result.Inserted:N0} inserted, {result.Updated:N0} updated, {result.PagesRead} pages) in " +
                    $"{m.Seconds:0.00} s = {m.LinesPerSecond:N0} lines/s{(memory ? " (slowed by the memory sampler)" : "")}; CPU: pull {appCpu:0.0} s, " +
                    $"fake {fakeCpu:0.0} s, PostgreSQL {pgCpu:0.0} s, other processes {others:0.0} s");
                Console.WriteLine($"  payout: marketplace {result.MarketplacePayout:N2}, ledger {result.LedgerPayout:N2}" +
                    $" ({(result.MarketplacePayout == result.LedgerPayout ? "equal to the kopeck" : "DIFFERENT")})");
                Console.WriteLine($"  memory: RSS {Mb(rssBefore)} -> peak {Mb(rssPeak)} MB (+{Mb(rssPeak - rssBefore)})" + (memory
                    ? $"; live managed {Mb(managedBefore)} MB before, pull peak +{Mb(pullPeak - managedBefore)}, refresh peak +{Mb(refreshPeak - managedBefore)}, " +
                      $"kept after +{Mb(managedAfter - managedBefore)} MB (no ledger is held: reports sum stored facts)"
                    : $"; live managed kept after +{Mb(managedAfter - managedBefore)} MB"));
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
                await DropDatabaseAsync(admin, database);
            }
        }
    }

    /// <summary>
    /// Drops a benchmark database. Right after a big pull an autovacuum worker (a superuser's backend, which the
    /// benchmark's role may not terminate: 42501) is often still analysing it, so this waits for it, up to two minutes.
    /// </summary>
    private static async Task DropDatabaseAsync(string admin, string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 60)
            {
                if (attempt == 1)
                {
                    Console.WriteLine($"  (dropping {database} waits for another backend, most likely autovacuum: {ex.MessageText})");
                }

                await Task.Delay(2000);
            }
        }
    }

    /// <summary>Live managed bytes: a full blocking collection, then the heap without its free space.</summary>
    private static long LiveAfterFullCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
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
        string Label, int Lines, double Seconds, long RssBefore, long RssPeak, long ManagedBefore, long PullPeak, long RefreshPeak, long ManagedAfter,
        int Orders, IReadOnlyList<(string Name, double Seconds)> Phases)
    {
        public double LinesPerSecond => Lines / Seconds;
    }
}

/// <summary>A clock stopped at one instant: "today" for the reports of the benchmark.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
