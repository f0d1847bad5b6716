using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Data.Entities;

namespace SellerDesk.Web.Auth;

/// <summary>
/// The roles a token carries: the workspace roles (<see cref="WorkspaceRoles"/>), and <c>Analyst</c>, the read-only
/// role of tokens made before accounts existed (reports, connections and pull runs).
/// </summary>
public static class ApiRoles
{
    public const string Owner = WorkspaceRoles.Owner;
    public const string Finance = WorkspaceRoles.Finance;
    public const string Ops = WorkspaceRoles.Ops;
    public const string Viewer = WorkspaceRoles.Viewer;
    public const string Analyst = "Analyst";
}

/// <summary>How <see cref="ApiTokens.EnsureAsync"/> left the bootstrap token.</summary>
public enum BootstrapTokenState
{
    Created,
    Valid,

    /// <summary>An Owner revoked it: it stays revoked, whatever the configuration says.</summary>
    Revoked,
}

/// <summary>
/// API tokens are stored only as SHA-256 hashes (a token is 256 random bits, so a fast hash is enough); each belongs
/// to one workspace and carries a role.
/// </summary>
public static class ApiTokens
{
    /// <summary>Tokens made by the app start with this, so a leaked one is recognisable.</summary>
    public const string Prefix = "sdt_";

    public static string Hash(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    /// <summary>A new token: 256 random bits, base64url, with <see cref="Prefix"/>.</summary>
    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Makes <paramref name="token"/> valid for the workspace with the role; idempotent. A token an Owner revoked is
    /// left revoked: a restart with the same configuration does not bring it back.
    /// </summary>
    public static async Task<BootstrapTokenState> EnsureAsync(SellerDeskDbContext db, Guid workspaceId, string token, string role, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var hash = Hash(token);
        var existing = await db.ApiTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (existing is null)
        {
            db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid(), WorkspaceId = workspaceId, TokenHash = hash, Role = role, Name = name });
            await db.SaveChangesAsync(cancellationToken);
            return BootstrapTokenState.Created;
        }

        if (existing.RevokedAt is not null)
        {
            return BootstrapTokenState.Revoked;
        }

        existing.WorkspaceId = workspaceId;
        existing.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        return BootstrapTokenState.Valid;
    }
}
