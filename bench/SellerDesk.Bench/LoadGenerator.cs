using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;

namespace SellerDesk.Bench;

/// <summary>
/// The load generator of the concurrency figure (issue 11 point 3), run as a process of its own (the <c>load</c>
/// sub-command) so its CPU and threads are not the app's nor the bench's: it sends N report requests at once (a mix
/// of the reports, periods and as_of dates), each over its own connection, after one untimed call that warms its own
/// HTTP stack, and prints one line
/// <c>LOAD ok errors p50 p95 max wall</c> (milliseconds) and a line per error.
/// </summary>
internal static class LoadGenerator
{
    private const string Done = "LOAD ";

    /// <summary>The requests of one round: reports x periods x as_of, cycled to <paramref name="count"/>.</summary>
    public static IReadOnlyList<string> Requests(int year, int count)
    {
        string[] reports = ["channels", "marketplaces", "cohorts", "skus", "pnl"];
        (string From, string To)[] periods =
        [
            ($"{year}-01-01", $"{year}-12-31"), ($"{year}-01-01", $"{year}-03-31"), ($"{year}-04-01", $"{year}-06-30"),
            ($"{year}-07-01", $"{year}-09-30"), ($"{year}-10-01", $"{year}-12-31"), ($"{year}-11-01", $"{year}-11-30"),
        ];
        string[] asOf = [$"{year}-12-31", $"{year}-09-30", $"{year}-06-30"];
        var all = new List<string>();
        foreach (var a in asOf)
        {
            foreach (var (from, to) in periods)
            {
                foreach (var report in reports)
                {
                    all.Add($"/api/v1/reports/{report}?from={from}&to={to}&as_of={a}");
                }
            }
        }

        return [.. Enumerable.Range(0, count).Select(i => all[i % all.Count])];
    }

    /// <summary>The child: <c>load --url U --token T --year Y --requests N</c>.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var baseAddress = new Uri(Arg("--url"));
        var year = int.Parse(Arg("--year"), CultureInfo.InvariantCulture);
        var count = int.Parse(Arg("--requests"), CultureInfo.InvariantCulture);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = count })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Arg("--token"));
        // One untimed call on a client of its own first: the figure is the server's, not this process's first use of
        // its HTTP stack (JIT), and the round's requests still each open their own connection.
        using (var warmUp = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress })
        {
            using var health = await warmUp.GetAsync(new Uri("health", UriKind.Relative));
        }

        var requests = Requests(year, count);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var wall = Stopwatch.StartNew();
        var calls = requests.Select(async uri =>
        {
            await start.Task;
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync(new Uri(uri, UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                return (clock.Elapsed.TotalMilliseconds, response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {uri}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return (clock.Elapsed.TotalMilliseconds, $"{ex.GetType().Name} {uri}: {ex.Message}");
            }
        }).ToList();
        wall.Restart();
        start.SetResult();
        var results = await Task.WhenAll(calls);
        var elapsed = wall.Elapsed.TotalMilliseconds;
        var times = results.Select(r => r.Item1).Order().ToList();
        var errors = results.Where(r => r.Item2 is not null).Select(r => r.Item2!).ToList();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Done}{results.Length - errors.Count} {errors.Count} {Percentile(times, 0.50):0} {Percentile(times, 0.95):0} {times[^1]:0} {elapsed:0}"));
        foreach (var error in errors.Take(20))
        {
            Console.WriteLine("ERROR " + error);
        }

        return 0;
    }

    /// <summary>Runs one round in a child process and returns its figures.</summary>
    public static async Task<LoadRound> RunAsync(Uri baseAddress, string token, int year, int requests)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var arg in new[]
        {
            "load", "--url", baseAddress.ToString(), "--token", token, "--year", year.ToString(CultureInfo.InvariantCulture),
            "--requests", requests.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The load generator did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var figures = lines.FirstOrDefault(l => l.StartsWith(Done, StringComparison.Ordinal))?[Done.Length..].Split(' ')
            ?? throw new InvalidOperationException("The load generator printed no result: " + output);
        double F(int i) => double.Parse(figures[i], CultureInfo.InvariantCulture);
        return new LoadRound(
            requests, (int)F(0), (int)F(1), F(2), F(3), F(4), F(5),
            [.. lines.Where(l => l.StartsWith("ERROR ", StringComparison.Ordinal))]);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>One round of concurrent report requests: answers, errors, latency percentiles and the round's wall time (ms).</summary>
internal sealed record LoadRound(int Requests, int Ok, int Errors, double P50, double P95, double Max, double WallMs, IReadOnlyList<string> ErrorLines);
