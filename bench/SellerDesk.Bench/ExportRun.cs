using SellerDesk.Bench.Steps;

namespace SellerDesk.Bench;

/// <summary>
/// The drill-down export step alone (<c>export</c> sub-command): a ledger of --lines lines (all its files) imported
/// through the API into a throw-away database, then <see cref="DrillDownExportStep"/>, its summary rows, and clean-up.
/// </summary>
internal sealed class ExportRun(BenchOptions options)
{
    public async Task<int> RunAsync()
    {
        var context = new BenchContext(options);
        Directory.CreateDirectory(context.Directory);
        var machine = await MachineInfo.ReadAsync(options);
        Console.WriteLine("SellerDesk drill-down export benchmark");
        BenchRun.PrintMachine(machine, context);

        BenchContext.Section("1. Generating the ledger files");
        var ledger = LedgerFiles.Write(context.Directory, "big-", options.Lines, full: true, context.First, context.Last, context.Zone, seed: 20250101);
        Console.WriteLine($"  {ledger.SalesLines:N0} sales lines, {ledger.Orders:N0} orders, {ledger.ReturnRows:N0} returns");
        await context.CreateDatabaseAsync();
        var result = new BenchResults();
        var completed = false;
        try
        {
            BenchContext.Section("2. The ledger through the API");
            await using (var app = await context.StartAppAsync("app-export.log"))
            {
                await ApiImport.ImportAsync(context, app, "costs", ledger.CostsPath!, ledger.CostRows, sample: false);
                await ApiImport.ImportAsync(context, app, "sales", ledger.SalesPath, ledger.SalesLines, sample: false);
                await ApiImport.ImportAsync(context, app, "returns", ledger.ReturnsPath!, ledger.ReturnRows, sample: false);
            }

            // A fresh app process, so the export's memory is not the import's.
            await using (var app = await context.StartAppAsync("app-export-fresh.log"))
            {
                await DrillDownExportStep.RunAsync(context, app, result);
            }

            completed = true;
        }
        finally
        {
            await BenchRun.CleanUpAsync(context, completed);
        }

        BenchContext.Section("SUMMARY");
        var rows = DrillDownExportStep.SummaryRows(result.Exports).ToList();
        foreach (var (target, measured, goal, ok) in rows)
        {
            Console.WriteLine($"  | {target,-40} | {measured,-72} | {goal,-26} | {BenchContext.Pass(ok),-6} |");
        }

        Console.WriteLine(context.QuietSummary());
        return rows.All(r => r.Ok) ? 0 : 1;
    }
}
