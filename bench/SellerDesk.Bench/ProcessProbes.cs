using System.Diagnostics;
using System.Globalization;

namespace SellerDesk.Bench;

/// <summary>Linux /proc readings: resident memory of one process and CPU time of processes.</summary>
internal static class ProcStats
{
    /// <summary>Clock ticks per second of /proc/*/stat times (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>VmRSS and VmHWM (peak RSS over the process's life) in bytes, or zeros when the process is gone.</summary>
    public static (long Rss, long Hwm) Memory(int pid)
    {
        long rss = 0, hwm = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line);
                }
            }
        }
        catch (IOException)
        {
        }

        return (rss, hwm);
    }

    /// <summary>User + system CPU seconds of one process (all its threads), 0 when it is gone.</summary>
    public static double CpuSeconds(int pid) => Ticks(pid) / TicksPerSecond;

    /// <summary>
    /// User + system CPU seconds of the PostgreSQL processes that work for <paramref name="database"/>: its client
    /// backends and autovacuum workers (their process titles name the database) and the shared background writers
    /// (checkpointer, walwriter, background writer). Backends of other databases are left out.
    /// </summary>
    public static double PostgresCpuSeconds(string database)
    {
        long total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "postgres")
                {
                    continue;
                }

                var title = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (title.Contains(" " + database + " ", StringComparison.Ordinal) || title.TrimEnd().EndsWith(" " + database, StringComparison.Ordinal)
                    || title.Contains(": checkpointer", StringComparison.Ordinal) || title.Contains(": walwriter", StringComparison.Ordinal)
                    || title.Contains(": background writer", StringComparison.Ordinal))
                {
                    total += Ticks(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total / TicksPerSecond;
    }

    /// <summary>
    /// Waits until the machine is quiet (less than 15% of all CPUs busy over one second, while the benchmark's own
    /// processes are idle), at most <paramref name="limit"/>. Returns the seconds waited and whether it got quiet.
    /// </summary>
    public static async Task<(double Waited, bool Quiet, double BusyShare)> WaitForQuietAsync(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double share;
        do
        {
            var busy = MachineBusySeconds();
            var window = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(1000);
            share = (MachineBusySeconds() - busy) / window.Elapsed.TotalSeconds / Environment.ProcessorCount;
            if (share < 0.15)
            {
                return (clock.Elapsed.TotalSeconds, true, share);
            }
        }
        while (clock.Elapsed < limit);

        return (clock.Elapsed.TotalSeconds, false, share);
    }

    /// <summary>Busy CPU seconds of the whole machine since boot (all CPUs; /proc/stat user+nice+system+irq+softirq+steal).</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        foreach (var i in new[] { 1, 2, 3, 6, 7, 8 })
        {
            busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }

        return busy / TicksPerSecond;
    }

    /// <summary>CPU seconds of every process except the app, PostgreSQL and this benchmark, between two readings.</summary>
    public static double Others(double machine, double app, double postgres, double bench) => Math.Max(0, machine - app - postgres - bench);

    private static long Ticks(int pid)
    {
        try
        {
            // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

/// <summary>Samples a process's RSS every <see cref="Interval"/> on a background task until disposed.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(double Seconds, long Rss)> _samples = [];
    private readonly Task _loop;

    public RssSampler(int pid)
    {
        _pid = pid;
        Start = ProcStats.Memory(pid).Rss;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>RSS when sampling started.</summary>
    public long Start { get; }

    public IReadOnlyList<(double Seconds, long Rss)> Samples => _samples;

    public long Peak => _samples.Count == 0 ? Start : Math.Max(Start, _samples.Max(s => s.Rss));

    /// <summary>The last sample (RSS when sampling stopped).</summary>
    public long End => _samples.Count == 0 ? Start : _samples[^1].Rss;

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
            _samples.Add((_clock.Elapsed.TotalSeconds, ProcStats.Memory(_pid).Rss));
        }

        _stop.Dispose();
    }

    /// <summary>Peak RSS within each tenth of the sampled time: shows whether memory climbs with the rows read.</summary>
    public IReadOnlyList<long> PeakByTenth()
    {
        if (_samples.Count == 0)
        {
            return [];
        }

        var total = _samples[^1].Seconds;
        var peaks = new List<long>();
        var previous = Start;
        for (var i = 0; i < 10; i++)
        {
            // A tenth without a sample (a short import) repeats the one before.
            previous = _samples.Where(s => s.Seconds >= total * i / 10 && s.Seconds <= total * (i + 1) / 10)
                .Select(s => s.Rss).DefaultIfEmpty(previous).Max();
            peaks.Add(previous);
        }

        return peaks;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            _samples.Add((_clock.Elapsed.TotalSeconds, ProcStats.Memory(_pid).Rss));
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
}

/// <summary>A read-only stream over a file that notes when the last byte was handed out (the upload's end).</summary>
internal sealed class UploadStream(Stream inner, Stopwatch clock) : Stream
{
    public TimeSpan? Finished { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Note(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Note(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Note(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Note(int read)
    {
        if (read == 0)
        {
            Finished ??= clock.Elapsed;
        }

        return read;
    }
}
