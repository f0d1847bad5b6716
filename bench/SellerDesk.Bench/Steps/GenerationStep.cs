using System.Diagnostics;

namespace SellerDesk.Bench.Steps;

/// <summary>
/// Step 1: the ledger files of the run (not timed against any target): the big ledger with all six files, and a
/// separate smaller ledger of the same year (sales only) whose import shows how memory grows with size.
/// </summary>
internal static class GenerationStep
{
    public static (GeneratedLedger Big, GeneratedLedger Small) Run(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        BenchContext.Section("1. Generating the ledger files");
        var options = context.Options;
        var clock = Stopwatch.StartNew();
        var big = LedgerFiles.Write(context.Directory, "big-", options.Lines, full: true, context.First, context.Last, context.Zone, seed: 20250101, options.BuyersPerLine);
        var small = LedgerFiles.Write(context.Directory, "small-", options.SmallLines, full: false, context.First, context.Last, context.Zone, seed: 20250102, options.BuyersPerLine);
        Console.WriteLine($"  sales.csv      {big.SalesLines,10:N0} lines, {big.Orders:N0} orders ({(double)big.SalesLines / big.Orders:0.00} lines/order), " +
            $"{BenchContext.Mb(big.SalesBytes)} MB, {big.Customers:N0} identified buyers (ozon, yandex_market, own_store); the demo seller scaled up, {LedgerFiles.Skus} SKUs");
        Console.WriteLine($"  costs.csv      {big.CostRows,10:N0} rows");
        Console.WriteLine($"  returns.csv    {big.ReturnRows,10:N0} rows ({100.0 * big.ReturnRows / big.SalesLines:0.0}% of lines)");
        Console.WriteLine($"  ad_spend.csv   {big.AdSpendRows,10:N0} rows");
        Console.WriteLine($"  fees.csv       {big.FeeRows,10:N0} rows");
        Console.WriteLine($"  attribution.csv {big.AttributionRows,9:N0} rows (the marketplaces' campaign statistics, metrics.md 3.1)");
        Console.WriteLine($"  small sales.csv {small.SalesLines,9:N0} lines, {BenchContext.Mb(small.SalesBytes)} MB (a separate ledger of the same year)");
        Console.WriteLine($"  generated in {clock.Elapsed.TotalSeconds:0.0} s");
        return (big, small);
    }
}
