using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;

namespace SellerDesk.Ingestion.Tests.Connectors.Fakes;

/// <summary>A request the fake Ozon got (its JSON body kept as text), and what it answered.</summary>
public sealed record FakeOzonRequest(string Path, string? ClientId, string? ApiKey, string Body, int Status)
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
/// A local Ozon Seller API for tests: Kestrel on 127.0.0.1 answering POSTs to the FBO and FBS posting lists
/// (limit/offset, <c>has_next</c>), the returns list (<c>last_id</c>, limit at most 500) and the finance transaction
/// list (page/page_size, one month per call) in Ozon's documented JSON, from <see cref="Data"/>. Misbehaves as told:
/// throttling (429, or a 200/400 whose body says rate limit), 5xx, 401 <c>{"code":16,...}</c> without the headers or
/// after the key is revoked, and the finance method switched off (400 <c>{"code":9,...}</c>). Records every request.
/// </summary>
public sealed class FakeOzon : IAsyncDisposable
{
    public const string DefaultClientId = "836201";
    public const string DefaultApiKey = "ozon-test-key-0b5e";

    public const string RateLimitBody = """{"code":8,"message":"You have reached request rate limit per second","details":[]}""";
    public const string ObsoleteBody = """{"code":9,"message":"obsolete method cannot be used","details":[]}""";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakeOzonRequest> _requests = [];
    private FakeOzonData _data;
    private bool _revoked;
    private bool _financeObsolete;
    private string? _financeRejection;
    private string? _brokenPaging;
    private int _throttle;
    private FakeOzonThrottle _throttleKind;
    private int _fail;
    private int _failStatus = 500;

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
        app.MapPost(OzonConnector.FinancePath, (HttpContext context) => fake!.ServeAsync(context, fake.Finance));
        await app.StartAsync();
        fake = new FakeOzon(app, data ?? FakeOzonData.Empty);
        return fake;
    }

    public Uri BaseUrl { get; }

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

    /// <summary>The next <paramref name="requests"/> requests are throttled the given way.</summary>
    public void ThrottleNext(int requests, FakeOzonThrottle kind = FakeOzonThrottle.Status429)
    {
        lock (_lock)
        {
            _throttle = requests;
            _throttleKind = kind;
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

    /// <summary>From now on every request gets 401, as after the seller deleted the API key.</summary>
    public void RevokeKey()
    {
        lock (_lock)
        {
            _revoked = true;
        }
    }

    /// <summary>The finance transaction list answers 400 obsolete method from now on, as after 2026-09-08.</summary>
    public void SwitchOffFinance()
    {
        lock (_lock)
        {
            _financeObsolete = true;
        }
    }

    /// <summary>
    /// From now on paging of <paramref name="path"/> is broken as a faulty server might break it: FBS pages are empty
    /// yet say <c>has_next</c>; the returns list ignores <c>last_id</c>.
    /// </summary>
    public void BreakPaging(string path)
    {
        lock (_lock)
        {
            _brokenPaging = path;
        }
    }

    /// <summary>The finance transaction list answers 400 with <paramref name="body"/> from now on (a request Ozon refuses).</summary>
    public void RejectFinance(string body)
    {
        lock (_lock)
        {
            _financeRejection = body;
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
            (status, answer) = Misbehave(path, clientId, apiKey) ?? Answer(body, serve);
            _requests.Add(new FakeOzonRequest(path, clientId.Length == 0 ? null : clientId, apiKey.Length == 0 ? null : apiKey, body, status));
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

        if (_revoked || clientId != DefaultClientId || apiKey != DefaultApiKey)
        {
            return (401, """{"code":16,"message":"Invalid Api-Key, please contact support","details":[]}""");
        }

        if (_throttle > 0)
        {
            _throttle--;
            return (_throttleKind switch { FakeOzonThrottle.Body200 => 200, FakeOzonThrottle.Body400 => 400, _ => 429 }, RateLimitBody);
        }

        if (_fail > 0)
        {
            _fail--;
            return (_failStatus, """{"code":13,"message":"internal error","details":[]}""");
        }

        if (_financeObsolete && path == OzonConnector.FinancePath)
        {
            return (400, ObsoleteBody);
        }

        if (_financeRejection is not null && path == OzonConnector.FinancePath)
        {
            return (400, _financeRejection);
        }

        return null;
    }

    private (int, string) Answer(string body, Func<JsonElement, FakeOzonData, (int Status, string Body)> serve)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return serve(document.RootElement, _data);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return Invalid("request body does not match the schema: " + ex.Message);
        }
    }

    private (int, string) Fbo(JsonElement request, FakeOzonData data)
    {
        var limit = request.GetProperty("limit").GetInt32();
        if (limit is < 1 or > 1000)
        {
            return Invalid("limit must be between 1 and 1000");
        }

        if (!request.GetProperty("with").GetProperty("financial_data").GetBoolean())
        {
            return Invalid("the fake serves FBO postings with financial data only");
        }

        var filter = request.GetProperty("filter");
        var page = Between(data.Fbo, Time(filter, "since"), Time(filter, "to"))
            .Skip(request.GetProperty("offset").GetInt32()).Take(limit).ToList();
        return (200, "{\"result\":[" + string.Join(',', page.Select(p => p.Json)) + "]}");
    }

    private (int, string) Fbs(JsonElement request, FakeOzonData data)
    {
        var limit = request.GetProperty("limit").GetInt32();
        if (limit is < 1 or > 1000)
        {
            return Invalid("limit must be between 1 and 1000");
        }

        var filter = request.GetProperty("filter");
        var all = Between(data.Fbs, Time(filter, "since"), Time(filter, "to"));
        var offset = request.GetProperty("offset").GetInt32();
        var page = all.Skip(offset).Take(limit).ToList();
        var hasNext = offset + page.Count < all.Count;
        if (_brokenPaging == OzonConnector.FbsPath)
        {
            (page, hasNext) = ([], true);
        }

        return (200, "{\"result\":{\"postings\":[" + string.Join(',', page.Select(p => p.Json)) + "],\"has_next\":" + (hasNext ? "true" : "false") + "}}");
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
            .Where(r => long.Parse(r.Key, CultureInfo.InvariantCulture) > lastId)
            .OrderBy(r => long.Parse(r.Key, CultureInfo.InvariantCulture))
            .ToList();
        var page = all.Take(limit).ToList();
        return (200, "{\"returns\":[" + string.Join(',', page.Select(p => p.Json)) + "],\"has_next\":" + (all.Count > limit ? "true" : "false") + "}");
    }

    private (int, string) Finance(JsonElement request, FakeOzonData data)
    {
        var date = request.GetProperty("filter").GetProperty("date");
        var from = Time(date, "from");
        var to = Time(date, "to");
        if (to < from || to - from > TimeSpan.FromDays(31) + TimeSpan.FromHours(1))
        {
            return Invalid("the period must be at most one month");
        }

        var pageNumber = request.GetProperty("page").GetInt32();
        var pageSize = request.GetProperty("page_size").GetInt32();
        if (pageNumber < 1 || pageSize is < 1 or > 1000)
        {
            return Invalid("page must be at least 1 and page_size between 1 and 1000");
        }

        var all = Between(data.Operations, from, to);
        var pageCount = (all.Count + pageSize - 1) / pageSize;
        var page = all.Skip((pageNumber - 1) * pageSize).Take(pageSize).ToList();
        return (200, string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"result\":{{\"operations\":[{string.Join(',', page.Select(p => p.Json))}],\"page_count\":{pageCount},\"row_count\":{all.Count}}}}}"));
    }

    private static List<FakeOzonItem> Between(IReadOnlyList<FakeOzonItem> items, DateTimeOffset from, DateTimeOffset to) =>
        [.. items.Where(i => i.At >= from && i.At <= to).OrderBy(i => i.At).ThenBy(i => i.Key, StringComparer.Ordinal)];

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static (int, string) Invalid(string message) =>
        (400, JsonSerializer.Serialize(new { code = 3, message, details = Array.Empty<object>() }));
}
