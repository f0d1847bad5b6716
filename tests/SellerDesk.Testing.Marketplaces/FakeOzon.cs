using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>A request the fake Ozon got (its JSON body kept as text), and what it answered.</summary>
public sealed record FakeOzonRequest(string Method, string Path, string? ClientId, string? ApiKey, string Body, int Status)
{
    /// <summary>A value of the body by a dotted path (<c>filter.since</c>), as text; null if absent.</summary>
    public string? this[string path]
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            var element = document.RootElement;
            foreach (var name in path.Split('.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
        }
    }
}

/// <summary>How the fake throttles a request.</summary>
public enum FakeOzonThrottle
{
    /// <summary>HTTP 429 with Ozon's rate-limit body.</summary>
    Status429,

    /// <summary>HTTP 200 whose body is Ozon's rate-limit error instead of data.</summary>
    Body200,

    /// <summary>HTTP 400 whose body is Ozon's rate-limit error.</summary>
    Body400,
}

/// <summary>
/// A local Ozon Seller API for tests: Kestrel on 127.0.0.1 answering POSTs to the methods Ozon's reference lists today
/// (docs/connectors/ozon.md, "Marketplace methods called") from <see cref="Data"/>: the FBO and FBS posting lists by
/// cursor (limit at most 100), the returns list (<c>last_id</c>, limit at most 500), the accrual type catalogue, the
/// accruals of a day (<c>last_id</c> pages of <see cref="DayPageSize"/>) and of up to 200 postings. The methods Ozon
/// switched off answer 400 <c>{"code":9,"message":"obsolete method cannot be used"}</c>, as Ozon does. Misbehaves as
/// told: throttling (429, or a 200/400 whose body says rate limit), 5xx, 401 <c>{"code":16,...}</c> without the headers
/// or after the key is revoked, broken paging, a current method switched off. Records every request.
/// </summary>
public sealed partial class FakeOzon : IAsyncDisposable
{
    public const string DefaultClientId = "836201";
    public const string DefaultApiKey = "ozon-test-key-0b5e";

    public const string RateLimitBody = """{"code":8,"message":"You have reached request rate limit per second","details":[]}""";
    public const string ObsoleteBody = """{"code":9,"message":"obsolete method cannot be used","details":[]}""";

    /// <summary>The methods Ozon switched off that SellerDesk called before: they answer code 9.</summary>
    public static readonly IReadOnlyList<string> RetiredPaths = ["/v2/posting/fbo/list", "/v3/posting/fbs/list", "/v3/finance/transaction/list"];

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakeOzonRequest> _requests = [];
    private readonly HashSet<string> _retired = new(RetiredPaths, StringComparer.Ordinal);
    private FakeOzonData _data;
    private readonly Dictionary<string, (string ApiKey, FakeOzonData Data)> _cabinets = new(StringComparer.Ordinal);
    private bool _revoked;
    private string? _brokenPaging;
    private (string Path, string Body)? _refusal;
    private Misbehaviour? _throttle;
    private Misbehaviour? _fail;

    private FakeOzon(WebApplication app, FakeOzonData data)
    {
        _app = app;
        _data = data;
        BaseUrl = new Uri(app.Urls.First());
    }

    public static async Task<FakeOzon> StartAsync(FakeOzonData? data = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeOzon? fake = null;
        app.MapPost(OzonConnector.FboPath, (HttpContext context) => fake!.ServeAsync(context, fake.Fbo));
        app.MapPost(OzonConnector.FbsPath, (HttpContext context) => fake!.ServeAsync(context, fake.Fbs));
        app.MapPost(OzonConnector.ReturnsPath, (HttpContext context) => fake!.ServeAsync(context, fake.Returns));
        app.MapPost(OzonConnector.AccrualTypesPath, (HttpContext context) => fake!.ServeAsync(context, Types));
        app.MapPost(OzonConnector.AccrualsByDayPath, (HttpContext context) => fake!.ServeAsync(context, fake.ByDay));
        app.MapPost(OzonConnector.AccrualsByPostingPath, (HttpContext context) => fake!.ServeAsync(context, ByPosting));
        MapPerformance(app, () => fake!.Performance);
        foreach (var path in RetiredPaths)
        {
            app.MapPost(path, (HttpContext context) => fake!.ServeAsync(context, (_, _) => (400, ObsoleteBody)));
        }

        await app.StartAsync();
        fake = new FakeOzon(app, data ?? FakeOzonData.Empty);
        return fake;
    }

    public Uri BaseUrl { get; }

    /// <summary>Accruals per page of the day list.</summary>
    public int DayPageSize { get; set; } = 100;

    /// <summary>What it serves; set a changed copy to restate between two pulls.</summary>
    public FakeOzonData Data
    {
        get { lock (_lock) { return _data; } }
        set { lock (_lock) { _data = value; } }
    }

    public IReadOnlyList<FakeOzonRequest> Requests
    {
        get { lock (_lock) { return [.. _requests]; } }
    }

    public IReadOnlyList<FakeOzonRequest> RequestsTo(string path) => [.. Requests.Where(r => r.Path == path)];

    /// <summary>A connection to this fake with the default Client-Id and Api-Key.</summary>
    public ConnectionSettings Connection(Guid? id = null) => new(
        id ?? Guid.NewGuid(),
        Guid.NewGuid(),
        OzonConnector.MarketplaceCode,
        new Dictionary<string, string> { [OzonConnector.ClientIdKey] = DefaultClientId, [OzonConnector.ApiKeyKey] = DefaultApiKey },
        BaseUrl);

    /// <summary>
    /// The next <paramref name="requests"/> requests (to <paramref name="path"/> only, when given, after letting
    /// <paramref name="after"/> of them through) are throttled the given way.
    /// </summary>
    public void ThrottleNext(int requests, FakeOzonThrottle kind = FakeOzonThrottle.Status429, string? path = null, int after = 0)
    {
        lock (_lock)
        {
            _throttle = new Misbehaviour(requests, kind switch { FakeOzonThrottle.Body200 => 200, FakeOzonThrottle.Body400 => 400, _ => 429 }, path, after);
        }
    }

    /// <summary>The next <paramref name="requests"/> requests (to <paramref name="path"/> only, after <paramref name="after"/>) fail with <paramref name="status"/>.</summary>
    public void FailNext(int requests, int status = 500, string? path = null, int after = 0)
    {
        lock (_lock)
        {
            _fail = new Misbehaviour(requests, status, path, after);
        }
    }

    /// <summary>From now on every request gets 401, as after the seller deleted the API key.</summary>
    public void RevokeKey()
    {
        lock (_lock)
        {
            _revoked = true;
        }
    }

    /// <summary>From now on <paramref name="path"/> answers 400 code 9, as when Ozon switches a method off.</summary>
    public void Retire(string path)
    {
        lock (_lock)
        {
            _retired.Add(path);
        }
    }

    /// <summary>
    /// Another seller cabinet on this fake: requests with its <c>Client-Id</c> (and API key) are answered from
    /// <paramref name="data"/>, as Ozon answers each cabinet with its own postings and accruals. Returns its connection.
    /// </summary>
    public ConnectionSettings AddCabinet(string clientId, string apiKey, FakeOzonData data)
    {
        lock (_lock)
        {
            _cabinets[clientId] = (apiKey, data);
        }

        return new ConnectionSettings(
            Guid.NewGuid(),
            Guid.NewGuid(),
            OzonConnector.MarketplaceCode,
            new Dictionary<string, string> { [OzonConnector.ClientIdKey] = clientId, [OzonConnector.ApiKeyKey] = apiKey },
            BaseUrl);
    }

    /// <summary>From now on <paramref name="path"/> answers again (Ozon switched it back on; a test's way to show recovery).</summary>
    public void Reinstate(string path)
    {
        lock (_lock)
        {
            _retired.Remove(path);
        }
    }

    /// <summary>
    /// From now on paging of <paramref name="path"/> is broken as a faulty server might break it: posting pages are
    /// empty yet say <c>has_next</c>; the returns list ignores <c>last_id</c>; the day list hands back the same <c>last_id</c>.
    /// </summary>
    public void BreakPaging(string path)
    {
        lock (_lock)
        {
            _brokenPaging = path;
        }
    }

    /// <summary>From now on <paramref name="path"/> answers 400 with <paramref name="body"/> (a request Ozon refuses).</summary>
    public void Refuse(string path, string body)
    {
        lock (_lock)
        {
            _refusal = (path, body);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context, Func<JsonElement, FakeOzonData, (int Status, string Body)> serve)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var path = context.Request.Path.Value ?? string.Empty;
        var clientId = context.Request.Headers["Client-Id"].ToString();
        var apiKey = context.Request.Headers["Api-Key"].ToString();
        int status;
        string answer;
        lock (_lock)
        {
            (status, answer) = Misbehave(path, clientId, apiKey)
                ?? (_cabinets.TryGetValue(clientId, out var cabinet) ? Answer(body, serve, cabinet.Data) : Answer(body, serve));
            _requests.Add(new FakeOzonRequest(context.Request.Method, path, clientId.Length == 0 ? null : clientId, apiKey.Length == 0 ? null : apiKey, body, status));
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer, Encoding.UTF8);
    }

    private (int, string)? Misbehave(string path, string clientId, string apiKey)
    {
        if (clientId.Length == 0 || apiKey.Length == 0)
        {
            return (401, """{"code":16,"message":"Client-Id and Api-Key headers are required","details":[]}""");
        }

        var known = (clientId == DefaultClientId && apiKey == DefaultApiKey)
            || (_cabinets.TryGetValue(clientId, out var cabinet) && cabinet.ApiKey == apiKey);
        if (_revoked || !known)
        {
            return (401, """{"code":16,"message":"Invalid Api-Key, please contact support","details":[]}""");
        }

        if (_throttle?.Hits(path) == true)
        {
            return (_throttle.Status, RateLimitBody);
        }

        if (_fail?.Hits(path) == true)
        {
            return (_fail.Status, """{"code":13,"message":"internal error","details":[]}""");
        }

        if (_retired.Contains(path))
        {
            return (400, ObsoleteBody);
        }

        if (_refusal is { } refusal && refusal.Path == path)
        {
            return (400, refusal.Body);
        }

        return null;
    }

    private static (int, string) Answer(string body, Func<JsonElement, FakeOzonData, (int Status, string Body)> serve, FakeOzonData data)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return serve(document.RootElement, data);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return Invalid("request body does not match the schema: " + ex.Message);
        }
    }

    private (int, string) Answer(string body, Func<JsonElement, FakeOzonData, (int Status, string Body)> serve) => Answer(body, serve, _data);

    private (int, string) Fbo(JsonElement request, FakeOzonData data) => Postings(request, data.Fbo, OzonConnector.FboPath);

    private (int, string) Fbs(JsonElement request, FakeOzonData data) => Postings(request, data.Fbs, OzonConnector.FbsPath);

    /// <summary>A cursor list: the cursor is the offset of the next page, opaque to the client.</summary>
    private (int, string) Postings(JsonElement request, IReadOnlyList<FakeOzonItem> items, string path)
    {
        var limit = request.GetProperty("limit").GetInt32();
        if (limit is < 1 or > 100)
        {
            return Invalid("limit must be between 1 and 100");
        }

        if (request.TryGetProperty("offset", out _))
        {
            return Invalid("offset is not a field of this method: page with cursor");
        }

        var cursor = request.GetProperty("cursor").GetString() ?? string.Empty;
        var offset = cursor.Length == 0 ? 0 : int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture);
        var filter = request.GetProperty("filter");
        var all = Between(items, Time(filter, "since"), Time(filter, "to"));
        var page = all.Skip(offset).Take(limit).ToList();
        var hasNext = offset + page.Count < all.Count;
        var next = hasNext ? Convert.ToBase64String(Encoding.ASCII.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture))) : string.Empty;
        if (_brokenPaging == path)
        {
            (page, hasNext, next) = ([], true, cursor);
        }

        return (200, "{\"postings\":[" + string.Join(',', page.Select(p => p.Json)) + "],\"has_next\":" + (hasNext ? "true" : "false")
            + ",\"cursor\":" + JsonSerializer.Serialize(next) + "}");
    }

    private (int, string) Returns(JsonElement request, FakeOzonData data)
    {
        var limit = request.GetProperty("limit").GetInt32();
        if (limit is < 1 or > 500)
        {
            return Invalid("limit must be between 1 and 500");
        }

        var range = request.GetProperty("filter").GetProperty("logistic_return_date");
        var lastId = _brokenPaging == OzonConnector.ReturnsPath ? 0 : request.GetProperty("last_id").GetInt64();
        var all = Between(data.Returns, Time(range, "time_from"), Time(range, "time_to"))
            .Where(r => !long.TryParse(r.Key, CultureInfo.InvariantCulture, out var id) || id > lastId)
            .OrderBy(r => long.TryParse(r.Key, CultureInfo.InvariantCulture, out var id) ? id : long.MaxValue)
            .ToList();
        var page = all.Take(limit).ToList();
        return (200, "{\"returns\":[" + string.Join(',', page.Select(p => p.Json)) + "],\"has_next\":" + (all.Count > limit ? "true" : "false") + "}");
    }

    private static (int, string) Types(JsonElement request, FakeOzonData data) =>
        (200, new JsonObject
        {
            ["accrual_types"] = new JsonArray([.. data.Types.Select(t => (JsonNode)new JsonObject { ["id"] = t.Id, ["name"] = t.Name, ["description"] = t.Description })]),
        }.ToJsonString(FakeOzonData.Relaxed));

    /// <summary>
    /// A day's accruals by <c>accrual_id</c>: the postings' accruals of that date (one POSTING accrual per posting) and
    /// the accruals of no posting, <see cref="DayPageSize"/> a page; <c>last_id</c> is the last id of a page that has more.
    /// </summary>
    private (int, string) ByDay(JsonElement request, FakeOzonData data)
    {
        var text = request.GetProperty("date").GetString() ?? string.Empty;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date < new DateOnly(2022, 1, 1))
        {
            return Invalid("date must be YYYY-MM-DD, 2022-01-01 or later");
        }

        var lastId = request.GetProperty("last_id").GetString() ?? string.Empty;
        var after = lastId.Length == 0 || _brokenPaging == OzonConnector.AccrualsByDayPath ? 0 : long.Parse(lastId, CultureInfo.InvariantCulture);
        var all = DayList(data, date).Where(a => a.Id > after).OrderBy(a => a.Id).ToList();
        var page = all.Take(DayPageSize).ToList();
        var next = all.Count > page.Count ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : string.Empty;
        if (_brokenPaging == OzonConnector.AccrualsByDayPath && lastId.Length > 0)
        {
            next = lastId;
        }

        return (200, "{\"accruals\":[" + string.Join(',', page.Select(p => p.Json)) + "],\"last_id\":" + JsonSerializer.Serialize(next) + "}");
    }

    private static (int, string) ByPosting(JsonElement request, FakeOzonData data)
    {
        var numbers = request.GetProperty("posting_numbers").EnumerateArray().Select(n => n.GetString() ?? string.Empty).ToList();
        if (numbers.Count is < 1 or > 200)
        {
            return Invalid("posting_numbers must hold 1 to 200 items");
        }

        var known = data.Fbo.Concat(data.Fbs).Select(p => p.Key).Concat(data.PostingAccruals.Select(p => p.PostingNumber)).ToHashSet(StringComparer.Ordinal);
        var answer = new JsonArray();
        foreach (var number in numbers.Distinct(StringComparer.Ordinal).Where(known.Contains))
        {
            answer.Add(new JsonObject
            {
                ["posting_number"] = number,
                ["accruals"] = new JsonArray([.. data.AccrualsOf(number).Select(a => (JsonNode)FakeOzonData.Json(a))]),
            });
        }

        return (200, new JsonObject { ["posting_accruals"] = answer }.ToJsonString(FakeOzonData.Relaxed));
    }

    /// <summary>Everything the day list holds for <paramref name="date"/>, with ids.</summary>
    private static List<(long Id, string Json)> DayList(FakeOzonData data, DateOnly date)
    {
        var list = data.DayAccruals.Where(d => d.Date == date).Select(d => (d.Id, d.Json)).ToList();
        var fbs = data.Fbs.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var posting in data.PostingAccruals)
        {
            var lines = posting.Accruals.Where(a => a.Date == date).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            // A stable id per posting and date, below the ids the builders give the other accruals.
            var id = 10_000_000_000L + (StableHash(posting.PostingNumber) * 10_000L) + (date.DayNumber % 10_000);
            list.Add((id, FakeOzonData.DayPostingAccrual(id, posting.PostingNumber, fbs.Contains(posting.PostingNumber) ? "FBS" : "FBO", date, lines).ToJsonString(FakeOzonData.Relaxed)));
        }

        return list;
    }

    private static long StableHash(string text)
    {
        long hash = 17;
        foreach (var c in text)
        {
            hash = ((hash * 31) + c) % 999_983;
        }

        return hash;
    }

    private static List<FakeOzonItem> Between(IReadOnlyList<FakeOzonItem> items, DateTimeOffset from, DateTimeOffset to) =>
        [.. items.Where(i => i.At >= from && i.At <= to).OrderBy(i => i.At).ThenBy(i => i.Key, StringComparer.Ordinal)];

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static (int, string) Invalid(string message) =>
        (400, JsonSerializer.Serialize(new { code = 3, message, details = Array.Empty<object>() }));

    /// <summary>A misbehaviour for <see cref="Count"/> requests (to one path when given) after letting some through.</summary>
    private sealed class Misbehaviour(int count, int status, string? path, int after)
    {
        private int _after = after;

        public int Count { get; private set; } = count;

        public int Status { get; } = status;

        public string? Path { get; } = path;

        public bool Hits(string path)
        {
            if (Count == 0 || (Path is not null && Path != path))
            {
                return false;
            }

            if (_after > 0)
            {
                _after--;
                return false;
            }

            Count--;
            return true;
        }
    }
}
