using System.Diagnostics;
using Npgsql;

namespace SellerDesk.Bench;

/// <summary>
/// Watches pg_stat_activity of the benchmark database every few milliseconds while an import runs and adds up the
/// wall time per statement of the importer (staging COPY, ANALYZE, each set check, the merge, commit), with the wait
/// events seen during each: during the staging COPY, <c>Client/ClientRead</c> means PostgreSQL is waiting for the app
/// (parsing, converting, sending), anything else means the app is waiting for PostgreSQL.
/// </summary>
internal sealed class ActivitySampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, Phase> _phases = [];
    private readonly Task _loop;

    private ActivitySampler(NpgsqlConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Time with no statement of the app running or open in a transaction.</summary>
    public TimeSpan Outside { get; private set; }

    public IEnumerable<Phase> Phases => _phases.Values.OrderBy(p => p.FirstSeen);

    public static async Task<ActivitySampler> StartAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return new ActivitySampler(connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
        }

        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT state, coalesce(wait_event_type || '/' || wait_event, 'CPU'), left(query, 200)
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
              AND state IN ('active', 'idle in transaction')
            """,
            _connection);
        var last = _clock.Elapsed;
        while (!_stop.IsCancellationRequested)
        {
            var seen = new List<(string Label, string Wait)>();
            try
            {
                await using var reader = await command.ExecuteReaderAsync(_stop.Token);
                while (await reader.ReadAsync(_stop.Token))
                {
                    var state = reader.GetString(0);
                    var label = state == "active" ? Label(reader.GetString(2)) : "app works between statements (idle in transaction)";
                    seen.Add((label, state == "active" ? reader.GetString(1) : "-"));
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var now = _clock.Elapsed;
            var step = now - last;
            last = now;
            if (seen.Count == 0)
            {
                Outside += step;
            }

            foreach (var (label, wait) in seen)
            {
                if (!_phases.TryGetValue(label, out var phase))
                {
                    phase = new Phase(label, now);
                    _phases[label] = phase;
                }

                phase.Add(step, now, wait);
            }

            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Names the ledger writer's statements (LedgerWriter, LedgerTables, LedgerChecks in SellerDesk.Data.Ledger).</summary>
    private static string Label(string query)
    {
        var q = query.TrimStart();
        return q switch
        {
            _ when q.StartsWith("COPY staging_", StringComparison.Ordinal) => "COPY into staging (app streams, parses, sends)",
            _ when q.StartsWith("CREATE TEMP", StringComparison.Ordinal) => "create staging tables",
            _ when q.StartsWith("SELECT EXISTS", StringComparison.Ordinal) => "workspace check",
            _ when q.StartsWith("ANALYZE", StringComparison.Ordinal) => "ANALYZE staging + ledger lock",
            _ when q.StartsWith("SELECT pg_advisory_xact_lock", StringComparison.Ordinal) => "ANALYZE staging + ledger lock",
            _ when q.StartsWith("SELECT s.line, d.first_line", StringComparison.Ordinal) => "check: duplicate keys in file",
            _ when q.StartsWith("WITH split", StringComparison.Ordinal) => "check: order attributes within file",
            _ when q.StartsWith("SELECT line, line_id", StringComparison.Ordinal) => "check: order attributes vs ledger",
            _ when q.StartsWith("SELECT s.line, s.quantity", StringComparison.Ordinal) => "check: sales below stored returns",
            _ when q.StartsWith("SELECT r.line", StringComparison.Ordinal) => "check: returns of unknown lines",
            _ when q.StartsWith("WITH kept", StringComparison.Ordinal) => "check: returns beyond sold",
            _ when q.StartsWith("WITH merged", StringComparison.Ordinal) => "merge INSERT ... ON CONFLICT into ledger",
            _ when q.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase) => "COMMIT",
            _ => "other: " + q.ReplaceLineEndings(" ")[..Math.Min(60, q.Length)],
        };
    }

    internal sealed class Phase(string label, TimeSpan firstSeen)
    {
        private readonly Dictionary<string, int> _waits = [];

        public string Label { get; } = label;

        public TimeSpan FirstSeen { get; } = firstSeen;

        public TimeSpan LastSeen { get; private set; } = firstSeen;

        public TimeSpan Total { get; private set; }

        /// <summary>The most frequent wait events seen, with their share of samples.</summary>
        public string Waits
        {
            get
            {
                var all = _waits.Values.Sum();
                return string.Join(", ", _waits.OrderByDescending(w => w.Value).Take(3)
                    .Select(w => FormattableString.Invariant($"{w.Key} {100.0 * w.Value / all:0}%")));
            }
        }

        public void Add(TimeSpan step, TimeSpan now, string wait)
        {
            Total += step;
            LastSeen = now;
            _waits[wait] = _waits.GetValueOrDefault(wait) + 1;
        }
    }
}
