using SellerDesk.Ingestion.Connectors;

namespace SellerDesk.Ingestion.Tests.Pulls;

/// <summary>
/// What a connection's marketplace has reported last for every window pulled, kept here independently of the runner:
/// each pull replaces the rows of the window of every feed the fetch declared whole, and adds or updates the rows it
/// sent. The ledger the runner leaves must be the mapping of exactly these rows.
/// </summary>
internal sealed class SourceModel
{
    private readonly Dictionary<(string Feed, string SourceId), SourceRow> _rows = [];

    public int Count => _rows.Count;

    /// <summary>Fetches the window as a run would and applies it.</summary>
    public async Task PullAsync(IMarketplaceConnector connector, ConnectionSettings connection, PullWindow window)
    {
        var sent = new Dictionary<(string, string), SourceRow>();
        var whole = new HashSet<string>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in connector.FetchAsync(connection, window, CancellationToken.None))
        {
            foreach (var row in page.Rows)
            {
                sent[(row.Feed, row.SourceId)] = row;
            }

            whole.UnionWith(page.CompletedFeeds);
            failed.UnionWith(page.FailedFeeds.Select(f => f.Feed));
        }

        whole.ExceptWith(failed);
        foreach (var key in _rows.Where(r => whole.Contains(r.Key.Feed) && r.Value.BusinessDate >= window.From && r.Value.BusinessDate <= window.To && !sent.ContainsKey(r.Key))
                     .Select(r => r.Key).ToList())
        {
            _rows.Remove(key);
        }

        foreach (var (key, row) in sent)
        {
            _rows[key] = row;
        }
    }

    /// <summary>The ledger the latest reported rows map to.</summary>
    public LedgerRows Expected(IMarketplaceConnector connector) => LedgerRows.Of(connector.Map([.. _rows.Values], PullWorkspace.Moscow));

    /// <summary>The latest reported rows.</summary>
    public IReadOnlyList<SourceRow> Rows => [.. _rows.Values];

    public void Clear() => _rows.Clear();
}
