using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>The app on real Kestrel at 127.0.0.1 (where header values are checked and the Server header is added).</summary>
public sealed class KestrelHost : IAsyncLifetime
{
    private WebApplicationFactory<Program> _factory = null!;

    public TestDatabase Database { get; } = new();

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:SellerDesk", Database.ConnectionString);
            builder.UseSetting("Bootstrap:Workspace", "kestrel");
            builder.UseEnvironment("Production");
        });
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>A client that does not follow redirects.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = Address };

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class HeadersAndCultureTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    public static TheoryData<string> OddReturnAddresses => new()
    {
        "https://evil.example/x",
        "//evil.example",
        "\\\\evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        string.Empty,
        "/" + new string('a', 3_000),
        "http:/evil.example",
        "~/channels",
        "/\r\nSet-Cookie: x=1",
    };

    [Theory]
    [MemberData(nameof(OddReturnAddresses))]
    public async Task The_language_switch_sends_odd_return_addresses_home_and_never_answers_500(string redirectUri)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("culture/set?culture=en-US&redirectUri=" + Uri.EscapeDataString(redirectUri), UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        location.Should().StartWith("/");
        location.Should().NotStartWith("//").And.NotStartWith("/\\");
        location.Should().NotContainAny("\t", "\r", "\n", "evil.example\r");
        location.Should().Be("/", "an address that is not a plain local path is not followed");
    }

    [Fact]
    public async Task A_local_return_address_with_cyrillic_and_a_query_is_kept_escaped()
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("culture/set?culture=ru-RU&redirectUri=" + Uri.EscapeDataString("/cohorts?from=2026-01-01&note=тест"), UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/cohorts?from=2026-01-01&note=%D1%82%D0%B5%D1%81%D1%82");
    }

    [Theory]
    [InlineData("account/signin")]
    [InlineData("health")]
    [InlineData("api/v1/connections")]
    [InlineData("no-such-page")]
    public async Task Every_answer_has_the_security_headers_and_no_server_header(string path)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        response.Headers.Contains("Server").Should().BeFalse("Kestrel does not name itself");
        Header(response, "X-Content-Type-Options").Should().Be("nosniff");
        Header(response, "Referrer-Policy").Should().Be("strict-origin-when-cross-origin");
        Header(response, "X-Frame-Options").Should().Be("DENY");
        var csp = Header(response, "Content-Security-Policy");
        csp.Should().Contain("default-src 'self'").And.Contain("frame-ancestors 'none'").And.Contain("object-src 'none'");
        csp.Should().MatchRegex("script-src 'self' 'nonce-[A-Za-z0-9+/=]+';");
        response.Headers.Contains("Strict-Transport-Security").Should().BeFalse("HSTS only over HTTPS");
    }

    [Fact]
    public async Task A_request_for_a_host_not_in_allowed_hosts_is_refused()
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "health");
        request.Headers.Host = "evil.example";
        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : string.Empty;
}

/// <summary>HSTS is sent when the request came over HTTPS (the in-memory server's https base address).</summary>
public sealed class HstsTests(HardeningHost host) : IClassFixture<HardeningHost>
{
    [Fact]
    public async Task Over_https_the_answer_carries_strict_transport_security()
    {
        using var client = host.Server.CreateClient();
        client.BaseAddress = new Uri("https://localhost/");
        using var response = await client.GetAsync(new Uri("health", UriKind.Relative));

        response.Headers.GetValues("Strict-Transport-Security").Single().Should().Contain("max-age=31536000");
    }
}
