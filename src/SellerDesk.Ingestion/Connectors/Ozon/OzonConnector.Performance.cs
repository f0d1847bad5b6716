using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// The Performance API (docs/connectors/ozon.md "Ads: the Performance API"): an OAuth2 client-credentials token,
/// the campaign list, per-campaign, day and SKU statistics (an asynchronous report) for attribution rows, and the
/// expenses per campaign and day for ad spend. A secondary feed: whatever fails here is reported and the run goes on.
/// </summary>
public sealed partial class OzonConnector
{
    /// <summary>Optional credentials key of the Performance API's client id.</summary>
    public const string PerformanceClientIdKey = "performance_client_id";

    /// <summary>Optional credentials key of the Performance API's client secret.</summary>
    public const string PerformanceClientSecretKey = "performance_client_secret";

    /// <summary>Feed of expenses; source id <c>campaignId:date</c>.</summary>
    public const string AdSpendFeed = OzonPerformance.AdSpendFeed;

    /// <summary>Feed of campaign statistics per SKU and day; source id <c>campaignId:date:sku</c>.</summary>
    public const string StatisticsFeed = OzonPerformance.StatisticsFeed;

    public const string TokenPath = "/api/client/token";
    public const string CampaignsPath = "/api/client/campaign";
    public const string StatisticsPath = "/api/client/statistics/json";
    public const string ReportStatePath = "/api/client/statistics/{UUID}";
    public const string ReportPath = "/api/client/statistics/report";
    public const string ExpensesPath = "/api/client/statistics/expense/json";

    private const string PerformanceName = "Ozon Performance";

    private async IAsyncEnumerable<SourcePage> FetchPerformanceAsync(
        ConnectionSettings connection, PullWindow window, string serialKey, FetchRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var clientId = connection.Credential(PerformanceClientIdKey);
        var secret = connection.Credential(PerformanceClientSecretKey);
        if (clientId is null || secret is null)
        {
            // Nothing to ask for: the connection form says what is not pulled without them.
            yield break;
        }

        var root = Root(connection.BaseUrl ?? _options.PerformanceBaseUrl);
        var (token, tokenFailure) = await TokenAsync(root, clientId, secret, serialKey, cancellationToken);
        if (token is null)
        {
            yield return Failed(tokenFailure!.Value);
            yield break;
        }

        // Expenses: one call per part of at most 62 days, asked for by day, so declared whole at the end.
        var spent = new List<SourceRow>();
        for (var from = window.From; from <= window.To; from = from.AddDays(_options.DaysPerReport))
        {
            var to = from.AddDays(_options.DaysPerReport - 1) is var end && end > window.To ? window.To : end;
            var (expenses, failure) = await PerformanceAsync(
                HttpMethod.Get, new Uri(string.Create(CultureInfo.InvariantCulture, $"{root}{ExpensesPath}?dateFrom={from:yyyy-MM-dd}&dateTo={to:yyyy-MM-dd}")), null, token, serialKey, ExpensesPath, cancellationToken);
            if (failure is { } why)
            {
                yield return Failed(why);
                yield break;
            }

            using (expenses)
            {
                spent.AddRange(OzonPerformance.ExpenseRows(expenses!.RootElement, from, to));
            }
        }

        yield return new SourcePage(spent, 0) { CompletedFeeds = [AdSpendFeed] };

        var (campaigns, listFailure) = await PerformanceAsync(HttpMethod.Get, new Uri(root + CampaignsPath), null, token, serialKey, CampaignsPath, cancellationToken);
        if (listFailure is { } listWhy)
        {
            yield return Failed(listWhy, statisticsOnly: true);
            yield break;
        }

        List<(string Id, string? Title)> productCampaigns;
        using (campaigns)
        {
            productCampaigns = OzonPerformance.ProductCampaigns(campaigns!.RootElement);
        }

        var rows = new List<SourceRow>();
        foreach (var batch in productCampaigns.Chunk(_options.CampaignsPerReport))
        {
            for (var from = window.From; from <= window.To; from = from.AddDays(_options.DaysPerReport))
            {
                var to = from.AddDays(_options.DaysPerReport - 1) is var end && end > window.To ? window.To : end;
                var (report, failure) = await ReportAsync(root, token, serialKey, batch, from, to, cancellationToken);
                if (failure is { } why)
                {
                    yield return Failed(why, statisticsOnly: true);
                    yield break;
                }

                using (report)
                {
                    rows.AddRange(OzonPerformance.StatisticsRows(report!.RootElement, from, to, batch.ToDictionary(c => c.Id, c => c.Title, StringComparer.Ordinal), run.OfferIds));
                }
            }
        }

        yield return new SourcePage(rows, 0) { CompletedFeeds = [StatisticsFeed] };
    }

    /// <summary>One report: ordered, its state asked for until it is ready (backing off between asks), then read.</summary>
    private async Task<(JsonDocument? Report, (ConnectorFailure Kind, LocalText Why)? Failure)> ReportAsync(
        string root, string token, string serialKey, (string Id, string? Title)[] campaigns, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["campaigns"] = new JsonArray([.. campaigns.Select(c => (JsonNode)JsonValue.Create(c.Id))]),
            ["dateFrom"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["dateTo"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["groupBy"] = "DATE",
        }.ToJsonString();
        var (ordered, failure) = await PerformanceAsync(HttpMethod.Post, new Uri(root + StatisticsPath), body, token, serialKey, StatisticsPath, cancellationToken);
        if (failure is not null)
        {
            return (null, failure);
        }

        string? uuid;
        using (ordered)
        {
            uuid = OzonJson.Text(ordered!.RootElement, "UUID");
        }

        if (string.IsNullOrWhiteSpace(uuid))
        {
            return (null, (ConnectorFailure.BadResponse, OzonTexts.ReportWithoutUuid));
        }

        for (var poll = 1; ; poll++)
        {
            var (state, stateFailure) = await PerformanceAsync(
                HttpMethod.Get, new Uri(root + ReportStatePath.Replace("{UUID}", Uri.EscapeDataString(uuid), StringComparison.Ordinal)), null, token, serialKey, ReportStatePath, cancellationToken);
            if (stateFailure is not null)
            {
                return (null, stateFailure);
            }

            string? said;
            using (state)
            {
                said = OzonJson.Text(state!.RootElement, "state");
            }

            if (said == "OK")
            {
                break;
            }

            if (said is "ERROR" or "FAILED" or "CANCELLED")
            {
                return (null, (ConnectorFailure.Unavailable, OzonTexts.ReportFailed(said)));
            }

            if (poll >= _options.ReportPolls)
            {
                return (null, (ConnectorFailure.Unavailable, OzonTexts.ReportNotReady(poll)));
            }

            await _sender.BackOffAsync(poll, _options.Resilience, cancellationToken);
        }

        return await PerformanceAsync(
            HttpMethod.Get, new Uri($"{root}{ReportPath}?UUID={Uri.EscapeDataString(uuid)}"), null, token, serialKey, ReportPath, cancellationToken);
    }

    private async Task<(string? Token, (ConnectorFailure Kind, LocalText Why)? Failure)> TokenAsync(
        string root, string clientId, string secret, string serialKey, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["client_id"] = clientId, ["client_secret"] = secret, ["grant_type"] = "client_credentials" }.ToJsonString();
        var (answer, failure) = await PerformanceAsync(HttpMethod.Post, new Uri(root + TokenPath), body, bearer: null, serialKey, TokenPath, cancellationToken);
        if (failure is { Kind: ConnectorFailure.Unauthorized or ConnectorFailure.BadResponse })
        {
            return (null, (ConnectorFailure.Unauthorized, OzonTexts.PerformanceCredentialsRejected));
        }

        if (failure is not null)
        {
            return (null, failure);
        }

        using (answer)
        {
            var token = OzonJson.Text(answer!.RootElement, "access_token");
            return string.IsNullOrWhiteSpace(token)
                ? (null, (ConnectorFailure.BadResponse, OzonTexts.TokenWithoutAccessToken))
                : (token, null);
        }
    }

    /// <summary>
    /// A Performance API call: its JSON object, or why the ads must stop (throttling past its waits and 5xx after
    /// retries come from the shared sender; every 4xx is read here).
    /// </summary>
    private async Task<(JsonDocument? Answer, (ConnectorFailure Kind, LocalText Why)? Failure)> PerformanceAsync(
        HttpMethod verb, Uri uri, string? body, string? bearer, string serialKey, string path, CancellationToken cancellationToken)
    {
        var method = verb.Method + " " + path;
        var request = new MarketplaceRequest(PerformanceName, () =>
        {
            var message = new HttpRequestMessage(verb, uri);
            if (body is not null)
            {
                message.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            if (bearer is not null)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return message;
        })
        {
            SerialKey = serialKey,
            Options = _options.Resilience,
            AcceptStatus = status => (int)status is >= 400 and < 500,
        };

        MarketplaceResponse response;
        try
        {
            response = await _sender.SendAsync(request, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Failure is ConnectorFailure.Throttled or ConnectorFailure.Unavailable or ConnectorFailure.BadResponse)
        {
            return (null, (ex.Failure, Bilingual(ex).Text));
        }

        using (response)
        {
            string text;
            try
            {
                text = await response.Message.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, (ConnectorFailure.Unavailable, OzonTexts.BrokeOff(method, ex.Message)));
            }

            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return (null, (ConnectorFailure.Unauthorized, OzonTexts.PerformanceCredentialsRejected));
            }

            if (status is >= 400 and < 500)
            {
                return IsRetiredBody(text) || response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone
                    ? (null, (ConnectorFailure.MethodRetired, OzonTexts.MethodRetired(method)))
                    : (null, (ConnectorFailure.BadResponse, OzonTexts.Refused(method, status)));
            }

            try
            {
                var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    document.Dispose();
                    return (null, (ConnectorFailure.BadResponse, OzonTexts.NotAnObject(method)));
                }

                return (document, null);
            }
            catch (JsonException ex)
            {
                return (null, (ConnectorFailure.BadResponse, OzonTexts.NotJson(method, ex.Message)));
            }
        }
    }

    private static SourcePage Failed((ConnectorFailure Kind, LocalText Why) failure, bool statisticsOnly = false) =>
        new([], 0)
        {
            FailedFeeds = statisticsOnly
                ? [new FeedFailure(StatisticsFeed, failure.Kind, OzonTexts.StatisticsNotPulled(failure.Why))]
                : [new FeedFailure(AdSpendFeed, failure.Kind, OzonTexts.AdsNotPulled(failure.Why)), new FeedFailure(StatisticsFeed, failure.Kind, OzonTexts.StatisticsNotPulled(failure.Why))],
        };
}
