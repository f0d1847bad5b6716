using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Data.Entities;

namespace SellerDesk.Web.Auth;

public sealed record MemberView(Guid UserId, string Email, string Role, DateTimeOffset Since);

public sealed record InvitationView(Guid Id, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt, DateTimeOffset? RevokedAt);

public sealed record InvitationInfo(Guid WorkspaceId, string WorkspaceName, string Role, bool Usable);

public sealed record TokenView(Guid Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

public sealed record WorkspaceChoice(Guid Id, string Name, string Role);

/// <summary>Why an account operation did not happen, in English and Russian.</summary>
public sealed class AccountException(string en, string ru) : Exception(en)
{
    public string En { get; } = en;

    public string Ru { get; } = ru;

    public string Text(System.Globalization.CultureInfo culture) =>
        (culture ?? System.Globalization.CultureInfo.CurrentUICulture).TwoLetterISOLanguageName == "ru" ? Ru : En;
}

/// <summary>
/// Accounts, memberships, invitations and API tokens. Identity's <see cref="UserManager{TUser}"/> does passwords,
/// lockout and security stamps; each call here runs in a scope of its own, so live pages may call it.
/// </summary>
public sealed class AccountService(IServiceScopeFactory scopes, IDbContextFactory<SellerDeskDbContext> contexts, AuditLog audit)
{
    public static TimeSpan MaxInvitationLifetime { get; } = TimeSpan.FromDays(14);

    /// <summary>Whether the fresh install still offers the "create the first account" page.</summary>
    public async Task<bool> SetupAvailableAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return !await db.Installation.AnyAsync(cancellationToken) && !await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>
    /// The first account of a fresh install, Owner of <paramref name="workspaceName"/> (made if missing). Only once:
    /// the installation row's single key makes a second attempt fail even when two arrive together.
    /// </summary>
    public async Task<SellerDeskUser> CreateFirstAccountAsync(string email, string password, string workspaceName, Actor actor, CancellationToken cancellationToken)
    {
        if (!await SetupAvailableAsync(cancellationToken))
        {
            throw new AccountException("The first account already exists: sign in.", "Первая учётная запись уже создана: войдите.");
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Installation.Add(new Installation { Id = 1, FirstAccountAt = DateTimeOffset.UtcNow, FirstAccountBy = email.Trim() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                throw new AccountException("The first account already exists: sign in.", "Первая учётная запись уже создана: войдите.");
            }
        }

        try
        {
            var workspace = await EnsureWorkspaceAsync(workspaceName, cancellationToken);
            var user = await CreateUserAsync(email, password);
            await AddMemberAsync(workspace.Id, user.Id, WorkspaceRoles.Owner, cancellationToken);
            await audit.WriteAsync(actor with { UserId = user.Id, Name = user.Email! }, workspace.Id, AuditActions.FirstAccount, "Owner", cancellationToken);
            return user;
        }
        catch
        {
            // The form showed a problem (a short password...): the page is offered again.
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            await db.Installation.Where(i => i.Id == 1).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// An Owner account for scripts and the demo: created with <paramref name="password"/> when the e-mail is new
    /// (an existing account keeps its password), Owner of the workspace, and the fresh-install page closed.
    /// </summary>
    public async Task<bool> EnsureOwnerAsync(string email, string password, Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = await users.FindByEmailAsync(email.Trim());
        var created = false;
        if (user is null)
        {
            user = await CreateUserAsync(email, password);
            created = true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var member = await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id, cancellationToken);
        if (member is null)
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = user.Id, Role = WorkspaceRoles.Owner, CreatedAt = DateTimeOffset.UtcNow });
        }
        else
        {
            member.Role = WorkspaceRoles.Owner;
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO installation (id, first_account_by) VALUES (1, {0}) ON CONFLICT (id) DO NOTHING", [email.Trim()], cancellationToken);
        return created;
    }

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WorkspaceChoice>> WorkspacesAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.WorkspaceMembers.Where(m => m.UserId == userId)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { w.Id, w.Name, m.Role })
            .OrderBy(w => w.Name)
            .Select(w => new WorkspaceChoice(w.Id, w.Name, w.Role))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<MemberView>> MembersAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email, m.Role, m.CreatedAt })
            .OrderBy(m => m.Email)
            .Select(m => new MemberView(m.Id, m.Email!, m.Role, m.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task ChangeRoleAsync(Guid workspaceId, Guid userId, string role, Actor actor, CancellationToken cancellationToken)
    {
        if (!WorkspaceRoles.IsRole(role))
        {
            throw new AccountException($"'{role}' is not a role.", $"«{role}» — не роль.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockOwnersAsync(db, workspaceId, cancellationToken);
        var member = await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken)
            ?? throw new AccountException("This person is no longer a member.", "Этот человек уже не участник.");
        if (member.Role == WorkspaceRoles.Owner && role != WorkspaceRoles.Owner)
        {
            await EnsureAnotherOwnerAsync(db, workspaceId, userId, cancellationToken);
        }

        var before = member.Role;
        member.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken);
        await audit.WriteAsync(actor, workspaceId, AuditActions.MemberRoleChanged, $"{email}: {before} → {role}", cancellationToken);
    }

    /// <summary>Removes the member and ends every session of theirs (a new security stamp).</summary>
    public async Task RemoveMemberAsync(Guid workspaceId, Guid userId, Actor actor, CancellationToken cancellationToken)
    {
        string? email;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockOwnersAsync(db, workspaceId, cancellationToken);
            var member = await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
            if (member is null)
            {
                return;
            }

            if (member.Role == WorkspaceRoles.Owner)
            {
                await EnsureAnotherOwnerAsync(db, workspaceId, userId, cancellationToken);
            }

            db.WorkspaceMembers.Remove(member);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
            if (await users.FindByIdAsync(userId.ToString()) is { } user)
            {
                await users.UpdateSecurityStampAsync(user);
            }
        }

        await audit.WriteAsync(actor, workspaceId, AuditActions.MemberRemoved, email ?? userId.ToString(), cancellationToken);
    }

    public async Task<(Guid Id, string Secret)> CreateInvitationAsync(Guid workspaceId, string role, TimeSpan lifetime, Actor actor, CancellationToken cancellationToken)
    {
        if (!WorkspaceRoles.IsRole(role))
        {
            throw new AccountException($"'{role}' is not a role.", $"«{role}» — не роль.");
        }

        if (lifetime <= TimeSpan.Zero || lifetime > MaxInvitationLifetime)
        {
            throw new AccountException("An invitation lasts from an hour to 14 days.", "Приглашение действует от часа до 14 дней.");
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow;
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            TokenHash = ApiTokens.Hash(secret),
            Role = role,
            CreatedBy = actor.UserId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, workspaceId, AuditActions.InvitationCreated, $"{role}, until {invitation.ExpiresAt:u}", cancellationToken);
        return (invitation.Id, secret);
    }

    public async Task<IReadOnlyList<InvitationView>> InvitationsAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Invitations.Where(i => i.WorkspaceId == workspaceId)
            .OrderByDescending(i => i.CreatedAt)
            .Select(i => new InvitationView(i.Id, i.Role, i.CreatedAt, i.ExpiresAt, i.AcceptedAt, i.RevokedAt))
            .Take(50)
            .ToListAsync(cancellationToken);
    }

    public async Task RevokeInvitationAsync(Guid workspaceId, Guid id, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Invitations
            .Where(i => i.WorkspaceId == workspaceId && i.Id == id && i.RevokedAt == null && i.AcceptedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, DateTimeOffset.UtcNow), cancellationToken);
        if (changed > 0)
        {
            await audit.WriteAsync(actor, workspaceId, AuditActions.InvitationRevoked, id.ToString(), cancellationToken);
        }
    }

    public async Task<InvitationInfo?> FindInvitationAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = ApiTokens.Hash(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return await db.Invitations.Where(i => i.TokenHash == hash)
            .Join(db.Workspaces, i => i.WorkspaceId, w => w.Id, (i, w) => new InvitationInfo(
                w.Id, w.Name, i.Role, i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Uses the invitation for <paramref name="userId"/>: one conditional update claims it (unused, not revoked, not
    /// expired), so two uses at once cannot both succeed. A member already in the workspace keeps their role.
    /// </summary>
    public async Task<InvitationInfo> AcceptInvitationAsync(string secret, Guid userId, Actor actor, CancellationToken cancellationToken)
    {
        var hash = ApiTokens.Hash(secret);
        var now = DateTimeOffset.UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Invitations
            .Where(i => i.TokenHash == hash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedBy, userId), cancellationToken);
        if (claimed == 0)
        {
            throw new AccountException(
                "This invitation link was used already, revoked or has expired: ask the Owner for a new one.",
                "Эта ссылка-приглашение уже использована, отозвана или истекла: попросите владельца прислать новую.");
        }

        var invitation = await db.Invitations.Where(i => i.TokenHash == hash)
            .Join(db.Workspaces, i => i.WorkspaceId, w => w.Id, (i, w) => new InvitationInfo(w.Id, w.Name, i.Role, false))
            .SingleAsync(cancellationToken);
        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == userId, cancellationToken))
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = invitation.WorkspaceId, UserId = userId, Role = invitation.Role, CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await audit.WriteAsync(actor, invitation.WorkspaceId, AuditActions.MemberJoined, $"{actor.Name} as {invitation.Role}", cancellationToken);
        return invitation;
    }

    /// <summary>A new account with e-mail and password (Identity's validation and hashing).</summary>
    public async Task<SellerDeskUser> CreateUserAsync(string email, string password)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var trimmed = (email ?? string.Empty).Trim();
        var user = new SellerDeskUser { Id = Guid.NewGuid(), UserName = trimmed, Email = trimmed, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, password ?? string.Empty);
        if (!result.Succeeded)
        {
            throw new IdentityProblemException(result.Errors.Select(e => e.Description).ToList());
        }

        return user;
    }

    public async Task<IReadOnlyList<TokenView>> TokensAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.Where(t => t.WorkspaceId == workspaceId)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenView(t.Id, t.Name, t.Role, t.CreatedAt, t.ExpiresAt, t.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>A new token for the workspace; the returned secret is shown once and never stored.</summary>
    public async Task<string> CreateTokenAsync(Guid workspaceId, string name, string role, DateTimeOffset expiresAt, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
        {
            throw new AccountException("Give the token a name of 1 to 100 characters.", "Назовите токен: от 1 до 100 символов.");
        }

        if (!WorkspaceRoles.IsRole(role))
        {
            throw new AccountException($"'{role}' is not a role.", $"«{role}» — не роль.");
        }

        if (expiresAt <= DateTimeOffset.UtcNow || expiresAt > DateTimeOffset.UtcNow.AddYears(2))
        {
            throw new AccountException("A token expires between tomorrow and two years from now.", "Срок токена — от завтра до двух лет.");
        }

        var secret = ApiTokens.Generate();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(new ApiToken
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            TokenHash = ApiTokens.Hash(secret),
            Role = role,
            Name = name.Trim(),
            CreatedAt = DateTimeOffset.UtcNow,
            ExpiresAt = expiresAt,
            CreatedBy = actor.UserId,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, workspaceId, AuditActions.TokenCreated, $"{name.Trim()} ({role}, until {expiresAt:yyyy-MM-dd})", cancellationToken);
        return secret;
    }

    public async Task RevokeTokenAsync(Guid workspaceId, Guid id, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.Id == id, cancellationToken);
        if (token is null || token.RevokedAt is not null)
        {
            return;
        }

        token.RevokedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, workspaceId, AuditActions.TokenRevoked, token.Name, cancellationToken);
    }

    private async Task<Workspace> EnsureWorkspaceAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Infrastructure.DatabaseStartup.EnsureWorkspaceAsync(db, name.Trim(), cancellationToken);
    }

    private async Task AddMemberAsync(Guid workspaceId, Guid userId, string role, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = userId, Role = role, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Serialises changes to a workspace's owners, so two removals at once cannot leave it without one.</summary>
    private static async Task LockOwnersAsync(SellerDeskDbContext db, Guid workspaceId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM workspaces WHERE id = {0} FOR UPDATE", [workspaceId], cancellationToken);

    private static async Task EnsureAnotherOwnerAsync(SellerDeskDbContext db, Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId != userId && m.Role == WorkspaceRoles.Owner, cancellationToken))
        {
            throw new AccountException(
                "A workspace keeps at least one Owner: make someone else Owner first.",
                "В пространстве должен остаться хотя бы один владелец: сначала назначьте владельцем другого участника.");
        }
    }
}

/// <summary>Identity refused the account (a short password, an e-mail in use...): its messages, localized.</summary>
public sealed class IdentityProblemException(IReadOnlyList<string> errors) : Exception(string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
