using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Radzen;
using SellerDesk.Web.Features.Cohorts;
using SellerDesk.Web.Features.Common;
using SellerDesk.Web.Features.Upload;
using SellerDesk.Web.Infrastructure;

namespace SellerDesk.Web.Components;

internal static class UiExtensions
{
    public static IServiceCollection AddSellerDeskUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(UiCulture.Configure);
        services.AddSingleton<Features.Workspace.UiWorkspace>();
        services.AddSingleton<ReportLoader>();
        services.AddSingleton<ReportHandoff>();
        services.AddSingleton<UploadService>();
        return services;
    }

    public static WebApplication MapSellerDeskUi(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.MapBlazorScript();

        // Radzen's CSS/JS are static web assets (_content/Radzen.Blazor/...). A published app has them in wwwroot;
        // a built one (scripts/run.sh runs `dotnet run -c Release` as Production) finds them through the build's
        // runtime manifest, which the host reads by itself only in Development. Without that manifest this is a no-op.
        if (!app.Environment.IsDevelopment())
        {
            StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        }

        app.MapStaticAssets();
        // An address no page or endpoint answers shows the app's own "no such page" (still a 404); API callers keep
        // their plain answers.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return next(context);
        });
        app.UseAntiforgery();
        app.MapCultureSwitch();
        app.MapCohortExport();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
