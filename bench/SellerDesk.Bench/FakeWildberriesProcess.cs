using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Bench;

/// <summary>
/// The fake Wildberries of the tests serving a generated report from a child process of its own (this program with
/// the <c>fake-wb</c> sub-command), so the report it holds is not in the memory the pull benchmark measures. The
/// child prints <c>FAKE base-url first-day last-day lines</c> when it listens and stops when its standard input closes.
/// </summary>
internal sealed class FakeWildberriesProcess : IAsyncDisposable
{
    private const string Ready = "FAKE ";
    private static readonly DateOnly From = new(2026, 1, 1);
    private const int Days = 31;

    private readonly Process _process;

    private FakeWildberriesProcess(Process process, Uri baseUrl, DateOnly first, DateOnly last, int lines)
    {
        _process = process;
        BaseUrl = baseUrl;
        First = first;
        Last = last;
        Lines = lines;
    }

    public Uri BaseUrl { get; }

    public DateOnly First { get; }

    public DateOnly Last { get; }

    /// <summary>Report lines plus ad charges served.</summary>
    public int Lines { get; }

    public int ProcessId => _process.Id;

    public static async Task<FakeWildberriesProcess> StartAsync(int lines, int seed)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var arg in new[] { "fake-wb", "--lines", lines.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The fake Wildberries did not start.");
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(Ready, StringComparison.Ordinal))
            {
                var parts = line[Ready.Length..].Split(' ');
                return new FakeWildberriesProcess(
                    process,
                    new Uri(parts[0]),
                    DateOnly.ParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateOnly.ParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    int.Parse(parts[3], CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("The fake Wildberries exited before it listened.");
    }

    /// <summary>The child's side: generates the report, serves it and waits for its standard input to close.</summary>
    public static async Task<int> ServeAsync(IReadOnlyList<string> args)
    {
        int lines = 50_000, seed = 1;
        for (var i = 1; i + 1 < args.Count; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            _ = args[i] switch
            {
                "--lines" => lines = value,
                "--seed" => seed = value,
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        var report = Report(lines, seed);
        await using var fake = await FakeWildberries.StartAsync(report);
        var first = report.Lines.Min(l => l.ReportDate);
        var last = report.Lines.Max(l => l.ReportDate);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"{Ready}{fake.BaseUrl} {first:yyyy-MM-dd} {last:yyyy-MM-dd} {report.Lines.Count + report.AdCharges.Count}"));
        Console.Out.Flush();
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static FakeWildberriesReport Report(int lines, int seed)
    {
        // Lines per order of the generator, measured on a sample, so the report comes out near the size asked for.
        var probe = FakeWildberriesReport.Generate(From, days: 3, ordersPerDay: 500, seed: seed);
        var perOrder = probe.Lines.Count / 1_500.0;
        var ordersPerDay = Math.Max(1, (int)Math.Round(lines / perOrder / Days));
        var report = FakeWildberriesReport.Generate(From, Days, ordersPerDay, seed);
        _ = report.LineJson; // serialised once here, not while a pull is timed
        return report;
    }
}
