using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Wildberries: the line-level realization report (legacy v5 <c>reportDetailByPeriod</c>, feed <c>wb.realization</c>)
/// and ad spend from the promotion API (<c>/adv/v1/upd</c>, feed <c>wb.ads</c>). The mapping is documented field by
/// field in docs/connectors/wildberries.md.
/// </summary>
public sealed class WildberriesConnector : IMarketplaceConnector, IStreamingLedgerMapper
{
    /// <summary>The ledger's marketplace code.</summary>
    public const string MarketplaceCode = WildberriesMapper.MarketplaceCode;

    /// <summary>Feed of realization report lines; source id <c>rrd_id</c>, order key <c>srid</c>.</summary>
    public const string RealizationFeed = WildberriesMapper.RealizationFeed;

    /// <summary>Feed of ad charges; source id <c>advertId@updTime</c>.</summary>
    public const string AdsFeed = WildberriesMapper.AdsFeed;

    /// <summary>The ledger channel of WB ad spend.</summary>
    public const string AdChannel = WildberriesMapper.AdChannel;

    /// <summary>Credentials key of the API token (Statistics category; Promotion too unless <see cref="AdsTokenKey"/> is given).</summary>
    public const string TokenKey = "token";

    /// <summary>Optional credentials key of a separate token for the promotion API.</summary>
    public const string AdsTokenKey = "ads_token";

    /// <summary>Path of the realization report.</summary>
    public const string ReportPath = "/api/v5/supplier/reportDetailByPeriod";

    /// <summary>Path of the ad charges.</summary>
    public const string AdsPath = "/adv/v1/upd";

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

        var token = Credential(connection, TokenKey)
            ?? throw new ConnectorException(ConnectorFailure.Unauthorized, "no Wildberries token in the connection: paste one");
        var serialKey = MarketplaceCode + ":" + connection.Id.ToString("N", CultureInfo.InvariantCulture);
        var pages = 0;

        var reportBase = connection.BaseUrl ?? _options.StatisticsBaseUrl;
        // One page parsed ahead: the report is read and parsed while the runner stages the page before.
        await foreach (var rows in Prefetch.AheadAsync(FetchReportAsync(reportBase, token, serialKey, window, cancellationToken), 1, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
        }

        if (!_options.IncludeAdSpend)
        {
            yield break;
        }

        var adsBase = connection.BaseUrl ?? _options.AdvertBaseUrl;
        var adsToken = Credential(connection, AdsTokenKey) ?? token;
        await foreach (var rows in FetchAdsAsync(adsBase, adsToken, serialKey, window, cancellationToken))
        {
            yield return new SourcePage(rows, ++pages);
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
    /// The report's amount to pay the seller: amount for pay of sales minus that of returns, minus logistics,
    /// penalties, storage, acceptance and deductions, plus additional payments. Null when there is no report line.
    /// </summary>
    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => WildberriesMapper.Payout(rows);

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchReportAsync(
        Uri baseUrl, string token, string serialKey, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = 0L;
        var buffer = new List<SourceRow>();
        var brokenOff = new List<string>();
        while (true)
        {
            var requested = after;
            var uri = new Uri(string.Create(
                CultureInfo.InvariantCulture,
                $"{Root(baseUrl)}{ReportPath}?dateFrom={window.From:yyyy-MM-dd}&dateTo={window.To:yyyy-MM-dd}&limit={_options.ReportLimit}&rrdid={requested}&period=daily"));
            using var response = await _sender.SendAsync(Request(uri, token, serialKey, "with the Statistics category"), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                break;
            }

            var stream = await response.ReadStreamAsync(cancellationToken);
            var elements = new JsonArrayReader(stream);
            var arrived = new List<SourceRow>();
            var pageStart = requested;
            JsonElementHandler collect = element => arrived.Add(ReportRow(element, pageStart, window));
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
                    throw new ConnectorException(
                        ConnectorFailure.BadResponse, $"Wildberries sent a report page that is not the documented JSON: {ex.Message}", ex);
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
                    throw new ConnectorException(
                        ConnectorFailure.Unavailable,
                        $"Wildberries broke off the report {ResilientHttpSender.Times(brokenOff.Count)} in a row (last: {failure}); the pull will retry at the next run");
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

    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchAdsAsync(
        Uri baseUrl, string token, string serialKey, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var from = window.From; from <= window.To;)
        {
            var to = from.AddDays(_options.AdDaysPerCall - 1);
            if (to > window.To)
            {
                to = window.To;
            }

            var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"{Root(baseUrl)}{AdsPath}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
            var rows = await FetchAdsPageAsync(uri, token, serialKey, from, cancellationToken);
            if (rows.Count > 0)
            {
                yield return rows;
            }

            if (to == DateOnly.MaxValue)
            {
                break;
            }

            from = to.AddDays(1);
        }
    }

    private async Task<List<SourceRow>> FetchAdsPageAsync(Uri uri, string token, string serialKey, DateOnly from, CancellationToken cancellationToken)
    {
        using var response = await _sender.SendAsync(Request(uri, token, serialKey, "with the Promotion category"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return [];
        }

        JsonElement body;
        try
        {
            var stream = await response.ReadStreamAsync(cancellationToken);
            body = await JsonSerializer.DeserializeAsync(stream, WildberriesJsonContext.Default.JsonElement, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, $"Wildberries sent ad charges that are not the documented JSON: {ex.Message}", ex);
        }

        if (body.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (body.ValueKind != JsonValueKind.Array)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, "Wildberries sent ad charges that are not a list");
        }

        var rows = new List<SourceRow>(body.GetArrayLength());
        foreach (var charge in body.EnumerateArray())
        {
            rows.Add(AdRow(charge, from));
        }

        return rows;
    }

    private SourceRow ReportRow(ReadOnlySpan<byte> element, long requested, PullWindow window)
    {
        WbReportLine key;
        try
        {
            key = WildberriesLineReader.Read(element, keysOnly: true);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, $"Wildberries sent a report line of an unexpected shape: {ex.Message}", ex);
        }

        if (key.RrdId <= requested)
        {
            throw new ConnectorException(
                ConnectorFailure.BadResponse,
                key.RrdId == 0
                    ? "Wildberries sent a report line without rrd_id"
                    : string.Create(
                        CultureInfo.InvariantCulture,
                        $"Wildberries sent report line {key.RrdId} on a page asked to start after line {requested}; paging would never end"));
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

    private SourceRow AdRow(JsonElement charge, DateOnly from)
    {
        if (charge.ValueKind != JsonValueKind.Object)
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, "Wildberries sent an ad charge that is not a JSON object");
        }

        var updTime = Text(charge, "updTime");
        var advertId = Int64(charge, "advertId");
        var updNum = Int64(charge, "updNum");
        string sourceId;
        if (advertId is not null && !string.IsNullOrWhiteSpace(updTime))
        {
            sourceId = string.Create(CultureInfo.InvariantCulture, $"{advertId}@{updTime.Trim()}");
        }
        else if (updNum is > 0)
        {
            sourceId = string.Create(CultureInfo.InvariantCulture, $"upd:{updNum}");
        }
        else
        {
            throw new ConnectorException(ConnectorFailure.BadResponse, "Wildberries sent an ad charge with neither advertId and updTime nor updNum");
        }

        var date = WildberriesTime.MoscowDate(updTime, _options.UtcDesignatorIsMoscowTime) ?? from;
        return new SourceRow(AdsFeed, sourceId, null, date, charge.GetRawText());
    }

    private MarketplaceRequest Request(Uri uri, string token, string serialKey, string tokenHint) =>
        new(DisplayName, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, uri);
            message.Headers.TryAddWithoutValidation("Authorization", token);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return message;
        })
        {
            SerialKey = serialKey,
            Options = _options.Resilience,
            TokenHint = tokenHint,
        };

    private static string Root(Uri baseUrl) => baseUrl.AbsoluteUri.TrimEnd('/');

    private static string? Credential(ConnectionSettings connection, string key) =>
        connection.Credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : null;

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
