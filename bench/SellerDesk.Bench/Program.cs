using System.Globalization;
using SellerDesk.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == "load")
{
    return await LoadGenerator.ServeAsync(args);
}

if (args.Length > 0 && args[0] == "fake-wb")
{
    return await FakeWildberriesProcess.ServeAsync(args);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (options.Export)
{
    return await new ExportRun(options).RunAsync();
}

return options.Pull ? await new PullBench(options).RunAsync() : await new BenchRun(options).RunAsync();
