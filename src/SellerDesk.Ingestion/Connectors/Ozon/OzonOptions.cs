using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>Settings of <see cref="OzonConnector"/>; the defaults are the production ones.</summary>
public sealed record OzonOptions
{
    /// <summary>Host of the Seller API. <see cref="ConnectionSettings.BaseUrl"/> overrides it.</summary>
    public Uri BaseUrl { get; init; } = new("https://api-seller.ozon.ru");

    /// <summary>Postings per FBO and FBS request (<c>limit</c>; Ozon allows at most 100 on the cursor lists).</summary>
    public int PostingLimit { get; init; } = 100;

    /// <summary>Returns per request (<c>limit</c>; Ozon allows at most 500).</summary>
    public int ReturnLimit { get; init; } = 500;

    /// <summary>Posting numbers per <c>/v1/finance/accrual/postings</c> request (Ozon allows 1 to 200).</summary>
    public int AccrualPostingBatch { get; init; } = 200;

    /// <summary>Host of the Performance API (ads). <see cref="ConnectionSettings.BaseUrl"/> overrides it too.</summary>
    public Uri PerformanceBaseUrl { get; init; } = new("https://api-performance.ozon.ru");

    /// <summary>Whether to pull ad spend and campaign statistics from the Performance API (needs its client id and secret).</summary>
    public bool IncludePerformance { get; init; } = true;

    /// <summary>Campaigns per statistics report (Ozon: at most 10).</summary>
    public int CampaignsPerReport { get; init; } = 10;

    /// <summary>Days per statistics report and per expense call (Ozon: at most 62).</summary>
    public int DaysPerReport { get; init; } = 62;

    /// <summary>How often a report's state is asked for before the feed gives up (waits back off between asks).</summary>
    public int ReportPolls { get; init; } = 12;

    /// <summary>Whether to read the finance accruals (fees, logistics, storage, reconciliation) at all.</summary>
    public bool IncludeFinance { get; init; } = true;

    /// <summary>
    /// The zone whose calendar dates the pull window and the postings' and returns' business dates are in. Ozon times
    /// are UTC; set this to the workspace zone (the default, Moscow, is the workspace default). The mapping itself uses
    /// the zone the runner passes to <see cref="OzonConnector.Map"/>. Accrual dates are Ozon's own calendar dates.
    /// </summary>
    public TimeZoneInfo TimeZone { get; init; } = OzonMapper.Moscow;

    /// <summary>Told, in plain words in both languages, what a pull found odd (partial rows, accrual types new to SellerDesk).</summary>
    public Action<LocalText>? OnNotice { get; init; }

    /// <summary>Retries and back-off. Ozon allows about 50 requests a second, so the default throttle wait is short.</summary>
    public ResilienceOptions Resilience { get; init; } = new() { DefaultThrottleDelay = TimeSpan.FromSeconds(2) };
}
