using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace SellerDesk.Bench.Steps;

/// <summary>
/// Step 6: every report over HTTP for the full year, one cold and --warm warm calls each, with the CPU of the app and
/// PostgreSQL over the warm calls, and the app's RSS before and after the reports.
/// </summary>
internal static class ReportsStep
{
    /// <summary>The reports of the API the benchmark times.</summary>
    public static readonly string[] Reports = ["channels", "marketplaces", "cohorts", "skus", "pnl"];

    public static async Task RunAsync(BenchContext context, AppProcess app, BenchResults result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(result);
        BenchContext.Section($"6. Reports over HTTP for {context.First:yyyy-MM-dd}..{context.Last:yyyy-MM-dd}, as_of {context.Last:yyyy-MM-dd}: 1 cold + {context.Options.WarmCalls} warm calls each");
        await WaitForAutovacuumAsync(context);
        var before = ProcStats.Memory(app.Pid);
        foreach (var report in Reports)
        {
            result.Reports.Add(await ReportAsync(context, app, report));
        }

        var after = ProcStats.Memory(app.Pid);
        result.ReportRss = (before.Rss, after.Rss, after.Hwm);
        Console.WriteLine($"  app RSS {BenchContext.Mb(before.Rss)} MB before the reports, {BenchContext.Mb(after.Rss)} MB after; peak over the app's life (VmHWM) {BenchContext.Mb(after.Hwm)} MB");
    }

    /// <summary>Waits (up to 3 minutes) until no autovacuum worker runs in the benchmark database, so warm calls are not disturbed.</summary>
    private static async Task WaitForAutovacuumAsync(BenchContext context)
    {
        await using var connection = new NpgsqlConnection(context.BenchConnection);
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

    private static async Task<ReportMeasurement> ReportAsync(BenchContext context, AppProcess app, string report)
    {
        await context.QuietAsync($"report {report}");
        var cold = await context.ReportOnceAsync(app, report);
        var warm = new List<double>();
        var appCpu = ProcStats.CpuSeconds(app.Pid);
        var pgCpu = ProcStats.PostgresCpuSeconds(context.Database);
        var machineCpu = ProcStats.MachineBusySeconds();
        var benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds;
        for (var i = 0; i < context.Options.WarmCalls; i++)
        {
            warm.Add((await context.ReportOnceAsync(app, report)).Ms);
        }

        appCpu = ProcStats.CpuSeconds(app.Pid) - appCpu;
        pgCpu = ProcStats.PostgresCpuSeconds(context.Database) - pgCpu;
        benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds - benchCpu;
        var otherCpu = ProcStats.Others(ProcStats.MachineBusySeconds() - machineCpu, appCpu, pgCpu, benchCpu);

        var measurement = new ReportMeasurement(report, cold.Ms, warm.Min(), BenchContext.Median(warm), warm.Max(), cold.Rows, cold.Bytes) { Load = BenchContext.LoadAverage() };
        Console.WriteLine($"  {report,-13} cold {cold.Ms,7:0} ms; warm min {measurement.WarmMin,7:0} / median {measurement.WarmMedian,7:0} / max {measurement.WarmMax,7:0} ms" +
            $"  ({cold.Rows} rows, {cold.Bytes:N0} bytes)");
        Console.WriteLine($"                warm calls: {string.Join(" ", warm.Select(w => w.ToString("0", CultureInfo.InvariantCulture)))} ms" +
            $"  [CPU s over the warm calls: app {appCpu:0.0}, PostgreSQL {pgCpu:0.0}, other processes {otherCpu:0.0}]");
        return measurement;
    }
}
