using MudBlazor;

namespace SellerDesk.Web.Components;

/// <summary>
/// The app's MudBlazor theme, light and dark. The visitor's choice is kept in the <c>sellerdesk_theme</c> cookie
/// (written by <c>wwwroot/js/app.js</c> when the toggle is used) and read while prerendering, so a page opens in
/// the mode it was left in without a flash of the other one.
/// </summary>
public static class UiTheme
{
    public const string CookieName = "sellerdesk_theme";
    public const string CascadeName = "DarkMode";

    private static readonly string[] Fonts = ["Roboto", "Segoe UI", "system-ui", "-apple-system", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#1f2340",
            AppbarText = "#ffffff",
            Background = "#f4f5fa",
            DrawerBackground = "#ffffff",
            Success = "#1b7f3b",
            Error = "#c62828",
            Warning = "#b26a00",
            TextSecondary = "#5d6279",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#4db6ac",
            AppbarBackground = "#161a2e",
            Background = "#12141f",
            Surface = "#1c1f2e",
            DrawerBackground = "#181b29",
            Success = "#66bb6a",
            Error = "#ef5350",
            Warning = "#ffb74d",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts, FontSize = ".875rem" },
            H4 = new H4Typography { FontFamily = Fonts, FontSize = "1.6rem", FontWeight = "600" },
            H6 = new H6Typography { FontFamily = Fonts, FontSize = "1.05rem", FontWeight = "600" },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "200px", DefaultBorderRadius = "8px" },
    };

    public static bool IsDark(HttpContext? http) =>
        http?.Request.Cookies.TryGetValue(CookieName, out var value) == true && value == "dark";
}
