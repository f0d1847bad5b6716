using System.Collections.Concurrent;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// Hands the reports a page loaded while prerendering to the same page once its circuit starts, so the first
/// interactive render shows the very figures already on screen instead of blanking them while it loads again.
/// Only an id travels through the page's persisted state; the reports stay here for at most a minute.
/// </summary>
public sealed class ReportHandoff(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (LoadedReport Report, DateTimeOffset Expires)> _reports = new(StringComparer.Ordinal);

    public string Put(LoadedReport report)
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _reports)
        {
            if (entry.Expires < now)
            {
                _reports.TryRemove(key, out _);
            }
        }

        var id = Guid.NewGuid().ToString("N");
        _reports[id] = (report, now + Lifetime);
        return id;
    }

    public LoadedReport? Take(string id) =>
        _reports.TryRemove(id, out var entry) && entry.Expires >= clock.GetUtcNow() ? entry.Report : null;
}
