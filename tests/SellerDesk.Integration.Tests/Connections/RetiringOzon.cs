using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>
/// An Ozon seller API on 127.0.0.1 for one cabinet that has no postings, returns or accruals, whose FBO posting list
/// Ozon can switch off: while <see cref="Retired"/>, <c>/v3/posting/fbo/list</c> answers 400
/// <c>{"code":9,"message":"obsolete method cannot be used"}</c> as Ozon answers a retired method; otherwise every
/// method answers the empty page of its documented shape.
/// </summary>
internal sealed class RetiringOzon : IAsyncDisposable
{
    public const string RetiredPath = "/v3/posting/fbo/list";

    private readonly WebApplication _app;

    private RetiringOzon(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public volatile bool Retired;

    public static async Task<RetiringOzon> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var ozon = new RetiringOzon(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            context.Response.ContentType = "application/json";
            if (ozon.Retired && path == RetiredPath)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("""{"code":9,"message":"obsolete method cannot be used","details":[]}""");
                return;
            }

            await context.Response.WriteAsync(path switch
            {
                "/v1/finance/accrual/types" => """{"accrual_types":[]}""",
                "/v3/posting/fbo/list" or "/v4/posting/fbs/list" => """{"postings":[],"has_next":false,"cursor":""}""",
                "/v1/returns/list" => """{"returns":[],"has_next":false}""",
                "/v1/finance/accrual/by-day" => """{"accruals":[],"last_id":""}""",
                "/v1/finance/accrual/postings" => """{"posting_accruals":[]}""",
                _ => """{"code":5,"message":"unknown method"}""",
            });
        });
        await app.StartAsync();
        ozon.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return ozon;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
