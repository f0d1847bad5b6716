using SellerDesk.Bench.Steps;

namespace SellerDesk.Bench;

/// <summary>
/// The whole benchmark, step by step (each step is a class under Steps/): generate the ledger files, create a
/// throw-away database, time PostgreSQL's own COPY, run the app as a child process and time the imports through the
/// API, the reports cold and warm, the naive SQL peer, the reports after a restart, concurrent load, freshness after a
/// day's write and the drill-down exports; then the diagnostics; print the summary against the targets and drop the
/// database. This class only orders the steps and cleans up.
/// </summary>
internal sealed class BenchRun(BenchOptions options)
{
    public async Task<int> RunAsync()
    {
        var context = new BenchContext(options);
        Directory.CreateDirectory(context.Directory);
        var machine = await MachineInfo.ReadAsync(options);
        Console.WriteLine("SellerDesk end-to-end benchmark");
        PrintMachine(machine, context);

        var (big, small) = GenerationStep.Run(context);
        await context.CreateDatabaseAsync();
        Console.WriteLine($"  database {context.Database} created");

        var result = new BenchResults();
        var completed = false;
        try
        {
            await MeasureAsync(context, big, small, result);
            completed = true;
        }
        finally
        {
            await CleanUpAsync(context, completed);
        }

        return BenchSummary.Print(machine, big, result, context.QuietSummary());
    }

    public static void PrintMachine(List<(string Name, string Value)> machine, BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (name, value) in machine)
        {
            Console.WriteLine($"  {name,-12} {value}");
        }

        Console.WriteLine($"  {"app",-12} {AppProcess.WebDll()}");
        Console.WriteLine($"  {"work dir",-12} {context.Directory}");
    }

    /// <summary>Drops the database (unless --keep-database) and deletes the files (unless --keep-files; app logs stay after a failure).</summary>
    public static async Task CleanUpAsync(BenchContext context, bool completed)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Options.KeepDatabase)
        {
            Console.WriteLine($"\n  database {context.Database} kept (--keep-database): {context.BenchConnection}");
        }
        else
        {
            await context.DropDatabaseAsync();
            Console.WriteLine($"\n  database {context.Database} dropped");
        }

        if (context.Options.KeepFiles)
        {
            Console.WriteLine($"  files and app logs kept in {context.Directory}");
            return;
        }

        foreach (var csv in Directory.EnumerateFiles(context.Directory, "*.csv"))
        {
            File.Delete(csv);
        }

        if (completed)
        {
            Directory.Delete(context.Directory, recursive: true);
            Console.WriteLine($"  {context.Directory} deleted");
        }
        else
        {
            Console.WriteLine($"  CSV files deleted; app logs kept in {context.Directory}");
        }
    }

    private async Task MeasureAsync(BenchContext context, GeneratedLedger big, GeneratedLedger small, BenchResults result)
    {
        result.Copy = await CopyStep.RunAsync(context, big);
        var app = await ImportStep.RunAsync(context, big, small, result);
        try
        {
            await ReportsStep.RunAsync(context, app, result);
            result.Naive = await NaivePeerStep.RunAsync(context, app);
            app = await RestartStep.RunAsync(context, app, result);
            await LoadStep.RunAsync(context, app, result);
            await FreshnessStep.RunAsync(context, app, big, result);
            if (options.SkipExport)
            {
                Console.WriteLine("\n  step 10 skipped (--skip-export)");
            }
            else
            {
                await DrillDownExportStep.RunAsync(context, app, result);
            }
            if (!options.SkipDiagnostics)
            {
                result.Breakdown = await ReportBreakdownStep.RunAsync(context);
            }
        }
        finally
        {
            await app.DisposeAsync();
        }

        if (options.SkipDiagnostics)
        {
            Console.WriteLine("\n  steps 7-9 skipped (--skip-diagnostics)");
            return;
        }

        BenchContext.Section("8. Where the sales merge time goes (EXPLAIN ANALYZE in rolled-back transactions: the same sales lines again, for an empty workspace)");
        result.Merge = await MergeDiagnostics.RunAsync(context.BenchConnection, BenchContext.Workspace, options.QuietWaitSeconds);
        await EmptyStatisticsStep.RunAsync(context, result);
    }
}
