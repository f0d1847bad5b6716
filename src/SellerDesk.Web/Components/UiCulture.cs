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
            return Results.Redirect(LocalOrRoot(redirectUri));
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

    /// <summary>Longer return addresses are not followed (the switch goes to the start page instead).</summary>
    public const int MaxReturnLength = 2048;

    private static readonly Uri ThisSite = new("http://this.site.invalid/");

    /// <summary>
    /// Where the switch may send the browser back to: a path of this site, escaped so that it is a valid header
    /// value (non-ASCII and control characters percent-encoded); "/" for anything else (absolute, <c>//host</c>,
    /// <c>/\host</c>, empty, too long). Never throws, so the switch never answers 500.
    /// </summary>
    internal static string LocalOrRoot(string? uri)
    {
        if (uri is null || uri.Length > MaxReturnLength || !IsLocal(uri) || uri.Any(char.IsControl))
        {
            return "/";
        }

        if (!Uri.TryCreate(ThisSite, uri, out var resolved) || resolved.IdnHost != ThisSite.IdnHost || resolved.Scheme != ThisSite.Scheme || resolved.Port != ThisSite.Port)
        {
            return "/";
        }

        var local = resolved.PathAndQuery + resolved.Fragment;
        return IsLocal(local) && local.All(c => c is > ' ' and < (char)127) ? local : "/";
    }

    /// <summary>Only paths of this site: no scheme, no host, no protocol-relative <c>//</c> or <c>/\</c>.</summary>
    internal static bool IsLocal(string? uri) =>
        !string.IsNullOrEmpty(uri)
        && uri[0] == '/'
        && (uri.Length == 1 || (uri[1] != '/' && uri[1] != '\\'))
        && !uri.Contains('\r', StringComparison.Ordinal)
        && !uri.Contains('\n', StringComparison.Ordinal);
}
