namespace SellerDesk.Testing.Marketplaces;

/// <summary>
/// A clock whose waits take no real time: every timer fires at once (on the thread pool), the clock moves on by its
/// due time, and the waits are recorded so tests can assert what the code under test waited for.
/// </summary>
public sealed class SkippingTimeProvider(DateTimeOffset? start = null) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _delays = [];
    private DateTimeOffset _now = start ?? new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every wait asked for, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays
    {
        get { lock (_lock) { return [.. _delays]; } }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_lock)
            {
                _delays.Add(dueTime);
                _now += dueTime;
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
