using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SellerDesk.Bench.Steps;

/// <summary>One ledger file imported through the app's API, timed, with the CPU of the app, PostgreSQL and the rest.</summary>
internal static class ApiImport
{
    /// <summary>
    /// POSTs a ledger file to /api/v1/imports/{kind} and checks that every row was inserted; with
    /// <paramref name="sample"/> it first waits for a quiet machine, then samples the app's RSS and PostgreSQL's activity
    /// and prints them.
    /// </summary>
    public static async Task<ImportMeasurement> ImportAsync(BenchContext context, AppProcess app, string kind, string path, long expectedRows, bool sample)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
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
            await context.QuietAsync($"import {expectedRows:N0} {kind}");
        }

        var appCpu = ProcStats.CpuSeconds(app.Pid);
        var pgCpu = ProcStats.PostgresCpuSeconds(context.Database);
        var machineCpu = ProcStats.MachineBusySeconds();
        var benchCpu = Environment.CpuUsage.TotalTime.TotalSeconds;
        var activity = sample ? await ActivitySampler.StartAsync(context.BenchConnection) : null;
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
        pgCpu = ProcStats.PostgresCpuSeconds(context.Database) - pgCpu;
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

        Console.WriteLine($"    upload body sent by {measurement.UploadSeconds:0.00} s of {elapsed.TotalSeconds:0.00} s; {BenchContext.Mb(length)} MB");
        Console.WriteLine($"    app RSS: start {BenchContext.Mb(measurement.RssStart)} MB, peak {BenchContext.Mb(measurement.RssPeak)} MB, end {BenchContext.Mb(measurement.RssEnd)} MB; " +
            $"peak per tenth of the import: {string.Join(" ", measurement.RssByTenth.Select(BenchContext.Mb))} MB");
        Console.WriteLine($"    phases seen in pg_stat_activity (wall time, from..to seconds, wait events):");
        foreach (var phase in activity!.Phases)
        {
            Console.WriteLine($"      {phase.Label,-52} {phase.Total.TotalSeconds,7:0.00} s  {phase.FirstSeen.TotalSeconds,6:0.0}..{phase.LastSeen.TotalSeconds,6:0.0}  {phase.Waits}");
            measurement.Phases.Add((phase.Label, phase.Total.TotalSeconds));
        }

        Console.WriteLine($"      {"no statement of the app open",-52} {activity.Outside.TotalSeconds,7:0.00} s");
        return measurement;
    }
}
