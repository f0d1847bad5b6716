using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>
/// A marketplace on 127.0.0.1 that refuses every request with HTTP 400 and quotes back the credentials it was sent
/// (some real ones do: "invalid token abc..."), the way a connection's <c>base_url</c> can point a pull at it. It
/// records the credential headers it saw, so a test knows the secrets really went out.
/// </summary>
internal sealed class RefusingMarketplace : IAsyncDisposable
{
    private static readonly string[] CredentialHeaders = ["Authorization", "Api-Key", "Client-Id"];

    private readonly WebApplication _app;

    private RefusingMarketplace(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every credential header value the marketplace was sent.</summary>
    public ConcurrentBag<string> Received { get; } = [];

    public int Requests => _requests;

    private int _requests;

    public static async Task<RefusingMarketplace> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var marketplace = new RefusingMarketplace(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref marketplace._requests);
            var sent = CredentialHeaders.Select(h => context.Request.Headers[h].ToString()).Where(v => v.Length > 0).ToList();
            foreach (var value in sent)
            {
                marketplace.Received.Add(value);
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"error\":\"unknown credentials: {string.Join(" / ", sent)}\"}}");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        marketplace.BaseUrl = new Uri(address);
        return marketplace;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
