using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Integration.Tests.Api;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>An app whose operator allows one extra host on one port only: <c>localhost:9</c>.</summary>
public sealed class OneListedHostHost : ApiHost
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Connectors:Http:AllowedHosts:0", "localhost:9");
}

/// <summary>
/// A connection's <c>base_url</c> (issue 10, "Hardening", SSRF): only the marketplace's own hosts or a host the operator
/// lists; never user-info. Refused with a 400 that says why in both languages, and nothing is stored.
/// </summary>
public sealed class BaseUrlTests(OneListedHostHost host) : IClassFixture<OneListedHostHost>
{
    [Theory]
    [InlineData("ozon", "http://169.254.169.254/latest/meta-data/")]
    [InlineData("ozon", "http://127.0.0.1:5432")]
    [InlineData("wildberries", "http://127.0.0.1:8080/")]
    [InlineData("wildberries", "https://wildberries.ru.attacker.example")]
    [InlineData("wildberries", "https://api-seller.ozon.ru")]
    [InlineData("yandex_market", "http://[::1]:8080")]
    [InlineData("ozon", "http://localhost:10")]
    [InlineData("sandbox", "http://localhost:10")]
    public async Task A_base_url_off_the_marketplace_and_off_the_operator_list_is_refused_with_400_and_nothing_stored(string marketplace, string baseUrl)
    {
        var name = "SSRF " + Guid.NewGuid().ToString("N");

        var (status, body, raw) = await CreateWithAsync(marketplace, name, baseUrl);

        status.Should().Be(HttpStatusCode.BadRequest, raw);
        var message = body.GetProperty("errors").GetProperty("base_url")[0].GetString();
        message.Should().Contain("Connectors:Http:AllowedHosts").And.Contain("адрес API");
        (await ListAsync()).Should().NotContain(name);
    }

    [Fact]
    public async Task A_base_url_with_user_info_is_refused_with_a_plain_400_even_on_the_marketplace_host()
    {
        var (status, body, raw) = await CreateWithAsync("ozon", "Ozon with user-info", "https://user:pass@api-seller.ozon.ru");

        status.Should().Be(HttpStatusCode.BadRequest, raw);
        body.GetProperty("errors").GetProperty("base_url")[0].GetString().Should().StartWith(
            "the base URL must not contain a user name or password (user@host): give the address only; credentials go in their own fields / адрес API не должен содержать");
        raw.Should().NotContain("pass@", "the refused address is not echoed with its password");
    }

    [Theory]
    [InlineData("ozon", "https://api-seller.ozon.ru")]
    [InlineData("wildberries", "https://finance-api.wildberries.ru")]
    [InlineData("yandex_market", "https://api.partner.market.yandex.ru/")]
    [InlineData("wildberries", "http://localhost:9")]
    public async Task The_marketplace_own_host_or_a_listed_host_and_port_is_accepted(string marketplace, string baseUrl)
    {
        var (status, _, raw) = await CreateWithAsync(marketplace, "Allowed " + Guid.NewGuid().ToString("N"), baseUrl);

        status.Should().Be(HttpStatusCode.Created, raw);
    }

    [Fact]
    public async Task A_stored_base_url_that_is_not_allowed_fails_the_run_before_any_request_is_sent()
    {
        // A connection saved before the allow-list existed (or whose host the operator has since taken off it).
        await using var marketplace = await RefusingMarketplace.StartAsync();
        var id = await CreateAsync(host.Client, "wildberries", "WB stored elsewhere", new() { [WildberriesConnector.TokenKey] = "wb-stored-token-5521" });
        await using (var command = host.Database.DataSource.CreateCommand("UPDATE connections SET base_url = $1 WHERE id = $2"))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = marketplace.BaseUrl.ToString().TrimEnd('/') });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
            await command.ExecuteNonQueryAsync();
        }

        var (queued, body, raw) = await SendAsync(host.Client, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { });
        queued.Should().Be(HttpStatusCode.Accepted, raw);
        var run = await WaitForRunAsync(host.Client, body.GetProperty("id").GetGuid(), TimeSpan.FromMinutes(2));

        run.GetProperty("status").GetString().Should().Be("failed");
        run.GetProperty("error").GetProperty("en").GetString().Should().StartWith("The connection's base URL is not allowed (the base URL must be on the marketplace's own host");
        run.GetProperty("error").GetProperty("ru").GetString().Should().StartWith("Адрес API подключения не разрешён");
        marketplace.Requests.Should().Be(0, "no request went to the address");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string Raw)> CreateWithAsync(string marketplace, string name, string baseUrl)
    {
        var credentials = marketplace switch
        {
            "wildberries" => new Dictionary<string, string> { [WildberriesConnector.TokenKey] = "wb-" + Guid.NewGuid().ToString("N") },
            "ozon" => new Dictionary<string, string> { [OzonConnector.ClientIdKey] = Random.Shared.Next(1, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture), [OzonConnector.ApiKeyKey] = "key" },
            "yandex_market" => new Dictionary<string, string> { ["campaign_id"] = Random.Shared.Next(1, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture), ["api_key"] = "key" },
            _ => [],
        };
        return await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = marketplace,
            Name = name,
            Credentials = credentials,
            BaseUrl = baseUrl,
            Schedule = new { Enabled = false },
            BackfillDays = 0,
        });
    }

    private async Task<List<string?>> ListAsync()
    {
        var (_, body, _) = await SendAsync(host.Client, HttpMethod.Get, "/api/v1/connections");
        var items = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("items");
        return [.. items.EnumerateArray().Select(c => c.GetProperty("name").GetString())];
    }
}
