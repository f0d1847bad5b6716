using SellerDesk.Bench.Steps;

namespace SellerDesk.Bench;

/// <summary>The run's figures against the targets of issue 11, each with PASS or FAIL.</summary>
internal static class BenchSummary
{
    private const double ImportTarget = 50_000;
    private const double CopyRatioTarget = 0.25;
    private const double MemoryGrowthLimit = 1.25;
    private const double ReportTargetMs = 1_000;
    private const double WarmReportTargetMs = 200;
    private const double FreshTargetSeconds = 5;
    private const double LoadP95TargetMs = 500;

    /// <summary>Prints the summary table; 0 when every target passed, else 1.</summary>
    public static int Print(List<(string Name, string Value)> machine, GeneratedLedger big, BenchResults result, string quietSummary)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(big);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(quietSummary);
        var copy = result.Copy!;
        var importRate = result.Big!.LinesPerSecond;
        var ratio = importRate / copy.LinesPerSecond;
        var growth = (double)result.Big.RssPeak / result.Small!.RssPeak;
        var importLoad = result.Loads.GetValueOrDefault("import", "?");
        var rows = new List<(string Target, string Measured, string Goal, bool Ok)>
        {
            ($"Import {big.SalesLines:N0} sales lines via API, with facts", $"{importRate:N0} lines/s ({result.Big.Seconds:0.0} s, best of {result.BigRuns.Count}; load {importLoad})", $">= {ImportTarget:N0} lines/s", importRate >= ImportTarget),
            ("Import rate vs PostgreSQL COPY", $"{ratio:0.00} ({importRate:N0} / {copy.LinesPerSecond:N0})", $">= {CopyRatioTarget:0.00}", ratio >= CopyRatioTarget),
            ($"Peak RSS of the import: {big.SalesLines / 1000:N0}k vs {result.Small.Lines / 1000:N0}k", $"{BenchContext.Mb(result.Big.RssPeak)} vs {BenchContext.Mb(result.Small.RssPeak)} MB (x{growth:0.00})", $"<= x{MemoryGrowthLimit:0.00}", growth <= MemoryGrowthLimit),
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

        foreach (var row in DrillDownExportStep.SummaryRows(result.Exports))
        {
            rows.Add(row);
        }

        rows.Add(("App RSS serving the reports (VmHWM)", $"{BenchContext.Mb(result.ReportRss.Hwm)} MB (after the reports {BenchContext.Mb(result.ReportRss.After)} MB)", "(compare with a run of 1M)", true));

        if (result.Fresh is { } fresh)
        {
            rows.Add(($"One day ({fresh.Lines:N0} lines) in the next report", $"{fresh.ReportMs:0} ms after the write ({fresh.WriteSeconds:0.00} s; load {result.Loads.GetValueOrDefault("fresh", "?")})", $"< {FreshTargetSeconds:0} s", fresh.ReportMs < FreshTargetSeconds * 1000 && fresh.RevenueAdded > 0));
        }

        BenchContext.Section("SUMMARY");
        foreach (var (name, value) in machine)
        {
            Console.WriteLine($"  {name,-12} {value}");
        }

        Console.WriteLine();
        Console.WriteLine($"  | {"target",-46} | {"measured",-62} | {"goal",-24} | result |");
        Console.WriteLine($"  |{new string('-', 48)}|{new string('-', 64)}|{new string('-', 26)}|--------|");
        foreach (var (target, measured, goal, ok) in rows)
        {
            // A reference row (its goal in parentheses) has no target to pass: it prints "-", or FAIL when its own check failed.
            var verdict = goal.StartsWith('(') && ok ? "-" : BenchContext.Pass(ok);
            Console.WriteLine($"  | {target,-46} | {measured,-62} | {goal,-24} | {verdict,-6} |");
        }

        Console.WriteLine();
        Console.WriteLine($"  {result.Big.Lines:N0}-line import: RSS start {BenchContext.Mb(result.Big.RssStart)} MB -> end {BenchContext.Mb(result.Big.RssEnd)} MB; {result.Small.Lines:N0}-line import: peak {BenchContext.Mb(result.Small.RssPeak)} MB, " +
            $"{result.Small.LinesPerSecond:N0} lines/s");
        Console.WriteLine($"  other imports: {string.Join(", ", result.Others.Select(o => $"{o.Kind} {o.Lines:N0} rows {o.Seconds:0.00} s"))}");
        Console.WriteLine($"  sales import into a ledger ANALYZEd while empty (step 9): {result.EmptyStats}");
        Console.WriteLine($"  CPU of other processes during the {result.Big.Lines:N0}-line import: {result.Big.OtherCpu:0.0} s over {result.Big.Seconds:0.0} s wall " +
            $"({result.Big.OtherCpu / result.Big.Seconds / Environment.ProcessorCount:P0} of the machine)");
        Console.WriteLine(quietSummary);
        return rows.All(r => r.Ok) ? 0 : 1;
    }
}
