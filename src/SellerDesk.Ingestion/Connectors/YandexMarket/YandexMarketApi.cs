using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>
/// Requests to the Partner API of one campaign through the shared sender: the <c>Api-Key</c> header, one request at a
/// time per campaign, Yandex's quota headers on 420, a body that breaks off read again, and the answers that say a
/// method is switched off (404 that names no campaign or report, 405, 410) turned into
/// <see cref="ConnectorFailure.MethodRetired"/> naming the method.
/// </summary>
internal sealed class YandexMarketApi(
    ResilientHttpSender sender, YandexMarketOptions options, TimeProvider time, string root, string apiKey, string campaignId)
{
    public const string DisplayName = "Yandex Market";
    private const string TokenHint = "(an API key with access to the orders, returns and financial reports of the campaign)";

    // Yandex allows 4 parallel requests per campaign; one at a time leaves room for the seller's other tools.
    private readonly string _serialKey = YandexMarketMapper.MarketplaceCode + ":" + campaignId;

    public string CampaignId => campaignId;

    /// <summary>The API's root (scheme, host and port, no trailing slash).</summary>
    public string Root => root;

    /// <summary>
    /// Sends <paramref name="verb"/> to <paramref name="pathAndQuery"/> and reads the JSON answer. <paramref name="method"/>
    /// names the method as YM's reference does (<c>POST /v2/campaigns/{campaignId}/stats/orders</c>) for messages;
    /// <paramref name="what"/> names what is read ("a page of the orders report").
    /// </summary>
    public async Task<JsonDocument> SendAsync(HttpMethod verb, string method, string pathAndQuery, string? body, LocalText what, CancellationToken cancellationToken)
    {
        var uri = new Uri(root + pathAndQuery);
        for (var brokenOff = 1; ; brokenOff++)
        {
            JsonDocument? document = null;
            using (var response = await SendRawAsync(Request(verb, uri, body, withKey: true), method, cancellationToken))
            {
                try
                {
                    var stream = await response.ReadStreamAsync(cancellationToken);
                    document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
                }
                catch (JsonException ex)
                {
                    throw new ConnectorException(
                        ConnectorFailure.BadResponse,
                        new LocalText($"Yandex Market sent {what.En} that is not JSON: {ex.Message}", $"Яндекс Маркет прислал {what.Ru} не в формате JSON: {ex.Message}"),
                        ex);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    ThrowIfBrokenTooOften(brokenOff, what, ex);
                }
            }

            if (document is not null)
            {
                return document;
            }

            await sender.BackOffAsync(brokenOff, options.Resilience, cancellationToken);
        }
    }

    /// <summary>
    /// Downloads a finished report's file. Yandex gives a link on its own storage: the API key goes only to the API's
    /// host, never to another one.
    /// </summary>
    public async Task<byte[]> DownloadAsync(Uri file, LocalText what, CancellationToken cancellationToken)
    {
        var withKey = string.Equals(file.Host, new Uri(root).Host, StringComparison.OrdinalIgnoreCase) && file.Port == new Uri(root).Port;
        for (var brokenOff = 1; ; brokenOff++)
        {
            byte[]? bytes = null;
            using (var response = await SendRawAsync(Request(HttpMethod.Get, file, null, withKey, serial: false), null, cancellationToken))
            {
                try
                {
                    bytes = await response.Message.Content.ReadAsByteArrayAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    ThrowIfBrokenTooOften(brokenOff, what, ex);
                }
            }

            if (bytes is not null)
            {
                return bytes;
            }

            await sender.BackOffAsync(brokenOff, options.Resilience, cancellationToken);
        }
    }

    /// <summary>The method switched off, in plain words: what the seller reads when Yandex retires a method the connector calls.</summary>
    public static LocalText Retired(string method, int status) => new(
        string.Create(CultureInfo.InvariantCulture, $"Yandex Market no longer serves the method {method} (HTTP {status}): this connection needs an update of SellerDesk's Yandex Market connector"),
        string.Create(CultureInfo.InvariantCulture, $"Яндекс Маркет больше не поддерживает метод {method} (HTTP {status}): подключению нужно обновление коннектора Яндекс Маркета в SellerDesk"));

    /// <summary>Sends; <paramref name="method"/> is null for a download (a link, not a method that can be switched off).</summary>
    private async Task<MarketplaceResponse> SendRawAsync(MarketplaceRequest request, string? method, CancellationToken cancellationToken)
    {
        MarketplaceResponse response;
        try
        {
            response = await sender.SendAsync(request, cancellationToken);
        }
        catch (ConnectorException ex)
        {
            // The sender's English-only failures get their Russian, without a promise of a next run (the runner's).
            throw SenderTexts.Localize(ex);
        }

        var status = response.StatusCode;
        if (status is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.Gone))
        {
            return response;
        }

        using (response)
        {
            string body;
            try
            {
                body = (await response.Message.Content.ReadAsStringAsync(cancellationToken)).ReplaceLineEndings(" ").Trim();
            }
            catch (HttpRequestException)
            {
                body = string.Empty;
            }

            if (method is null)
            {
                throw new ConnectorException(
                    ConnectorFailure.BadResponse,
                    new LocalText(
                        string.Create(CultureInfo.InvariantCulture, $"Yandex Market's link to the services report no longer works (HTTP {(int)status})"),
                        string.Create(CultureInfo.InvariantCulture, $"Ссылка Яндекс Маркета на отчёт по стоимости услуг больше не работает (HTTP {(int)status})")));
            }

            if (status == HttpStatusCode.NotFound && body.Contains("campaign", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConnectorException(
                    ConnectorFailure.Unauthorized,
                    new LocalText(
                        $"Yandex Market does not know campaign {campaignId}: enter the store's campaign id",
                        $"Яндекс Маркет не знает кампанию {campaignId}: укажите идентификатор кампании магазина"));
            }

            if (status == HttpStatusCode.NotFound && body.Contains("report", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConnectorException(
                    ConnectorFailure.BadResponse,
                    new LocalText(
                        "Yandex Market no longer has the report it was asked about",
                        "У Яндекс Маркета больше нет запрошенного отчёта"));
            }

            throw new ConnectorException(ConnectorFailure.MethodRetired, Retired(method, (int)status));
        }
    }

    private void ThrowIfBrokenTooOften(int brokenOff, LocalText what, Exception ex)
    {
        if (brokenOff >= options.Resilience.MaxFailedTries)
        {
            throw new ConnectorException(
                ConnectorFailure.Unavailable,
                new LocalText(
                    $"Yandex Market broke off {what.En} {ResilientHttpSender.Times(brokenOff)} in a row (last: {ex.Message})",
                    string.Create(CultureInfo.InvariantCulture, $"Яндекс Маркет {brokenOff} раз подряд оборвал {what.Ru} (последний раз: {ex.Message})")),
                ex);
        }
    }

    private MarketplaceRequest Request(HttpMethod verb, Uri uri, string? body, bool withKey, bool serial = true) =>
        new(DisplayName, () =>
        {
            var message = new HttpRequestMessage(verb, uri);
            if (withKey)
            {
                message.Headers.TryAddWithoutValidation(YandexMarketConnector.ApiKeyHeader, apiKey);
            }

            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null)
            {
                message.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            return message;
        })
        {
            SerialKey = serial ? _serialKey : null,
            Options = options.Resilience,
            TokenHint = TokenHint,
            ReadRetryDelay = QuotaDelay,
            AcceptStatus = s => s is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.Gone,
        };

    /// <summary>
    /// A 420 with the hourly quota spent (<c>X-RateLimit-Resource-Remaining: 0</c>) waits until the quota renews
    /// (<c>X-RateLimit-Resource-Until</c>); any other 420 (too many parallel requests) advises nothing.
    /// </summary>
    private TimeSpan? QuotaDelay(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(YandexMarketConnector.QuotaRemainingHeader, out var remaining)
            || !long.TryParse(remaining.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var left) || left > 0)
        {
            return null;
        }

        if (!response.Headers.TryGetValues(YandexMarketConnector.QuotaUntilHeader, out var until)
            || !DateTimeOffset.TryParse(until.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var renews))
        {
            return null;
        }

        var wait = renews - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
