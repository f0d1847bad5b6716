using SellerDesk.Web.Infrastructure;

namespace SellerDesk.Web.Components;

internal static class UiExtensions
{
    public static IServiceCollection AddSellerDeskUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSingleton<Features.Workspace.UiWorkspace>();
        return services;
    }

    public static WebApplication MapSellerDeskUi(this WebApplication app)
    {
        app.MapBlazorScript();
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
