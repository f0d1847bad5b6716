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
        services.AddSingleton<UploadService>();
        return services;
    }

    public static WebApplication MapSellerDeskUi(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.MapBlazorScript();
        app.MapStaticAssets();
        app.UseAntiforgery();
        app.MapCultureSwitch();
        app.MapCohortExport();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
