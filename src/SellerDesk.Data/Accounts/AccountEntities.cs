using Microsoft.AspNetCore.Identity;

namespace SellerDesk.Data.Accounts;

/// <summary>A person who signs in with e-mail and password (ASP.NET Core Identity); the e-mail is the user name.</summary>
public sealed class SellerDeskUser : IdentityUser<Guid>
{
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The roles a member holds in a workspace, and the capabilities each role has.</summary>
public static class WorkspaceRoles
{
    public const string Owner = "Owner";
    public const string Finance = "Finance";
    public const string Ops = "Ops";
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Owner, Finance, Ops, Viewer];

    public static bool IsRole(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}

public sealed class WorkspaceMember
{
    public Guid WorkspaceId { get; set; }

    public Guid UserId { get; set; }

    public required string Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Invitation
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    /// <summary>SHA-256 of the link's secret, hex.</summary>
    public required string TokenHash { get; set; }

    public required string Role { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public Guid? AcceptedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>The single row saying a fresh install's first account was made.</summary>
public sealed class Installation
{
    public int Id { get; set; }

    public DateTimeOffset FirstAccountAt { get; set; }

    public required string FirstAccountBy { get; set; }
}

public sealed class AuditEntry
{
    public long Id { get; set; }

    public Guid? WorkspaceId { get; set; }

    public DateTimeOffset At { get; set; }

    public Guid? UserId { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public string Details { get; set; } = string.Empty;

    public string? Address { get; set; }
}
