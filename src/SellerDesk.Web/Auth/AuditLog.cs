using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;

namespace SellerDesk.Web.Auth;

/// <summary>Who did what, when and from where, per workspace (table audit_log). Writing never fails the action.</summary>
public sealed class AuditLog(IDbContextFactory<SellerDeskDbContext> contexts, ILogger<AuditLog> logger)
{
    public async Task WriteAsync(Actor actor, Guid? workspaceId, string action, string details = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.AuditLog.Add(new AuditEntry
            {
                WorkspaceId = workspaceId,
                At = DateTimeOffset.UtcNow,
                UserId = actor.UserId,
                Actor = actor.Name,
                Action = action,
                Details = details,
                Address = actor.Address,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not write the audit entry {Action} of {Actor}", action, actor.Name);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(Guid workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditLog.AsNoTracking()
            .Where(a => a.WorkspaceId == workspaceId)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }
}

/// <summary>Who acts: a user (id and e-mail), a token, or the app itself; and the address the request came from.</summary>
public sealed record Actor(Guid? UserId, string Name, string? Address)
{
    public static Actor App { get; } = new(null, "SellerDesk", null);

    public static Actor Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = http.User;
        Guid? id = Guid.TryParse(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var parsed) ? parsed : null;
        var name = user.Identity?.AuthenticationType == ApiTokenAuthenticationHandler.SchemeName
            ? "API token"
            : user.Identity?.Name ?? "anonymous";
        return new Actor(id, name, http.Connection.RemoteIpAddress?.ToString());
    }
}

/// <summary>The audit log's action names.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string LockedOut = "locked-out";
    public const string SignOut = "sign-out";
    public const string PasswordChanged = "password-changed";
    public const string FirstAccount = "first-account";
    public const string MemberJoined = "member-joined";
    public const string MemberRoleChanged = "member-role-changed";
    public const string MemberRemoved = "member-removed";
    public const string InvitationCreated = "invitation-created";
    public const string InvitationRevoked = "invitation-revoked";
    public const string TokenCreated = "token-created";
    public const string TokenRevoked = "token-revoked";
    public const string Export = "export";
    public const string PasswordResetLink = "password-reset-link";
    public const string PasswordResetMail = "password-reset-mail";
    public const string PasswordReset = "password-reset";
    public const string TwoFactorEnabled = "two-factor-enabled";
    public const string TwoFactorDisabled = "two-factor-disabled";
    public const string RecoveryCodesRenewed = "recovery-codes-renewed";
}
