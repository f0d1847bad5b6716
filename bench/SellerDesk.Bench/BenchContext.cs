using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace SellerDesk.Bench;

/// <summary>
/// What every step of a benchmark run shares: the options, the year, the throw-away database and its connection
/// strings, the work folder, the app's token, and the helpers to wait for a quiet machine, start the app and ask it
/// for a report.
/// </summary>
internal sealed class BenchContext
{
    public const string Workspace = "bench";
    public const string TimeZoneId = "Europe/Moscow";

    public BenchContext(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        First = new DateOnly(options.Year, 1, 1);
        Last = new DateOnly(options.Year, 12, 31);
        var builder = new NpgsqlConnectionStringBuilder(options.Connection);
        Admin = builder.ConnectionString;
        builder.Database = Database;
        builder.CommandTimeout = 0;
        BenchConnection = builder.ConnectionString;
    }

    public BenchOptions Options { get; }

    public string Token { get; } = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public string Database { get; } = "sellerdesk_bench_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "sellerdesk-bench-" + Guid.NewGuid().ToString("N")[..8]);

    public DateOnly First { get; }

    public DateOnly Last { get; }

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The connection string the benchmark was given (a role with CREATEDB).</summary>
    public string Admin { get; }

    /// <summary>The benchmark database, no command timeout.</summary>
    public string BenchConnection { get; }

    /// <summary>Timed steps that started on a busy machine (their figures are disturbed).</summary>
    public List<string> BusySteps { get; } = [];

    public static void Section(string title) => Console.WriteLine($"\n== {title}");

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    public static string Pass(bool ok) => ok ? "PASS" : "FAIL";

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The 1-minute load average of the machine (<c>/proc/loadavg</c>), printed next to every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops a database. Plain DROP DATABASE first: it stops autovacuum workers itself (WITH (FORCE) may not signal
    /// them without superuser rights); this process's pooled connections are closed before.
    /// </summary>
    public static async Task DropDatabaseAsync(string admin, string database)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database}");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                return;
            }
        }
    }

    public Task CreateDatabaseAsync() => ExecuteAsync(Admin, $"CREATE DATABASE {Database}");

    public Task DropDatabaseAsync() => DropDatabaseAsync(Admin, Database);

    /// <summary>
    /// The summary's line on the machine's quiet: the steps that started busy, or that all started quiet, or (with
    /// --quiet-wait 0, where nothing was checked) that the figures may include other processes' work.
    /// </summary>
    public string QuietSummary() =>
        Options.QuietWaitSeconds == 0
            ? "  the machine's quiet was not checked (--quiet-wait 0): times may include other processes' work"
            : BusySteps.Count == 0
                ? "  every timed step started on a quiet machine (<15% CPU busy)"
                : $"  steps started on a busy machine (figures disturbed): {string.Join("; ", BusySteps)}";

    /// <summary>Waits for a quiet machine before a timed step (--quiet-wait) and notes when it did not get quiet.</summary>
    public async Task QuietAsync(string step)
    {
        if (Options.QuietWaitSeconds == 0)
        {
            return;
        }

        var (waited, quiet, share) = await ProcStats.WaitForQuietAsync(TimeSpan.FromSeconds(Options.QuietWaitSeconds));
        if (!quiet)
        {
            BusySteps.Add(FormattableString.Invariant($"{step} ({share:P0} busy)"));
            Console.WriteLine($"  (machine still {share:P0} busy after waiting {waited:0} s; timing '{step}' anyway)");
        }
        else if (waited > 5)
        {
            Console.WriteLine($"  (waited {waited:0} s for a quiet machine before '{step}')");
        }
    }

    /// <summary>Starts the app on the benchmark database, its log in the work folder.</summary>
    public async Task<AppProcess> StartAppAsync(string log)
    {
        var clock = Stopwatch.StartNew();
        var app = await AppProcess.StartAsync(BenchConnection, Workspace, Token, Path.Combine(Directory, log));
        var (rss, _) = ProcStats.Memory(app.Pid);
        Console.WriteLine($"  app pid {app.Pid} ready at {app.BaseAddress} in {clock.Elapsed.TotalSeconds:0.0} s, RSS {Mb(rss)} MB");
        return app;
    }

    /// <summary>The id of the benchmark's workspace.</summary>
    public async Task<Guid> WorkspaceIdAsync()
    {
        await using var connection = new NpgsqlConnection(BenchConnection);
        await connection.OpenAsync();
        await using var find = new NpgsqlCommand("SELECT id FROM workspaces WHERE name = $1", connection);
        find.Parameters.Add(new NpgsqlParameter { Value = Workspace });
        return (Guid)(await find.ExecuteScalarAsync())!;
    }

    /// <summary>The API address of a report over the full year.</summary>
    public Uri ReportUri(string report, DateOnly? asOf = null) => new(
        string.Create(CultureInfo.InvariantCulture, $"/api/v1/reports/{report}?from={First:yyyy-MM-dd}&to={Last:yyyy-MM-dd}&as_of={asOf ?? Last:yyyy-MM-dd}"),
        UriKind.Relative);

    /// <summary>One call of a report over the full year: its time, rows and size.</summary>
    public async Task<(double Ms, int Rows, int Bytes)> ReportOnceAsync(AppProcess app, string report, DateOnly? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var uri = ReportUri(report, asOf);
        var clock = Stopwatch.StartNew();
        using var response = await app.Http.GetAsync(uri);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        }

        using var json = JsonDocument.Parse(bytes);
        return (ms, json.RootElement.GetProperty(report).GetArrayLength(), bytes.Length);
    }

    /// <summary>The full year's revenue of every marketplace as the marketplaces report gives it.</summary>
    public async Task<decimal> RevenueAsync(AppProcess app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var response = await app.Http.GetAsync(ReportUri("marketplaces"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.GetProperty("marketplaces").EnumerateArray().Sum(m => m.GetProperty("revenue").GetDecimal());
    }
}
