using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Wildberries: the line-level realization report from the finance API
/// (<c>POST /api/finance/v1/sales-reports/detailed</c>, feed <c>wb.realization</c>) and ad spend from the promotion API
/// (<c>GET /adv/v1/upd</c>, feed <c>wb.ads</c>). The mapping is documented field by field in
/// docs/connectors/wildberries.md, with the methods it calls.
/// </summary>
public sealed partial class WildberriesConnector : IMarketplaceConnector, IStreamingLedgerMapper
{
    /// <summary>The ledger's marketplace code.</summary>
    public const string MarketplaceCode = WildberriesMapper.MarketplaceCode;

    /// <summary>Feed of realization report lines; source id <c>rrd_id</c>, order key <c>srid</c>.</summary>
    public const string RealizationFeed = WildberriesMapper.RealizationFeed;

    /// <summary>Feed of ad charges; source id <c>advertId@updTime</c> (docs/connectors/wildberries.md for undated charges).</summary>
    public const string AdsFeed = WildberriesMapper.AdsFeed;

    /// <summary>The ledger channel of WB ad spend that names no campaign (a charge without <c>advertId</c>).</summary>
    public const string AdChannel = WildberriesMapper.AdChannel;

    /// <summary>Feed of campaign statistics per campaign, day and nmId; source id <c>advertId:date:nmId</c>.</summary>
    public const string StatisticsFeed = WildberriesMapper.StatisticsFeed;

    /// <summary>Credentials key of the API token (Finance category; Promotion too unless <see cref="AdsTokenKey"/> is given).</summary>
    public const string TokenKey = "token";

    /// <summary>Optional credentials key of a separate token for the promotion API.</summary>
    public const string AdsTokenKey = "ads_token";

    /// <summary>Path of the realization report on the finance API (POST, JSON body).</summary>
    public const string ReportPath = "/api/finance/v1/sales-reports/detailed";

    /// <summary>Path of the legacy v5 realization report, switched off by Wildberries (never called; its fake refuses it).</summary>
    public const string RetiredReportPath = "/api/v5/supplier/reportDetailByPeriod";

    /// <summary>Path of the ad charges (GET).</summary>
    public const string AdsPath = "/adv/v1/upd";

    /// <summary>The report method as messages and the doc name it.</summary>
    public const string ReportMethod = "POST " + ReportPath;

    /// <summary>The ad charges method as messages and the doc name it.</summary>
    public const string AdsMethod = "GET " + AdsPath;

    private const string DisplayName = "Wildberries";

    private readonly ResilientHttpSender _sender;
    private readonly WildberriesOptions _options;
    private readonly WildberriesMapper _mapper;

    public WildberriesConnector(ResilientHttpSender sender, WildberriesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _options = options ?? new WildberriesOptions();
        if (_options.ReportLimit < 1 || _options.RowsPerPage < 1 || _options.AdDaysPerCall < 1)
        {
            throw new ArgumentException("Report limit, rows per page and ad days per call must be at least 1.", nameof(options));
        }

        _mapper = new WildberriesMapper(_options);
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

        var token = connection.Credential(TokenKey) ?? throw new ConnectorException(ConnectorFailure.Unauthorized, WildberriesTexts.NoToken);
        var serialKey = MarketplaceCode + ":" + connection.Id.ToString("N", CultureInfo.InvariantCulture);
        var pages = 0;

        // The report's nmId -> vendorCode of this run: the ledger names a WB sku by its vendor code (see the mapping),
        // so campaign statistics, which give nmId only, name the same sku (docs/connectors/wildberries.md).
        var vendorCodes = new Dictionary<long, string>();

        // The reports this pull brought lines of: their lines uploaded from the cabinet's file (source ids
        // "{report}:{№}", decision 0027) are replaced whole by the pulled ones, so a report is never counted twice.
        var reports = new SortedSet<long>();

        var reportBase = connection.BaseUrl ?? _options.FinanceBaseUrl;

        // One page parsed ahead: the report is read and parsed while the runner stages the page before. The last page
        // is held back to declare the report whole for the window (it is asked for by the lines' report dates), so
        // the runner deletes the window's lines the marketplace no longer reports (decision 0010).
        IReadOnlyList<SourceRow>? held = null;
        await foreach (var rows in Prefetch.AheadAsync(FetchReportAsync(reportBase, token, serialKey, window, vendorCodes, reports, cancellationToken), 1, cancellationToken))
        {
            if (held is not null)
            {
                yield return new SourcePage(held, ++pages);
            }

            held = rows;
        }

        yield return new SourcePage(held ?? [], held is null ? pages : ++pages)
        {
            CompletedFeeds = [RealizationFeed],
            CompletedParts = [.. reports.Select(r => new FeedPart(RealizationFeed, UploadedReportPrefix(r)))],
        };

        if (!_options.IncludeAdSpend)
        {
            yield break;
        }

        // Ads failing (a token without the Promotion category, a rejected ads token, the promotion API down or
        // switched off) never costs the sales read above: the feed is reported failed (the runner keeps the ad rows
        // it stored before, and says so on the run and the connection) and the run goes on. Only a main token rejected
        // here too fails the run. Ads asked for by date for the whole window are declared whole.
        var adsBase = connection.BaseUrl ?? _options.AdvertBaseUrl;
        var adsToken = connection.Credential(AdsTokenKey) ?? token;
        var separateAdsToken = adsToken != token;
        var charged = new Dictionary<long, string?>();
        SourcePage? adsEnd = null;
        held = null;
        await foreach (var (rows, failed) in FetchAdsAsync(adsBase, adsToken, separateAdsToken, serialKey, window, charged, cancellationToken))
        {
            if (failed is not null)
            {
                // Campaign statistics need the same token and host: they are not asked for either, and their stored
                // rows stay as they were (the feed is not declared whole); the ads failure says what to do.
                yield return new SourcePage(held ?? [], held is null ? pages : ++pages) { FailedFeeds = [failed] };
                yield break;
            }

            if (rows is { Count: 0 })
            {
                // The end of the window: every charge dated in it has been sent. The page is held back while the
                // statistics are asked for, so a run without statistics rows declares both on the same page.
                adsEnd = new SourcePage(held ?? [], held is null ? pages : ++pages) { CompletedFeeds = [AdsFeed] };
                held = null;
                break;
            }

            if (held is not null)
            {
                yield return new SourcePage(held, ++pages);
            }

            held = rows;
        }

        if (adsEnd is null)
        {
            yield break;
        }

        if (!_options.IncludeCampaignStatistics)
        {
            yield return adsEnd;
            yield break;
        }

        // Campaign statistics (attribution rows, metrics.md 3.1): asked for by day for the whole window, so declared
        // whole at the end; a failure is the feed's own and costs nothing pulled above.
        await foreach (var (rows, failed) in FetchStatisticsAsync(adsBase, adsToken, separateAdsToken, serialKey, window, charged, vendorCodes, cancellationToken))
        {
            if (failed is not null)
            {
                yield return held is null
                    ? adsEnd with { FailedFeeds = [failed] }
                    : new SourcePage(held, ++pages) { FailedFeeds = [failed] };
                yield break;
            }

            if (rows is { Count: 0 })
            {
                yield return held is null
                    ? adsEnd with { CompletedFeeds = [AdsFeed, StatisticsFeed] }
                    : new SourcePage(held, ++pages) { CompletedFeeds = [StatisticsFeed] };
                yield break;
            }

            if (held is null)
            {
                yield return adsEnd;
            }
            else
            {
                yield return new SourcePage(held, ++pages);
            }

            held = rows;
        }
    }

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        // Dates come from the source (Moscow report days; see the docs), so the workspace zone changes nothing here.
        ArgumentNullException.ThrowIfNull(zone);
        return MapDetailed(rows).Ledger;
    }

    /// <summary>Maps rows given in parts of whole orders, keeping only ledger records and totals between parts.</summary>
    public ILedgerMappingSession StartMapping(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new MappingSession(new WildberriesMapper.Session(_mapper));
    }

    /// <summary>The ledger records of the rows, and the money it could not carry with the reason (skipped rows).</summary>
    public WildberriesMapping MapDetailed(IReadOnlyList<SourceRow> rows) => _mapper.Map(rows);

    /// <summary>
    /// The report's own amount to pay the seller, from the raw fields of the lines only (never through the mapping):
    /// amount for pay of sales minus that of returns, minus logistics, penalties, storage, acceptance and deductions,
    /// plus additional payments. Null when there is no report line.
    /// </summary>
    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => WildberriesMapper.Payout(rows);

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchReportAsync(
        Uri baseUrl, string token, string serialKey, PullWindow window, Dictionary<long, string> vendorCodes, SortedSet<long> reports, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var uri = new Uri(Root(baseUrl) + ReportPath);
        var after = 0L;
        var buffer = new List<SourceRow>();
        var brokenOff = new List<string>();
        while (true)
        {
            var requested = after;
            var body = string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"dateFrom":"{{window.From:yyyy-MM-dd}}","dateTo":"{{window.To:yyyy-MM-dd}}T23:59:59","limit":{{_options.ReportLimit}},"rrdId":{{requested}},"period":"daily"}""");
            using var response = await SendAsync(Request(HttpMethod.Post, uri, token, serialKey, body), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                break;
            }

            if (!response.Message.IsSuccessStatusCode)
            {
                throw await ReportRefusalAsync(response, token, cancellationToken);
            }

            var stream = await response.ReadStreamAsync(cancellationToken);
            var elements = new JsonArrayReader(stream);
            var arrived = new List<SourceRow>();
            var pageStart = requested;
            JsonElementHandler collect = element => arrived.Add(ReportRow(element, pageStart, window, vendorCodes, reports));
            var linesRead = 0;
            string? failure = null;
            for (var more = true; more;)
            {
                try
                {
                    more = await elements.ReadAsync(collect, cancellationToken);
                }
                catch (JsonException ex)
                {
                    throw new ConnectorException(ConnectorFailure.BadResponse, WildberriesTexts.NotJson(WildberriesTexts.ReportPage, ex.Message), ex);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    failure = ex.Message;
                    more = false;
                }

                foreach (var row in arrived)
                {
                    after = long.Parse(row.SourceId, CultureInfo.InvariantCulture);
                    linesRead++;
                    buffer.Add(row);
                    if (buffer.Count >= _options.RowsPerPage)
                    {
                        yield return buffer;
                        buffer = [];
                    }
                }

                arrived.Clear();
            }

            if (failure is not null)
            {
                // The page broke off while streaming: go on from the last line read, after a back-off.
                brokenOff.Add(failure);
                if (brokenOff.Count >= _options.Resilience.MaxFailedTries)
                {
                    throw new ConnectorException(ConnectorFailure.Unavailable, WildberriesTexts.BrokeOff(brokenOff.Count, failure));
                }

                await _sender.BackOffAsync(brokenOff.Count, _options.Resilience, cancellationToken);
                continue;
            }

            brokenOff.Clear();
            if (linesRead == 0)
            {
                break;
            }
        }

        if (buffer.Count > 0)
        {
            yield return buffer;
        }
    }

    /// <summary>
    /// What a 4xx answer to the report means: a switched-off method (404, 410, or an answer that says the method is
    /// deprecated or disabled), a token without the Finance category (WB answers 401 "token scope not allowed"), a
    /// rejected token, or a request WB refused.
    /// </summary>
    private static async Task<ConnectorException> ReportRefusalAsync(MarketplaceResponse response, string token, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var (body, said) = await BodyAsync(response, cancellationToken);
        if (IsRetired(response.StatusCode, body))
        {
            return new ConnectorException(ConnectorFailure.MethodRetired, WildberriesTexts.Retired(ReportMethod, status, said));
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new ConnectorException(
                ConnectorFailure.Unauthorized,
                IsMissingCategory(body, token, WildberriesTokenCategory.Finance) ? WildberriesTexts.NoFinanceCategory : WildberriesTexts.TokenRejected(said));
        }

        return new ConnectorException(ConnectorFailure.BadResponse, WildberriesTexts.Refused(ReportMethod, status, said));
    }

    /// <summary>
    /// The charges of the window, call by call (never an empty list before the end), then an empty list when the whole
    /// window has been read; or, when a call fails, the feed's failure (and nothing after it).
    /// </summary>
    private async IAsyncEnumerable<(IReadOnlyList<SourceRow> Rows, FeedFailure? Failed)> FetchAdsAsync(
        Uri baseUrl, string token, bool separateAdsToken, string serialKey, PullWindow window, Dictionary<long, string?> charged, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var from = window.From; from <= window.To;)
        {
            var to = from.AddDays(_options.AdDaysPerCall - 1);
            if (to > window.To)
            {
                to = window.To;
            }

            var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"{Root(baseUrl)}{AdsPath}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
            var (rows, stop) = await FetchAdsPageAsync(uri, token, separateAdsToken, serialKey, to, charged, cancellationToken);
            if (stop is { } failure)
            {
                yield return ([], new FeedFailure(AdsFeed, failure.Kind, WildberriesTexts.AdsNotPulled(failure.Why)));
                yield break;
            }

            if (rows.Count > 0)
            {
                yield return (rows, null);
            }

            if (to == DateOnly.MaxValue)
            {
                break;
            }

            from = to.AddDays(1);
        }

        yield return ([], null);
    }

    /// <summary>The charges of one call, or why ad spend must stop and what kind of failure it is; throws only when the main token is rejected.</summary>
    private async Task<(List<SourceRow> Rows, (ConnectorFailure Kind, LocalText Why)? Stop)> FetchAdsPageAsync(
        Uri uri, string token, bool separateAdsToken, string serialKey, DateOnly to, Dictionary<long, string?> charged, CancellationToken cancellationToken)
    {
        var (body, stop) = await PromotionGetAsync(uri, token, separateAdsToken, serialKey, AdsMethod, WildberriesTexts.AdCharges, cancellationToken);
        if (stop is not null || body is not { } charges)
        {
            return ([], stop);
        }

        if (charges.ValueKind != JsonValueKind.Array)
        {
            return ([], (ConnectorFailure.BadResponse, WildberriesTexts.AdsNotAList));
        }

        var rows = new List<SourceRow>(charges.GetArrayLength());
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var undated = new List<(long? Campaign, decimal Amount)>();
        foreach (var charge in charges.EnumerateArray())
        {
            rows.Add(AdRow(charge, to, seen, undated));
            if (charge.ValueKind == JsonValueKind.Object && Int64(charge, "advertId") is { } campaign)
            {
                var name = Text(charge, "campName");
                charged[campaign] = string.IsNullOrWhiteSpace(name) ? charged.GetValueOrDefault(campaign) : name.Trim();
            }
        }

        if (undated.Count > 0)
        {
            _options.OnNotice?.Invoke(WildberriesTexts.UndatedCharges(undated.Count, undated.Sum(u => u.Amount), undated.Select(u => u.Campaign), to));
        }

        return (rows, null);
    }

    /// <summary>
    /// A GET on the promotion API: its JSON body (null for 204 or a JSON null), or why the feed must stop and what kind
    /// of failure it is; throws only when the main token itself is rejected (then the run fails, as it must).
    /// </summary>
    private async Task<(JsonElement? Body, (ConnectorFailure Kind, LocalText Why)? Stop)> PromotionGetAsync(
        Uri uri, string token, bool separateAdsToken, string serialKey, string method, LocalText what, CancellationToken cancellationToken)
    {
        MarketplaceResponse response;
        try
        {
            response = await SendAsync(Request(HttpMethod.Get, uri, token, serialKey, body: null), cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Failure is ConnectorFailure.Throttled or ConnectorFailure.Unavailable)
        {
            return (null, (ex.Failure, ex.Text));
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return (null, null);
            }

            if (!response.Message.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var (text, said) = await BodyAsync(response, cancellationToken);
                if (IsRetired(response.StatusCode, text))
                {
                    return (null, (ConnectorFailure.MethodRetired, WildberriesTexts.Retired(method, status, said)));
                }

                if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                {
                    return (null, (ConnectorFailure.BadResponse, WildberriesTexts.Refused(method, status, said)));
                }

                if (IsMissingCategory(text, token, WildberriesTokenCategory.Promotion))
                {
                    return (null, (ConnectorFailure.Unauthorized, WildberriesTexts.NoPromotionCategory(separateAdsToken)));
                }

                if (!separateAdsToken)
                {
                    // The main token itself was rejected (revoked while the run went on): the run fails as it must.
                    throw new ConnectorException(ConnectorFailure.Unauthorized, WildberriesTexts.TokenRejected(said));
                }

                return (null, (ConnectorFailure.Unauthorized, WildberriesTexts.AdsTokenRejected(said)));
            }

            try
            {
                var stream = await response.ReadStreamAsync(cancellationToken);
                var body = await JsonSerializer.DeserializeAsync(stream, WildberriesJsonContext.Default.JsonElement, cancellationToken);
                return (body.ValueKind == JsonValueKind.Null ? null : body, null);
            }
            catch (JsonException ex)
            {
                return (null, (ConnectorFailure.BadResponse, WildberriesTexts.NotJson(what, ex.Message)));
            }
        }
    }

    /// <summary>
    /// What the source id of every line of report <paramref name="reportId"/> uploaded from the cabinet's file begins
    /// with (decision 0027); pulled lines' ids are their <c>rrd_id</c>, digits only, so the two never meet.
    /// </summary>
    public static string UploadedReportPrefix(long reportId) => reportId.ToString(CultureInfo.InvariantCulture) + ":";

    private SourceRow ReportRow(ReadOnlySpan<byte> element, long requested, PullWindow window, Dictionary<long, string> vendorCodes, SortedSet<long> reports)
    {
        WbReportLine key;
        try
        {
            key = WildberriesLineReader.Read(element, keysOnly: true);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, WildberriesTexts.LineOfUnexpectedShape(ex.Message), ex);
        }

        if (key.RrdId <= requested)
        {
            throw new ConnectorException(
                ConnectorFailure.BadResponse,
                key.RrdId == 0 ? WildberriesTexts.LineWithoutId : WildberriesTexts.PagingNeverEnds(key.RrdId, requested));
        }

        if (key.ReportId is > 0 and var report)
        {
            reports.Add(report);
        }

        if (key.NmId is > 0 and var nmId && !string.IsNullOrWhiteSpace(key.SaName))
        {
            vendorCodes[nmId] = key.SaName.Trim();
        }

        var date = WildberriesTime.MoscowDate(key.RrDt, _options.UtcDesignatorIsMoscowTime)
            ?? WildberriesTime.MoscowDate(key.SaleDt, _options.UtcDesignatorIsMoscowTime)
            ?? window.From;
        return new SourceRow(
            RealizationFeed,
            key.RrdId.ToString(CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(key.Srid) ? null : key.Srid.Trim(),
            date,
            Encoding.UTF8.GetString(element));
    }

    /// <summary>
    /// One charge as a source row. Its id: <c>advertId@updTime</c>; without a time, <c>upd:updNum</c> when WB gave a
    /// document number; otherwise <c>advertId@undated:updSum</c> (with <c>#2</c>, <c>#3</c>... for the same charge again in
    /// one answer), so the same undated charge keeps its id from one pull to the next. An undated charge is dated by the
    /// last day of the period asked for (<paramref name="to"/>). Whatever its shape, the charge is kept whole: a row the
    /// mapping cannot read becomes a gap there, never a failed run.
    /// </summary>
    private SourceRow AdRow(JsonElement charge, DateOnly to, Dictionary<string, int> seen, List<(long? Campaign, decimal Amount)> undated)
    {
        var raw = charge.GetRawText();
        if (charge.ValueKind != JsonValueKind.Object)
        {
            return new SourceRow(AdsFeed, Occurrence("unreadable:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..16], seen), null, to, raw);
        }

        var updTime = Text(charge, "updTime");
        var advertId = Int64(charge, "advertId");
        var updNum = Int64(charge, "updNum");
        var date = WildberriesTime.MoscowDate(updTime, _options.UtcDesignatorIsMoscowTime);
        string sourceId;
        if (advertId is not null && date is not null)
        {
            sourceId = string.Create(CultureInfo.InvariantCulture, $"{advertId}@{updTime!.Trim()}");
        }
        else if (updNum is > 0)
        {
            sourceId = string.Create(CultureInfo.InvariantCulture, $"upd:{updNum}");
        }
        else
        {
            var sum = Decimal(charge, "updSum");
            sourceId = Occurrence(
                string.Create(CultureInfo.InvariantCulture, $"{(advertId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "none")}@{(date is null ? "undated" : updTime!.Trim())}:{sum?.ToString(CultureInfo.InvariantCulture) ?? "none"}"),
                seen);
        }

        if (date is null)
        {
            undated.Add((advertId, Decimal(charge, "updSum") ?? 0m));
        }

        return new SourceRow(AdsFeed, sourceId, null, date ?? to, raw);
    }

    private static string Occurrence(string id, Dictionary<string, int> seen)
    {
        var count = seen[id] = seen.GetValueOrDefault(id) + 1;
        return count == 1 ? id : string.Create(CultureInfo.InvariantCulture, $"{id}#{count}");
    }

    /// <summary>Sends through the shared sender, taking every 4xx back to read it here; the sender's own failures get their Russian text.</summary>
    private async Task<MarketplaceResponse> SendAsync(MarketplaceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _sender.SendAsync(request, cancellationToken);
        }
        catch (ConnectorException ex)
        {
            throw SenderTexts.Localize(ex);
        }
    }

    private MarketplaceRequest Request(HttpMethod method, Uri uri, string token, string serialKey, string? body) =>
        new(DisplayName, () =>
        {
            var message = new HttpRequestMessage(method, uri);
            message.Headers.TryAddWithoutValidation("Authorization", token);
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
            AcceptStatus = status => (int)status is >= 400 and < 500,
        };

    /// <summary>
    /// The body of a refusal, read to tell its kind (a missing token category, a switched-off method). What it says is
    /// not quoted to the seller (issue 10: a body can echo the token or an internal detail), so <c>Said</c> is empty.
    /// </summary>
    private static async Task<(string Body, string Said)> BodyAsync(MarketplaceResponse response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Message.Content.ReadAsStringAsync(cancellationToken), string.Empty);
        }
        catch (HttpRequestException)
        {
            return (string.Empty, string.Empty);
        }
    }

    /// <summary>
    /// Whether an answer says the method is switched off: 404 or 410 on a documented path, or any refusal whose body
    /// says the method is deprecated, disabled or obsolete (WB's exact wording is not documented).
    /// </summary>
    private static bool IsRetired(HttpStatusCode status, string body) =>
        status is HttpStatusCode.NotFound or HttpStatusCode.Gone
        || RetiredWords.Any(word => body.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] RetiredWords = ["deprecated", "disabled", "obsolete", "no longer", "устарел", "отключ"];

    /// <summary>WB answers a token without a category with 401 "token scope not allowed"; the token's own claims can say so too.</summary>
    private static bool IsMissingCategory(string body, string token, WildberriesTokenCategory category) =>
        body.Contains("scope", StringComparison.OrdinalIgnoreCase) || WildberriesToken.TryRead(token)?.Has(category) == false;

    private static string Root(Uri baseUrl) => baseUrl.AbsoluteUri.TrimEnd('/');

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : null;

    private static decimal? Decimal(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    private static long? Int64(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    private sealed class MappingSession(WildberriesMapper.Session session) : ILedgerMappingSession
    {
        public decimal? MarketplacePayout => session.Payout;

        public void Add(IReadOnlyList<SourceRow> rows) => session.Add(rows);

        public DerivedLedger Finish() => session.Finish().Ledger;

        public DerivedLedger? TakeOrders() => session.TakeOrders();
    }
}
