using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Auth;

/// <summary>Who did what, when and from where, per workspace (table audit_log). Writing never fails the action.</summary>
public sealed class AuditLog(IDbContextFactory<SellerDeskDbContext> contexts, ILogger<AuditLog> logger)
{
    /// <summary>Entries on one page of the audit page.</summary>
    public const int PageSize = 50;

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
        catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            logger.LogError(ex, "Could not write the audit entry {Action} of {Actor}", action, actor.Name);
        }
    }

    /// <summary>Writes an entry whose details are a sentence in both UI languages (stored as <see cref="LocalText.Encode"/>).</summary>
    public Task WriteAsync(Actor actor, Guid workspaceId, string action, LocalText details) =>
        WriteAsync(actor, workspaceId, action, (details ?? throw new ArgumentNullException(nameof(details))).Encode(), CancellationToken.None);

    /// <summary>The newest entries of the workspace, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(Guid workspaceId, int limit, CancellationToken cancellationToken) =>
        (await ReadAsync(workspaceId, new AuditQuery(null, null, null, 0, limit), TimeZoneInfo.Utc, cancellationToken)).Entries;

    /// <summary>
    /// One page of the workspace's entries, newest first, of one kind (action) and between two days of
    /// <paramref name="zone"/> when asked, with how many entries match in all.
    /// </summary>
    public async Task<AuditEntries> ReadAsync(Guid workspaceId, AuditQuery query, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(zone);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditLog.AsNoTracking().Where(a => a.WorkspaceId == workspaceId);
        if (!string.IsNullOrEmpty(query.Action))
        {
            entries = entries.Where(a => a.Action == query.Action);
        }

        if (query.From is { } from)
        {
            var start = StartOf(from, zone);
            entries = entries.Where(a => a.At >= start);
        }

        if (query.To is { } to)
        {
            var end = StartOf(to.AddDays(1), zone);
            entries = entries.Where(a => a.At < end);
        }

        var total = await entries.CountAsync(cancellationToken);
        var page = await entries
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, AuditQuery.MaxTake))
            .ToListAsync(cancellationToken);
        return new AuditEntries(page, total);
    }

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>An entry's details in <paramref name="culture"/>'s language (older plain entries as they are).</summary>
    public static string DetailsIn(AuditEntry entry, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return LocalText.Decode(entry.Details)?.For(culture) ?? string.Empty;
    }
}

/// <summary>Which entries to read: one kind (null: all), days from..to in the workspace zone, and a page of them.</summary>
public sealed record AuditQuery(string? Action, DateOnly? From, DateOnly? To, int Skip, int Take)
{
    /// <summary>The most entries one read returns (the CSV's limit too).</summary>
    public const int MaxTake = 100_000;
}

/// <summary>A page of entries and how many match in all.</summary>
public sealed record AuditEntries(IReadOnlyList<AuditEntry> Entries, int Total);

/// <summary>Who acts: a user (id and e-mail), a token (by its name), or the app itself; and the address the request came from.</summary>
public sealed record Actor(Guid? UserId, string Name, string? Address)
{
    public static Actor App { get; } = new(null, "SellerDesk", null);

    public static Actor Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Of(http.User, http.Connection.RemoteIpAddress?.ToString());
    }

    /// <summary>The actor of a signed-in page (whose live connection has no request of its own: the address it was opened from).</summary>
    public static Actor Of(ClaimsPrincipal user, string? address)
    {
        ArgumentNullException.ThrowIfNull(user);
        Guid? id = Guid.TryParse(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var parsed) ? parsed : null;
        var name = user.Identity?.AuthenticationType == ApiTokenAuthenticationHandler.SchemeName
            ? "API token: " + (user.FindFirst(ApiTokenAuthenticationHandler.TokenNameClaim)?.Value ?? "?")
            : user.Identity?.Name ?? "anonymous";
        return new Actor(id, name, address);
    }
}

/// <summary>The audit log's action names (the kinds the audit page filters by).</summary>
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
    public const string ConnectionCreated = "connection-created";
    public const string ConnectionDeleted = "connection-deleted";
    public const string CredentialsReplaced = "credentials-replaced";
    public const string ScheduleChanged = "schedule-changed";
    public const string PullStarted = "pull-started";
    public const string Import = "import";
    public const string CostsUploaded = "costs-uploaded";
    public const string ChannelRenamed = "channel-renamed";
    public const string PasswordResetLink = "password-reset-link";
    public const string PasswordResetMail = "password-reset-mail";
    public const string PasswordReset = "password-reset";
    public const string TwoFactorEnabled = "two-factor-enabled";
    public const string TwoFactorDisabled = "two-factor-disabled";
    public const string RecoveryCodesRenewed = "recovery-codes-renewed";

    /// <summary>Every kind, in the order the audit page's filter lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SignIn, SignInFailed, LockedOut, SignOut, PasswordChanged, FirstAccount, MemberJoined, MemberRoleChanged, MemberRemoved,
        InvitationCreated, InvitationRevoked, TokenCreated, TokenRevoked, Export, ConnectionCreated, ConnectionDeleted,
        CredentialsReplaced, ScheduleChanged, PullStarted, Import, CostsUploaded, ChannelRenamed, PasswordResetLink,
        PasswordResetMail, PasswordReset, TwoFactorEnabled, TwoFactorDisabled, RecoveryCodesRenewed,
    ];
}

/// <summary>Audit texts more than one place writes.</summary>
public static class AuditTexts
{
    public static LocalText CohortExport(string format, string metric, DateOnly from, DateOnly to)
    {
        var period = string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        return new LocalText($"Cohorts as {format} ({metric}) for {period}.", $"Когорты в {format} ({metric}) за {period}.");
    }

    public static LocalText AuditExport(int rows) =>
        new($"Audit log as CSV ({rows} entries).", $"Журнал аудита в CSV (записей: {rows}).");
}
