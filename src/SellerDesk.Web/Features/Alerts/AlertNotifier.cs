using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>
/// Tells the open bells of a workspace that its alerts changed, so a new alert shows without a reload. An evaluation on
/// this node calls <see cref="Changed"/> at once; alerts opened or cleared by another node (or written by a job there)
/// are found by <see cref="AlertBellWatch"/>, which looks every <see cref="AlertOptions.BellPollInterval"/>.
/// </summary>
public sealed class AlertNotifier(ILogger<AlertNotifier> logger)
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> _subscribers = new();

    /// <summary>The workspaces some open page watches now, each with when its first watcher began.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> Watched =>
        _subscribers.Where(p => !p.Value.IsEmpty).ToDictionary(p => p.Key, p => p.Value.Keys.Min(s => s.Since));

    /// <summary>Calls <paramref name="changed"/> whenever the workspace's alerts change, until the result is disposed.</summary>
    public IDisposable Subscribe(Guid workspaceId, Func<Task> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var subscription = new Subscription(this, workspaceId, changed, DateTimeOffset.UtcNow);
        _subscribers.GetOrAdd(workspaceId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>The workspace's alerts changed: every subscriber is told (one that fails does not stop the others).</summary>
    public void Changed(Guid workspaceId)
    {
        if (!_subscribers.TryGetValue(workspaceId, out var subscribers))
        {
            return;
        }

        foreach (var subscription in subscribers.Keys)
        {
            _ = NotifyAsync(subscription);
        }
    }

    private async Task NotifyAsync(Subscription subscription)
    {
        try
        {
            await subscription.Changed();
        }
        catch (Exception ex)
        {
            // A page that went away or failed to re-read its bell: the others still hear of it.
            logger.LogDebug(ex, "A bell of workspace {Workspace} could not be told of a change", subscription.WorkspaceId);
        }
    }

    private sealed class Subscription(AlertNotifier owner, Guid workspaceId, Func<Task> changed, DateTimeOffset since) : IDisposable
    {
        public Guid WorkspaceId => workspaceId;

        public DateTimeOffset Since => since;

        public Func<Task> Changed => changed;

        public void Dispose()
        {
            if (owner._subscribers.TryGetValue(workspaceId, out var subscribers))
            {
                subscribers.TryRemove(this, out _);
            }
        }
    }
}

/// <summary>
/// The periodic check behind the bells: every <see cref="AlertOptions.BellPollInterval"/> it reads, for the workspaces
/// an open page watches, the latest time an alert opened or cleared, and tells <see cref="AlertNotifier"/> of those that
/// moved (what another node did; this node's own evaluations notify at once).
/// </summary>
public sealed class AlertBellWatch(NpgsqlDataSource dataSource, AlertNotifier notifier, IOptions<AlertOptions> options, ILogger<AlertBellWatch> logger)
    : BackgroundService
{
    private readonly Dictionary<Guid, (DateTimeOffset? Latest, long Count)> _seen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.BellPollInterval > TimeSpan.Zero ? options.Value.BellPollInterval : TimeSpan.FromSeconds(20);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogDebug(ex, "The alert bells' check could not read the alerts; it tries again in {Interval}", interval);
            }
        }
    }

    /// <summary>One look: tells the notifier of each watched workspace whose alerts moved since the last look.</summary>
    internal async Task CheckAsync(CancellationToken ct)
    {
        var watching = notifier.Watched;
        var watched = watching.Keys.ToArray();
        foreach (var gone in _seen.Keys.Except(watched).ToList())
        {
            _seen.Remove(gone);
        }

        if (watched.Length == 0)
        {
            return;
        }

        await using var cmd = dataSource.CreateCommand(
            """
            SELECT w.id, max(greatest(a.opened_at, coalesce(a.cleared_at, a.opened_at))), count(a.id)
            FROM unnest($1::uuid[]) AS w(id) LEFT JOIN alerts a ON a.workspace_id = w.id
            GROUP BY w.id
            """);
        cmd.Parameters.AddWithValue(watched);
        var now = new List<(Guid Workspace, DateTimeOffset? Latest, long Count)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                now.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2)));
            }
        }

        foreach (var (workspace, latest, count) in now)
        {
            var known = _seen.TryGetValue(workspace, out var before);
            _seen[workspace] = (latest, count);
            // A workspace seen for the first time: what moved since its first page began watching (a second early, for clocks).
            if (known ? before.Latest != latest || before.Count != count : latest > watching[workspace] - TimeSpan.FromSeconds(1))
            {
                notifier.Changed(workspace);
            }
        }
    }
}
