using System.Security.Claims;
using SellerDesk.Data.Accounts;

namespace SellerDesk.Web.Auth;

/// <summary>
/// What each role may do, as authorization policies. Pages, browser endpoints and the API name one of these; the
/// fallback policy (signed in) covers anything else, and <c>AuthorizationMatrixTests</c> refuses a route without a rule.
/// </summary>
public static class Policies
{
    /// <summary>Reports on screen and through the API: every member.</summary>
    public const string Reports = "reports";

    /// <summary>Report files (CSV, XLSX) from the browser.</summary>
    public const string Exports = "exports";

    /// <summary>Ledger files and costs: the upload page and POST /api/v1/imports.</summary>
    public const string Uploads = "uploads";

    /// <summary>Reading connections and pull runs through the API.</summary>
    public const string ConnectionsRead = "connections-read";

    /// <summary>Connections, credentials, schedules and pulls (the connections page, API writes).</summary>
    public const string Connections = "connections";

    /// <summary>The workspace's names for its channel codes (report labels: Owner and Finance, decision 0017).</summary>
    public const string ChannelNames = "channel-names";

    /// <summary>The jobs page (<c>/ops/jobs</c>).</summary>
    public const string Jobs = "jobs";

    /// <summary>Members, invitations, API tokens and the audit log.</summary>
    public const string Owner = "owner";

    /// <summary>Alert rules, their recipients and the digest (the alerts page): those who run connections (issue 13).</summary>
    public const string Alerts = "alerts";

    /// <summary>Signed in, in any workspace or none (password change, the workspace switch, sign-out).</summary>
    public const string SignedIn = "signed-in";

    /// <summary>The roles each policy lets in. <c>Analyst</c> is the API tokens' older read-only role.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Reports] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance, WorkspaceRoles.Ops, WorkspaceRoles.Viewer, ApiRoles.Analyst],
        [Exports] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        [Uploads] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        [ConnectionsRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops, ApiRoles.Analyst],
        [Connections] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        [ChannelNames] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        [Jobs] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        [Owner] = [WorkspaceRoles.Owner],
        [Alerts] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
    };

    /// <summary>Whether <paramref name="user"/> (of a workspace) may do what <paramref name="policy"/> guards.</summary>
    public static bool Allows(this ClaimsPrincipal user, string policy)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (policy == SignedIn)
        {
            return user.Identity?.IsAuthenticated == true;
        }

        return user.HasClaim(c => c.Type == WorkspaceClaims.Id) && Roles[policy].Any(user.IsInRole);
    }
}
