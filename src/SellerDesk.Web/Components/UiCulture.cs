using Microsoft.AspNetCore.Localization;

namespace SellerDesk.Web.Components;

/// <summary>
/// The UI's languages: Russian (default) and English. The choice lives in ASP.NET Core's culture cookie, set by
/// GET <c>/culture/set?culture=en-US&amp;redirectUri=/channels</c>; a Blazor circuit takes the culture of the
/// request that starts it, so switching reloads the page. Accept-Language is not consulted: the sellers' browsers
/// may say English while they expect the Russian product, and the cookie keeps whatever they pick.
/// </summary>
internal static class UiCulture
{
    public const string Russian = "ru-RU";
    public const string English = "en-US";
    public const string SetPath = "/culture/set";

    public static IReadOnlyList<string> Supported { get; } = [Russian, English];

    public static void Configure(RequestLocalizationOptions options)
    {
        string[] cultures = [.. Supported];
        options.SetDefaultCulture(Russian)
            .AddSupportedCultures(cultures)
            .AddSupportedUICultures(cultures);
        options.FallBackToParentCultures = true;
        options.FallBackToParentUICultures = true;
        options.RequestCultureProviders = [new CookieRequestCultureProvider()];
    }

    public static IEndpointConventionBuilder MapCultureSwitch(this IEndpointRouteBuilder app) =>
        app.MapGet(SetPath, (string? culture, string? redirectUri, HttpContext http) =>
        {
            var chosen = Supported.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase));
            if (chosen is null)
            {
                return Results.Problem(
                    title: $"Unknown culture '{culture}'; use one of {string.Join(", ", Supported)}.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions
                {
                    Expires = DateTimeOffset.UtcNow.AddYears(1),
                    IsEssential = true,
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = http.Request.IsHttps,
                    Path = "/",
                });
            return Results.LocalRedirect(IsLocal(redirectUri) ? redirectUri! : "/");
        }).AllowAnonymous();

    /// <summary>
    /// The culture the visitor chose (cookie), Russian otherwise: for responses made outside the localized pipeline,
    /// such as the error page.
    /// </summary>
    public static System.Globalization.CultureInfo Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var chosen = http.Request.Cookies.TryGetValue(CookieRequestCultureProvider.DefaultCookieName, out var cookie)
            ? CookieRequestCultureProvider.ParseCookieValue(cookie)?.UICultures.FirstOrDefault().Value
            : null;
        var name = Supported.FirstOrDefault(c => string.Equals(c, chosen, StringComparison.OrdinalIgnoreCase)) ?? Russian;
        return System.Globalization.CultureInfo.GetCultureInfo(name);
    }

    /// <summary>Only paths of this site: no scheme, no host, no protocol-relative <c>//</c> or <c>/\</c>.</summary>
    internal static bool IsLocal(string? uri) =>
        !string.IsNullOrEmpty(uri)
        && uri[0] == '/'
        && (uri.Length == 1 || (uri[1] != '/' && uri[1] != '\\'))
        && !uri.Contains('\r', StringComparison.Ordinal)
        && !uri.Contains('\n', StringComparison.Ordinal);
}
