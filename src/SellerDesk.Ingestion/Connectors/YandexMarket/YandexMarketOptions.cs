using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>Settings of <see cref="YandexMarketConnector"/>; the defaults are the production ones.</summary>
public sealed record YandexMarketOptions
{
    /// <summary>Largest <c>limit</c> the orders report takes.</summary>
    public const int MaxOrdersLimit = 200;

    /// <summary>Largest <c>limit</c> the returns list takes.</summary>
    public const int MaxReturnsLimit = 100;

    /// <summary>The Partner API host. <see cref="ConnectionSettings.BaseUrl"/> overrides it.</summary>
    public Uri BaseUrl { get; init; } = new("https://api.partner.market.yandex.ru");

    /// <summary>Orders asked for per <c>stats/orders</c> page (<c>limit</c>, 1 .. 200).</summary>
    public int OrdersLimit { get; init; } = MaxOrdersLimit;

    /// <summary>Returns asked for per <c>returns</c> page (<c>limit</c>, 1 .. 100).</summary>
    public int ReturnsLimit { get; init; } = MaxReturnsLimit;

    /// <summary>
    /// Whether to ask the orders report a second time by status change (<c>updateFrom</c>/<c>updateTo</c>) and keep the
    /// orders created before the window: an order returned or cancelled weeks after it was placed is then restated
    /// with its refunds and return charges, whatever the window.
    /// </summary>
    public bool IncludeUpdatedOrders { get; init; } = true;

    /// <summary>Whether to pull the returns list (without it, returns are not in the ledger).</summary>
    public bool IncludeReturns { get; init; } = true;

    /// <summary>
    /// Retries and back-off. A 420 for too many parallel requests advises no wait, so the default throttle wait is
    /// short (5 s); a 420 for a spent hourly quota advises the quota's reset time (<c>X-RateLimit-Resource-Until</c>).
    /// </summary>
    public ResilienceOptions Resilience { get; init; } = new() { DefaultThrottleDelay = TimeSpan.FromSeconds(5) };
}
