using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>
/// Yandex Market (Partner API): the orders report (<c>POST /v2/campaigns/{id}/stats/orders</c>, feed <c>ym.orders</c>)
/// with items, prices, commissions, payments and subsidies, the returns list (<c>GET /v2/campaigns/{id}/returns</c>,
/// feed <c>ym.returns</c>) and the charges of the asynchronous services report
/// (<c>POST /v2/reports/united-marketplace-services/generate</c>, feed <c>ym.services</c>). The mapping is documented
/// field by field in docs/connectors/yandex_market.md.
/// </summary>
public sealed class YandexMarketConnector : IMarketplaceConnector
{
    /// <summary>The ledger's marketplace code.</summary>
    public const string MarketplaceCode = YandexMarketMapper.MarketplaceCode;

    /// <summary>Feed of orders; source id and order key: the order <c>id</c>.</summary>
    public const string OrdersFeed = YandexMarketMapper.OrdersFeed;

    /// <summary>Feed of returns; source id: the return <c>id</c>, order key: its <c>orderId</c>.</summary>
    public const string ReturnsFeed = YandexMarketMapper.ReturnsFeed;

    /// <summary>Feed of the services report's rows; source id: sheet, identity and count; order key: the row's order, if any.</summary>
    public const string ServicesFeed = YandexMarketServices.Feed;

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

    /// <summary>The methods called, as YM's reference names them (docs/connectors/yandex_market.md lists the same).</summary>
    public const string OrdersMethod = "POST /v2/campaigns/{campaignId}/stats/orders";
    public const string ReturnsMethod = "GET /v2/campaigns/{campaignId}/returns";
    public const string CampaignMethod = "GET /v2/campaigns/{campaignId}";
    public const string GenerateServicesMethod = "POST /v2/reports/united-marketplace-services/generate";
    public const string ReportInfoMethod = "GET /v2/reports/info/{reportId}";

    /// <summary>Service rows handed to the runner per page.</summary>
    private const int ServiceRowsPerPage = 10_000;

    private static readonly LocalText OrdersPage = new("a page of the orders report", "страницу отчёта по заказам");
    private static readonly LocalText ReturnsPage = new("a page of the returns list", "страницу списка возвратов");
    private static readonly LocalText CampaignAnswer = new("the campaign's details", "сведения о кампании");
    private static readonly LocalText ReportAnswer = new("an answer about the services report", "ответ об отчёте по стоимости услуг");
    private static readonly LocalText ReportFile = new("the services report file", "файл отчёта по стоимости услуг");

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

        if (_options.ReturnsPastWindowDays < 0 || _options.ReportPollInterval <= TimeSpan.Zero || _options.ReportMaxWait < TimeSpan.Zero)
        {
            throw new ArgumentException("Returns past the window, the report poll interval and the report wait cannot be negative.", nameof(options));
        }
    }

    public string Marketplace => MarketplaceCode;

    /// <summary>Path of the orders report of a campaign.</summary>
    public static string OrdersPath(string campaignId) => $"/v2/campaigns/{campaignId}/stats/orders";

    /// <summary>Path of the returns list of a campaign.</summary>
    public static string ReturnsPath(string campaignId) => $"/v2/campaigns/{campaignId}/returns";

    /// <summary>Path of a campaign's details (its business id).</summary>
    public static string CampaignPath(string campaignId) => $"/v2/campaigns/{campaignId}";

    /// <summary>Path that starts the services report.</summary>
    public const string GenerateServicesPath = "/v2/reports/united-marketplace-services/generate";

    /// <summary>Path of a report's status and link.</summary>
    public static string ReportInfoPath(string reportId) => "/v2/reports/info/" + Uri.EscapeDataString(reportId);

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(window);
        if (window.To < window.From)
        {
            throw new ArgumentException("The window ends before it starts.", nameof(window));
        }

        var apiKey = connection.Credential(ApiKeyKey) ?? throw new ConnectorException(
            ConnectorFailure.Unauthorized,
            new LocalText("no Yandex Market API key in the connection: paste one", "в подключении нет API-ключа Яндекс Маркета: вставьте ключ"));
        var campaignId = connection.Credential(CampaignIdKey) ?? throw new ConnectorException(
            ConnectorFailure.Unauthorized,
            new LocalText(
                "no Yandex Market campaign id in the connection: enter the store's campaign id",
                "в подключении нет идентификатора кампании Яндекс Маркета: укажите идентификатор кампании магазина"));
        if (!campaignId.All(char.IsAsciiDigit))
        {
            throw new ConnectorException(
                ConnectorFailure.Unauthorized,
                new LocalText(
                    $"the Yandex Market campaign id '{campaignId}' is not a number: enter the store's campaign id",
                    $"идентификатор кампании Яндекс Маркета «{campaignId}» — не число: укажите идентификатор кампании магазина"));
        }

        var root = (connection.BaseUrl ?? _options.BaseUrl).AbsoluteUri.TrimEnd('/');
        var api = new YandexMarketApi(_sender, _options, _time, root, apiKey, campaignId);
        var notes = new FetchNotes();
        var pages = 0;

        // The services report is asked for first: Yandex generates it while the orders and returns are read. The
        // services are a secondary feed: when they cannot be had (the report rejected, not ready in time, Yandex
        // failing after the retries), the orders and returns still land, the feed is reported failed and the
        // services rows stored before are kept (decision 0010).
        var reports = new List<(PullWindow Period, string ReportId)>();
        FeedFailure? servicesFailed = null;
        if (_options.IncludeServices)
        {
            try
            {
                var businessId = await BusinessIdAsync(api, cancellationToken);
                foreach (var period in ReportPeriods(window))
                {
                    reports.Add((period, await GenerateAsync(api, businessId, period, cancellationToken)));
                }
            }
            catch (ConnectorException ex) when (IsFeedFailure(ex))
            {
                servicesFailed = ServicesFailed(ex);
            }
        }

        // Orders are asked for by their creation date, the date their rows carry: after the last page the feed is
        // whole for the window. Returns are asked for by their update date but dated by their creation, so they are
        // never declared whole (a return the marketplace no longer lists is kept).
        var ordersRead = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<SourceRow>? held = null;
        await foreach (var rows in FetchOrdersAsync(api, window, byUpdate: false, ordersRead, notes, cancellationToken))
        {
            if (held is not null)
            {
                yield return new SourcePage(held, ++pages);
            }

            held = rows;
        }

        yield return new SourcePage(held ?? [], held is null ? pages : ++pages) { CompletedFeeds = [OrdersFeed] };

        if (_options.IncludeUpdatedOrders)
        {
            await foreach (var rows in FetchOrdersAsync(api, window, byUpdate: true, ordersRead, notes, cancellationToken))
            {
                yield return new SourcePage(rows, ++pages);
            }
        }

        if (_options.IncludeReturns)
        {
            await foreach (var rows in FetchReturnsAsync(api, window, ordersRead, notes, cancellationToken))
            {
                yield return new SourcePage(rows, ++pages);
            }
        }

        held = null;
        foreach (var (period, reportId) in servicesFailed is null ? reports : [])
        {
            List<SourceRow> rows;
            try
            {
                rows = await ServiceRowsAsync(api, period, reportId, notes, cancellationToken);
            }
            catch (ConnectorException ex) when (IsFeedFailure(ex))
            {
                servicesFailed = ServicesFailed(ex);
                break;
            }

            foreach (var chunk in rows.Chunk(ServiceRowsPerPage))
            {
                if (held is not null)
                {
                    yield return new SourcePage(held, ++pages);
                }

                held = chunk;
            }
        }

        if (servicesFailed is not null)
        {
            yield return new SourcePage(held ?? [], held is null ? pages : ++pages) { FailedFeeds = [servicesFailed] };
        }
        else if (_options.IncludeServices)
        {
            // Every report of the window was read: the services dated in it are whole.
            yield return new SourcePage(held ?? [], held is null ? pages : ++pages) { CompletedFeeds = [ServicesFeed] };
        }

        foreach (var notice in notes.Notices())
        {
            _options.OnNotice?.Invoke(notice);
        }
    }

    /// <summary>
    /// Whether a failure of the services report costs only that feed: not a rejected key (the orders would be refused
    /// too: the run stops at once) nor a method Yandex switched off (the run fails naming it, the connection needs an
    /// update).
    /// </summary>
    private static bool IsFeedFailure(ConnectorException failure) =>
        failure.Failure is not (ConnectorFailure.Unauthorized or ConnectorFailure.MethodRetired);

    /// <summary>
    /// The services feed failed: why, in both languages, and that the orders and returns were pulled and the services
    /// stored before are kept.
    /// </summary>
    private static FeedFailure ServicesFailed(ConnectorException failure) => new(
        ServicesFeed,
        failure.Failure,
        new LocalText(
            $"Yandex Market's services (storage, penalties and other charges) were not pulled: {failure.Text.En}. Orders and returns were pulled; services pulled before are kept as they were",
            $"Услуги Яндекс Маркета (хранение, штрафы и другие начисления) не загружены: {failure.Text.Ru}. Заказы и возвраты загружены; загруженные ранее услуги сохранены как были"));

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        // Instants keep their Moscow offset and period fees their Moscow business date (see the docs): the runner derives
        // by business date, so dating fees in another zone would split a day across derivations.
        ArgumentNullException.ThrowIfNull(zone);
        return MapDetailed(rows).Ledger;
    }

    /// <summary>The ledger records of the rows, and the money it could not carry with the reason (also on <see cref="DerivedLedger.Gaps"/>).</summary>
    public static YandexMarketMapping MapDetailed(IReadOnlyList<SourceRow> rows) => YandexMarketMapper.Map(rows);

    /// <summary>
    /// Yandex's own payout over these rows, from the raw figures: per order (test orders left out) payments less refunds
    /// plus subsidies less deductions less every commission's actual amount, less the cost of every row of the services
    /// report. Null when there is neither an order nor a services row.
    /// </summary>
    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => YandexMarketMapper.Payout(rows);

    /// <summary>
    /// The periods of the services reports of a window: Yandex takes at most 3 months per report, so a longer window is
    /// asked for in consecutive parts.
    /// </summary>
    internal static IEnumerable<PullWindow> ReportPeriods(PullWindow window)
    {
        for (var from = window.From; from <= window.To;)
        {
            var to = from.AddMonths(3).AddDays(-1);
            if (to > window.To)
            {
                to = window.To;
            }

            yield return new PullWindow(from, to);
            if (to == DateOnly.MaxValue)
            {
                yield break;
            }

            from = to.AddDays(1);
        }
    }

    /// <summary>
    /// Orders created in the window (<c>dateFrom</c>/<c>dateTo</c>), or with <paramref name="byUpdate"/> those whose
    /// status changed in the window (<c>updateFrom</c>/<c>updateTo</c>), of which only the ones created before the
    /// window are kept (the others were read by creation date already).
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchOrdersAsync(
        YandexMarketApi api, PullWindow window, bool byUpdate, HashSet<string> ordersRead, FetchNotes notes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (fromName, toName) = byUpdate ? ("updateFrom", "updateTo") : ("dateFrom", "dateTo");
        var body = string.Create(
            CultureInfo.InvariantCulture, $$"""{"{{fromName}}":"{{window.From:yyyy-MM-dd}}","{{toName}}":"{{window.To:yyyy-MM-dd}}"}""");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? pageToken = null;
        do
        {
            var path = OrdersPath(api.CampaignId) + "?limit=" + _options.OrdersLimit.ToString(CultureInfo.InvariantCulture) + TokenQuery(pageToken);
            using var document = await api.SendAsync(HttpMethod.Post, OrdersMethod, path, body, OrdersPage, cancellationToken);
            var (items, next) = ReadPage(document, "orders", OrdersPage);
            var rows = new List<SourceRow>(items.Count);
            foreach (var order in items)
            {
                var row = OrderRow(order, window, notes);
                if (!byUpdate || row.BusinessDate < window.From)
                {
                    rows.Add(row);
                    if (row.OrderKey is { } key)
                    {
                        ordersRead.Add(key);
                    }
                }
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            pageToken = NextToken(next, items.Count, seen, new LocalText("orders report", "отчёта по заказам"));
        }
        while (pageToken is not null);
    }

    /// <summary>
    /// Returns updated from the window's start to <see cref="YandexMarketOptions.ReturnsPastWindowDays"/> past its end (not
    /// past today): Yandex filters returns by their update date, and a return of an order in the window is often settled
    /// after it. Of the returns updated after the window's end only those of orders this pull read are kept (the
    /// others belong to a later window).
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<SourceRow>> FetchReturnsAsync(
        YandexMarketApi api, PullWindow window, HashSet<string> ordersRead, FetchNotes notes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_time.GetUtcNow(), YandexMarketTime.Moscow).DateTime);
        var to = window.To.AddDays(Math.Min(_options.ReturnsPastWindowDays, DateOnly.MaxValue.DayNumber - window.To.DayNumber));
        if (to > today)
        {
            to = today > window.To ? today : window.To;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? pageToken = null;
        do
        {
            var path = string.Create(
                CultureInfo.InvariantCulture,
                $"{ReturnsPath(api.CampaignId)}?fromDate={window.From:yyyy-MM-dd}&toDate={to:yyyy-MM-dd}&limit={_options.ReturnsLimit}{TokenQuery(pageToken)}");
            using var document = await api.SendAsync(HttpMethod.Get, ReturnsMethod, path, null, ReturnsPage, cancellationToken);
            var (items, next) = ReadPage(document, "returns", ReturnsPage);
            var rows = new List<SourceRow>(items.Count);
            foreach (var item in items)
            {
                var updated = YandexMarketTime.MoscowDate(YandexMarketJson.Text(item, "updateDate"));
                var orderId = YandexMarketJson.Text(item, "orderId");
                if (updated > window.To && (orderId is null || !ordersRead.Contains(orderId)))
                {
                    continue;
                }

                rows.Add(ReturnRow(item, window, notes));
            }

            if (rows.Count > 0)
            {
                yield return rows;
            }

            pageToken = NextToken(next, items.Count, seen, new LocalText("returns list", "списка возвратов"));
        }
        while (pageToken is not null);
    }

    private static async Task<string> BusinessIdAsync(YandexMarketApi api, CancellationToken cancellationToken)
    {
        using var document = await api.SendAsync(HttpMethod.Get, CampaignMethod, CampaignPath(api.CampaignId), null, CampaignAnswer, cancellationToken);
        var root = document.RootElement;
        var campaign = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("campaign", out var c) ? c : default;
        var business = campaign.ValueKind == JsonValueKind.Object && campaign.TryGetProperty("business", out var b) ? b : default;
        return YandexMarketJson.Text(business, "id") is { } id && id.All(char.IsAsciiDigit)
            ? id
            : throw new ConnectorException(
                ConnectorFailure.BadResponse,
                new LocalText(
                    $"Yandex Market did not name the business of campaign {api.CampaignId}; its services report cannot be asked for",
                    $"Яндекс Маркет не назвал кабинет кампании {api.CampaignId}; отчёт по стоимости услуг запросить нельзя"));
    }

    private static async Task<string> GenerateAsync(YandexMarketApi api, string businessId, PullWindow period, CancellationToken cancellationToken)
    {
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"businessId":{{businessId}},"dateFrom":"{{period.From:yyyy-MM-dd}}","dateTo":"{{period.To:yyyy-MM-dd}}","campaignIds":[{{api.CampaignId}}]}""");
        using var document = await api.SendAsync(HttpMethod.Post, GenerateServicesMethod, GenerateServicesPath + "?format=JSON", body, ReportAnswer, cancellationToken);
        return YandexMarketJson.Text(Result(document, ReportAnswer), "reportId") ?? throw new ConnectorException(
            ConnectorFailure.BadResponse,
            new LocalText(
                "Yandex Market started the services report without giving its id",
                "Яндекс Маркет начал формировать отчёт по стоимости услуг, но не сообщил его идентификатор"));
    }

    /// <summary>
    /// Waits for the report (<c>PENDING</c>, <c>PROCESSING</c>) as long as <see cref="YandexMarketOptions.ReportMaxWait"/>,
    /// polling every <see cref="YandexMarketOptions.ReportPollInterval"/> or Yandex's own estimate, whichever is longer
    /// (at most a minute); downloads it when <c>DONE</c> and reads its rows. A report with no data has no rows.
    /// </summary>
    private async Task<List<SourceRow>> ServiceRowsAsync(
        YandexMarketApi api, PullWindow period, string reportId, FetchNotes notes, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        Uri? file;
        while (true)
        {
            using var document = await api.SendAsync(HttpMethod.Get, ReportInfoMethod, ReportInfoPath(reportId), null, ReportAnswer, cancellationToken);
            var result = Result(document, ReportAnswer);
            var status = YandexMarketJson.Text(result, "status")?.ToUpperInvariant();
            var subStatus = YandexMarketJson.Text(result, "subStatus")?.ToUpperInvariant();
            var link = YandexMarketJson.Text(result, "file");
            if (status == "DONE" || (status == "FAILED" && subStatus == "NO_DATA"))
            {
                if (link is null && (subStatus == "NO_DATA" || status == "FAILED"))
                {
                    return [];
                }

                file = link is null ? null : new Uri(new Uri(api.Root), link);
                break;
            }

            if (status == "FAILED")
            {
                throw new ConnectorException(
                    ConnectorFailure.BadResponse,
                    new LocalText(
                        string.Create(CultureInfo.InvariantCulture, $"Yandex Market could not generate the services report for {period.From:dd.MM.yyyy}-{period.To:dd.MM.yyyy} ({subStatus ?? "no reason given"})"),
                        string.Create(CultureInfo.InvariantCulture, $"Яндекс Маркет не смог сформировать отчёт по стоимости услуг за {period.From:dd.MM.yyyy}–{period.To:dd.MM.yyyy} ({subStatus ?? "причина не указана"})")));
            }

            if (status is not ("PENDING" or "PROCESSING"))
            {
                throw new ConnectorException(
                    ConnectorFailure.BadResponse,
                    new LocalText(
                        $"Yandex Market answered about the services report with the unknown status '{status}'",
                        $"Яндекс Маркет сообщил о неизвестном состоянии отчёта по стоимости услуг «{status}»"));
            }

            var estimate = result.TryGetProperty("estimatedGenerationTime", out var ms) && ms.ValueKind == JsonValueKind.Number && ms.TryGetInt64(out var millis)
                ? TimeSpan.FromMilliseconds(Math.Clamp(millis, 0, 60_000))
                : TimeSpan.Zero;
            var delay = estimate > _options.ReportPollInterval ? estimate : _options.ReportPollInterval;
            if (waited + delay > _options.ReportMaxWait)
            {
                throw new ConnectorException(
                    ConnectorFailure.Unavailable,
                    new LocalText(
                        $"Yandex Market is still generating the services report after {ResilientHttpSender.Duration(waited)}",
                        $"Яндекс Маркет всё ещё формирует отчёт по стоимости услуг ({ResilientHttpSender.Duration(waited)})"));
            }

            await Task.Delay(delay, _time, cancellationToken);
            waited += delay;
        }

        if (file is null)
        {
            throw new ConnectorException(
                ConnectorFailure.BadResponse,
                new LocalText("Yandex Market finished the services report without a link to it", "Яндекс Маркет сформировал отчёт по стоимости услуг без ссылки на файл"));
        }

        var bytes = await api.DownloadAsync(file, ReportFile, cancellationToken);
        List<(string Sheet, List<JsonElement> Rows)> sheets;
        try
        {
            sheets = YandexMarketServices.ReadArchive(bytes);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or FormatException)
        {
            throw new ConnectorException(
                ConnectorFailure.BadResponse,
                new LocalText(
                    $"Yandex Market sent a services report that is not a ZIP archive of JSON sheets: {ex.Message}",
                    $"Яндекс Маркет прислал отчёт по стоимости услуг, который не является ZIP-архивом листов JSON: {ex.Message}"),
                ex);
        }

        var rows = new List<SourceRow>();
        foreach (var (sheet, sheetRows) in sheets)
        {
            if (!YandexMarketServices.IsKnown(sheet) && sheetRows.Count > 0)
            {
                notes.UnknownSheets.Add(sheet);
            }

            rows.AddRange(YandexMarketServices.SourceRows(sheet, sheetRows, period.To, ref notes.UndatedServices));
        }

        return rows;
    }

    private static JsonElement Result(JsonDocument document, LocalText what)
    {
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
            ? result
            : throw new ConnectorException(
                ConnectorFailure.BadResponse,
                new LocalText($"Yandex Market sent {what.En} without a result object", $"Яндекс Маркет прислал {what.Ru} без объекта result"));
    }

    private static (List<JsonElement> Items, string? Next) ReadPage(JsonDocument document, string list, LocalText what)
    {
        var result = Result(document, what);
        var items = new List<JsonElement>();
        if (result.TryGetProperty(list, out var array))
        {
            if (array.ValueKind == JsonValueKind.Array)
            {
                items.AddRange(array.EnumerateArray().Select(e => e.Clone()));
            }
            else if (array.ValueKind != JsonValueKind.Null)
            {
                throw new ConnectorException(
                    ConnectorFailure.BadResponse,
                    new LocalText($"Yandex Market sent {what.En} whose '{list}' is not a list", $"Яндекс Маркет прислал {what.Ru}, где «{list}» — не список"));
            }
        }

        string? next = null;
        if (result.TryGetProperty("paging", out var paging) && paging.ValueKind == JsonValueKind.Object)
        {
            next = YandexMarketJson.Text(paging, "nextPageToken");
        }

        return (items, next);
    }

    /// <summary>The token of the next page, or null at the end; a token seen before would page for ever.</summary>
    private static string? NextToken(string? next, int items, HashSet<string> seen, LocalText what)
    {
        if (next is null || items == 0)
        {
            return null;
        }

        if (!seen.Add(next))
        {
            throw new ConnectorException(
                ConnectorFailure.BadResponse,
                new LocalText(
                    $"Yandex Market sent the {what.En} page token '{next}' a second time; paging would never end",
                    $"Яндекс Маркет второй раз прислал токен страницы {what.Ru} «{next}»; листание никогда бы не закончилось"));
        }

        return next;
    }

    /// <summary>
    /// The source row of an order. An order without an id is kept whole under an id made from its content (the mapping
    /// records it as a gap); without a creation date it is dated by its last status change, else by the window's start.
    /// </summary>
    private static SourceRow OrderRow(JsonElement order, PullWindow window, FetchNotes notes)
    {
        var payload = order.GetRawText();
        var id = YandexMarketJson.Text(order, "id");
        if (id is null)
        {
            notes.OrdersWithoutId++;
        }

        var date = YandexMarketTime.MoscowDate(YandexMarketJson.Text(order, "creationDate"));
        if (date is null)
        {
            notes.UndatedOrders++;
            date = YandexMarketTime.MoscowDate(YandexMarketJson.Text(order, "statusUpdateDate")) ?? window.From;
        }

        return new SourceRow(OrdersFeed, id ?? ContentId(payload), id, date.Value, payload);
    }

    /// <summary>
    /// The source row of a return, dated by its creation, else its update, else the window's start. A return without an
    /// id is kept under an id made from its content, one without an order id without an order key (both become gaps).
    /// </summary>
    private static SourceRow ReturnRow(JsonElement item, PullWindow window, FetchNotes notes)
    {
        var payload = item.GetRawText();
        var id = YandexMarketJson.Text(item, "id");
        var orderId = YandexMarketJson.Text(item, "orderId");
        if (id is null || orderId is null)
        {
            notes.ReturnsWithoutIds++;
        }

        var date = YandexMarketTime.MoscowDate(YandexMarketJson.Text(item, "creationDate"))
            ?? YandexMarketTime.MoscowDate(YandexMarketJson.Text(item, "updateDate"));
        if (date is null)
        {
            notes.UndatedReturns++;
        }

        return new SourceRow(ReturnsFeed, id ?? ContentId(payload), orderId, date ?? window.From, payload);
    }

    private static string ContentId(string payload) =>
        "noid-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)).AsSpan(0, 8));

    private static string TokenQuery(string? pageToken) =>
        pageToken is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(pageToken);

    /// <summary>What a fetch had to do by a stated rule, said once at its end as run notices.</summary>
    private sealed class FetchNotes
    {
        public int OrdersWithoutId;
        public int UndatedOrders;
        public int ReturnsWithoutIds;
        public int UndatedReturns;
        public int UndatedServices;

        public SortedSet<string> UnknownSheets { get; } = new(StringComparer.Ordinal);

        public IEnumerable<LocalText> Notices()
        {
            if (OrdersWithoutId > 0)
            {
                yield return Count(
                    OrdersWithoutId,
                    "Yandex Market sent {0} order(s) without an id: kept with their raw content and shown as unmapped money in reconciliation",
                    "Яндекс Маркет прислал заказы без идентификатора ({0}): они сохранены как есть и показаны в сверке как неразнесённые суммы");
            }

            if (UndatedOrders > 0)
            {
                yield return Count(
                    UndatedOrders,
                    "{0} Yandex Market order(s) had no creation date: dated by their last status change (else the window's first day)",
                    "У заказов Яндекс Маркета без даты создания ({0}) взята дата последней смены статуса (иначе первый день периода)");
            }

            if (ReturnsWithoutIds > 0)
            {
                yield return Count(
                    ReturnsWithoutIds,
                    "Yandex Market sent {0} return(s) without an id or an order id: kept with their raw content, not in the ledger",
                    "Яндекс Маркет прислал возвраты без идентификатора возврата или заказа ({0}): они сохранены как есть, в учёт не попали");
            }

            if (UndatedReturns > 0)
            {
                yield return Count(
                    UndatedReturns,
                    "{0} Yandex Market return(s) had neither a creation nor an update date: dated by the window's first day",
                    "У возвратов Яндекс Маркета без дат создания и изменения ({0}) взят первый день периода");
            }

            if (UndatedServices > 0)
            {
                yield return Count(
                    UndatedServices,
                    "{0} row(s) of Yandex Market's services report had no service date: dated by their act date (else the report's last day)",
                    "У строк отчёта Яндекс Маркета по стоимости услуг без даты услуги ({0}) взята дата акта (иначе последний день отчёта)");
            }

            if (UnknownSheets.Count > 0)
            {
                var names = string.Join(", ", UnknownSheets);
                yield return new LocalText(
                    $"Yandex Market's services report has sheets SellerDesk does not know ({names}): their charges were counted as other fees",
                    $"В отчёте Яндекс Маркета по стоимости услуг есть листы, неизвестные SellerDesk ({names}): их суммы учтены как прочие расходы");
            }
        }

        private static LocalText Count(int count, string en, string ru) => new(
            string.Format(CultureInfo.InvariantCulture, en, count), string.Format(CultureInfo.InvariantCulture, ru, count));
    }
}
