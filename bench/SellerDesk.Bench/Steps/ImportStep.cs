using System.Globalization;

namespace SellerDesk.Bench.Steps;

/// <summary>
/// Steps 3 to 5: the smaller import in a fresh app (its memory); the big import, best of --import-runs, each into a
/// new database and a fresh app process; then the big ledger's other files. The app of the last run stays up for the
/// steps after and is handed to the caller.
/// </summary>
internal static class ImportStep
{
    public static async Task<AppProcess> RunAsync(BenchContext context, GeneratedLedger big, GeneratedLedger small, BenchResults result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(big);
        ArgumentNullException.ThrowIfNull(small);
        ArgumentNullException.ThrowIfNull(result);
        var options = context.Options;

        BenchContext.Section($"3. Import of {small.SalesLines:N0} sales lines through the API (fresh app process)");
        await using (var smallApp = await context.StartAppAsync("app-small.log"))
        {
            await ApiImport.ImportAsync(context, smallApp, "costs", big.CostsPath!, big.CostRows, sample: false);
            result.Small = await ApiImport.ImportAsync(context, smallApp, "sales", small.SalesPath, small.SalesLines, sample: true);
        }

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
                await context.DropDatabaseAsync();
                await context.CreateDatabaseAsync();
                BenchContext.Section($"4. Import of {big.SalesLines:N0} sales lines through the API (run {run} of {options.ImportRuns}; fresh app process, empty ledger)");
                app = await context.StartAppAsync($"app-big-{run}.log");
                await ApiImport.ImportAsync(context, app, "costs", big.CostsPath!, big.CostRows, sample: false);
                runs.Add(await ApiImport.ImportAsync(context, app, "sales", big.SalesPath, big.SalesLines, sample: true));
            }

            // The fastest run is the import figure; the memory figure is the highest peak of all runs.
            result.Big = runs.MinBy(r => r.Seconds)! with { RssPeak = runs.Max(r => r.RssPeak) };
            result.Loads["import"] = BenchContext.LoadAverage();
            result.BigRuns = runs;
            var rate = result.Big.LinesPerSecond;
            var copyRate = result.Copy?.LinesPerSecond ?? double.NaN;
            Console.WriteLine($"\n  API import, best of {runs.Count}: {rate:N0} lines/s (runs: {string.Join(", ", runs.Select(r => r.LinesPerSecond.ToString("N0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"  API import vs COPY: {rate:N0} / {copyRate:N0} lines/s = {rate / copyRate:0.00}");
            Console.WriteLine($"  peak RSS: {BenchContext.Mb(result.Small.RssPeak)} MB at {result.Small.Lines:N0} lines, {BenchContext.Mb(result.Big.RssPeak)} MB at {result.Big.Lines:N0} lines " +
                $"(x{(double)result.Big.RssPeak / result.Small.RssPeak:0.00}, highest peak of the runs)");

            var live = app ?? throw new InvalidOperationException("No import run.");
            BenchContext.Section("5. The other ledger files through the API");
            result.Others.Add(await ApiImport.ImportAsync(context, live, "returns", big.ReturnsPath!, big.ReturnRows, sample: true));
            result.Others.Add(await ApiImport.ImportAsync(context, live, "ad_spend", big.AdSpendPath!, big.AdSpendRows, sample: false));
            result.Others.Add(await ApiImport.ImportAsync(context, live, "fees", big.FeesPath!, big.FeeRows, sample: false));
            result.Others.Add(await ApiImport.ImportAsync(context, live, "attribution", big.AttributionPath!, big.AttributionRows, sample: false));
            return live;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            throw;
        }
    }
}
