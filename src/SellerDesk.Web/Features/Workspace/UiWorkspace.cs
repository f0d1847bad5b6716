using Microsoft.AspNetCore.Components.Authorization;
using SellerDesk.Data.Workspaces;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Workspace;

/// <summary>
/// The workspace the browser pages work in: the signed-in member's current workspace (chosen in the header's
/// switcher, checked against their memberships on every request, see <see cref="WorkspaceSelection"/>). One per
/// page connection (scoped); a page never sees another workspace's data.
/// </summary>
public sealed class UiWorkspace(AuthenticationStateProvider authentication)
{
    /// <summary>The workspace start-up makes when <c>Bootstrap:Workspace</c> names none.</summary>
    public const string DefaultName = "demo";

    /// <summary>The current workspace, or null when the visitor is not a member of any.</summary>
    public async Task<WorkspaceContext?> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.WorkspaceOrNull();
    }
}
