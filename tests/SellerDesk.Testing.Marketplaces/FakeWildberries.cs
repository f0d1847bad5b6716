using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>
/// A request the fake got, and what it answered. <see cref="Parameters"/> are the query of a GET and the JSON body's
/// fields of a POST (as text).
/// </summary>
public sealed record FakeWbRequest(
    string Method, string Path, IReadOnlyDictionary<string, string> Parameters, string? Authorization, string? Accept, string? ContentType, int Status)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    public bool IsReport => Path == WildberriesConnector.ReportPath;

    public bool IsAds => Path == WildberriesConnector.AdsPath;

    public bool IsCampaigns => Path == WildberriesConnector.CampaignsPath;

    public bool IsStatistics => Path == WildberriesConnector.StatisticsPath;
}

/// <summary>
/// A local Wildberries for tests, following WB's reference as public clients copy it: Kestrel on 127.0.0.1 serving the
/// realization report of the finance API (<c>POST /api/finance/v1/sales-reports/detailed</c>: JSON body, camelCase,
/// money as strings, paged by <c>rrdId</c> and <c>limit</c>, 204 at the end) and ad charges (<c>GET /adv/v1/upd</c>,
/// 400 over 31 days) from <see cref="Report"/>. It refuses the switched-off v5 report path with 403, and any path
/// <see cref="Retire"/> names. Tokens are JWTs carrying their categories; a token without the category a path needs
/// gets 401 "token scope not allowed", a revoked one 401 too. Misbehaviour can be switched on (throttling with
/// <c>X-Ratelimit-Retry</c>, 5xx, pages that break off). It records every request. Point a connection at it with
/// <see cref="Connection"/>.
/// </summary>
public sealed class FakeWildberries : IAsyncDisposable
{
    /// <summary>The retired method's answer, as public clients report WB gives it (the exact wording is not documented).</summary>
    public const string RetiredDetail = "method is deprecated and disabled";

    /// <summary>WB's answer to a token without the category a path needs.</summary>
    public const string ScopeDetail = "token scope not allowed";

    internal static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new MoneyAsString() },
    };

    /// <summary>A token with the Finance, Statistics and Promotion categories, the one the fake accepts unless told.</summary>
    public static readonly string DefaultToken = Jwt(
        "5d8f7a6e-0c1b-4e2a-9f3d-2b7c6a1e0f11",
        4_000_001,
        new Guid("0193f1a2-7c1d-7e55-9a3b-5c6d7e8f9a0b"),
        WildberriesTokenCategory.Finance,
        WildberriesTokenCategory.Statistics,
        WildberriesTokenCategory.Promotion);

    /// <summary>Ad charges as WB's sample writes them: amounts as JSON numbers.</summary>
    private static readonly JsonSerializerOptions AdsJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakeWbRequest> _requests = [];
    private readonly Dictionary<string, HashSet<WildberriesTokenCategory>> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _retired = new(StringComparer.Ordinal) { [WildberriesConnector.RetiredReportPath] = 403 };
    private FakeWildberriesReport _report;
    private int _throttle;
    private int _throttleSeconds;
    private string? _throttlePath;
    private int _throttleAfter;
    private int _fail;
    private int _failStatus = 500;
    private string? _failPath;
    private int _failAfter;
    private int _revokeAfter = -1;
    private int _breakOff;
    private int _breakOffAfterLines;

    private FakeWildberries(WebApplication app, FakeWildberriesReport report, string token)
    {
        _app = app;
        _report = report;
        Token = token;
        _tokens[DefaultToken] = [WildberriesTokenCategory.Finance, WildberriesTokenCategory.Statistics, WildberriesTokenCategory.Promotion];
        _tokens.TryAdd(token, [WildberriesTokenCategory.Finance, WildberriesTokenCategory.Statistics, WildberriesTokenCategory.Promotion]);
        BaseUrl = new Uri(app.Urls.First());
    }

    /// <summary>Starts a fake serving <paramref name="report"/> (empty if null) to <paramref name="token"/> (all categories).</summary>
    public static async Task<FakeWildberries> StartAsync(FakeWildberriesReport? report = null, string? token = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeWildberries? fake = null;
        app.MapPost(WildberriesConnector.ReportPath, (HttpContext context) => fake!.ServeReportAsync(context));
        app.MapGet(WildberriesConnector.AdsPath, (HttpContext context) => fake!.ServeAdsAsync(context));
        app.MapGet(WildberriesConnector.CampaignsPath, (HttpContext context) => fake!.ServeCampaignsAsync(context));
        app.MapGet(WildberriesConnector.StatisticsPath, (HttpContext context) => fake!.ServeStatisticsAsync(context));
        app.MapFallback((HttpContext context) => fake!.ServeUnknownAsync(context));
        await app.StartAsync();
        fake = new FakeWildberries(app, report ?? FakeWildberriesReport.Empty, token ?? DefaultToken);
        return fake;
    }

    /// <summary>Where the fake listens (serves both the finance and the promotion paths).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The token a <see cref="Connection"/> uses unless told.</summary>
    public string Token { get; }

    /// <summary>What it serves; set a changed copy to restate the report between two pulls.</summary>
    public FakeWildberriesReport Report
    {
        get { lock (_lock) { return _report; } }
        set { lock (_lock) { _report = value; } }
    }

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<FakeWbRequest> Requests
    {
        get { lock (_lock) { return [.. _requests]; } }
    }

    public IReadOnlyList<FakeWbRequest> ReportRequests => [.. Requests.Where(r => r.IsReport)];

    public IReadOnlyList<FakeWbRequest> AdsRequests => [.. Requests.Where(r => r.IsAds)];

    public IReadOnlyList<FakeWbRequest> StatisticsRequests => [.. Requests.Where(r => r.IsStatistics)];

    /// <summary>Most campaign ids in one <c>/adv/v3/fullstats</c> call; more gets 400 "invalid ids" (WB: 50).</summary>
    public int MaxStatisticsCampaigns { get; set; } = 50;

    /// <summary>Longest <c>from</c>..<c>to</c> of an ads request, in days; longer gets 400 as WB does.</summary>
    public int MaxAdDays { get; set; } = 31;

    /// <summary>A connection to this fake (credentials: the token, and an ads token if given; base URL: the fake).</summary>
    public ConnectionSettings Connection(Guid? id = null, string? token = null, string? adsToken = null)
    {
        var credentials = new Dictionary<string, string> { [WildberriesConnector.TokenKey] = token ?? Token };
        if (adsToken is not null)
        {
            credentials[WildberriesConnector.AdsTokenKey] = adsToken;
        }

        return new(id ?? Guid.NewGuid(), Guid.NewGuid(), WildberriesConnector.MarketplaceCode, credentials, BaseUrl);
    }

    /// <summary>
    /// A WB-style token (a JWT whose <c>s</c> claim is the bit mask of its categories, <c>sid</c> the seller) that the
    /// fake accepts for the paths its categories open.
    /// </summary>
    public string IssueToken(params WildberriesTokenCategory[] categories) => IssueToken("5d8f7a6e-0c1b-4e2a-9f3d-2b7c6a1e0f11", categories);

    /// <summary>A token of another seller account (<paramref name="sellerId"/>).</summary>
    public string IssueToken(string sellerId, params WildberriesTokenCategory[] categories)
    {
        var token = Jwt(sellerId, 4_000_001, Guid.NewGuid(), categories);
        lock (_lock)
        {
            _tokens[token] = [.. categories];
        }

        return token;
    }

    /// <summary>
    /// The next <paramref name="requests"/> requests (to <paramref name="path"/> only, if given; after
    /// <paramref name="after"/> more such requests went through) get 429 with <c>X-Ratelimit-Retry: seconds</c>.
    /// </summary>
    public void ThrottleNext(int requests, int retrySeconds = 3, string? path = null, int after = 0)
    {
        lock (_lock)
        {
            _throttle = requests;
            _throttleSeconds = retrySeconds;
            _throttlePath = path;
            _throttleAfter = after;
        }
    }

    /// <summary>
    /// The next <paramref name="requests"/> requests (to <paramref name="path"/> only, if given; after
    /// <paramref name="after"/> more such requests went through) get <paramref name="status"/> (500 unless told).
    /// </summary>
    public void FailNext(int requests, int status = 500, string? path = null, int after = 0)
    {
        lock (_lock)
        {
            _fail = requests;
            _failStatus = status;
            _failPath = path;
            _failAfter = after;
        }
    }

    /// <summary>The next <paramref name="requests"/> report pages stop after <paramref name="afterLines"/> lines: the connection drops.</summary>
    public void BreakOffNext(int requests, int afterLines)
    {
        lock (_lock)
        {
            _breakOff = requests;
            _breakOffAfterLines = afterLines;
        }
    }

    /// <summary>
    /// From now on (or once <paramref name="after"/> more requests went through) every token gets 401, as after the
    /// seller revoked them.
    /// </summary>
    public void RevokeToken(int after = 0)
    {
        lock (_lock)
        {
            _revokeAfter = after;
        }
    }

    /// <summary>From now on <paramref name="path"/> answers as a switched-off method: 403 saying so (as the v5 report), or <paramref name="status"/>.</summary>
    public void Retire(string path, int status = 403)
    {
        lock (_lock)
        {
            _retired[path] = status;
        }
    }

    /// <summary>From now on <paramref name="path"/> answers again (not the v5 report, which stays refused).</summary>
    public void Reinstate(string path)
    {
        lock (_lock)
        {
            if (path != WildberriesConnector.RetiredReportPath)
            {
                _retired.Remove(path);
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A token as WB issues them: header, claims (<c>sid</c>, <c>oid</c>, <c>s</c>, <c>exp</c>...), signature.</summary>
    private static string Jwt(string sellerId, long supplierId, Guid tokenId, params WildberriesTokenCategory[] categories)
    {
        var mask = categories.Aggregate(0L, (m, c) => m | (1L << (int)c));
        var header = """{"alg":"ES256","kid":"20250101v1","typ":"JWT"}""";
        var claims = string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"acc":3,"ent":1,"exp":1893456000,"for":"self","id":"{{tokenId}}","iid":50123456,"oid":{{supplierId}},"s":{{mask}},"sid":"{{sellerId}}","t":false,"uid":50123456}""");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims))
            + ".c2lnbmF0dXJlLW9mLXRoZS1mYWtl";
    }

    private async Task ServeReportAsync(HttpContext context)
    {
        Dictionary<string, string> body;
        try
        {
            body = await BodyAsync(context);
        }
        catch (JsonException)
        {
            Record(context, new Dictionary<string, string>(), 400);
            await ProblemAsync(context, 400, "bad request", "request body is not valid JSON");
            return;
        }

        var (misbehaviour, report, breakOffAfter) = Begin(context, body, WildberriesTokenCategory.Finance);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        if (!TryDate(body.GetValueOrDefault("dateFrom"), out var from) || !TryDate(body.GetValueOrDefault("dateTo"), out var to))
        {
            Record(context, body, 400);
            await ProblemAsync(context, 400, "bad request", "Key: 'SalesReportsDetailedReq.DateFrom' Error:Field validation for 'DateFrom' failed on the 'required' tag");
            return;
        }

        var limit = int.TryParse(body.GetValueOrDefault("limit"), CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 100_000) : 100_000;
        var after = long.TryParse(body.GetValueOrDefault("rrdId"), CultureInfo.InvariantCulture, out var r) ? r : 0;
        var lines = report.Lines;
        var first = 0;
        while (first < lines.Count && lines[first].RrdId <= after)
        {
            first++;
        }

        var page = new List<int>();
        for (var i = first; i < lines.Count && page.Count < limit; i++)
        {
            if (lines[i].ReportDate >= from && lines[i].ReportDate <= to)
            {
                page.Add(i);
            }
        }

        if (page.Count == 0)
        {
            Record(context, body, 204);
            context.Response.StatusCode = 204;
            return;
        }

        Record(context, body, 200);
        context.Response.ContentType = "application/json";
        var json = report.LineJson;
        var writer = context.Response.BodyWriter;
        writer.Write("["u8);
        for (var i = 0; i < page.Count; i++)
        {
            if (breakOffAfter is { } cut && i == cut)
            {
                // Drop the connection in the middle of the array.
                await writer.FlushAsync();
                await Task.Delay(50); // let the client take in what was sent before the connection goes
                context.Abort();
                return;
            }

            if (i > 0)
            {
                writer.Write(","u8);
            }

            writer.Write(json[page[i]]);
            if (i % 1_000 == 999)
            {
                await writer.FlushAsync();
            }
        }

        writer.Write("]"u8);
        await writer.FlushAsync();
    }

    private async Task ServeAdsAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var (misbehaviour, report, _) = Begin(context, query, WildberriesTokenCategory.Promotion);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        if (!TryDate(query.GetValueOrDefault("from"), out var from) || !TryDate(query.GetValueOrDefault("to"), out var to) || to < from)
        {
            Record(context, query, 400);
            await ProblemAsync(context, 400, "bad request", "from and to are required dates");
            return;
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxAdDays)
        {
            Record(context, query, 400);
            await ProblemAsync(context, 400, "bad request", "period must not exceed 31 days");
            return;
        }

        Record(context, query, 200);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(
            context.Response.Body, report.AdCharges.Where(c => c.Date >= from && c.Date <= to).ToList(), AdsJson);
    }

    /// <summary><c>GET /api/advert/v2/adverts?statuses=...</c>: the campaigns of the statuses asked for (all without a filter).</summary>
    private async Task ServeCampaignsAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var (misbehaviour, report, _) = Begin(context, query, WildberriesTokenCategory.Promotion);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        var statuses = query.TryGetValue("statuses", out var text) && !string.IsNullOrEmpty(text)
            ? text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToHashSet()
            : null;
        Record(context, query, 200);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(
            context.Response.Body,
            new
            {
                adverts = report.Campaigns.Where(c => statuses is null || statuses.Contains(c.Status)).Select(c => new
                {
                    bid_type = "manual",
                    id = c.Id,
                    nm_settings = Array.Empty<object>(),
                    settings = new { name = c.Name, payment_type = "cpm", placements = new { recommendations = false, search = true } },
                    status = c.Status,
                    timestamps = new { created = c.Updated, started = c.Updated, updated = c.Updated, deleted = (string?)null },
                }),
            },
            AdsJson);
    }

    /// <summary>
    /// <c>GET /adv/v3/fullstats?ids&amp;beginDate&amp;endDate</c>: per campaign asked for that has figures in the
    /// dates, its days, each day's app types and each app type's nms, with totals at every level, as WB's sample has
    /// it; 400 over <see cref="MaxStatisticsCampaigns"/> ids or 31 days.
    /// </summary>
    private async Task ServeStatisticsAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var (misbehaviour, report, _) = Begin(context, query, WildberriesTokenCategory.Promotion);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        var ids = (query.GetValueOrDefault("ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(i => long.TryParse(i, CultureInfo.InvariantCulture, out var id) ? id : -1).ToList();
        if (ids.Count == 0 || ids.Count > MaxStatisticsCampaigns || ids.Contains(-1))
        {
            Record(context, query, 400);
            await ProblemAsync(context, 400, "invalid payload", "invalid ids");
            return;
        }

        if (!TryDate(query.GetValueOrDefault("beginDate"), out var from) || !TryDate(query.GetValueOrDefault("endDate"), out var to) || to < from
            || to.DayNumber - from.DayNumber + 1 > 31)
        {
            Record(context, query, 400);
            await ProblemAsync(context, 400, "invalid payload", "invalid dates: the period is at most 31 days");
            return;
        }

        Record(context, query, 200);
        context.Response.ContentType = "application/json";
        var wanted = ids.ToHashSet();
        var campaigns = report.Statistics
            .Where(s => wanted.Contains(s.AdvertId) && s.Date >= from && s.Date <= to)
            .GroupBy(s => s.AdvertId)
            .OrderBy(g => g.Key)
            .Select(campaign => Totals(campaign, new Dictionary<string, object?>
            {
                ["advertId"] = campaign.Key,
                ["boosterStats"] = Array.Empty<object>(),
                ["days"] = campaign.GroupBy(s => s.Date).OrderBy(d => d.Key).Select(day => Totals(day, new Dictionary<string, object?>
                {
                    ["date"] = day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z",
                    ["apps"] = day.GroupBy(s => s.AppType).OrderBy(a => a.Key).Select(app => Totals(app, new Dictionary<string, object?>
                    {
                        ["appType"] = app.Key,
                        ["nms"] = app.Select(nm => Totals([nm], new Dictionary<string, object?> { ["name"] = nm.Name, ["nmId"] = nm.NmId })).ToList(),
                    })).ToList(),
                })).ToList(),
            }))
            .ToList();
        await JsonSerializer.SerializeAsync(context.Response.Body, campaigns, AdsJson);
    }

    /// <summary>WB's figures summed over <paramref name="figures"/>, added to <paramref name="into"/>.</summary>
    private static Dictionary<string, object?> Totals(IEnumerable<FakeWbStatistic> figures, Dictionary<string, object?> into)
    {
        var all = figures.ToList();
        var views = all.Sum(f => f.Views);
        var clicks = all.Sum(f => f.Clicks);
        var sum = all.Sum(f => f.Sum);
        into["atbs"] = all.Sum(f => f.Atbs);
        into["canceled"] = all.Sum(f => f.Canceled);
        into["clicks"] = clicks;
        into["cpc"] = clicks == 0 ? 0m : Math.Round(sum / clicks, 2);
        into["cr"] = clicks == 0 ? 0m : Math.Round(100m * all.Sum(f => f.Orders) / clicks, 2);
        into["ctr"] = views == 0 ? 0m : Math.Round(100m * clicks / views, 2);
        into["orders"] = all.Sum(f => f.Orders);
        into["shks"] = all.Sum(f => f.Shks);
        into["sum"] = sum;
        into["sum_price"] = all.Sum(f => f.SumPrice);
        into["views"] = views;
        return into;
    }

    /// <summary>Any other path: the switched-off v5 report (403 saying so), another retired path, or 404.</summary>
    private async Task ServeUnknownAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var (misbehaviour, _, _) = Begin(context, query, category: null);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        Record(context, query, 404);
        await ProblemAsync(context, 404, "not found", "no such method");
    }

    /// <summary>Decides, under the lock, whether this request misbehaves; records it if so.</summary>
    private (Func<HttpContext, Task>? Misbehaviour, FakeWildberriesReport Report, int? BreakOffAfter) Begin(
        HttpContext context, IReadOnlyDictionary<string, string> parameters, WildberriesTokenCategory? category)
    {
        var path = context.Request.Path.Value ?? "";
        lock (_lock)
        {
            if (_revokeAfter >= 0 && _revokeAfter-- == 0)
            {
                _revoked.UnionWith(_tokens.Keys);
            }

            var authorization = context.Request.Headers.Authorization.ToString();
            if (_revoked.Contains(authorization) || !_tokens.TryGetValue(authorization, out var categories))
            {
                Record(context, parameters, 401);
                var detail = _revoked.Contains(authorization) ? "token withdrawn" : "token is malformed or unknown";
                return (c => ProblemAsync(c, 401, "unauthorized", detail), _report, null);
            }

            if (_retired.TryGetValue(path, out var retiredStatus))
            {
                Record(context, parameters, retiredStatus);
                return (c => ProblemAsync(c, retiredStatus, retiredStatus == 403 ? "forbidden" : "gone", RetiredDetail), _report, null);
            }

            if (category is { } needed && !categories.Contains(needed))
            {
                Record(context, parameters, 401);
                return (c => ProblemAsync(c, 401, "unauthorized", ScopeDetail), _report, null);
            }

            if (_throttle > 0 && (_throttlePath is null || _throttlePath == path) && _throttleAfter-- <= 0)
            {
                _throttle--;
                Record(context, parameters, 429);
                var seconds = _throttleSeconds.ToString(CultureInfo.InvariantCulture);
                return (c =>
                {
                    c.Response.Headers["X-Ratelimit-Retry"] = seconds;
                    c.Response.Headers["X-Ratelimit-Limit"] = "1";
                    c.Response.Headers["X-Ratelimit-Reset"] = seconds;
                    return ProblemAsync(c, 429, "too many requests", "limited by fake");
                }, _report, null);
            }

            if (_fail > 0 && (_failPath is null || _failPath == path) && _failAfter-- <= 0)
            {
                _fail--;
                var status = _failStatus;
                Record(context, parameters, status);
                return (c => ProblemAsync(c, status, "internal server error", "fake failure"), _report, null);
            }

            int? breakOff = null;
            if (category == WildberriesTokenCategory.Finance && _breakOff > 0)
            {
                _breakOff--;
                breakOff = _breakOffAfterLines;
            }

            return (null, _report, breakOff);
        }
    }

    private static async Task<Dictionary<string, string>> BodyAsync(HttpContext context)
    {
        using var json = await JsonDocument.ParseAsync(context.Request.Body);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body is not an object.");
        }

        return json.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(),
            StringComparer.Ordinal);
    }

    private void Record(HttpContext context, IReadOnlyDictionary<string, string> parameters, int status)
    {
        var request = context.Request;
        lock (_lock)
        {
            _requests.Add(new FakeWbRequest(
                request.Method,
                request.Path.Value ?? "",
                parameters,
                request.Headers.Authorization.ToString(),
                request.Headers.Accept.ToString(),
                request.ContentType,
                status));
        }
    }

    private static async Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(
            context.Response.Body,
            new
            {
                title,
                detail,
                code = "fake-" + status.ToString(CultureInfo.InvariantCulture),
                requestId = Guid.NewGuid().ToString("N"),
                origin = "fake-wildberries",
                status,
                statusText = title,
                timestamp = "2026-12-04T12:00:00Z",
            },
            Json);
    }

    private static bool TryDate(string? text, out DateOnly date)
    {
        date = default;
        return text is { Length: >= 10 }
            && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Money as the finance API writes it: a JSON string of the decimal (<c>"820.50"</c>).</summary>
    private sealed class MoneyAsString : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? decimal.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }
}
