using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SellerDesk.Ingestion.Tests.Connectors.Http;

/// <summary>A request a <see cref="LocalServer"/> got: its path and the credential headers it carried.</summary>
public sealed record LocalRequest(string Path, string? Authorization, string? ApiKey);

/// <summary>
/// A small HTTP server on 127.0.0.1 (Kestrel, a free port) answering every request with the handler it is given, and
/// recording each request: the stand-in for a marketplace, or for whatever else a request must never reach.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalServer(WebApplication app) => _app = app;

    /// <summary>The server's address, http://127.0.0.1:port/.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The port it listens on.</summary>
    public int Port => BaseUrl.Port;

    /// <summary>Every request it got, in order.</summary>
    public ConcurrentQueue<LocalRequest> Requests { get; } = new();

    public static async Task<LocalServer> StartAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LocalServer(app);
        app.Run(async context =>
        {
            server.Requests.Enqueue(new LocalRequest(
                context.Request.Path.Value ?? string.Empty,
                context.Request.Headers.Authorization.FirstOrDefault(),
                context.Request.Headers["Api-Key"].FirstOrDefault()));
            await answer(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
