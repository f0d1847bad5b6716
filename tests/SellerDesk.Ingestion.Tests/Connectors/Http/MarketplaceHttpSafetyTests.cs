using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Http;

/// <summary>
/// The marketplace clients as the app registers them (issue 10, "Hardening", SSRF and unbounded work): internal
/// addresses refused when the socket opens unless the operator lists the host, redirects not followed, bodies read up
/// to a limit, refusals never quoted; and the resilience rules still hold over the named clients (issue 9, point 6).
/// </summary>
public sealed class MarketplaceHttpSafetyTests
{
    private const string Secret = "ozon-api-key-7f3a9c";

    [Fact]
    public async Task A_host_that_resolves_to_loopback_is_refused_at_connect_time_unless_the_operator_lists_it()
    {
        await using var server = await LocalServer.StartAsync(context => context.Response.WriteAsync("{}"));
        var url = new Uri($"http://localhost:{server.Port}/v1/report");

        await using (var strict = Services())
        {
            var send = () => Sender(strict, OzonConnector.MarketplaceCode).SendAsync(Request("Ozon", url), CancellationToken.None);

            var failure = (await send.Should().ThrowAsync<ConnectorException>()).Which;
            failure.Failure.Should().Be(ConnectorFailure.BadResponse);
            failure.Text.En.Should().Contain("'localhost' resolves to an internal address").And.Contain("Connectors:Http:AllowedHosts");
            failure.Text.Ru.Should().Contain("внутренний адрес");
            server.Requests.Should().BeEmpty("the socket was never opened");
        }

        await using var listed = Services(("Connectors:Http:AllowedHosts:0", "localhost"));
        using var response = await Sender(listed, OzonConnector.MarketplaceCode).SendAsync(Request("Ozon", url), CancellationToken.None);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        server.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.10")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task A_marketplace_host_whose_dns_answers_an_internal_address_is_refused_without_connecting(string answered)
    {
        await using var server = await LocalServer.StartAsync(context => context.Response.WriteAsync("{}"));
        // DNS rebinding: the marketplace's own name, answered with an internal address when the socket opens.
        var resolved = new List<string>();
        await using var services = Services(
            configure: s => s.AddSingleton(sp => new AddressGuard(
                sp.GetRequiredService<IOptions<MarketplaceHttpOptions>>().Value,
                (host, _) =>
                {
                    resolved.Add(host);
                    return Task.FromResult(new[] { IPAddress.Parse(answered) });
                })));

        var send = () => Sender(services, OzonConnector.MarketplaceCode)
            .SendAsync(Request("Ozon", new Uri($"http://api-seller.ozon.ru:{server.Port}/v3/finance/transaction/list")), CancellationToken.None);

        (await send.Should().ThrowAsync<ConnectorException>()).Which.Text.En
            .Should().Contain("'api-seller.ozon.ru' resolves to an internal address");
        resolved.Should().Equal(["api-seller.ozon.ru"], "one try: a refused address is not retried");
        server.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("172.16.5.4", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("93.158.134.3", false)]
    [InlineData("2a02:6b8::2:242", false)]
    public void Internal_addresses_are_told_from_public_ones(string address, bool isInternal) =>
        AddressGuard.IsInternal(IPAddress.Parse(address)).Should().Be(isInternal);

    [Fact]
    public async Task A_redirect_is_a_plain_failure_and_the_credential_header_never_reaches_the_host_it_points_to()
    {
        await using var elsewhere = await LocalServer.StartAsync(context => context.Response.WriteAsync("{\"result\":[]}"));
        await using var marketplace = await LocalServer.StartAsync(context =>
        {
            context.Response.Redirect($"http://localhost:{elsewhere.Port}/collect");
            return Task.CompletedTask;
        });
        await using var services = Services(("Connectors:Http:AllowedHosts:0", "127.0.0.1"), ("Connectors:Http:AllowedHosts:1", "localhost"));
        var request = new MarketplaceRequest("Ozon", () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, new Uri(marketplace.BaseUrl, "v2/posting/fbo/list"));
            message.Headers.Add("Api-Key", Secret);
            return message;
        });

        var send = () => Sender(services, OzonConnector.MarketplaceCode).SendAsync(request, CancellationToken.None);

        var failure = (await send.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.BadResponse);
        failure.Text.En.Should().Be("Ozon answered with a redirect (HTTP 302); SellerDesk does not follow redirects: check the connection's base URL");
        failure.Text.Ru.Should().StartWith("Ozon ответил перенаправлением (HTTP 302)");
        marketplace.Requests.Should().ContainSingle().Which.ApiKey.Should().Be(Secret);
        elsewhere.Requests.Should().BeEmpty("the redirect was not followed, so the key went nowhere else");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_beyond_the_configured_limit_fails_plainly_whether_or_not_its_length_is_announced(bool announced)
    {
        const int Limit = 64 * 1024;
        var huge = new string('x', 4 * Limit);
        await using var server = await LocalServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            if (announced)
            {
                context.Response.ContentLength = huge.Length + 2;
            }

            await context.Response.WriteAsync("[\"");
            for (var i = 0; i < huge.Length; i += 8192)
            {
                await context.Response.WriteAsync(huge.Substring(i, Math.Min(8192, huge.Length - i)));
                await context.Response.Body.FlushAsync();
            }
        });
        await using var services = Services(("Connectors:Http:AllowedHosts:0", "127.0.0.1"), ("Connectors:Http:MaxResponseBytes", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var response = await Sender(services, WildberriesConnector.MarketplaceCode)
            .SendAsync(Request("Wildberries", new Uri(server.BaseUrl, "api/v5/supplier/reportDetailByPeriod")), CancellationToken.None);

        var readString = () => response.Message.Content.ReadAsStringAsync();

        var failure = (await readString.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Failure.Should().Be(ConnectorFailure.BadResponse);
        failure.Text.En.Should().Be("Wildberries sent an answer larger than 65536 bytes, the most SellerDesk reads (Connectors:Http:MaxResponseBytes); it was not read");
        failure.Text.Ru.Should().Contain("65536 байт");
    }

    [Fact]
    public async Task A_streamed_body_is_cut_off_at_the_limit_and_one_within_it_reads_whole()
    {
        await using var server = await LocalServer.StartAsync(context =>
            context.Response.WriteAsync(context.Request.Path.StartsWithSegments("/small") ? "[1,2,3]" : new string(' ', 3 * 1024 * 1024) + "[]"));
        await using var services = Services(("Connectors:Http:AllowedHosts:0", "127.0.0.1"), ("Connectors:Http:MaxResponseBytes", "1048576"));
        var sender = Sender(services, WildberriesConnector.MarketplaceCode);

        using (var small = await sender.SendAsync(Request("Wildberries", new Uri(server.BaseUrl, "small")), CancellationToken.None))
        {
            (await small.Message.Content.ReadAsStringAsync()).Should().Be("[1,2,3]");
        }

        using var big = await sender.SendAsync(Request("Wildberries", new Uri(server.BaseUrl, "big")), CancellationToken.None);
        await using var stream = await big.ReadStreamAsync(CancellationToken.None);
        var drain = async () =>
        {
            var buffer = new byte[16 * 1024];
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        };

        (await drain.Should().ThrowAsync<ConnectorException>()).Which.Text.En.Should().Contain("larger than 1 MiB");
    }

    [Fact]
    public async Task A_refusal_whose_body_holds_a_secret_is_reported_without_the_body()
    {
        await using var server = await LocalServer.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"{{\"message\":\"unknown key {context.Request.Headers["Api-Key"]}\",\"internal\":\"db-password=hunter2\"}}");
        });
        await using var services = Services(("Connectors:Http:AllowedHosts:0", "127.0.0.1"));
        var request = new MarketplaceRequest("Ozon", () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "v1/finance/cash-flow-statement/list"));
            message.Headers.Add("Api-Key", Secret);
            return message;
        });

        var send = () => Sender(services, OzonConnector.MarketplaceCode).SendAsync(request, CancellationToken.None);

        var failure = (await send.Should().ThrowAsync<ConnectorException>()).Which;
        failure.Text.En.Should().Be("Ozon refused the request with HTTP 400");
        failure.ToString().Should().NotContain(Secret).And.NotContain("hunter2");
    }

    [Fact]
    public async Task Each_marketplace_has_its_own_named_client_and_sender_and_Wildberries_advised_wait_is_honoured_through_it()
    {
        var calls = 0;
        await using var server = await LocalServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers["X-Ratelimit-Retry"] = "7";
                return;
            }

            await context.Response.WriteAsync("[]");
        });
        var time = new SkippingTimeProvider();
        await using var services = Services(
            [("Connectors:Http:AllowedHosts:0", "127.0.0.1")],
            s => s.AddSingleton<TimeProvider>(time));

        var wildberries = Sender(services, WildberriesConnector.MarketplaceCode);
        Sender(services, OzonConnector.MarketplaceCode).Should().NotBeSameAs(wildberries);
        services.GetRequiredService<IHttpClientFactory>().Should().NotBeNull();
        using var response = await wildberries.SendAsync(Request("Wildberries", new Uri(server.BaseUrl, "api/v5/supplier/reportDetailByPeriod")), CancellationToken.None);

        response.Tries.Should().Be(2);
        time.Delays.Should().Equal(TimeSpan.FromSeconds(7));
    }

    private static ResilientHttpSender Sender(IServiceProvider services, string marketplace) =>
        services.GetRequiredKeyedService<ResilientHttpSender>(marketplace);

    private static MarketplaceRequest Request(string marketplace, Uri url) =>
        new(marketplace, () => new HttpRequestMessage(HttpMethod.Get, url));

    private static ServiceProvider Services(params (string Key, string Value)[] settings) => Services(settings, configure: null);

    private static ServiceProvider Services((string Key, string Value)[]? settings = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection((settings ?? []).Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new SkippingTimeProvider());
        services.AddMarketplaceHttp(configuration, WildberriesConnector.MarketplaceCode, OzonConnector.MarketplaceCode);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
