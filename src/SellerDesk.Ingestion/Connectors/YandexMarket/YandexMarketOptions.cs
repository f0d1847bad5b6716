using SellerDesk.Ingestion.Connectors.Common;
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
    /// Days past the window's end (never past today) the returns list is asked for: Yandex filters returns by their
    /// update date, and a return of an order in the window is often settled (refunded, or its refund cancelled) after
    /// it. 30 days cover the buyer's time to hand the item in and Yandex's check and refund; a later change arrives
    /// with the run whose window covers it.
    /// </summary>
    public int ReturnsPastWindowDays { get; init; } = 30;

    /// <summary>Whether to pull the services report (storage, acceptance, promotion and other charges outside the orders report).</summary>
    public bool IncludeServices { get; init; } = true;

    /// <summary>The wait between two questions about a report still being generated (longer when Yandex estimates longer, at most a minute).</summary>
    public TimeSpan ReportPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a report may take to generate before the run gives up (the next run asks again).</summary>
    public TimeSpan ReportMaxWait { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Told, in plain words, what a pull mapped by a stated rule (rows without dates or ids, unknown report sheets).</summary>
    public Action<LocalText>? OnNotice { get; init; }

    /// <summary>
    /// Retries and back-off. A 420 for too many parallel requests advises no wait, so the default throttle wait is
    /// short (5 s); a 420 for a spent hourly quota advises the quota's reset time (<c>X-RateLimit-Resource-Until</c>).
    /// </summary>
    public ResilienceOptions Resilience { get; init; } = new() { DefaultThrottleDelay = TimeSpan.FromSeconds(5) };
}
