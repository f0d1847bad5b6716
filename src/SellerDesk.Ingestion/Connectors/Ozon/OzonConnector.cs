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
/// Ozon Seller API: FBO postings with financial data (<c>/v2/posting/fbo/list</c>, feed <c>ozon.fbo</c>), FBS postings
/// (<c>/v3/posting/fbs/list</c>, <c>ozon.fbs</c>), returns (<c>/v1/returns/list</c>, <c>ozon.returns</c>) and finance
/// operations (<c>/v3/finance/transaction/list</c>, <c>ozon.finance</c>). When Ozon answers that the finance method is
/// obsolete, the pull goes on without finance operations and says so through <see cref="OzonOptions.OnNotice"/>
/// and <see cref="FinanceUnavailable"/>. The mapping is documented field by field in docs/connectors/ozon.md.
/// </summary>
public sealed class OzonConnector : IMarketplaceConnector
{
    /// <summary>The ledger's marketplace code.</summary>
    public const string MarketplaceCode = OzonMapper.MarketplaceCode;

    /// <summary>Feed of FBO postings; source id <c>posting_number</c>, order key <c>posting_number</c>.</summary>
    public const string FboFeed = OzonMapper.FboFeed;

    /// <summary>Feed of FBS postings; source id <c>posting_number</c>, order key <c>posting_number</c>.</summary>
    public const string FbsFeed = OzonMapper.FbsFeed;

    /// <summary>Feed of returns; source id the return's <c>id</c>, order key its <c>posting_number</c>.</summary>
    public const string ReturnsFeed = OzonMapper.ReturnsFeed;

    /// <summary>Feed of finance operations; source id <c>operation_id</c>, order key <c>posting.posting_number</c> or null.</summary>
    public const string FinanceFeed = OzonMapper.FinanceFeed;

    /// <summary>Credentials key of the seller's Client-Id.</summary>
    public const string ClientIdKey = "client_id";

    /// <summary>Credentials key of the API key.</summary>
    public const string ApiKeyKey = "api_key";

    public const string FboPath = "/v2/posting/fbo/list";
    public const string FbsPath = "/v3/posting/fbs/list";
    public const string ReturnsPath = "/v1/returns/list";
    public const string FinancePath = "/v3/finance/transaction/list";

    /// <summary>The notice given when Ozon says the finance method is switched off.</summary>
    public static readonly LocalText FinanceObsoleteNotice = new(
        "Ozon switched off the finance transaction list (/v3/finance/transaction/list answers \"obsolete method\"): " +
        "postings are mapped with the commission and services of their financial data; storage and other period fees are not pulled",
        "Ozon отключил список финансовых операций (/v3/finance/transaction/list отвечает «obsolete method»): " +
        "отправления учтены с комиссией и услугами из их финансовых данных; хранение и другие сборы за период не загружены");

    private const string DisplayName = "Ozon";
    private const int MaxErrorBodyLength = 2_000;
    private const string TokenHint = "(Client-Id and Api-Key from the seller account's API keys page)";

    private readonly ResilientHttpSender _sender;
    private readonly OzonOptions _options;
    private int _financeUnavailable;

    public OzonConnector(ResilientHttpSender sender, OzonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _options = options ?? new OzonOptions();
        if (_options.PostingLimit is < 1 or > 1_000 || _options.ReturnLimit is < 1 or > 500 || _options.FinancePageSize is < 1 or > 1_000)
        {
            throw new ArgumentException("Posting limit must be 1..1000, return limit 1..500, finance page size 1..1000.", nameof(options));
        }
    }

    public string Marketplace => MarketplaceCode;

    /// <summary>Whether a fetch of this connector found the finance method switched off (the last such fetch went on without it).</summary>
    public bool FinanceUnavailable => Volatile.Read(ref _financeUnavailable) != 0;

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(window);
        if (window.To < window.From)
        {
            throw new ArgumentException("The window ends before it starts.", nameof(window));
        }

        var clientId = Credential(connection, ClientIdKey);
        var apiKey = Credential(connection, ApiKeyKey);
        if (clientId is null || apiKey is null)
        {
            throw new ConnectorException(ConnectorFailure.Unauthorized, "no Ozon Client-Id or Api-Key in the connection: paste both");
        }

        var context = new FetchContext(
            Root(connection.BaseUrl ?? _options.BaseUrl), clientId, apiKey, MarketplaceCode + ":" + connection.Id.ToString("N", CultureInfo.InvariantCulture));
        var since = Utc(window.From);
        var to = Utc(window.To.AddDays(1)).AddMilliseconds(-1);
        var pages = 0;

        await foreach (var rows in FetchFboAsync(context, since, to, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }

        await foreach (var rows in FetchFbsAsync(context, since, to, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }

        await foreach (var rows in FetchReturnsAsync(context, since, to, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }

        if (!_options.IncludeFinance)
        {
            yield break;
        }

        await foreach (var rows in FetchFinanceAsync(context, window, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }
    }

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone) => MapDetailed(rows, zone).Ledger;

    /// <summary>The ledger records of the rows in <paramref name="zone"/>, and the money it could not carry with the reason.</summary>
    public static OzonMapping MapDetailed(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone) => OzonMapper.Map(rows, zone);

    /// <summary>
    /// Ozon's payout over the rows: the sum of the finance operations' <c>amount</c>. Null when the rows hold none
    /// (finance switched off or not pulled): then there is nothing of Ozon's own to reconcile with.
    /// </summary>
    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => OzonMapper.Payout(rows);

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchFboAsync(
        FetchContext context, DateTimeOffset since, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += _options.PostingLimit)
        {
            var body = new JsonObject
            {
                ["dir"] = "ASC",
                ["filter"] = new JsonObject { ["since"] = Iso(since), ["to"] = Iso(to), ["status"] = "" },
                ["limit"] = _options.PostingLimit,
                ["offset"] = offset,
                ["translit"] = true,
                ["with"] = new JsonObject { ["analytics_data"] = false, ["financial_data"] = true },
            };
            using var document = await PostAsync(context, FboPath, body, "FBO postings", cancellationToken);
            var result = Property(document.RootElement, "result", JsonValueKind.Array, "FBO postings");
            var rows = new List<SourceRow>();
            foreach (var posting in result.EnumerateArray())
            {
                rows.Add(PostingRow(FboFeed, posting));
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            if (rows.Count < _options.PostingLimit)
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchFbsAsync(
        FetchContext context, DateTimeOffset since, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += _options.PostingLimit)
        {
            var body = new JsonObject
            {
                ["dir"] = "ASC",
                ["filter"] = new JsonObject { ["since"] = Iso(since), ["to"] = Iso(to) },
                ["limit"] = _options.PostingLimit,
                ["offset"] = offset,
                ["with"] = new JsonObject { ["analytics_data"] = false, ["financial_data"] = true },
            };
            using var document = await PostAsync(context, FbsPath, body, "FBS postings", cancellationToken);
            var result = Property(document.RootElement, "result", JsonValueKind.Object, "FBS postings");
            var postings = Property(result, "postings", JsonValueKind.Array, "FBS postings");
            var rows = new List<SourceRow>();
            foreach (var posting in postings.EnumerateArray())
            {
                rows.Add(PostingRow(FbsFeed, posting));
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            var hasNext = result.TryGetProperty("has_next", out var next) && next.ValueKind == JsonValueKind.True;
            if (!hasNext)
            {
                yield break;
            }

            if (rows.Count == 0)
            {
                throw new ConnectorException(ConnectorFailure.BadResponse, "Ozon sent an empty page of FBS postings that says more follow; paging would never end");
            }
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchReturnsAsync(
        FetchContext context, DateTimeOffset since, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lastId = 0;
        while (true)
        {
            var body = new JsonObject
            {
                ["filter"] = new JsonObject
                {
                    ["logistic_return_date"] = new JsonObject { ["time_from"] = Iso(since), ["time_to"] = Iso(to) },
                },
                ["limit"] = _options.ReturnLimit,
                ["last_id"] = lastId,
            };
            using var document = await PostAsync(context, ReturnsPath, body, "returns", cancellationToken);
            var returns = Property(document.RootElement, "returns", JsonValueKind.Array, "returns");
            var rows = new List<SourceRow>();
            var previous = lastId;
            foreach (var ret in returns.EnumerateArray())
            {
                var row = ReturnRow(ret, since);
                if (!long.TryParse(row.SourceId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id <= previous)
                {
                    throw new ConnectorException(
                        ConnectorFailure.BadResponse,
                        $"Ozon sent return {row.SourceId} on a page asked to start after return {previous.ToString(CultureInfo.InvariantCulture)}; paging would never end");
                }

                lastId = id;
                rows.Add(row);
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            var hasNext = document.RootElement.TryGetProperty("has_next", out var next) && next.ValueKind == JsonValueKind.True;
            if (!hasNext || rows.Count == 0)
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchFinanceAsync(
        FetchContext context, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Volatile.Write(ref _financeUnavailable, 0);

        // One calendar month per call, as Ozon requires.
        for (var from = window.From; from <= window.To;)
        {
            var monthEnd = new DateOnly(from.Year, from.Month, DateTime.DaysInMonth(from.Year, from.Month));
            var to = monthEnd < window.To ? monthEnd : window.To;
            var pageCount = 1;
            for (var page = 1; page <= pageCount; page++)
            {
                var body = new JsonObject
                {
                    ["filter"] = new JsonObject
                    {
                        ["date"] = new JsonObject { ["from"] = Iso(Utc(from)), ["to"] = Iso(Utc(to.AddDays(1)).AddMilliseconds(-1)) },
                        ["operation_type"] = new JsonArray(),
                        ["posting_number"] = "",
                        ["transaction_type"] = "all",
                    },
                    ["page"] = page,
                    ["page_size"] = _options.FinancePageSize,
                };
                using var document = await PostAsync(context, FinancePath, body, "finance operations", acceptObsolete: true, cancellationToken);
                if (document is null)
                {
                    Volatile.Write(ref _financeUnavailable, 1);
                    _options.OnNotice?.Invoke(FinanceObsoleteNotice);
                    yield break;
                }

                var result = Property(document.RootElement, "result", JsonValueKind.Object, "finance operations");
                var operations = Property(result, "operations", JsonValueKind.Array, "finance operations");
                pageCount = result.TryGetProperty("page_count", out var count) && count.TryGetInt32(out var n) ? n : page;
                var rows = new List<SourceRow>();
                foreach (var operation in operations.EnumerateArray())
                {
                    rows.Add(OperationRow(operation, from));
                }

                if (rows.Count > 0)
                {
                    yield return rows;
                }
                else
                {
                    break;
                }
            }

            if (to == DateOnly.MaxValue)
            {
                break;
            }

            from = to.AddDays(1);
        }
    }

    private async Task<JsonDocument> PostAsync(
        FetchContext context, string path, JsonObject body, string what, CancellationToken cancellationToken) =>
        (await PostAsync(context, path, body, what, acceptObsolete: false, cancellationToken))!;

    /// <summary>
    /// Posts <paramref name="body"/> and parses the answer. With <paramref name="acceptObsolete"/>, a 400 saying the
    /// method is obsolete (code 9) gives null; any other 400 fails as <see cref="ConnectorFailure.BadResponse"/>.
    /// </summary>
    private async Task<JsonDocument?> PostAsync(
        FetchContext context, string path, JsonObject body, string what, bool acceptObsolete, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        var uri = new Uri(context.Root + path);
        var request = new MarketplaceRequest(DisplayName, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            message.Headers.TryAddWithoutValidation("Client-Id", context.ClientId);
            message.Headers.TryAddWithoutValidation("Api-Key", context.ApiKey);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return message;
        })
        {
            SerialKey = context.SerialKey,
            Options = _options.Resilience,
            TokenHint = TokenHint,
            IsThrottledBody = IsThrottledBody,
            AcceptStatus = acceptObsolete ? status => status == HttpStatusCode.BadRequest : null,
        };

        using var response = await _sender.SendAsync(request, cancellationToken);
        string text;
        try
        {
            text = await response.Message.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectorException(ConnectorFailure.Unavailable, $"Ozon broke off the {what} answer ({ex.Message}); the pull will retry at the next run", ex);
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            if (IsObsolete(text))
            {
                return null;
            }

            var snippet = text.ReplaceLineEndings(" ").Trim();
            throw new ConnectorException(
                ConnectorFailure.BadResponse,
                $"Ozon refused the request with HTTP 400: {(snippet.Length > 300 ? snippet[..300] + "..." : snippet)}");
        }

        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ConnectorException(ConnectorFailure.BadResponse, $"Ozon sent {what} that are not a JSON object");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, $"Ozon sent {what} that are not the documented JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Ozon's throttling has no documented status: any 2xx or 4xx error body (short, so a page of data whose product
    /// names happen to say it is not one) that speaks of a rate limit is one.
    /// </summary>
    public static bool IsThrottledBody(HttpStatusCode status, string body) =>
        body is not null && body.Length <= MaxErrorBodyLength
        && (body.Contains("rate limit", StringComparison.OrdinalIgnoreCase)
        || body.Contains("too many requests", StringComparison.OrdinalIgnoreCase)
        || body.Contains("ratelimit", StringComparison.OrdinalIgnoreCase));

    /// <summary><c>{"code":9,"message":"obsolete method cannot be used"}</c>.</summary>
    internal static bool IsObsolete(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : (int?)null;
            var message = OzonJson.Text(root, "message") ?? string.Empty;
            return code == 9 || message.Contains("obsolete", StringComparison.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private SourceRow PostingRow(string feed, JsonElement posting)
    {
        var data = Read(posting, OzonJson.ReadPosting, "posting");
        var date = LocalDate(data.OrderedAt) ?? throw new ConnectorException(
            ConnectorFailure.BadResponse, $"Ozon sent posting {data.PostingNumber} without in_process_at or created_at");
        return new SourceRow(feed, data.PostingNumber, data.PostingNumber, date, posting.GetRawText());
    }

    private SourceRow ReturnRow(JsonElement ret, DateTimeOffset since)
    {
        var data = Read(ret, OzonJson.ReadReturn, "return");
        if (data.PostingNumber.Length == 0)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, $"Ozon sent return {data.Id} without posting_number");
        }

        var date = LocalDate(data.ReturnedAt) ?? LocalDate(since)!.Value;
        return new SourceRow(ReturnsFeed, data.Id, data.PostingNumber, date, ret.GetRawText());
    }

    private SourceRow OperationRow(JsonElement operation, DateOnly from)
    {
        var data = Read(operation, OzonJson.ReadOperation, "finance operation");
        var date = LocalDate(data.Date) ?? from;
        return new SourceRow(FinanceFeed, data.OperationId, data.PostingNumber, date, operation.GetRawText());
    }

    private static T Read<T>(JsonElement element, Func<JsonElement, T> read, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, $"Ozon sent a {what} that is not a JSON object");
        }

        try
        {
            return read(element);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, $"Ozon sent a {what} of an unexpected shape: {ex.Message}", ex);
        }
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind, string what)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == kind)
        {
            return value;
        }

        throw new ConnectorException(ConnectorFailure.BadResponse, $"Ozon sent {what} without the documented \"{name}\"");
    }

    private DateOnly? LocalDate(DateTimeOffset? instant) =>
        instant is { } i ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(i, _options.TimeZone).DateTime) : null;

    /// <summary>The instant local midnight of <paramref name="date"/> begins, in the options' zone.</summary>
    private DateTimeOffset Utc(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, _options.TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static string Iso(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Root(Uri baseUrl) => baseUrl.AbsoluteUri.TrimEnd('/');

    private static string? Credential(ConnectionSettings connection, string key) =>
        connection.Credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private sealed record FetchContext(string Root, string ClientId, string ApiKey, string SerialKey);
}
