using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;

namespace SellerDesk.Web.Auth;

/// <summary>
/// Puts the signed-in user's current workspace and their role in it on the principal, read from the database on
/// every request: the workspace named by the <see cref="CookieName"/> cookie when the user is a member of it, else
/// their first workspace by name. A member removed or given another role is seen at once. A user of no workspace gets
/// no workspace claims, so every workspace policy refuses them.
/// </summary>
internal sealed class WorkspaceSelection(IDbContextFactory<SellerDeskDbContext> contexts, IHttpContextAccessor http) : IClaimsTransformation
{
    public const string CookieName = ".SellerDesk.Workspace";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true, AuthenticationType: var type }
            || type != IdentityConstants.ApplicationScheme
            || principal.HasClaim(c => c.Type == WorkspaceClaims.Id)
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return principal;
        }

        Guid? wanted = Guid.TryParse(http.HttpContext?.Request.Cookies[CookieName], out var id) ? id : null;
        var found = await CurrentAsync(contexts, userId, wanted, http.HttpContext?.RequestAborted ?? default);
        if (found is null)
        {
            return principal;
        }

        var result = principal.Clone();
        result.AddIdentity(new ClaimsIdentity(
            [
                new Claim(WorkspaceClaims.Id, found.Value.WorkspaceId.ToString()),
                new Claim(WorkspaceClaims.Name, found.Value.Name),
                new Claim(WorkspaceClaims.TimeZone, found.Value.TimeZone),
                new Claim(ClaimTypes.Role, found.Value.Role),
            ],
            WorkspaceClaims.AuthenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role));
        return result;
    }

    /// <summary>The membership the user works in: <paramref name="wanted"/> if they belong to it, else their first.</summary>
    public static async Task<(Guid WorkspaceId, string Name, string TimeZone, string Role)?> CurrentAsync(
        IDbContextFactory<SellerDeskDbContext> contexts, Guid userId, Guid? wanted, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.WorkspaceMembers
            .Where(m => m.UserId == userId)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { w.Id, w.Name, w.TimeZone, m.Role })
            .OrderBy(r => r.Id == wanted ? 0 : 1)
            .ThenBy(r => r.Name)
            .FirstOrDefaultAsync(cancellationToken);
        return rows is null ? null : (rows.Id, rows.Name, rows.TimeZone, rows.Role);
    }
}

/// <summary>
/// A live page (Blazor circuit) keeps the principal it started with; this checks it every 30 seconds against the
/// database: the security stamp (changed when the member is removed or the password changes) and the membership
/// and role in the page's workspace. When they no longer hold, the page loses its sign-in and goes to the sign-in page.
/// </summary>
internal sealed class MembershipRevalidation(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IDbContextFactory<SellerDeskDbContext> contexts,
    IOptions<IdentityOptions> identity) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            return await ValidateAsync(authenticationState, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The database is down: nothing can be read either, so the page keeps its sign-in until it answers again
            // (the page shows the outage itself).
            return true;
        }
    }

    private async Task<bool> ValidateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
            var user = await users.FindByIdAsync(userId.ToString());
            if (user is null || !users.SupportsUserSecurityStamp
                || principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) != await users.GetSecurityStampAsync(user))
            {
                return false;
            }
        }

        if (!Guid.TryParse(principal.FindFirstValue(WorkspaceClaims.Id), out var workspaceId))
        {
            return true;
        }

        var role = principal.FindFirstValue(ClaimTypes.Role);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.WorkspaceMembers.AnyAsync(m => m.UserId == userId && m.WorkspaceId == workspaceId && m.Role == role, cancellationToken);
    }
}
