using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>A campaign of <c>GET /api/client/campaign</c>.</summary>
public sealed record FakeOzonCampaign(string Id, string Title, string AdvObjectType = "SKU", string State = "CAMPAIGN_STATE_RUNNING");

/// <summary>One report row of a campaign: its day, Ozon sku, WB-style figures as Ozon writes them (strings with a decimal comma).</summary>
public sealed record FakeOzonStatistic(string CampaignId, DateOnly Date, string Sku, int Orders, decimal MoneySpent);

/// <summary>One expense row of <c>/api/client/statistics/expense/json</c>.</summary>
public sealed record FakeOzonExpense(string CampaignId, string Title, DateOnly Date, decimal MoneySpent, decimal BonusSpent = 0m);

/// <summary>
/// The fake's Performance API (served on the same host as the Seller API; a connection's base URL replaces both):
/// client-credentials token, campaign list, asynchronous statistics reports (at most 10 campaigns and 62 days, not
/// ready for <see cref="PollsBeforeReady"/> state checks), report download and expenses; Bearer tokens only.
/// </summary>
public sealed class FakeOzonPerformance
{
    public const string ClientId = "1234567-1700000000000@advertising.performance.ozon.ru";
    public const string ClientSecret = "perf-secret";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string[] Campaigns, DateOnly From, DateOnly To, int Polls)> _reports = new(StringComparer.Ordinal);
    private readonly List<FakeOzonRequest> _requests = [];
    private int _issued;
    private int _throttle;
    private int _retryAfter;
    private string? _throttlePath;
    private bool _revoked;

    public IReadOnlyList<FakeOzonCampaign> Campaigns { get; set; } = [];

    public IReadOnlyList<FakeOzonStatistic> Statistics { get; set; } = [];

    public IReadOnlyList<FakeOzonExpense> Expenses { get; set; } = [];

    /// <summary>How many state checks a report answers <c>IN_PROGRESS</c> before <c>OK</c>.</summary>
    public int PollsBeforeReady { get; set; } = 1;

    public IReadOnlyList<FakeOzonRequest> Requests
    {
        get { lock (_lock) { return [.. _requests]; } }
    }

    /// <summary>Credentials of the Performance API for a connection to the fake.</summary>
    public static void AddCredentials(IDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        credentials[OzonConnector.PerformanceClientIdKey] = ClientId;
        credentials[OzonConnector.PerformanceClientSecretKey] = ClientSecret;
    }

    /// <summary>The next <paramref name="requests"/> requests to <paramref name="path"/> (any, if null) get 429 with <c>Retry-After</c>.</summary>
    public void ThrottleNext(int requests, int retryAfterSeconds, string? path = null)
    {
        lock (_lock)
        {
            _throttle = requests;
            _retryAfter = retryAfterSeconds;
            _throttlePath = path;
        }
    }

    /// <summary>From now on every token request and token gets 401.</summary>
    public void Revoke()
    {
        lock (_lock)
        {
            _revoked = true;
        }
    }

    internal async Task ServeAsync(HttpContext context, string route)
    {
        var body = context.Request.ContentLength is > 0 || context.Request.Method == "POST"
            ? await new StreamReader(context.Request.Body).ReadToEndAsync()
            : string.Empty;
        var (status, answer, retryAfter) = Answer(context, route, body);
        lock (_lock)
        {
            _requests.Add(new FakeOzonRequest(context.Request.Method, context.Request.Path.Value ?? "", null, context.Request.Headers.Authorization.ToString(), body + context.Request.QueryString.Value, status));
        }

        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer);
    }

    private (int Status, string Body, int? RetryAfter) Answer(HttpContext context, string route, string body)
    {
        lock (_lock)
        {
            if (_throttle > 0 && (_throttlePath is null || _throttlePath == route))
            {
                _throttle--;
                return (429, """{"error":"Превышен лимит запросов"}""", _retryAfter);
            }

            if (route == OzonConnector.TokenPath)
            {
                using var request = JsonDocument.Parse(body);
                var root = request.RootElement;
                if (_revoked || root.GetProperty("client_id").GetString() != ClientId || root.GetProperty("client_secret").GetString() != ClientSecret
                    || root.GetProperty("grant_type").GetString() != "client_credentials")
                {
                    return (401, """{"error":"invalid_client","error_description":"client authentication failed"}""", null);
                }

                _issued++;
                return (200, JsonSerializer.Serialize(new { access_token = "perf-token-" + _issued.ToString(CultureInfo.InvariantCulture), expires_in = 1800, token_type = "Bearer" }), null);
            }

            var authorization = context.Request.Headers.Authorization.ToString();
            if (_revoked || !authorization.StartsWith("Bearer perf-token-", StringComparison.Ordinal))
            {
                return (401, """{"error":"unauthorized"}""", null);
            }

            var query = context.Request.Query;
            switch (route)
            {
                case OzonConnector.CampaignsPath:
                    return (200, JsonSerializer.Serialize(new
                    {
                        list = Campaigns.Select(c => new { id = c.Id, title = c.Title, state = c.State, advObjectType = c.AdvObjectType, fromDate = "2026-01-01", toDate = "" }),
                        total = Campaigns.Count.ToString(CultureInfo.InvariantCulture),
                    }, FakeOzonData.Relaxed), null);
                case OzonConnector.ExpensesPath:
                {
                    var from = DateOnly.Parse(query["dateFrom"].ToString(), CultureInfo.InvariantCulture);
                    var to = DateOnly.Parse(query["dateTo"].ToString(), CultureInfo.InvariantCulture);
                    return (200, JsonSerializer.Serialize(new
                    {
                        rows = Expenses.Where(e => e.Date >= from && e.Date <= to).Select(e => new
                        {
                            id = e.CampaignId, title = e.Title, date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                            moneySpent = Ru(e.MoneySpent), bonusSpent = Ru(e.BonusSpent), prepaymentSpent = Ru(0m),
                        }),
                    }, FakeOzonData.Relaxed), null);
                }

                case OzonConnector.StatisticsPath:
                {
                    using var request = JsonDocument.Parse(body);
                    var root = request.RootElement;
                    var campaigns = root.GetProperty("campaigns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                    var from = DateOnly.Parse(root.GetProperty("dateFrom").GetString()!, CultureInfo.InvariantCulture);
                    var to = DateOnly.Parse(root.GetProperty("dateTo").GetString()!, CultureInfo.InvariantCulture);
                    if (campaigns.Length is 0 or > 10 || to.DayNumber - from.DayNumber + 1 > 62 || root.GetProperty("groupBy").GetString() != "DATE")
                    {
                        return (400, """{"error":"campaigns: at most 10; period: at most 62 days"}""", null);
                    }

                    var uuid = Guid.NewGuid().ToString();
                    _reports[uuid] = (campaigns, from, to, 0);
                    return (200, JsonSerializer.Serialize(new { UUID = uuid, vendor = false }), null);
                }

                case OzonConnector.ReportStatePath:
                {
                    var uuid = context.Request.RouteValues["UUID"]?.ToString() ?? "";
                    if (!_reports.TryGetValue(uuid, out var report))
                    {
                        return (404, """{"error":"not found"}""", null);
                    }

                    _reports[uuid] = report with { Polls = report.Polls + 1 };
                    var state = report.Polls + 1 > PollsBeforeReady ? "OK" : "IN_PROGRESS";
                    return (200, JsonSerializer.Serialize(new { UUID = uuid, state, createdAt = "2026-12-05T10:00:00Z" }), null);
                }

                case OzonConnector.ReportPath:
                {
                    var uuid = query["UUID"].ToString();
                    if (!_reports.TryGetValue(uuid, out var report) || report.Polls <= PollsBeforeReady)
                    {
                        return (404, """{"error":"report not ready"}""", null);
                    }

                    var answer = report.Campaigns.ToDictionary(
                        c => c,
                        c => (object)new
                        {
                            title = Campaigns.FirstOrDefault(k => k.Id == c)?.Title ?? "",
                            report = new
                            {
                                rows = Statistics.Where(s => s.CampaignId == c && s.Date >= report.From && s.Date <= report.To).Select(s => new
                                {
                                    date = s.Date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture), sku = s.Sku, title = "товар",
                                    price = "1 000,00", views = "500", clicks = "40", ctr = "8,00", toCart = "5", avgBid = "10,00",
                                    moneySpent = Ru(s.MoneySpent), orders = s.Orders.ToString(CultureInfo.InvariantCulture), ordersMoney = Ru(s.Orders * 1000m),
                                }),
                                totals = new { },
                            },
                        });
                    return (200, JsonSerializer.Serialize(answer, FakeOzonData.Relaxed), null);
                }

                default:
                    return (404, """{"error":"not found"}""", null);
            }
        }
    }

    private static string Ru(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');
}

/// <summary>The Performance routes of <see cref="FakeOzon"/>.</summary>
public sealed partial class FakeOzon
{
    /// <summary>The fake's Performance API.</summary>
    public FakeOzonPerformance Performance { get; } = new();

    private static void MapPerformance(WebApplication app, Func<FakeOzonPerformance> performance)
    {
        app.MapPost(OzonConnector.TokenPath, (HttpContext c) => performance().ServeAsync(c, OzonConnector.TokenPath));
        app.MapGet(OzonConnector.CampaignsPath, (HttpContext c) => performance().ServeAsync(c, OzonConnector.CampaignsPath));
        app.MapGet(OzonConnector.ExpensesPath, (HttpContext c) => performance().ServeAsync(c, OzonConnector.ExpensesPath));
        app.MapPost(OzonConnector.StatisticsPath, (HttpContext c) => performance().ServeAsync(c, OzonConnector.StatisticsPath));
        app.MapGet(OzonConnector.ReportPath, (HttpContext c) => performance().ServeAsync(c, OzonConnector.ReportPath));
        app.MapGet(OzonConnector.ReportStatePath, (HttpContext c) => performance().ServeAsync(c, OzonConnector.ReportStatePath));
    }

    /// <summary>A connection to this fake with the Performance API's credentials too.</summary>
    public ConnectionSettings ConnectionWithAds(Guid? id = null)
    {
        var connection = Connection(id);
        var credentials = new Dictionary<string, string>(connection.Credentials);
        FakeOzonPerformance.AddCredentials(credentials);
        return connection with { Credentials = credentials };
    }
}
