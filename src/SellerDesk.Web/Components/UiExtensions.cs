using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using MudBlazor.Services;
using SellerDesk.Web.Features.Cohorts;
using SellerDesk.Web.Features.Common;
using SellerDesk.Web.Features.Exports;
using SellerDesk.Web.Features.Scenarios;
using SellerDesk.Web.Features.Settings;
using SellerDesk.Web.Features.Upload;

namespace SellerDesk.Web.Components;

internal static class UiExtensions
{
    public static IServiceCollection AddSellerDeskUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
            options.SnackbarConfiguration.PreventDuplicates = false;
        });
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(UiCulture.Configure);
        // Scoped: the workspace is the signed-in member's, per page connection (issue 10).
        services.AddScoped<Features.Workspace.UiWorkspace>();
        services.AddScoped<ReportLoader>();
        services.AddSingleton<ReportHandoff>();
        services.AddScoped<UploadService>();
        services.AddScoped<Features.Upload.ReportUploadService>();
        services.AddSingleton<Features.Channels.ChannelNameService>();
        services.AddSingleton<Features.Skus.SkuTrendService>();
        services.AddSingleton<Features.Comparisons.ComparisonService>();
        return services;
    }

    public static WebApplication MapSellerDeskUi(this WebApplication app)
    {
        app.UseRequestLocalization();

        // Blazor's own script (_framework/blazor.web.js) and MudBlazor's CSS/JS are static web assets. A published
        // app serves them from its wwwroot; a built one (scripts/run.sh and the tests run the build output as
        // Production) finds them through the build's runtime manifest, which the host reads by itself only in
        // Development. Without that manifest (published) this is a no-op. See docs/decisions/0011-blazor-on-net10.md.
        if (!app.Environment.IsDevelopment())
        {
            StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        }

        app.MapStaticAssets().AllowAnonymous();
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
        app.MapCohortExport().RequireAuthorization(Auth.Policies.Exports);
        app.MapReportExports();
        Features.DrillDown.DrillDownEndpoints.MapDrillDownExport(app);
        app.MapAuditExport();
        app.MapScenarioExport();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
