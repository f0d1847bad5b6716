using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SellerDesk.Data.Workspaces;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Settings;

/// <summary>What the Owner pages share: the signed-in Owner as an audit actor and the current workspace.</summary>
public abstract class SettingsPageBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The address the page was opened from (the live connection has no request of its own).</summary>
    [CascadingParameter(Name = "ClientAddress")]
    private string? ClientAddress { get; set; }

    protected ClaimsPrincipal User { get; private set; } = new();

    protected WorkspaceContext Workspace { get; private set; } = null!;

    protected Actor Me => new(
        Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
        User.Identity?.Name ?? "unknown",
        ClientAddress);

    protected override async Task OnInitializedAsync()
    {
        User = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        Workspace = User.Workspace();
        await LoadAsync();
    }

    protected abstract Task LoadAsync();
}
