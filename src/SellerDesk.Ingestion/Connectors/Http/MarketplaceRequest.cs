using System.Net;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// One logical request to a marketplace for <see cref="ResilientHttpSender"/>: a factory that builds a fresh
/// <see cref="HttpRequestMessage"/> for every try (a message can be sent only once), and what the sender must know
/// about the marketplace to tell throttling, failures and a rejected token apart.
/// </summary>
public sealed class MarketplaceRequest
{
    /// <summary>A request to <paramref name="marketplace"/> (the name a seller reads in messages: "Wildberries").</summary>
    public MarketplaceRequest(string marketplace, Func<HttpRequestMessage> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(marketplace);
        ArgumentNullException.ThrowIfNull(create);
        Marketplace = marketplace;
        Create = create;
    }

    /// <summary>The marketplace's display name, used in every <see cref="ConnectorException"/> message.</summary>
    public string Marketplace { get; }

    /// <summary>Builds the request; called once per try.</summary>
    public Func<HttpRequestMessage> Create { get; }

    /// <summary>When set, requests with the same key go one at a time (until the previous response is disposed).</summary>
    public string? SerialKey { get; init; }

    /// <summary>
    /// Tells a throttling answer by its body (Ozon answers "rate limit" with 4xx or even 200). Called only for
    /// 2xx and 4xx answers, with the whole body read into memory; leave null for large bodies.
    /// </summary>
    public Func<HttpStatusCode, string, bool>? IsThrottledBody { get; init; }

    /// <summary>
    /// Reads a marketplace-specific advised wait from a throttling answer; null falls back to
    /// <c>X-Ratelimit-Retry</c> (seconds), then <c>Retry-After</c>, then <see cref="ResilienceOptions.DefaultThrottleDelay"/>.
    /// </summary>
    public Func<HttpResponseMessage, TimeSpan?>? ReadRetryDelay { get; init; }

    /// <summary>
    /// Statuses besides 2xx handed back to the caller instead of failing with <see cref="ConnectorFailure.BadResponse"/>;
    /// a 401 or 403 it takes is handed back too (the caller reads the body to tell a token without the right category
    /// or a switched-off method from a revoked token) instead of failing at once as <see cref="ConnectorFailure.Unauthorized"/>.
    /// </summary>
    public Func<HttpStatusCode, bool>? AcceptStatus { get; init; }

    /// <summary>Said after "token rejected by X: paste a new one" (e.g. "with the Promotion category").</summary>
    public string? TokenHint { get; init; }

    /// <summary>Retry and back-off settings; <see cref="ResilienceOptions.Default"/> when null.</summary>
    public ResilienceOptions? Options { get; init; }
}
