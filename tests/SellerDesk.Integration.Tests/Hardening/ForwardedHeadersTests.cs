using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>
/// Behind a reverse proxy the operator lists, per-address limits see the client the proxy names, not the proxy; from
/// anyone else, X-Forwarded-For is ignored (it would let an attacker pick a fresh address for every guess).
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Behind_a_listed_proxy_the_sign_in_limit_is_kept_per_client_address()
    {
        await using var host = new ProxiedHost(listProxy: true);
        await host.InitializeAsync();
        for (var i = 0; i < 3; i++)
        {
            (await host.PostSignInAsync("guess@proxy.test", "wrong " + i, forwardedFor: "203.0.113.5")).Status.Should().Be(HttpStatusCode.OK);
        }

        (await host.PostSignInAsync("guess@proxy.test", "wrong 4", forwardedFor: "203.0.113.5")).Status
            .Should().Be(HttpStatusCode.TooManyRequests, "the client behind the proxy used up its tries");
        (await host.PostSignInAsync("guess@proxy.test", "wrong 5", forwardedFor: "203.0.113.6")).Status
            .Should().Be(HttpStatusCode.OK, "another client behind the same proxy has its own count");
    }

    [Fact]
    public async Task Without_a_listed_proxy_x_forwarded_for_does_not_give_a_fresh_address()
    {
        await using var host = new ProxiedHost(listProxy: false);
        await host.InitializeAsync();
        for (var i = 0; i < 3; i++)
        {
            (await host.PostSignInAsync("guess@proxy.test", "wrong " + i, forwardedFor: $"203.0.113.{10 + i}")).Status.Should().Be(HttpStatusCode.OK);
        }

        (await host.PostSignInAsync("guess@proxy.test", "wrong 4", forwardedFor: "203.0.113.99")).Status
            .Should().Be(HttpStatusCode.TooManyRequests, "a header anyone can send does not reset the count");
    }

    /// <summary>The app with 3 sign-in tries per address and e-mail; every request arrives from 127.0.0.1 (the proxy).</summary>
    private sealed class ProxiedHost(bool listProxy) : HardeningHost, IAsyncDisposable
    {
        protected override void Configure(IWebHostBuilder builder)
        {
            builder.UseSetting("RateLimits:SignIn:PermitLimit", "3");
            builder.UseSetting("RateLimits:SignIn:Window", "00:10:00");
            if (listProxy)
            {
                builder.UseSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.1");
            }

            // The test server gives requests no remote address; a real proxy connects from one.
            builder.ConfigureServices(services => services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(new FromProxy())));
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }

    private sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return following(context);
            });
            next(app);
        };
    }
}
