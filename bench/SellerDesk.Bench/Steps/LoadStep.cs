namespace SellerDesk.Bench.Steps;

/// <summary>Step 6d: concurrent report requests from a load generator in a process of its own, two rounds.</summary>
internal static class LoadStep
{
    public const int Requests = 200;

    public static async Task RunAsync(BenchContext context, AppProcess app, BenchResults result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(result);
        BenchContext.Section($"6d. {Requests} concurrent report requests from a load generator in its own process (5 reports x 6 periods x 3 as_of)");
        foreach (var round in new[] { "first round (some as_of not read yet)", "second round (warm)" })
        {
            await context.QuietAsync("load round");
            var r = await LoadGenerator.RunAsync(app.BaseAddress, context.Token, context.Options.Year, Requests);
            result.Load.Add((round, r, BenchContext.LoadAverage()));
            Console.WriteLine($"  {round,-40} {r.Ok} answered, {r.Errors} errors; p50 {r.P50:0} ms, p95 {r.P95:0} ms, max {r.Max:0} ms; " +
                $"{r.Requests / (r.WallMs / 1000):0} requests/s over {r.WallMs:0} ms  load {BenchContext.LoadAverage()}");
            foreach (var error in r.ErrorLines.Take(5))
            {
                Console.WriteLine("    " + error);
            }
        }
    }
}
