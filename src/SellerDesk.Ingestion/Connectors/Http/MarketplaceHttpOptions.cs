namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// The operator's settings for the connectors' HTTP layer (configuration section <c>Connectors:Http</c>,
/// docs/decisions/0013-connector-http-layer.md).
/// </summary>
public sealed class MarketplaceHttpOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Connectors:Http";

    /// <summary>The default limit on one response body: 256 MiB (a full Wildberries report page is about 120 MB).</summary>
    public const long DefaultMaxResponseBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Hosts a connection's <c>base_url</c> may name besides the marketplace's own ones: <c>host</c> (any port) or
    /// <c>host:port</c>. A listed host is trusted as the operator's own: it may resolve to a private or loopback
    /// address (a local fake marketplace, a proxy inside the network). Empty by default.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>The most bytes one marketplace response body may have; a longer one fails the request plainly.</summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Whether <paramref name="uri"/>'s host (and port) is on <see cref="AllowedHosts"/>.</summary>
    public bool IsListed(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return IsListed(uri.IdnHost, uri.Port);
    }

    /// <summary>Whether <paramref name="host"/> on <paramref name="port"/> is on <see cref="AllowedHosts"/>.</summary>
    public bool IsListed(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim('[', ']');
        foreach (var entry in AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(entry))
            {
                continue;
            }

            var (listedHost, listedPort) = Split(entry.Trim());
            if (string.Equals(listedHost, bare, StringComparison.OrdinalIgnoreCase) && (listedPort is null || listedPort == port))
            {
                return true;
            }
        }

        return false;
    }

    private static (string Host, int? Port) Split(string entry)
    {
        // "[::1]:8080", "[::1]", "::1", "host:8080", "host"
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            var host = close > 0 ? entry[1..close] : entry.Trim('[', ']');
            var rest = close > 0 ? entry[(close + 1)..] : string.Empty;
            return (host, rest.StartsWith(':') && int.TryParse(rest[1..], out var p) ? p : null);
        }

        var colon = entry.LastIndexOf(':');
        if (colon > 0 && entry.IndexOf(':', StringComparison.Ordinal) == colon && int.TryParse(entry[(colon + 1)..], out var port))
        {
            return (entry[..colon], port);
        }

        return (entry, null);
    }
}
