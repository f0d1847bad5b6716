using System.Globalization;
using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;

namespace SellerDesk.Ingestion.Tests.Connectors.Fakes;

/// <summary>A request the fake got, and what it answered.</summary>
public sealed record FakeWbRequest(string Path, IReadOnlyDictionary<string, string> Query, string? Authorization, string? Accept, int Status)
{
    public string? this[string name] => Query.TryGetValue(name, out var value) ? value : null;

    public bool IsReport => Path == WildberriesConnector.ReportPath;

    public bool IsAds => Path == WildberriesConnector.AdsPath;
}

/// <summary>
/// A local Wildberries for tests: Kestrel on 127.0.0.1 serving the realization report (v5, paged by <c>rrdid</c> and
/// <c>limit</c>, 204 at the end) and ad charges (<c>/adv/v1/upd</c>, 400 over 31 days) from
/// <see cref="Report"/>, with switchable misbehaviour (throttling, 5xx, revoked token, pages that break off). It
/// records every request. Point a connection at it with <see cref="Connection"/>.
/// </summary>
public sealed class FakeWildberries : IAsyncDisposable
{
    public const string DefaultToken = "wb-test-token";

    internal static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<FakeWbRequest> _requests = [];
    private FakeWildberriesReport _report;
    private bool _revoked;
    private int _throttle;
    private int _throttleSeconds;
    private int _fail;
    private int _failStatus = 500;
    private int _breakOff;
    private int _breakOffAfterLines;

    private FakeWildberries(WebApplication app, FakeWildberriesReport report, string token)
    {
        _app = app;
        _report = report;
        Token = token;
        BaseUrl = new Uri(app.Urls.First());
    }

    /// <summary>Starts a fake serving <paramref name="report"/> (empty if null) to <paramref name="token"/>.</summary>
    public static async Task<FakeWildberries> StartAsync(FakeWildberriesReport? report = null, string token = DefaultToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeWildberries? fake = null;
        app.MapGet(WildberriesConnector.ReportPath, (HttpContext context) => fake!.ServeReportAsync(context));
        app.MapGet(WildberriesConnector.AdsPath, (HttpContext context) => fake!.ServeAdsAsync(context));
        await app.StartAsync();
        fake = new FakeWildberries(app, report ?? FakeWildberriesReport.Empty, token);
        return fake;
    }

    /// <summary>Where the fake listens (serves both the statistics and the promotion paths).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The token the fake accepts.</summary>
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

    /// <summary>Longest <c>from</c>..<c>to</c> of an ads request, in days; longer gets 400 as WB does.</summary>
    public int MaxAdDays { get; set; } = 31;

    /// <summary>A connection to this fake (credentials: the token; base URL: the fake).</summary>
    public ConnectionSettings Connection(Guid? id = null, string? token = null) => new(
        id ?? Guid.NewGuid(),
        Guid.NewGuid(),
        WildberriesConnector.MarketplaceCode,
        new Dictionary<string, string> { [WildberriesConnector.TokenKey] = token ?? Token },
        BaseUrl);

    /// <summary>The next <paramref name="requests"/> requests get 429 with <c>X-Ratelimit-Retry: seconds</c>.</summary>
    public void ThrottleNext(int requests, int retrySeconds = 3)
    {
        lock (_lock)
        {
            _throttle = requests;
            _throttleSeconds = retrySeconds;
        }
    }

    /// <summary>The next <paramref name="requests"/> requests get <paramref name="status"/> (500 unless told).</summary>
    public void FailNext(int requests, int status = 500)
    {
        lock (_lock)
        {
            _fail = requests;
            _failStatus = status;
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

    /// <summary>From now on every request gets 401, as after the seller revoked the token.</summary>
    public void RevokeToken()
    {
        lock (_lock)
        {
            _revoked = true;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeReportAsync(HttpContext context)
    {
        var (misbehaviour, report, breakOffAfter) = Begin(context, report: true);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        var query = context.Request.Query;
        if (!TryDate(query["dateFrom"], out var from) || !TryDate(query["dateTo"], out var to))
        {
            Record(context, 400);
            await ProblemAsync(context, 400, "bad request", "GetReportDetailByPeriodNB decode error: missing dateFrom or dateTo");
            return;
        }

        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 100_000) : 100_000;
        var after = long.TryParse(query["rrdid"], CultureInfo.InvariantCulture, out var r) ? r : 0;
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
            Record(context, 204);
            context.Response.StatusCode = 204;
            return;
        }

        Record(context, 200);
        context.Response.ContentType = "application/json";
        var json = report.LineJson;
        var body = context.Response.BodyWriter;
        body.Write("["u8);
        for (var i = 0; i < page.Count; i++)
        {
            if (breakOffAfter is { } cut && i == cut)
            {
                // Drop the connection in the middle of the array.
                await body.FlushAsync();
                await Task.Delay(50); // let the client take in what was sent before the connection goes
                context.Abort();
                return;
            }

            if (i > 0)
            {
                body.Write(","u8);
            }

            body.Write(json[page[i]]);
            if (i % 1_000 == 999)
            {
                await body.FlushAsync();
            }
        }

        body.Write("]"u8);
        await body.FlushAsync();
    }

    private async Task ServeAdsAsync(HttpContext context)
    {
        var (misbehaviour, report, _) = Begin(context, report: false);
        if (misbehaviour is not null)
        {
            await misbehaviour(context);
            return;
        }

        var query = context.Request.Query;
        if (!TryDate(query["from"], out var from) || !TryDate(query["to"], out var to) || to < from)
        {
            Record(context, 400);
            await ProblemAsync(context, 400, "bad request", "from and to are required dates");
            return;
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxAdDays)
        {
            Record(context, 400);
            await ProblemAsync(context, 400, "bad request", "period must not exceed 31 days");
            return;
        }

        Record(context, 200);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(
            context.Response.Body, report.AdCharges.Where(c => c.Date >= from && c.Date <= to).ToList(), Json);
    }

    /// <summary>Decides, under the lock, whether this request misbehaves; records it if so.</summary>
    private (Func<HttpContext, Task>? Misbehaviour, FakeWildberriesReport Report, int? BreakOffAfter) Begin(HttpContext context, bool report)
    {
        lock (_lock)
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (_revoked || authorization != Token)
            {
                Record(context, 401);
                return (c => ProblemAsync(c, 401, "unauthorized", "token problem; token is revoked"), _report, null);
            }

            if (_throttle > 0)
            {
                _throttle--;
                Record(context, 429);
                var seconds = _throttleSeconds.ToString(CultureInfo.InvariantCulture);
                return (c =>
                {
                    c.Response.Headers["X-Ratelimit-Retry"] = seconds;
                    c.Response.Headers["X-Ratelimit-Limit"] = "1";
                    c.Response.Headers["X-Ratelimit-Reset"] = seconds;
                    return ProblemAsync(c, 429, "too many requests", "limited by fake");
                }, _report, null);
            }

            if (_fail > 0)
            {
                _fail--;
                var status = _failStatus;
                Record(context, status);
                return (c => ProblemAsync(c, status, "internal server error", "fake failure"), _report, null);
            }

            int? breakOff = null;
            if (report && _breakOff > 0)
            {
                _breakOff--;
                breakOff = _breakOffAfterLines;
            }

            return (null, _report, breakOff);
        }
    }

    private void Record(HttpContext context, int status)
    {
        var request = context.Request;
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        lock (_lock)
        {
            _requests.Add(new FakeWbRequest(
                request.Path.Value ?? "", query, request.Headers.Authorization.ToString(), request.Headers.Accept.ToString(), status));
        }
    }

    private static async Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new { title, detail, status, origin = "fake-wildberries" }, Json);
    }

    private static bool TryDate(string? text, out DateOnly date)
    {
        date = default;
        return text is { Length: >= 10 }
            && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
