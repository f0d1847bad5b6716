using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SellerDesk.Data.Accounts;
using SellerDesk.Web.Components;

namespace SellerDesk.Web.Auth;

/// <summary>The account endpoints forms post to: sign-out and the header's workspace switch.</summary>
internal static class WorkspaceEndpoints
{
    public const string SwitchPath = "/account/workspace";
    public const string SignOutPath = "/account/signout";

    /// <summary>Makes <paramref name="workspaceId"/> the browser's current workspace (checked against membership on each request).</summary>
    public static void Remember(HttpContext http, Guid workspaceId)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Append(
            WorkspaceSelection.CookieName,
            workspaceId.ToString(),
            new CookieOptions
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                Path = "/",
                Expires = DateTimeOffset.UtcNow.AddYears(1),
            });
    }

    public static WebApplication MapSellerDeskAccounts(this WebApplication app)
    {
        app.MapPost(SignOutPath, async (HttpContext http, SignInManager<SellerDeskUser> signIn, AuditLog audit) =>
        {
            var actor = Actor.Of(http);
            var workspace = http.User.WorkspaceOrNull();
            await signIn.SignOutAsync();
            await audit.WriteAsync(actor, workspace?.Id, AuditActions.SignOut, string.Empty, http.RequestAborted);
            return Results.LocalRedirect(AuthExtensions.SignInPath);
        }).RequireAuthorization(Policies.SignedIn);

        app.MapPost(SwitchPath, async ([FromForm] string? workspace, [FromForm] string? returnUrl, HttpContext http, AccountService accounts) =>
        {
            var back = UiCulture.IsLocal(returnUrl) ? returnUrl! : "/";
            if (Guid.TryParse(workspace, out var id)
                && Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
                && (await accounts.WorkspacesAsync(userId, http.RequestAborted)).Any(w => w.Id == id))
            {
                Remember(http, id);
            }

            return Results.LocalRedirect(back);
        }).RequireAuthorization(Policies.SignedIn);
        return app;
    }
}
