using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>
/// Yandex Market (Partner API): the orders report (<c>POST /v2/campaigns/{id}/stats/orders</c>, feed <c>ym.orders</c>)
/// with items, prices, commissions and payments, and the returns list (<c>GET /v2/campaigns/{id}/returns</c>, feed
/// <c>ym.returns</c>). The mapping is documented field by field in docs/connectors/yandex_market.md.
/// </summary>
public sealed class YandexMarketConnector : IMarketplaceConnector
{
    /// <summary>The ledger's marketplace code.</summary>
    public const string MarketplaceCode = YandexMarketMapper.MarketplaceCode;

    /// <summary>Feed of orders; source id and order key: the order <c>id</c>.</summary>
    public const string OrdersFeed = YandexMarketMapper.OrdersFeed;

    /// <summary>Feed of returns; source id: the return <c>id</c>, order key: its <c>orderId</c>.</summary>
    public const string ReturnsFeed = YandexMarketMapper.ReturnsFeed;

    /// <summary>Credentials key of the API key (sent as header <c>Api-Key</c>).</summary>
    public const string ApiKeyKey = "api_key";

    /// <summary>Credentials key of the campaign (store) id.</summary>
    public const string CampaignIdKey = "campaign_id";

    /// <summary>The header the API key goes in.</summary>
    public const string ApiKeyHeader = "Api-Key";

    /// <summary>Header of the hourly quota left.</summary>
    public const string QuotaRemainingHeader = "X-RateLimit-Resource-Remaining";

    /// <summary>Header of when the hourly quota is renewed.</summary>
    public const string QuotaUntilHeader = "X-RateLimit-Resource-Until";

    private const string DisplayName = "Yandex Market";
    private const string TokenHint = "(an API key with access to the orders and returns of the campaign)";

    private readonly ResilientHttpSender _sender;
    private readonly YandexMarketOptions _options;
    private readonly TimeProvider _time;

    public YandexMarketConnector(ResilientHttpSender sender, YandexMarketOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _options = options ?? new YandexMarketOptions();
        _time = time ?? TimeProvider.System;
        if (_options.OrdersLimit is < 1 or > YandexMarketOptions.MaxOrdersLimit
            || _options.ReturnsLimit is < 1 or > YandexMarketOptions.MaxReturnsLimit)
        {
            throw new ArgumentException("Orders limit must be 1 .. 200 and returns limit 1 .. 100.", nameof(options));
        }
    }

    public string Marketplace => MarketplaceCode;

    /// <summary>Path of the orders report of a campaign.</summary>
    public static string OrdersPath(string campaignId) => $"/v2/campaigns/{campaignId}/stats/orders";

    /// <summary>Path of the returns list of a campaign.</summary>
    public static string ReturnsPath(string campaignId) => $"/v2/campaigns/{campaignId}/returns";

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(window);
        if (window.To < window.From)
        {
            throw new ArgumentException("The window ends before it starts.", nameof(window));
        }

        var apiKey = Credential(connection, ApiKeyKey)
            ?? throw new ConnectorException(ConnectorFailure.Unauthorized, "no Yandex Market API key in the connection: paste one");
        var campaignId = Credential(connection, CampaignIdKey)
            ?? throw new ConnectorException(ConnectorFailure.Unauthorized, "no Yandex Market campaign id in the connection: enter the store's campaign id");
        if (!campaignId.All(char.IsAsciiDigit))
        {
            throw new ConnectorException(
                ConnectorFailure.Unauthorized, $"the Yandex Market campaign id '{campaignId}' is not a number: enter the store's campaign id");
        }

        // Yandex allows 4 parallel requests per campaign; one at a time leaves room for the seller's other tools.
        var serialKey = MarketplaceCode + ":" + campaignId;
        var root = (connection.BaseUrl ?? _options.BaseUrl).AbsoluteUri.TrimEnd('/');
        var pages = 0;
        await foreach (var rows in FetchOrdersAsync(root, campaignId, apiKey, serialKey, window, byUpdate: false, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }

        if (_options.IncludeUpdatedOrders)
        {
            await foreach (var rows in FetchOrdersAsync(root, campaignId, apiKey, serialKey, window, byUpdate: true, cancellationToken))
            {
                yield return new SourcePage(rows, ++pages);
            }
        }

        if (!_options.IncludeReturns)
        {
            yield break;
        }

        await foreach (var rows in FetchReturnsAsync(root, campaignId, apiKey, serialKey, window, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }
    }

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        // Instants keep their Moscow offset and period fees their Moscow business date (see the docs): the runner derives
        // by business date, so dating fees in another zone would split a day across derivations.
        ArgumentNullException.ThrowIfNull(zone);
        return MapDetailed(rows).Ledger;
    }

    /// <summary>The ledger records of the rows, and the money it could not carry with the reason.</summary>
    public static YandexMarketMapping MapDetailed(IReadOnlyList<SourceRow> rows) => YandexMarketMapper.Map(rows);

    /// <summary>
    /// The orders' payout: over the orders report's rows (test orders left out), payments to the seller less refunds,
    /// less every commission's actual amount. Null when there is no order row.
    /// </summary>
    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => YandexMarketMapper.Payout(rows);

    /// <summary>
    /// Orders created in the window (<c>dateFrom</c>/<c>dateTo</c>), or with <paramref name="byUpdate"/> those whose
    /// status changed in the window (<c>updateFrom</c>/<c>updateTo</c>), of which only the ones created before the
    /// window are kept (the others were read by creation date already).
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchOrdersAsync(
        string root, string campaignId, string apiKey, string serialKey, PullWindow window, bool byUpdate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (fromName, toName) = byUpdate ? ("updateFrom", "updateTo") : ("dateFrom", "dateTo");
        var body = string.Create(
            CultureInfo.InvariantCulture, $$"""{"{{fromName}}":"{{window.From:yyyy-MM-dd}}","{{toName}}":"{{window.To:yyyy-MM-dd}}"}""");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? pageToken = null;
        do
        {
            var uri = new Uri(root + OrdersPath(campaignId) + "?limit=" + _options.OrdersLimit.ToString(CultureInfo.InvariantCulture) + TokenQuery(pageToken));
            var request = Request(HttpMethod.Post, uri, apiKey, serialKey, body);
            var (items, next) = await ReadPageAsync(request, "orders", "orders report", cancellationToken);
            var rows = new List<SourceRow>(items.Count);
            foreach (var order in items)
            {
                var row = OrderRow(order, window);
                if (!byUpdate || row.BusinessDate < window.From)
                {
                    rows.Add(row);
                }
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            pageToken = NextToken(next, items.Count, seen, "orders report");
        }
        while (pageToken is not null);
    }

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchReturnsAsync(
        string root, string campaignId, string apiKey, string serialKey, PullWindow window,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? pageToken = null;
        do
        {
            var uri = new Uri(string.Create(
                CultureInfo.InvariantCulture,
                $"{root}{ReturnsPath(campaignId)}?fromDate={window.From:yyyy-MM-dd}&toDate={window.To:yyyy-MM-dd}&limit={_options.ReturnsLimit}{TokenQuery(pageToken)}"));
            var request = Request(HttpMethod.Get, uri, apiKey, serialKey, null);
            var (items, next) = await ReadPageAsync(request, "returns", "returns list", cancellationToken);
            var rows = new List<SourceRow>(items.Count);
            foreach (var item in items)
            {
                rows.Add(ReturnRow(item, window));
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            pageToken = NextToken(next, items.Count, seen, "returns list");
        }
        while (pageToken is not null);
    }

    /// <summary>
    /// Sends one page request and reads <c>result.{list}</c> and <c>result.paging.nextPageToken</c>. A body that breaks
    /// off while it is read is asked for again (same page token) after a back-off, up to the failure tries.
    /// </summary>
    private async Task<(List<JsonElement> Items, string? Next)> ReadPageAsync(
        MarketplaceRequest request, string list, string what, CancellationToken cancellationToken)
    {
        for (var brokenOff = 1; ; brokenOff++)
        {
            JsonDocument? document = null;
            using (var response = await _sender.SendAsync(request, cancellationToken))
            {
                try
                {
                    var stream = await response.ReadStreamAsync(cancellationToken);
                    document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
                }
                catch (JsonException ex)
                {
                    throw new ConnectorException(
                        ConnectorFailure.BadResponse, $"Yandex Market sent a page of the {what} that is not JSON: {ex.Message}", ex);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    if (brokenOff >= _options.Resilience.MaxFailedTries)
                    {
                        throw new ConnectorException(
                            ConnectorFailure.Unavailable,
                            $"Yandex Market broke off a page of the {what} {ResilientHttpSender.Times(brokenOff)} in a row (last: {ex.Message}); the pull will retry at the next run",
                            ex);
                    }
                }
            }

            if (document is null)
            {
                await _sender.BackOffAsync(brokenOff, _options.Resilience, cancellationToken);
                continue;
            }

            return ReadPage(document, list, what);
        }
    }

    private static (List<JsonElement> Items, string? Next) ReadPage(JsonDocument document, string list, string what)
    {
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            {
                throw new ConnectorException(ConnectorFailure.BadResponse, $"Yandex Market sent a page of the {what} without a result object");
            }

            var items = new List<JsonElement>();
            if (result.TryGetProperty(list, out var array))
            {
                if (array.ValueKind == JsonValueKind.Array)
                {
                    items.AddRange(array.EnumerateArray().Select(e => e.Clone()));
                }
                else if (array.ValueKind != JsonValueKind.Null)
                {
                    throw new ConnectorException(ConnectorFailure.BadResponse, $"Yandex Market sent a page of the {what} whose '{list}' is not a list");
                }
            }

            string? next = null;
            if (result.TryGetProperty("paging", out var paging) && paging.ValueKind == JsonValueKind.Object)
            {
                next = YandexMarketJson.Text(paging, "nextPageToken");
            }

            return (items, next);
        }
    }

    /// <summary>The token of the next page, or null at the end; a token seen before would page for ever.</summary>
    private static string? NextToken(string? next, int items, HashSet<string> seen, string what)
    {
        if (next is null || items == 0)
        {
            return null;
        }

        if (!seen.Add(next))
        {
            throw new ConnectorException(
                ConnectorFailure.BadResponse, $"Yandex Market sent the {what} page token '{next}' a second time; paging would never end");
        }

        return next;
    }

    private static SourceRow OrderRow(JsonElement order, PullWindow window)
    {
        if (order.ValueKind != JsonValueKind.Object || YandexMarketJson.Text(order, "id") is not { } id)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, "Yandex Market sent an order without an id");
        }

        var date = YandexMarketTime.MoscowDate(YandexMarketJson.Text(order, "creationDate")) ?? window.From;
        return new SourceRow(OrdersFeed, id, id, date, order.GetRawText());
    }

    private static SourceRow ReturnRow(JsonElement item, PullWindow window)
    {
        if (item.ValueKind != JsonValueKind.Object || YandexMarketJson.Text(item, "id") is not { } id)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, "Yandex Market sent a return without an id");
        }

        if (YandexMarketJson.Text(item, "orderId") is not { } orderId)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, $"Yandex Market sent return {id} without an orderId");
        }

        var date = YandexMarketTime.MoscowDate(YandexMarketJson.Text(item, "creationDate"))
            ?? YandexMarketTime.MoscowDate(YandexMarketJson.Text(item, "updateDate"))
            ?? window.From;
        return new SourceRow(ReturnsFeed, id, orderId, date, item.GetRawText());
    }

    private MarketplaceRequest Request(HttpMethod method, Uri uri, string apiKey, string serialKey, string? body) =>
        new(DisplayName, () =>
        {
            var message = new HttpRequestMessage(method, uri);
            message.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null)
            {
                message.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            return message;
        })
        {
            SerialKey = serialKey,
            Options = _options.Resilience,
            TokenHint = TokenHint,
            ReadRetryDelay = QuotaDelay,
        };

    /// <summary>
    /// A 420 with the hourly quota spent (<c>X-RateLimit-Resource-Remaining: 0</c>) waits until the quota renews
    /// (<c>X-RateLimit-Resource-Until</c>); any other 420 (too many parallel requests) advises nothing.
    /// </summary>
    private TimeSpan? QuotaDelay(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(QuotaRemainingHeader, out var remaining)
            || !long.TryParse(remaining.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var left) || left > 0)
        {
            return null;
        }

        if (!response.Headers.TryGetValues(QuotaUntilHeader, out var until)
            || !DateTimeOffset.TryParse(until.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var renews))
        {
            return null;
        }

        var wait = renews - _time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static string TokenQuery(string? pageToken) =>
        pageToken is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(pageToken);

    private static string? Credential(ConnectionSettings connection, string key) =>
        connection.Credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
