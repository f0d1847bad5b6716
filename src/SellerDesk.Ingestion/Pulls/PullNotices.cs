using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>
/// The notices of one run, from the connector (through its <c>ConnectorContext</c>, from any thread) and from the
/// runner itself (a feed that failed, rows that could not be mapped); stored with the run, one encoded text a line.
/// </summary>
public sealed class PullNotices
{
    private readonly Lock _lock = new();
    private readonly List<LocalText> _notices = [];

    public void Add(LocalText notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        lock (_lock)
        {
            if (!_notices.Contains(notice))
            {
                _notices.Add(notice);
            }
        }
    }

    public IReadOnlyList<LocalText> ToList()
    {
        lock (_lock)
        {
            return [.. _notices];
        }
    }

    /// <summary>The stored form (one <see cref="LocalText.Encode"/> a line), or null without notices.</summary>
    public static string? Encode(IReadOnlyList<LocalText> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        return notices.Count == 0 ? null : string.Join('\n', notices.Select(n => n.Encode()));
    }
}
