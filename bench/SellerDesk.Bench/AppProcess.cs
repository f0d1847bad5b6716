using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;

namespace SellerDesk.Bench;

/// <summary>
/// The real SellerDesk app (the referenced project's own build output) as a child process on Kestrel at
/// 127.0.0.1 on a free port: <c>dotnet SellerDesk.Web.dll --urls http://127.0.0.1:PORT</c>, configured through
/// environment variables only. Its console output goes to a log file.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private volatile bool _stopping;

    private AppProcess(Process process, StreamWriter log, Uri baseAddress, string token)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromHours(1),
        };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    /// <summary>Path of SellerDesk.Web.dll: BENCH_WEB_DLL, else where the build of the referenced project put it.</summary>
    public static string WebDll()
    {
        var path = Environment.GetEnvironmentVariable("BENCH_WEB_DLL")
            ?? typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "SellerDeskWebDll")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"SellerDesk.Web.dll not found ('{path}'); build the solution or set BENCH_WEB_DLL.");
        }

        return path;
    }

    public static async Task<AppProcess> StartAsync(string connectionString, string workspace, string token, string logPath)
    {
        var dll = WebDll();
        var port = FreePort();
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        start.Environment["ConnectionStrings__SellerDesk"] = connectionString;
        start.Environment["Bootstrap__Workspace"] = workspace;
        start.Environment["Bootstrap__ApiToken"] = token;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start " + start.FileName);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, log, url, token);
        process.Exited += (_, _) =>
        {
            if (!app._stopping)
            {
                Console.WriteLine($"  !! app pid {process.Id} exited on its own at {DateTimeOffset.Now:HH:mm:ss.fff} with code {process.ExitCode}; see {logPath}");
            }
        };
        try
        {
            await app.WaitReadyAsync(logPath);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>Stops the app with SIGTERM (a graceful shutdown), killing it after 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _stopping = true;
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    /// <summary>The dotnet host: DOTNET_HOST_PATH (set by the SDK), else the one under DOTNET_ROOT, else dotnet on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits for /health 200 (migrations applied), then for the bootstrap token to be accepted.</summary>
    private async Task WaitReadyAsync(string logPath)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode}; see {logPath}.");
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"The app did not become ready in 3 minutes; see {logPath}.");
            }

            try
            {
                using var health = await Http.GetAsync(new Uri("/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    using var probe = await Http.GetAsync(new Uri("/api/v1/reports/channels?from=2000-01-01&to=2000-01-01&as_of=2000-01-01", UriKind.Relative));
                    if (probe.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }
    }
}
