using System.Globalization;

namespace SellerDesk.Bench.Steps;

/// <summary>
/// Step 6b: reports answer from facts stored with the ledger (decision 0014), so a restarted app holds nothing and
/// sums them: the app is restarted and each report's first call is timed, then the same with an as_of in the past.
/// The restarted app is handed back (the one given is stopped).
/// </summary>
internal static class RestartStep
{
    public static async Task<AppProcess> RunAsync(BenchContext context, AppProcess app, BenchResults result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(result);
        BenchContext.Section("6b. Reports right after a restart of the app (first call of each in a fresh process)");
        await app.DisposeAsync();
        var live = await context.StartAppAsync("app-restarted.log");
        try
        {
            // Each report's first call with an as_of of its own (the app keeps read sums per as_of and ledger version,
            // so a shared as_of would make the later calls cache hits): every call below reads the rollups afresh.
            // Then the same with an as_of in the past (mid-year), which must be no slower.
            var reports = ReportsStep.Reports;
            for (var i = 0; i < reports.Length; i++)
            {
                await context.QuietAsync($"report {reports[i]} after a restart");
                var (ms, rows, _) = await context.ReportOnceAsync(live, reports[i], context.Last.AddDays(-i));
                result.Restarted.Add((reports[i], ms, BenchContext.LoadAverage()));
                Console.WriteLine($"  {reports[i],-13} {(i == 0 ? "first call after the restart" : "cold (as_of " + context.Last.AddDays(-i).ToString("MM-dd", CultureInfo.InvariantCulture) + ")"),-30} {ms,7:0} ms ({rows} rows)  load {BenchContext.LoadAverage()}");
            }

            var past = new DateOnly(context.Options.Year, 6, 30);
            for (var i = 0; i < reports.Length; i++)
            {
                var (ms, rows, _) = await context.ReportOnceAsync(live, reports[i], past.AddDays(-i));
                result.PastAsOf.Add((reports[i], ms, BenchContext.LoadAverage()));
                Console.WriteLine($"  {reports[i],-13} {"cold, as_of " + past.AddDays(-i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),-30} {ms,7:0} ms ({rows} rows)  load {BenchContext.LoadAverage()}");
            }

            return live;
        }
        catch
        {
            await live.DisposeAsync();
            throw;
        }
    }
}
