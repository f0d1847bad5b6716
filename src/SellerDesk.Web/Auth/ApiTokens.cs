using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Entities;

namespace SellerDesk.Web.Auth;

public static class ApiRoles
{
    public const string Owner = "Owner";
    public const string Analyst = "Analyst";
}

/// <summary>API tokens are stored only as SHA-256 hashes; each belongs to one workspace and carries a role.</summary>
public static class ApiTokens
{
    public static string Hash(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    /// <summary>Makes <paramref name="token"/> valid for the workspace with the role; idempotent.</summary>
    public static async Task EnsureAsync(SellerDeskDbContext db, Guid workspaceId, string token, string role, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var hash = Hash(token);
        var existing = await db.ApiTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (existing is null)
        {
            db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid(), WorkspaceId = workspaceId, TokenHash = hash, Role = role, Name = name });
        }
        else
        {
            existing.WorkspaceId = workspaceId;
            existing.Role = role;
            existing.RevokedAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
