using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>Settings of <see cref="OzonConnector"/>; the defaults are the production ones.</summary>
public sealed record OzonOptions
{
    /// <summary>Host of the Seller API. <see cref="ConnectionSettings.BaseUrl"/> overrides it.</summary>
    public Uri BaseUrl { get; init; } = new("https://api-seller.ozon.ru");

    /// <summary>Postings per FBO and FBS request (<c>limit</c>; Ozon allows at most 1000).</summary>
    public int PostingLimit { get; init; } = 1_000;

    /// <summary>Returns per request (<c>limit</c>; Ozon allows at most 500).</summary>
    public int ReturnLimit { get; init; } = 500;

    /// <summary>Operations per finance request (<c>page_size</c>; Ozon allows at most 1000).</summary>
    public int FinancePageSize { get; init; } = 1_000;

    /// <summary>Whether to read the finance transactions (fees, logistics, storage) at all.</summary>
    public bool IncludeFinance { get; init; } = true;

    /// <summary>
    /// The zone whose calendar dates the pull window and the source rows' business dates are in. Ozon times are UTC;
    /// set this to the workspace zone (the default, Moscow, is the workspace default). The mapping itself uses the zone
    /// the runner passes to <see cref="OzonConnector.Map"/>.
    /// </summary>
    public TimeZoneInfo TimeZone { get; init; } = OzonMapper.Moscow;

    /// <summary>Told, in plain words, what a pull had to do without (the finance method switched off); log it or show it.</summary>
    public Action<LocalText>? OnNotice { get; init; }

    /// <summary>Retries and back-off. Ozon allows about 50 requests a second, so the default throttle wait is short.</summary>
    public ResilienceOptions Resilience { get; init; } = new() { DefaultThrottleDelay = TimeSpan.FromSeconds(2) };
}
