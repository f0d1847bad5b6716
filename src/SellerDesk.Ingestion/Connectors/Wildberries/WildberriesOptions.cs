using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>Settings of <see cref="WildberriesConnector"/>; the defaults are the production ones.</summary>
public sealed record WildberriesOptions
{
    /// <summary>Host of the realization report (the finance API). <see cref="ConnectionSettings.BaseUrl"/> overrides it.</summary>
    public Uri FinanceBaseUrl { get; init; } = new("https://finance-api.wildberries.ru");

    /// <summary>Host of the promotion API (ad spend). <see cref="ConnectionSettings.BaseUrl"/> overrides it too.</summary>
    public Uri AdvertBaseUrl { get; init; } = new("https://advert-api.wildberries.ru");

    /// <summary>Lines asked for per report request (<c>limit</c>; WB allows up to 100 000).</summary>
    public int ReportLimit { get; init; } = 100_000;

    /// <summary>Rows per <see cref="SourcePage"/> handed to the pull runner while a report page streams in.</summary>
    public int RowsPerPage { get; init; } = 5_000;

    /// <summary>Longest date range of one <c>/adv/v1/upd</c> call (WB: 31 days); longer windows are split.</summary>
    public int AdDaysPerCall { get; init; } = 31;

    /// <summary>Whether to pull ad spend at all (the token needs the Promotion category).</summary>
    public bool IncludeAdSpend { get; init; } = true;

    /// <summary>
    /// Whether to pull campaign statistics (<c>/adv/v3/fullstats</c>) for attribution rows (metrics.md 3.1) with the
    /// ad spend; only when <see cref="IncludeAdSpend"/> is on too.
    /// </summary>
    public bool IncludeCampaignStatistics { get; init; } = true;

    /// <summary>Longest date range of one <c>/adv/v3/fullstats</c> call (WB: 31 days).</summary>
    public int StatisticsDaysPerCall { get; init; } = 31;

    /// <summary>Campaign ids per <c>/adv/v3/fullstats</c> call (WB: at most 50) and per <c>/api/advert/v2/adverts</c> call.</summary>
    public int CampaignsPerCall { get; init; } = 50;

    /// <summary>
    /// Told, in both languages, what a run had to do without or decide for itself (ad spend not pulled, ad charges
    /// without a time); the pull runs with <c>ConnectorContext.Notice</c> here and shows them on the run.
    /// </summary>
    public Action<LocalText>? OnNotice { get; init; }

    /// <summary>
    /// Whether a trailing <c>Z</c> on a WB time is Moscow wall-clock time (as the report examples suggest) rather than
    /// UTC. True by default: marketplaces.md says all WB dates are Moscow time.
    /// </summary>
    public bool UtcDesignatorIsMoscowTime { get; init; } = true;

    /// <summary>Retries and back-off. WB's report allows about one request a minute, so the default throttle wait is 60 s.</summary>
    public ResilienceOptions Resilience { get; init; } = new() { DefaultThrottleDelay = TimeSpan.FromSeconds(60) };
}
