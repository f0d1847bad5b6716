using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.YandexMarket;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>A request the fake Yandex Market got, and what it answered.</summary>
public sealed record FakeYmRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ApiKey, string? Body, int Status)
{
    public string? this[string name] => Query.TryGetValue(name, out var value) ? value : null;

    public bool IsOrders => Path.EndsWith("/stats/orders", StringComparison.Ordinal);

    public bool IsReturns => Path.EndsWith("/returns", StringComparison.Ordinal);

    public bool IsReport => Path.StartsWith("/v2/reports/", StringComparison.Ordinal);

    /// <summary>A download of a finished report's file (a link Yandex gives, not a method of the API).</summary>
    public bool IsFile => Path.StartsWith(FakeYandexMarket.FilesPath, StringComparison.Ordinal);
}

/// <summary>A services report the fake was asked to generate: its period and how many times it was asked about.</summary>
public sealed record FakeYmReport(string Id, DateOnly From, DateOnly To, FakeYandexMarketData Data)
{
    public int Polls { get; set; }
}

/// <summary>
/// A local Yandex Market Partner API for tests: Kestrel on 127.0.0.1 serving the orders report
/// (<c>POST /v2/campaigns/{id}/stats/orders</c>, limit at most 200, <c>result.paging.nextPageToken</c>), the returns
/// list (<c>GET /v2/campaigns/{id}/returns</c>, limit at most 100, filtered by update date), the campaign
/// (<c>GET /v2/campaigns/{id}</c>, its business) and the asynchronous services report
/// (<c>POST /v2/reports/united-marketplace-services/generate</c>, <c>GET /v2/reports/info/{reportId}</c>: PENDING for
/// <see cref="PendingPolls"/> questions, then DONE with a link to a ZIP of one JSON file per sheet) of
/// <see cref="Data"/> in the documented JSON, with switchable misbehaviour: HTTP 420 <c>{status:"ERROR", errors:[...]}</c>
/// with the <c>X-RateLimit-Resource-*</c> quota headers, 5xx, a revoked key (401), a method switched off. It checks the
/// <c>Api-Key</c> header, the campaign and the business, and records every request.
/// </summary>
public sealed class FakeYandexMarket : IAsyncDisposable
{
    public const string DefaultApiKey = "ym-test-key";
    public const string DefaultCampaignId = "21000123";
    public const int HourlyQuota = 10_000;
    public const string FilesPath = "/files/";

    /// <summary>Per-order services the report lists that <c>stats/orders</c> also carries, by commission type: the fake writes them from the orders.</summary>
    private static readonly (string CommissionType, string Sheet, string Amount)[] EchoedCommissions =
    [
        ("FEE", "placement", "totalAmount"), ("DELIVERY_TO_CUSTOMER", "delivery", "servicePrice"), ("PAYMENT_TRANSFER", "payment_transfer", "servicePrice"),
        ("AGENCY", "payment_accepting", "servicePrice"), ("AUCTION_PROMOTION", "boost", "servicePrice"),
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakeYmRequest> _requests = [];
    private FakeYandexMarketData _data;
    private bool _revoked;
    private int _throttle;
    private int? _quotaRenewsInSeconds;
    private int _fail;
    private int _failStatus = 500;
    private int _used;
    private int _breakOff;
    private int _reports;
    private readonly Dictionary<string, FakeYmReport> _generated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _retired = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failing = new(StringComparer.Ordinal);
    private bool _failReports;

    private FakeYandexMarket(WebApplication app, FakeYandexMarketData data)
    {
        _app = app;
        _data = data;
        BaseUrl = new Uri(app.Urls.First());
    }

    public static async Task<FakeYandexMarket> StartAsync(FakeYandexMarketData? data = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeYandexMarket? fake = null;
        app.MapPost("/v2/campaigns/{campaignId}/stats/orders", (HttpContext context, string campaignId) => fake!.ServeOrdersAsync(context, campaignId));
        app.MapGet("/v2/campaigns/{campaignId}/returns", (HttpContext context, string campaignId) => fake!.ServeReturnsAsync(context, campaignId));
        app.MapGet("/v2/campaigns/{campaignId}", (HttpContext context, string campaignId) => fake!.ServeCampaignAsync(context, campaignId));
        app.MapPost("/v2/reports/united-marketplace-services/generate", (HttpContext context) => fake!.ServeGenerateAsync(context));
        app.MapGet("/v2/reports/info/{reportId}", (HttpContext context, string reportId) => fake!.ServeReportInfoAsync(context, reportId));
        app.MapGet(FilesPath + "{name}", (HttpContext context, string name) => fake!.ServeFileAsync(context, name));
        await app.StartAsync();
        fake = new FakeYandexMarket(app, data ?? FakeYandexMarketData.Empty);
        return fake;
    }

    public Uri BaseUrl { get; }

    public string ApiKey { get; } = DefaultApiKey;

    public string CampaignId { get; } = DefaultCampaignId;

    /// <summary>The clock the quota headers are written on (set it to the connector's clock).</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>What it serves; set a changed copy to restate orders between two pulls.</summary>
    public FakeYandexMarketData Data
    {
        get { lock (_lock) { return _data; } }
        set { lock (_lock) { _data = value; } }
    }

    public IReadOnlyList<FakeYmRequest> Requests
    {
        get { lock (_lock) { return [.. _requests]; } }
    }

    public IReadOnlyList<FakeYmRequest> OrderRequests => [.. Requests.Where(r => r.IsOrders)];

    public IReadOnlyList<FakeYmRequest> ReturnRequests => [.. Requests.Where(r => r.IsReturns)];

    public IReadOnlyList<FakeYmRequest> ReportRequests => [.. Requests.Where(r => r.IsReport)];

    /// <summary>The services reports generated so far, in order.</summary>
    public IReadOnlyList<FakeYmReport> Reports
    {
        get { lock (_lock) { return [.. _generated.Values.OrderBy(r => r.Id, StringComparer.Ordinal)]; } }
    }

    /// <summary>How many questions about a report answer <c>PENDING</c> before it is <c>DONE</c> (Yandex still generating it).</summary>
    public int PendingPolls { get; set; }

    /// <summary>When set, the links to finished reports answer 404, as an expired link on Yandex's storage does.</summary>
    public bool ExpireFiles { get; set; }

    /// <summary>From now on reports answer <c>FAILED</c>.</summary>
    public void FailReports()
    {
        lock (_lock)
        {
            _failReports = true;
        }
    }

    /// <summary>
    /// From now on the method (<c>orders</c>, <c>returns</c>, <c>campaign</c>, <c>generate</c>, <c>info</c>) answers
    /// <paramref name="status"/> as a method Yandex switched off does (the exact answer is not documented).
    /// </summary>
    public void Retire(string method, int status = 410)
    {
        lock (_lock)
        {
            _retired[method] = status;
        }
    }

    /// <summary>
    /// From now on the method (<c>orders</c>, <c>returns</c>, <c>campaign</c>, <c>generate</c>, <c>info</c>) answers
    /// <paramref name="status"/> (a server error) every time, as Yandex down for that method; <see cref="Heal"/> ends it.
    /// </summary>
    public void FailMethod(string method, int status = 500)
    {
        lock (_lock)
        {
            _failing[method] = status;
        }
    }

    /// <summary>Every method answers again (ends <see cref="FailMethod"/>, <see cref="FailReports"/> and <see cref="Retire"/>).</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _failing.Clear();
            _retired.Clear();
            _failReports = false;
        }
    }

    /// <summary>A connection to this fake: API key, campaign id and the fake as base URL.</summary>
    public ConnectionSettings Connection(Guid? id = null, string? apiKey = null) => new(
        id ?? Guid.NewGuid(),
        Guid.NewGuid(),
        YandexMarketConnector.MarketplaceCode,
        new Dictionary<string, string> { [YandexMarketConnector.ApiKeyKey] = apiKey ?? ApiKey, [YandexMarketConnector.CampaignIdKey] = CampaignId },
        BaseUrl);

    /// <summary>
    /// The next <paramref name="requests"/> requests get 420. With <paramref name="quotaRenewsInSeconds"/> the hourly
    /// quota is spent (<c>Remaining: 0</c>, <c>Until</c> that far ahead); without, it is the parallel-request limit.
    /// </summary>
    public void ThrottleNext(int requests, int? quotaRenewsInSeconds = null)
    {
        lock (_lock)
        {
            _throttle = requests;
            _quotaRenewsInSeconds = quotaRenewsInSeconds;
        }
    }

    public void FailNext(int requests, int status = 500)
    {
        lock (_lock)
        {
            _fail = requests;
            _failStatus = status;
        }
    }

    /// <summary>When set, every page names the first page as the next one: paging that would never end.</summary>
    public bool LoopPaging { get; set; }

    /// <summary>The next <paramref name="requests"/> pages stop half way through their body: the connection drops.</summary>
    public void BreakOffNext(int requests)
    {
        lock (_lock)
        {
            _breakOff = requests;
        }
    }

    /// <summary>From now on every request gets 401, as after the seller revoked the key.</summary>
    public void RevokeKey()
    {
        lock (_lock)
        {
            _revoked = true;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>An order or return as this fake writes it (camelCase, nulls left out).</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    private async Task ServeOrdersAsync(HttpContext context, string campaignId)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var (misbehaviour, data) = Begin(context, "orders", campaignId, body);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        if (!TryLimit(context, YandexMarketOptions.MaxOrdersLimit, out var limit) || !TryOffset(context, out var offset))
        {
            await ErrorAsync(context, body, 400, "BAD_REQUEST", "limit must be 1 .. 200 and pageToken one this server gave");
            return;
        }

        DateOnly from, to;
        bool byUpdate;
        try
        {
            using var request = JsonDocument.Parse(body);
            var root = request.RootElement;
            byUpdate = root.TryGetProperty("updateFrom", out _);
            if (byUpdate && root.TryGetProperty("dateFrom", out _))
            {
                await ErrorAsync(context, body, 400, "BAD_REQUEST", "dateFrom/dateTo and updateFrom/updateTo cannot be used together");
                return;
            }

            var (fromName, toName) = byUpdate ? ("updateFrom", "updateTo") : ("dateFrom", "dateTo");
            from = DateOnly.ParseExact(root.GetProperty(fromName).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            to = DateOnly.ParseExact(root.GetProperty(toName).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentNullException)
        {
            await ErrorAsync(context, body, 400, "BAD_REQUEST", "dateFrom and dateTo (or updateFrom and updateTo) are required");
            return;
        }

        var matching = data.Orders
            .Where(o => byUpdate ? o.UpdatedOn >= from && o.UpdatedOn <= to : o.CreatedOn >= from && o.CreatedOn <= to)
            .OrderBy(o => o.Id)
            .Select(o => (object)o)
            .Concat(data.RawOrders.Where(r => !byUpdate && r.FilterDate >= from && r.FilterDate <= to).Select(r => (object)JsonSerializer.Deserialize<JsonElement>(r.Json)))
            .ToList();
        await PageAsync(context, body, "orders", matching, offset, limit);
    }

    private async Task ServeReturnsAsync(HttpContext context, string campaignId)
    {
        var (misbehaviour, data) = Begin(context, "returns", campaignId, null);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        if (!TryLimit(context, YandexMarketOptions.MaxReturnsLimit, out var limit) || !TryOffset(context, out var offset))
        {
            await ErrorAsync(context, null, 400, "BAD_REQUEST", "limit must be 1 .. 100 and pageToken one this server gave");
            return;
        }

        var query = context.Request.Query;
        var from = TryDate(query["fromDate"], out var f) ? f : DateOnly.MinValue;
        var to = TryDate(query["toDate"], out var t) ? t : DateOnly.MaxValue;
        // Yandex filters returns by their update date.
        var matching = data.Returns.Where(r => r.UpdatedOn >= from && r.UpdatedOn <= to).OrderBy(r => r.Id)
            .Select(r => (object)r)
            .Concat(data.RawReturns.Where(r => r.FilterDate >= from && r.FilterDate <= to).Select(r => (object)JsonSerializer.Deserialize<JsonElement>(r.Json)))
            .ToList();
        await PageAsync(context, null, "returns", matching, offset, limit);
    }

    private async Task ServeCampaignAsync(HttpContext context, string campaignId)
    {
        var (misbehaviour, data) = Begin(context, "campaign", campaignId, null);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        Record(context, null, 200);
        QuotaHeaders(context, spent: false, renewsInSeconds: 3600);
        await WriteJsonAsync(context, new
        {
            campaign = new
            {
                domain = "Магазин на Маркете",
                id = long.Parse(campaignId, CultureInfo.InvariantCulture),
                business = new { id = data.BusinessId, name = "ИП Тестов" },
                placementType = "FBS",
                apiAvailability = "AVAILABLE",
            },
        });
    }

    private async Task ServeGenerateAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var (misbehaviour, data) = Begin(context, "generate", null, body);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        if (context.Request.Query["format"] != "JSON")
        {
            await ErrorAsync(context, body, 400, "BAD_REQUEST", "this fake serves the JSON format only");
            return;
        }

        DateOnly from, to;
        try
        {
            using var request = JsonDocument.Parse(body);
            var root = request.RootElement;
            if (root.GetProperty("businessId").GetInt64() != data.BusinessId)
            {
                await ErrorAsync(context, body, 403, "FORBIDDEN", "Access denied");
                return;
            }

            if (!root.GetProperty("campaignIds").EnumerateArray().Any(c => c.GetInt64().ToString(CultureInfo.InvariantCulture) == CampaignId))
            {
                await ErrorAsync(context, body, 400, "BAD_REQUEST", "campaignIds must name the campaign");
                return;
            }

            from = DateOnly.ParseExact(root.GetProperty("dateFrom").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            to = DateOnly.ParseExact(root.GetProperty("dateTo").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentNullException)
        {
            await ErrorAsync(context, body, 400, "BAD_REQUEST", "businessId, dateFrom, dateTo and campaignIds are required");
            return;
        }

        if (to < from || to > from.AddMonths(3))
        {
            await ErrorAsync(context, body, 400, "BAD_REQUEST", "Too long time period. Maximum is 3 months");
            return;
        }

        string id;
        lock (_lock)
        {
            id = "rep-" + (++_reports).ToString(CultureInfo.InvariantCulture);
            _generated[id] = new FakeYmReport(id, from, to, data);
        }

        Record(context, body, 200);
        QuotaHeaders(context, spent: false, renewsInSeconds: 3600);
        await WriteJsonAsync(context, new { status = "OK", result = new { reportId = id, estimatedGenerationTime = 2000 } });
    }

    private async Task ServeReportInfoAsync(HttpContext context, string reportId)
    {
        var (misbehaviour, _) = Begin(context, "info", null, null);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        FakeYmReport? report;
        bool failed;
        lock (_lock)
        {
            report = _generated.GetValueOrDefault(reportId);
            if (report is not null)
            {
                report.Polls++;
            }

            failed = _failReports;
        }

        if (report is null)
        {
            await ErrorAsync(context, null, 404, "NOT_FOUND", "Report not found: " + reportId);
            return;
        }

        Record(context, null, 200);
        QuotaHeaders(context, spent: false, renewsInSeconds: 3600);
        object result;
        if (failed)
        {
            result = new { status = "FAILED", generationRequestedAt = "2026-03-10T09:00:00Z" };
        }
        else if (report.Polls <= PendingPolls)
        {
            result = new { status = report.Polls == 1 ? "PENDING" : "PROCESSING", generationRequestedAt = "2026-03-10T09:00:00Z", estimatedGenerationTime = 2000 };
        }
        else if (Sheets(report).Count == 0)
        {
            result = new { status = "DONE", subStatus = "NO_DATA", generationRequestedAt = "2026-03-10T09:00:00Z", generationFinishedAt = "2026-03-10T09:00:05Z" };
        }
        else
        {
            result = new
            {
                status = "DONE",
                generationRequestedAt = "2026-03-10T09:00:00Z",
                generationFinishedAt = "2026-03-10T09:00:05Z",
                file = new Uri(BaseUrl, FilesPath + report.Id + ".zip").AbsoluteUri,
            };
        }

        await WriteJsonAsync(context, new { status = "OK", result });
    }

    /// <summary>A finished report's file: a pre-signed link on Yandex's storage, so no Api-Key is asked for.</summary>
    private async Task ServeFileAsync(HttpContext context, string name)
    {
        FakeYmReport? report;
        lock (_lock)
        {
            report = _generated.GetValueOrDefault(Path.GetFileNameWithoutExtension(name));
        }

        if (report is null || ExpireFiles)
        {
            Record(context, null, 404);
            context.Response.StatusCode = 404;
            return;
        }

        Record(context, null, 200);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (sheet, json) in Sheets(report))
            {
                var entry = zip.CreateEntry(sheet + ".json");
                await using var stream = entry.Open();
                await stream.WriteAsync(Encoding.UTF8.GetBytes(json));
            }
        }

        context.Response.ContentType = "application/zip";
        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    /// <summary>
    /// The sheets of a report in the columns of YM's reference: the charges of <see cref="FakeYandexMarketData.Services"/>
    /// in the period, the per-order services written from the orders' commissions (placement, delivery, ...; the
    /// connector must not take them twice) and the raw sheets.
    /// </summary>
    private static SortedDictionary<string, string> Sheets(FakeYmReport report)
    {
        var data = report.Data;
        var rows = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        void Add(string sheet, Dictionary<string, object?> row)
        {
            if (!rows.TryGetValue(sheet, out var list))
            {
                rows[sheet] = list = [];
            }

            list.Add(row);
        }

        foreach (var service in data.Services.Where(s => s.Date >= report.From && s.Date <= report.To))
        {
            Add(service.Sheet, ServiceRow(data, service));
        }

        foreach (var order in data.Orders.Where(o => o.CreatedOn >= report.From && o.CreatedOn <= report.To && !o.Fake))
        {
            foreach (var (type, sheet, amount) in EchoedCommissions)
            {
                var charged = order.Commissions.Where(c => c.Type == type).Sum(c => c.Actual);
                if (charged != 0m)
                {
                    var row = BusinessColumns(data);
                    row["orderId"] = order.Id;
                    row["shopSku"] = order.Items[0].ShopSku;
                    row["serviceName"] = type;
                    row["serviceDateTime"] = order.CreationDate;
                    row["actDate"] = "2026-03-31";
                    row[amount] = charged;
                    Add(sheet, row);
                }
            }
        }

        var sheets = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (sheet, list) in rows)
        {
            sheets[sheet] = JsonSerializer.Serialize(list, Json);
        }

        foreach (var (sheet, json) in data.RawSheets)
        {
            sheets[sheet] = json;
        }

        return sheets;
    }

    private static Dictionary<string, object?> ServiceRow(FakeYandexMarketData data, FakeYmService service)
    {
        var row = BusinessColumns(data);
        var dated = service.Sheet.StartsWith("paid_storage", StringComparison.Ordinal) || service.Sheet is "shelf" or "personal_manager" or "delivery_via_transit_warehouse";
        if (service.OrderId is { } orderId)
        {
            row["orderId"] = orderId;
        }

        if (service.ShopSku is { } sku)
        {
            row["shopSku"] = sku;
            row["offerName"] = "Товар " + sku;
        }

        if (service.Warehouse is { } warehouse)
        {
            row["warehouse"] = warehouse;
        }

        row["serviceName"] = service.ServiceName ?? service.Sheet;
        if (dated)
        {
            row["serviceDate"] = service.Date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        }
        else
        {
            row["serviceDateTime"] = FakeYandexMarketData.Moscow(service.Date, 12 * 60);
        }

        row["actDate"] = new DateOnly(service.Date.Year, service.Date.Month, 1).AddMonths(1).AddDays(-1).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        row["tariff"] = 1.5m;
        row[service.Sheet.StartsWith("paid_storage_after", StringComparison.Ordinal) ? "paidStorage" : "servicePrice"] = service.Amount;
        return row;
    }

    private static Dictionary<string, object?> BusinessColumns(FakeYandexMarketData data) => new(StringComparer.Ordinal)
    {
        ["businessId"] = data.BusinessId,
        ["placementModel"] = "FBS",
        ["partnerId"] = 1_234_567,
        ["partnerName"] = "Магазин на Маркете",
        ["inn"] = "7700000000",
        ["placementContract"] = "12345/26",
        ["promotionContract"] = null,
    };

    private static async Task WriteJsonAsync(HttpContext context, object value)
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(value, Json));
    }

    private async Task PageAsync(HttpContext context, string? body, string list, List<object> matching, int offset, int limit)
    {
        var page = matching.Skip(offset).Take(limit).ToList();
        var next = LoopPaging ? Token(0) : offset + page.Count < matching.Count ? Token(offset + page.Count) : null;
        Record(context, body, 200);
        QuotaHeaders(context, spent: false, renewsInSeconds: 3600);
        var paging = new Dictionary<string, string?>();
        if (next is not null)
        {
            paging["nextPageToken"] = next;
        }

        if (offset > 0)
        {
            paging["prevPageToken"] = Token(Math.Max(0, offset - limit));
        }

        context.Response.ContentType = "application/json";
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, object> { ["status"] = "OK", ["result"] = new Dictionary<string, object> { ["paging"] = paging, [list] = page } }, Json);
        bool breakOff;
        lock (_lock)
        {
            breakOff = _breakOff > 0;
            if (breakOff)
            {
                _breakOff--;
            }
        }

        if (breakOff)
        {
            // Drop the connection in the middle of the body.
            await context.Response.Body.WriteAsync(json.AsMemory(0, json.Length / 2));
            await context.Response.Body.FlushAsync();
            await Task.Delay(50);
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(json);
    }

    /// <summary>Decides, under the lock, whether this request misbehaves; records it if so.</summary>
    private (Func<HttpContext, Task>? Misbehaviour, FakeYandexMarketData Data) Begin(HttpContext context, string method, string? campaignId, string? body)
    {
        lock (_lock)
        {
            _used++;
            var key = context.Request.Headers[YandexMarketConnector.ApiKeyHeader].ToString();
            if (_revoked || key != ApiKey)
            {
                Record(context, body, 401);
                return (c => ErrorAsync(c, 401, "UNAUTHORIZED", "Api-Key is invalid or revoked"), _data);
            }

            if (_retired.TryGetValue(method, out var retired))
            {
                Record(context, body, retired);
                return (c => ErrorAsync(c, retired, retired == 404 ? "NOT_FOUND" : "GONE", retired == 404 ? "Resource not found" : "The method is no longer supported"), _data);
            }

            if (_failing.TryGetValue(method, out var failing))
            {
                Record(context, body, failing);
                return (c => ErrorAsync(c, failing, "INTERNAL_ERROR", "fake failure of " + method), _data);
            }

            if (campaignId is not null && campaignId != CampaignId)
            {
                Record(context, body, 403);
                return (c => ErrorAsync(c, 403, "FORBIDDEN", "Access denied to campaign " + campaignId), _data);
            }

            if (_throttle > 0)
            {
                _throttle--;
                Record(context, body, 420);
                var renews = _quotaRenewsInSeconds;
                return (c =>
                {
                    QuotaHeaders(c, spent: renews is not null, renewsInSeconds: renews ?? 3600);
                    return ErrorAsync(
                        c, 420, "LIMIT_EXCEEDED",
                        renews is null ? "Too many parallel requests for the campaign" : "Hourly request quota for the resource is exhausted");
                }, _data);
            }

            if (_fail > 0)
            {
                _fail--;
                var status = _failStatus;
                Record(context, body, status);
                return (c => ErrorAsync(c, status, "INTERNAL_ERROR", "fake failure"), _data);
            }

            return (null, _data);
        }
    }

    private void QuotaHeaders(HttpContext context, bool spent, int renewsInSeconds)
    {
        int used;
        lock (_lock)
        {
            used = _used;
        }

        var headers = context.Response.Headers;
        headers["X-RateLimit-Resource-Limit"] = HourlyQuota.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Resource-Remaining"] = (spent ? 0 : Math.Max(1, HourlyQuota - used)).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Resource-Until"] = (Now() + TimeSpan.FromSeconds(renewsInSeconds)).ToString("R", CultureInfo.InvariantCulture);
    }

    private void Record(HttpContext context, string? body, int status)
    {
        var request = context.Request;
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        lock (_lock)
        {
            _requests.Add(new FakeYmRequest(
                request.Method, request.Path.Value ?? "", query, request.Headers[YandexMarketConnector.ApiKeyHeader].ToString(), body, status));
        }
    }

    private async Task ErrorAsync(HttpContext context, string? body, int status, string code, string message)
    {
        Record(context, body, status);
        await ErrorAsync(context, status, code, message);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(
            context.Response.Body, new { status = "ERROR", errors = new[] { new { code, message } } }, Json);
    }

    private static string Token(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryOffset(HttpContext context, out int offset)
    {
        offset = 0;
        var token = context.Request.Query["pageToken"].ToString();
        if (token.Length == 0)
        {
            return true;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text["offset:".Length..], CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryLimit(HttpContext context, int max, out int limit)
    {
        var text = context.Request.Query["limit"].ToString();
        if (text.Length == 0)
        {
            limit = 50;
            return true;
        }

        return int.TryParse(text, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max;
    }

    private static bool TryDate(string? text, out DateOnly date)
    {
        date = default;
        return text is { Length: 10 } && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
