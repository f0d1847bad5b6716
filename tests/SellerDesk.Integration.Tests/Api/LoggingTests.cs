using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Integration.Tests.Connections;
using SellerDesk.Testing;
using Xunit.Abstractions;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>
/// The log of a real app process (issue 9, point 4), in JSON lines and at Debug: what requests and pulls write there,
/// and that no credential or token ever does, however it travels (bearer header, request body, marketplace header,
/// a marketplace's answer that quotes it back, a query string).
/// </summary>
[Collection(nameof(RunAlone))]
public sealed class LoggingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly string _ownerToken = Secret("owner-token");
    private readonly TestDatabase _database = new();
    private RefusingMarketplace _marketplace = null!;
    private AppProcess? _app;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _marketplace = await RefusingMarketplace.StartAsync();
        var logPath = Path.Combine(Path.GetTempPath(), "sellerdesk-test-logs", $"{_database.Name}-logging.log");
        _app = await AppProcess.StartAsync(WebDll(), _database.ConnectionString, "logging", _ownerToken, logPath, new Dictionary<string, string>
        {
            ["Demo__Seed"] = "false",
            ["Logging__Json"] = "true",
            ["Serilog__MinimumLevel__Default"] = "Debug",
            ["Connectors__Http__AllowedHosts__0"] = ApiHost.FakeMarketplaceHost,
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_marketplace is not null)
        {
            await _marketplace.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task No_credential_or_token_reaches_the_log_which_says_in_json_lines_what_each_request_and_failed_pull_did()
    {
        var app = _app!;
        var secrets = new Dictionary<string, string>
        {
            ["owner API token"] = _ownerToken,
            ["rejected API token"] = Secret("wrong-token"),
            ["token in a query string"] = Secret("query-token"),
            ["Wildberries token"] = Secret("wb-token"),
            ["Wildberries ads token"] = Secret("wb-ads"),
            ["Wildberries token pasted later"] = Secret("wb-new-token"),
            ["Ozon API key"] = Secret("ozon-key"),
            ["Yandex Market API key"] = Secret("ym-key"),
        };

        var wildberries = await CreateAtAsync(app.Http, WildberriesConnector.MarketplaceCode, new()
        {
            [WildberriesConnector.TokenKey] = secrets["Wildberries token"],
            [WildberriesConnector.AdsTokenKey] = secrets["Wildberries ads token"],
        });
        var ozon = await CreateAtAsync(app.Http, OzonConnector.MarketplaceCode, new() { [OzonConnector.ClientIdKey] = "123456", [OzonConnector.ApiKeyKey] = secrets["Ozon API key"] });
        var yandex = await CreateAtAsync(app.Http, YandexMarketConnector.MarketplaceCode, new() { [YandexMarketConnector.CampaignIdKey] = "2100", [YandexMarketConnector.ApiKeyKey] = secrets["Yandex Market API key"] });
        var (replaced, _, replacedRaw) = await SendAsync(app.Http, HttpMethod.Put, $"/api/v1/connections/{wildberries}/credentials", new Dictionary<string, string>
        {
            [WildberriesConnector.TokenKey] = secrets["Wildberries token pasted later"],
            [WildberriesConnector.AdsTokenKey] = secrets["Wildberries ads token"],
        });
        replaced.Should().Be(HttpStatusCode.NoContent, replacedRaw);

        var runs = new List<Guid>();
        foreach (var connection in new[] { wildberries, ozon, yandex })
        {
            var (status, body, raw) = await SendAsync(app.Http, HttpMethod.Post, $"/api/v1/connections/{connection}/pulls", new { });
            status.Should().Be(HttpStatusCode.Accepted, raw);
            runs.Add(body.GetProperty("id").GetGuid());
        }

        foreach (var run in runs)
        {
            (await WaitForRunAsync(app.Http, run, RunTimeout)).GetProperty("status").GetString().Should().Be("failed");
        }

        using (var stranger = new HttpClient { BaseAddress = app.BaseAddress })
        {
            stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets["rejected API token"]);
            (await stranger.GetAsync(new Uri("/api/v1/connections", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await app.Http.GetAsync(new Uri($"/api/v1/connections?access_token={secrets["token in a query string"]}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        _marketplace.Received.Should().Contain([secrets["Wildberries token pasted later"], secrets["Ozon API key"], secrets["Yandex Market API key"]], "the pulls sent the credentials to the marketplace");

        // A graceful stop flushes every sink; then the whole log is read.
        var logPath = app.LogPath;
        await app.DisposeAsync();
        _app = null;
        var log = await File.ReadAllTextAsync(logPath);
        output.WriteLine($"{log.Length} characters of log in {logPath}");

        foreach (var (what, value) in secrets)
        {
            log.Should().NotContain(value, $"the {what} must never reach a log");
        }

        var events = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => Parse(line))
            .ToList();
        events.Should().OnlyContain(e => Text(e, "@t") != null && Text(e, "@m") != null, "every line is one JSON event");
        events.Should().Contain(e => Level(e) == "Debug", "the log ran at Debug, so the scan covered it");

        var queued = events.Single(e => Text(e, "RequestMethod") == "POST" && Text(e, "RequestPath") == $"/api/v1/connections/{ozon}/pulls");
        Text(queued, "Route").Should().Be("/api/v1/connections/{id:guid}/pulls");
        queued.GetProperty("StatusCode").GetInt32().Should().Be(202);
        queued.GetProperty("Elapsed").GetDouble().Should().BePositive();
        Text(queued, "Workspace").Should().NotBeNullOrEmpty("the token's workspace is known");
        Text(queued, "Connection").Should().Be(ozon.ToString());
        Text(queued, "PullRun").Should().Be(runs[1].ToString(), "the run the request queued");

        foreach (var run in runs)
        {
            var ended = events.Where(e => Text(e, "PullRun") == run.ToString() && Text(e, "SourceContext")?.EndsWith("PullExecutor", StringComparison.Ordinal) == true).ToList();
            ended.Should().ContainSingle(e => Level(e) == "Warning" && Text(e, "@m")!.Contains("failed", StringComparison.Ordinal), $"run {run} failed and says so at Warning");
            ended.Should().NotContain(e => Level(e) == "Information", "a failed pull is not logged as information");
            ended.Should().OnlyContain(e => Text(e, "Workspace") != null && Text(e, "Marketplace") != null);
        }
    }

    private async Task<Guid> CreateAtAsync(HttpClient client, string marketplace, Dictionary<string, string> credentials)
    {
        var (status, body, raw) = await SendAsync(client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = marketplace,
            Name = marketplace + " refusing",
            Credentials = credentials,
            BaseUrl = _marketplace.BaseUrl.ToString(),
        });
        status.Should().Be(HttpStatusCode.Created, raw);
        return body.GetProperty("id").GetGuid();
    }

    private static string Secret(string what) => $"{what}-{Guid.NewGuid():N}";

    private static JsonElement Parse(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException("Not a JSON line: " + line, ex);
        }
    }

    /// <summary>Compact JSON leaves the level out for Information.</summary>
    private static string Level(JsonElement e) => Text(e, "@l") ?? "Information";

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string WebDll() =>
        typeof(LoggingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SellerDeskWebDll").Value!;
}
