using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// Ozon Seller API (docs/connectors/ozon.md): FBO postings (<c>/v3/posting/fbo/list</c>, feed <c>ozon.fbo</c>) and FBS
/// postings (<c>/v4/posting/fbs/list</c>, <c>ozon.fbs</c>) by cursor, returns (<c>/v1/returns/list</c>,
/// <c>ozon.returns</c>), and the finance accruals: the type catalogue (<c>/v1/finance/accrual/types</c>), each day's
/// accruals (<c>/v1/finance/accrual/by-day</c>, <c>ozon.accruals.day</c>) and each posting's
/// (<c>/v1/finance/accrual/postings</c>, <c>ozon.accruals.posting</c>). A method Ozon answers with code 9 (switched off)
/// fails the pull as <see cref="ConnectorFailure.MethodRetired"/>. Odd rows never fail a pull: they are kept as received
/// and told through <see cref="OzonOptions.OnNotice"/>.
/// </summary>
public sealed partial class OzonConnector : IMarketplaceConnector
{
    /// <summary>The ledger's marketplace code.</summary>
    public const string MarketplaceCode = OzonMapper.MarketplaceCode;

    /// <summary>Feed of FBO postings; source id <c>posting_number</c>, order key <c>posting_number</c>.</summary>
    public const string FboFeed = OzonMapper.FboFeed;

    /// <summary>Feed of FBS postings; source id <c>posting_number</c>, order key <c>posting_number</c>.</summary>
    public const string FbsFeed = OzonMapper.FbsFeed;

    /// <summary>Feed of returns; source id the return's <c>id</c>, order key its <c>posting_number</c>.</summary>
    public const string ReturnsFeed = OzonMapper.ReturnsFeed;

    /// <summary>Feed of a posting's accruals; source id and order key <c>posting_number</c>.</summary>
    public const string PostingAccrualsFeed = OzonMapper.PostingAccrualsFeed;

    /// <summary>Feed of a day's accruals that belong to no posting; source id the date (<c>2026-03-02</c>), no order key.</summary>
    public const string DayAccrualsFeed = OzonMapper.DayAccrualsFeed;

    /// <summary>Stored operations of the retired finance list (pulled before it was switched off; no longer fetched).</summary>
    public const string LegacyFinanceFeed = OzonMapper.LegacyFinanceFeed;

    /// <summary>Credentials key of the seller's Client-Id.</summary>
    public const string ClientIdKey = "client_id";

    /// <summary>Credentials key of the API key.</summary>
    public const string ApiKeyKey = "api_key";

    public const string FboPath = "/v3/posting/fbo/list";
    public const string FbsPath = "/v4/posting/fbs/list";
    public const string ReturnsPath = "/v1/returns/list";
    public const string AccrualTypesPath = "/v1/finance/accrual/types";
    public const string AccrualsByDayPath = "/v1/finance/accrual/by-day";
    public const string AccrualsByPostingPath = "/v1/finance/accrual/postings";

    /// <summary>The first date Ozon keeps accruals of (<c>/v1/finance/accrual/by-day</c> refuses earlier dates).</summary>
    public static readonly DateOnly AccrualsFrom = new(2022, 1, 1);

    private const string DisplayName = "Ozon";

    /// <summary>Payloads are stored as readable UTF-8 JSON, as Ozon writes it (Cyrillic unescaped).</summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const int MaxErrorBodyLength = 2_000;
    private const string TokenHint = "(Client-Id and Api-Key from the seller account's API keys page)";

    private readonly ResilientHttpSender _sender;
    private readonly OzonOptions _options;

    public OzonConnector(ResilientHttpSender sender, OzonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _options = options ?? new OzonOptions();
        if (_options.PostingLimit is < 1 or > 100 || _options.ReturnLimit is < 1 or > 500 || _options.AccrualPostingBatch is < 1 or > 200)
        {
            throw new ArgumentException("Posting limit must be 1..100, return limit 1..500, accrual posting batch 1..200.", nameof(options));
        }
    }

    public string Marketplace => MarketplaceCode;

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(window);
        if (window.To < window.From)
        {
            throw new ArgumentException("The window ends before it starts.", nameof(window));
        }

        var clientId = connection.Credential(ClientIdKey);
        var apiKey = connection.Credential(ApiKeyKey);
        if (clientId is null || apiKey is null)
        {
            throw new ConnectorException(ConnectorFailure.Unauthorized, OzonTexts.MissingCredentials);
        }

        var context = new FetchContext(
            Root(connection.BaseUrl ?? _options.BaseUrl), clientId, apiKey, MarketplaceCode + ":" + connection.Id.ToString("N", CultureInfo.InvariantCulture));
        var run = new FetchRun(window);
        var since = Utc(window.From);
        var to = Utc(window.To.AddDays(1)).AddMilliseconds(-1);
        var pages = 0;

        if (_options.IncludeFinance)
        {
            await FetchTypesAsync(context, run, cancellationToken);
        }

        await foreach (var rows in FetchPostingsAsync(context, FboPath, FboFeed, since, to, run, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }

        await foreach (var rows in FetchPostingsAsync(context, FbsPath, FbsFeed, since, to, run, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }

        // Returns are asked for by their logistic return date, the date their rows carry: after the last page the feed
        // is whole for the window (decision 0010), so a return Ozon no longer lists is deleted. Postings are not
        // declared: the lists' since/to are not documented to filter on in_process_at, the date the rows carry, so a
        // posting near the window's edge that the list leaves out is not taken for one Ozon dropped.
        IReadOnlyList<SourceRow>? heldReturns = null;
        await foreach (var rows in FetchReturnsAsync(context, since, to, run, cancellationToken))
        {
            if (heldReturns is not null)
            {
                yield return new SourcePage(heldReturns, ++pages);
            }

            heldReturns = rows;
        }

        yield return new SourcePage(heldReturns ?? [], heldReturns is null ? pages : ++pages) { CompletedFeeds = [ReturnsFeed] };

        if (_options.IncludeFinance)
        {
            if (window.From < AccrualsFrom)
            {
                run.Notice(OzonTexts.NoAccrualsBefore(AccrualsFrom));
            }

            for (var day = window.From < AccrualsFrom ? AccrualsFrom : window.From; day <= window.To; day = day.AddDays(1))
            {
                // Each day of the window is asked for by its date and gets its row: after the last one the feed is whole.
                yield return new SourcePage([await FetchDayAsync(context, day, run, cancellationToken)], ++pages)
                {
                    CompletedFeeds = day == window.To ? [DayAccrualsFeed] : [],
                };
                if (day == DateOnly.MaxValue)
                {
                    break;
                }
            }

            await foreach (var rows in FetchPostingAccrualsAsync(context, run, cancellationToken))
            {
                yield return new SourcePage(rows, ++pages);
            }
        }

        if (_options.IncludePerformance)
        {
            await foreach (var page in FetchPerformanceAsync(connection, window, context.SerialKey, run, cancellationToken))
            {
                yield return page with { PagesRead = page.Rows.Count > 0 ? ++pages : pages };
            }
        }

        foreach (var notice in run.Notices())
        {
            _options.OnNotice?.Invoke(notice);
        }
    }

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone) => OzonMapper.Map(rows, zone);

    /// <summary>
    /// Ozon's own payout over the rows, from its accrued amounts alone (<see cref="OzonMapper.Payout"/>); null when the
    /// rows hold no accruals (finance not pulled): then there is nothing of Ozon's own to reconcile with.
    /// </summary>
    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => OzonMapper.Payout(rows);

    /// <summary>
    /// Ozon's throttling has no documented status: any 2xx or 4xx error body (short, so a page of data whose product
    /// names happen to say it is not one) that speaks of a rate limit is one.
    /// </summary>
    public static bool IsThrottledBody(HttpStatusCode status, string body) =>
        body is not null && body.Length <= MaxErrorBodyLength
        && (body.Contains("rate limit", StringComparison.OrdinalIgnoreCase)
        || body.Contains("too many requests", StringComparison.OrdinalIgnoreCase)
        || body.Contains("ratelimit", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a 400 body is Ozon's "method switched off": <c>{"code":9,"message":"obsolete method cannot be used"}</c>.</summary>
    public static bool IsRetiredBody(string body)
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
            return code == 9 || message.Contains("obsolete method", StringComparison.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task FetchTypesAsync(FetchContext context, FetchRun run, CancellationToken cancellationToken)
    {
        using var document = await PostAsync(context, AccrualTypesPath, new JsonObject(), cancellationToken);
        foreach (var type in Property(document.RootElement, "accrual_types", JsonValueKind.Array, AccrualTypesPath).EnumerateArray())
        {
            if (OzonJson.Text(type, "id") is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                run.Types[id] = (type.GetRawText(), new OzonAccrualType(id, OzonJson.Text(type, "name")?.Trim() ?? string.Empty, OzonJson.Text(type, "description")?.Trim() ?? string.Empty));
            }
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchPostingsAsync(
        FetchContext context, string path, string feed, DateTimeOffset since, DateTimeOffset to, FetchRun run,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = string.Empty;
        while (true)
        {
            var body = new JsonObject
            {
                ["cursor"] = cursor,
                ["filter"] = new JsonObject { ["since"] = Iso(since), ["to"] = Iso(to) },
                ["limit"] = _options.PostingLimit,
                ["sort_dir"] = "ASC",
                ["translit"] = true,
                ["with"] = new JsonObject { ["analytics_data"] = false, ["financial_data"] = true, ["legal_info"] = false },
            };
            using var document = await PostAsync(context, path, body, cancellationToken);

            // The reference shows the page at the top level; clients of the retired lists read it under "result".
            var page = document.RootElement.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
                ? result
                : document.RootElement;
            var rows = new List<SourceRow>();
            foreach (var posting in Property(page, "postings", JsonValueKind.Array, path).EnumerateArray())
            {
                rows.Add(PostingRow(feed, posting, run));
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            if (!(page.TryGetProperty("has_next", out var next) && next.ValueKind == JsonValueKind.True))
            {
                yield break;
            }

            if (rows.Count == 0)
            {
                throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.EndlessPaging(Method(path), OzonTexts.EmptyButMore));
            }

            var nextCursor = OzonJson.Text(page, "cursor") ?? string.Empty;
            if (nextCursor.Length == 0 || nextCursor == cursor)
            {
                throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.EndlessPaging(Method(path), OzonTexts.SameCursor));
            }

            cursor = nextCursor;
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchReturnsAsync(
        FetchContext context, DateTimeOffset since, DateTimeOffset to, FetchRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
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
            using var document = await PostAsync(context, ReturnsPath, body, cancellationToken);
            var rows = new List<SourceRow>();
            var previous = lastId;
            foreach (var ret in Property(document.RootElement, "returns", JsonValueKind.Array, ReturnsPath).EnumerateArray())
            {
                var row = ReturnRow(ret, run);
                if (long.TryParse(row.SourceId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                {
                    if (id <= previous)
                    {
                        throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.EndlessPaging(Method(ReturnsPath), OzonTexts.NotAfterLast));
                    }

                    lastId = Math.Max(lastId, id);
                }

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

            if (lastId == previous)
            {
                throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.EndlessPaging(Method(ReturnsPath), OzonTexts.SameCursor));
            }
        }
    }

    /// <summary>
    /// One day's accruals, every page: those of a posting name the posting whose own accruals are asked for (and are
    /// checked against them); the others make the day's row.
    /// </summary>
    private async Task<SourceRow> FetchDayAsync(FetchContext context, DateOnly day, FetchRun run, CancellationToken cancellationToken)
    {
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var accruals = new JsonArray();
        var used = new SortedSet<long>();
        var lastId = string.Empty;
        while (true)
        {
            var body = new JsonObject { ["date"] = date, ["last_id"] = lastId };
            using var document = await PostAsync(context, AccrualsByDayPath, body, cancellationToken);
            var page = Property(document.RootElement, "accruals", JsonValueKind.Array, AccrualsByDayPath);
            foreach (var accrual in page.EnumerateArray())
            {
                var read = accrual.ValueKind == JsonValueKind.Object ? OzonJson.ReadDayAccrual(accrual) : null;
                if (read is { IsPosting: true, UnitNumber: { } posting })
                {
                    run.Discovered.Add(posting);
                    run.DayPostingMoney[(posting, day)] = run.DayPostingMoney.GetValueOrDefault((posting, day)) + read.Money;
                    continue;
                }

                foreach (var part in read?.Parts ?? [])
                {
                    run.Use(part.TypeId, used);
                }

                accruals.Add(JsonNode.Parse(accrual.GetRawText()));
            }

            var next = OzonJson.Text(document.RootElement, "last_id") ?? string.Empty;
            if (next.Length == 0 || page.GetArrayLength() == 0)
            {
                break;
            }

            if (next == lastId)
            {
                throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.EndlessPaging(Method(AccrualsByDayPath), OzonTexts.SameCursor));
            }

            lastId = next;
        }

        var payload = new JsonObject { ["date"] = date, ["accruals"] = accruals, ["accrual_types"] = run.Catalogue(used) };
        return new SourceRow(DayAccrualsFeed, date, null, day, payload.ToJsonString(Relaxed));
    }

    /// <summary>
    /// The accruals of every posting the pull met (listed, returned, or named by a day's accruals), at most
    /// <see cref="OzonOptions.AccrualPostingBatch"/> a request; a posting Ozon lists nothing for gets a row without accruals.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchPostingAccrualsAsync(
        FetchContext context, FetchRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var numbers = run.Listed.Keys.Concat(run.Returned).Concat(run.Discovered).Distinct(StringComparer.Ordinal).ToList();
        foreach (var batch in numbers.Chunk(_options.AccrualPostingBatch))
        {
            var body = new JsonObject { ["posting_numbers"] = new JsonArray([.. batch.Select(n => (JsonNode?)JsonValue.Create(n))]) };
            using var document = await PostAsync(context, AccrualsByPostingPath, body, cancellationToken);
            var answered = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var entry in Property(document.RootElement, "posting_accruals", JsonValueKind.Array, AccrualsByPostingPath).EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && OzonJson.Text(entry, "posting_number")?.Trim() is { Length: > 0 } number)
                {
                    answered[number] = JsonNode.Parse(entry.GetRawText())!.AsObject();
                }
            }

            var rows = new List<SourceRow>();
            foreach (var number in batch.Concat(answered.Keys.Except(batch, StringComparer.Ordinal)))
            {
                var entry = answered.GetValueOrDefault(number) ?? new JsonObject { ["posting_number"] = number, ["accruals"] = new JsonArray() };
                rows.Add(PostingAccrualsRow(number, entry, run));
            }

            yield return rows;
        }

        foreach (var ((posting, day), money) in run.DayPostingMoney.OrderBy(p => p.Key.Day).ThenBy(p => p.Key.Posting, StringComparer.Ordinal))
        {
            var own = run.PostingMoney.GetValueOrDefault((posting, day));
            if (own != money)
            {
                run.Notice(OzonTexts.DayAndPostingDisagree(posting, day, money, own));
            }
        }
    }

    private static SourceRow PostingAccrualsRow(string number, JsonObject entry, FetchRun run)
    {
        var used = new SortedSet<long>();
        DateOnly? earliest = null;
        using var parsed = JsonDocument.Parse(entry.ToJsonString());
        var read = OzonJson.ReadPostingAccruals(parsed.RootElement);
        foreach (var accrual in read.Accruals)
        {
            run.Use(accrual.TypeId, used);
            if (accrual.Date is { } date)
            {
                earliest = earliest is { } e && e <= date ? e : date;
                run.PostingMoney[(number, date)] = run.PostingMoney.GetValueOrDefault((number, date)) + accrual.Money;
            }
        }

        entry["accrual_types"] = run.Catalogue(used);
        var businessDate = earliest ?? (run.Listed.TryGetValue(number, out var listed) ? listed : run.Window.From);
        return new SourceRow(PostingAccrualsFeed, number, number, businessDate, entry.ToJsonString(Relaxed));
    }

    private SourceRow PostingRow(string feed, JsonElement posting, FetchRun run)
    {
        var payload = posting.GetRawText();
        if (posting.ValueKind == JsonValueKind.Object && posting.TryGetProperty("products", out var products) && products.ValueKind == JsonValueKind.Array)
        {
            // The ledger names an Ozon line by offer_id (else sku): the Performance report's sku is named the same way.
            foreach (var product in products.EnumerateArray())
            {
                if (product.ValueKind == JsonValueKind.Object && OzonJson.Text(product, "sku")?.Trim() is { Length: > 0 } sku
                    && OzonJson.Text(product, "offer_id")?.Trim() is { Length: > 0 } offer)
                {
                    run.OfferIds[sku] = offer;
                }
            }
        }

        var number = OzonJson.Text(posting, "posting_number")?.Trim();
        if (string.IsNullOrEmpty(number))
        {
            var key = Unkeyed(payload);
            run.PostingsWithoutNumber.Add(key);
            return new SourceRow(feed, key, null, run.Window.From, payload);
        }

        var inProcess = OzonJson.Time(posting, "in_process_at");
        var created = OzonJson.Time(posting, "created_at");
        if (inProcess is null && created is not null)
        {
            run.DatedByCreation.Add(number);
        }
        else if (inProcess is null)
        {
            run.WithoutDate.Add(number);
        }

        if (feed == FbsFeed && (!posting.TryGetProperty("customer", out var customer) || customer.ValueKind == JsonValueKind.Null))
        {
            run.WithoutBuyer.Add(number);
        }

        var date = LocalDate(inProcess ?? created) ?? run.Window.From;
        run.Listed[number] = date;
        return new SourceRow(feed, number, number, date, payload);
    }

    private SourceRow ReturnRow(JsonElement ret, FetchRun run)
    {
        var payload = ret.GetRawText();
        var id = OzonJson.Text(ret, "id")?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            id = Unkeyed(payload);
            run.ReturnsWithoutId.Add(id);
        }

        var posting = OzonJson.Text(ret, "posting_number")?.Trim();
        if (string.IsNullOrEmpty(posting))
        {
            posting = null;
            run.ReturnsWithoutPosting.Add(id);
        }
        else
        {
            run.Returned.Add(posting);
        }

        var date = LocalDate(ret.ValueKind == JsonValueKind.Object ? OzonJson.ReturnTime(ret) : null);
        if (date is null)
        {
            run.ReturnsWithoutDate.Add(id);
        }

        return new SourceRow(ReturnsFeed, id, posting, date ?? run.Window.From, payload);
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/> and parses the answer; every failure is a bilingual <see cref="ConnectorException"/>.</summary>
    private async Task<JsonDocument> PostAsync(FetchContext context, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        var uri = new Uri(context.Root + path);
        var method = Method(path);
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

            // 4xx answers other than 401/403 and throttling come back here, to be told apart by their body; a 401/403
            // is left to the sender, which stops the pull at once as a rejected key.
            AcceptStatus = status => (int)status is >= 400 and < 500 and not 401 and not 403,
        };

        MarketplaceResponse response;
        try
        {
            response = await _sender.SendAsync(request, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Text.Ru == ex.Text.En)
        {
            throw Bilingual(ex);
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
                throw new ConnectorException(ConnectorFailure.Unavailable, OzonTexts.BrokeOff(method, ex.Message), ex);
            }

            var status = (int)response.StatusCode;
            if (status is >= 400 and < 500)
            {
                if (IsRetiredBody(text))
                {
                    throw new ConnectorException(ConnectorFailure.MethodRetired, OzonTexts.MethodRetired(method));
                }

                throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.Refused(method, status));
            }

            try
            {
                var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    document.Dispose();
                    throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.NotAnObject(method));
                }

                return document;
            }
            catch (JsonException ex)
            {
                throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.NotJson(method, ex.Message), ex);
            }
        }
    }

    /// <summary>The shared sender's English-only failures, with their Russian.</summary>
    private static ConnectorException Bilingual(ConnectorException ex)
    {
        var ru = ex.Failure switch
        {
            ConnectorFailure.Unauthorized => OzonTexts.UnauthorizedRu,
            ConnectorFailure.Throttled => OzonTexts.ThrottledRu,
            ConnectorFailure.Unavailable => OzonTexts.UnavailableRu,
            _ => null,
        };
        // The sender's promise of a next run is left to the runner, which knows the schedule.
        return ru is null ? SenderTexts.Localize(ex) : new ConnectorException(ex.Failure, new LocalText(SenderTexts.WithoutPromise(ex.Text.En), ru), ex.InnerException);
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind, string path)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == kind)
        {
            return value;
        }

        throw new ConnectorException(ConnectorFailure.BadResponse, OzonTexts.Missing(Method(path), name));
    }

    private static string Method(string path) => "POST " + path;

    /// <summary>The source id of a row Ozon sent without its id: a digest of its content, so a re-pull finds the same row.</summary>
    private static string Unkeyed(string payload) =>
        "unkeyed:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))[..16];

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

    private sealed record FetchContext(string Root, string ClientId, string ApiKey, string SerialKey);

    /// <summary>What one fetch learns as it goes: the catalogue, the postings it met, and the odd rows to tell about.</summary>
    private sealed class FetchRun(PullWindow window)
    {
        private readonly List<LocalText> _notices = [];
        private readonly SortedSet<long?> _used = [];

        public PullWindow Window { get; } = window;

        public Dictionary<long, (string Raw, OzonAccrualType Type)> Types { get; } = [];

        /// <summary>Postings of the lists, with their business date.</summary>
        public Dictionary<string, DateOnly> Listed { get; } = new(StringComparer.Ordinal);

        public List<string> Returned { get; } = [];

        /// <summary>Postings a day's accruals name.</summary>
        public List<string> Discovered { get; } = [];

        public Dictionary<(string Posting, DateOnly Day), decimal> DayPostingMoney { get; } = [];

        public Dictionary<(string Posting, DateOnly Day), decimal> PostingMoney { get; } = [];

        public List<string> DatedByCreation { get; } = [];

        public List<string> WithoutDate { get; } = [];

        public List<string> PostingsWithoutNumber { get; } = [];

        public List<string> WithoutBuyer { get; } = [];

        public List<string> ReturnsWithoutId { get; } = [];

        public List<string> ReturnsWithoutPosting { get; } = [];

        public List<string> ReturnsWithoutDate { get; } = [];

        /// <summary>Ozon sku -> offer_id of the run's postings (for the Performance report's skus).</summary>
        public Dictionary<string, string> OfferIds { get; } = new(StringComparer.Ordinal);

        public void Notice(LocalText text) => _notices.Add(text);

        /// <summary>Notes an accrual's type for the row being built and for the notices of types new to SellerDesk.</summary>
        public void Use(long? typeId, SortedSet<long> row)
        {
            _used.Add(typeId);
            if (typeId is { } id && Types.ContainsKey(id))
            {
                row.Add(id);
            }
        }

        /// <summary>The catalogue entries of <paramref name="ids"/>, as Ozon sent them.</summary>
        public JsonArray Catalogue(IEnumerable<long> ids) => [.. ids.Select(id => JsonNode.Parse(Types[id].Raw))];

        public IEnumerable<LocalText> Notices()
        {
            foreach (var id in _used)
            {
                if (id is null || !Types.TryGetValue(id.Value, out var type))
                {
                    yield return OzonTexts.AccrualTypeNotInCatalogue(id);
                }
                else if (OzonAccrualKinds.OfName(type.Type.Name) is null)
                {
                    yield return OzonTexts.UnknownAccrualType(id.Value, type.Type.Name, type.Type.Description);
                }
            }

            if (DatedByCreation.Count > 0)
            {
                yield return OzonTexts.PostingsDatedByCreation(DatedByCreation);
            }

            if (WithoutDate.Count > 0)
            {
                yield return OzonTexts.PostingsWithoutDate(WithoutDate);
            }

            if (PostingsWithoutNumber.Count > 0)
            {
                yield return OzonTexts.PostingsWithoutNumber(PostingsWithoutNumber);
            }

            if (WithoutBuyer.Count > 0)
            {
                yield return OzonTexts.FbsWithoutBuyer(WithoutBuyer);
            }

            if (ReturnsWithoutId.Count > 0)
            {
                yield return OzonTexts.ReturnsWithoutId(ReturnsWithoutId);
            }

            if (ReturnsWithoutPosting.Count > 0)
            {
                yield return OzonTexts.ReturnsWithoutPosting(ReturnsWithoutPosting);
            }

            if (ReturnsWithoutDate.Count > 0)
            {
                yield return OzonTexts.ReturnsWithoutDate(ReturnsWithoutDate, Window.From);
            }

            foreach (var notice in _notices)
            {
                yield return notice;
            }
        }
    }
}
