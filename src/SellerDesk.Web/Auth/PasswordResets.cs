using System.Globalization;
using System.Text;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;

namespace SellerDesk.Web.Auth;

/// <summary>
/// The SMTP server reset mails go through (section <c>Smtp</c>). Without <see cref="Host"/> and <see cref="From"/>
/// no mail is sent and an Owner hands out reset links from the Members page instead.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>SellerDesk &lt;noreply@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>TLS: on connect for port 465, STARTTLS otherwise. False only for a server on the same machine or network.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>
    /// The address people open SellerDesk at (e.g. <c>https://sellerdesk.example.com</c>), used for the link in the
    /// mail. Without it the address the request came to is used, which only <c>AllowedHosts</c> keeps honest.
    /// </summary>
    public string? PublicUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);

    /// <summary>Sends <paramref name="message"/> through this server (reset mails and alerts share it).</summary>
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = 30_000 };
        var security = !UseTls ? SecureSocketOptions.None
            : Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(Host!, Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(User))
        {
            await client.AuthenticateAsync(User, Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>A reset link could not be used: the words to show.</summary>
public sealed record ResetOutcome(bool Succeeded, IReadOnlyList<string> Problems)
{
    public static ResetOutcome Done { get; } = new(true, []);
}

/// <summary>
/// Password reset with Identity's reset token: it expires (<see cref="DataProtectionTokenProviderOptions.TokenLifespan"/>)
/// and carries the security stamp, which the reset itself renews, so a link works once. An Owner's link also renews
/// the stamp when it is made, so only the newest link works and the member's sessions end. See
/// docs/decisions/0018-password-reset-and-2fa.md.
/// </summary>
public sealed class PasswordResets(
    IServiceScopeFactory scopes,
    IDbContextFactory<SellerDeskDbContext> contexts,
    IOptions<DataProtectionTokenProviderOptions> tokenOptions,
    AuditLog audit)
{
    public const string Path = "/account/reset";

    public TimeSpan Lifetime => tokenOptions.Value.TokenLifespan;

    /// <summary>The relative link (<c>/account/reset?user=..&amp;code=..</c>) for a user.</summary>
    public static string LinkFor(Guid userId, string token) =>
        Path + "?user=" + userId.ToString("D") + "&code=" + WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>
    /// An Owner's one-time link for a member of their workspace (someone outside it gets nothing). Earlier links of
    /// that member stop working and their sessions end.
    /// </summary>
    public async Task<string> CreateLinkAsync(Guid workspaceId, Guid userId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken))
            {
                throw new AccountException("This person is no longer a member.", "Этот человек уже не участник.");
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = await users.FindByIdAsync(userId.ToString())
            ?? throw new AccountException("This person is no longer a member.", "Этот человек уже не участник.");
        await users.UpdateSecurityStampAsync(user);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        await audit.WriteAsync(actor, workspaceId, AuditActions.PasswordResetLink, user.Email ?? userId.ToString(), cancellationToken);
        return LinkFor(user.Id, token);
    }

    /// <summary>Whether the link's user and code still make a usable pair (the page asks before showing its form).</summary>
    public async Task<bool> IsUsableAsync(string? userId, string? code)
    {
        if (!TryRead(userId, code, out var id, out var token))
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = await users.FindByIdAsync(id.ToString());
        return user is not null && await users.VerifyUserTokenAsync(
            user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<SellerDeskUser>.ResetPasswordTokenPurpose, token);
    }

    /// <summary>
    /// Sets the new password (Identity's rules). A reset renews the security stamp, which ends every session of the
    /// user and spends the link; it also lifts a lockout, since whoever holds the link proved who they are.
    /// </summary>
    public async Task<ResetOutcome> ResetAsync(string? userId, string? code, string password, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var unusable = new ResetOutcome(false, [Unusable(CultureInfo.CurrentUICulture)]);
        if (!TryRead(userId, code, out var id, out var token))
        {
            return unusable;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return unusable;
        }

        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? unusable
                : new ResetOutcome(false, result.Errors.Select(e => e.Description).ToList());
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        actor = actor with { UserId = user.Id, Name = user.Email ?? actor.Name };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var workspaces = await db.WorkspaceMembers.Where(m => m.UserId == user.Id).Select(m => (Guid?)m.WorkspaceId).ToListAsync(cancellationToken);
        foreach (var workspace in workspaces.DefaultIfEmpty())
        {
            await audit.WriteAsync(actor, workspace, AuditActions.PasswordReset, string.Empty, cancellationToken);
        }

        return ResetOutcome.Done;
    }

    public static string Unusable(CultureInfo culture) => culture.TwoLetterISOLanguageName == "ru"
        ? "Эта ссылка для смены пароля уже использована, заменена более новой или истекла: запросите новую."
        : "This password reset link was used already, replaced by a newer one or has expired: ask for a new one.";

    private static bool TryRead(string? userId, string? code, out Guid id, out string token)
    {
        token = string.Empty;
        if (!Guid.TryParse(userId, out id) || string.IsNullOrEmpty(code) || code.Length > 2000)
        {
            return false;
        }

        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>A request for a reset mail: the address typed, where links point, the language of the page.</summary>
public sealed record ResetMailRequest(string Email, Uri BaseAddress, string Culture, string? Address);

/// <summary>
/// Reset mails, sent in the background: the forgot-password page answers at once and the same way whether an account
/// has the address or not (neither its words nor its timing tell). Up to 100 requests wait; more are dropped.
/// </summary>
public sealed class ResetMailer(
    IServiceScopeFactory scopes,
    IOptions<SmtpOptions> smtp,
    AuditLog audit,
    ILogger<ResetMailer> logger) : BackgroundService
{
    private readonly Channel<ResetMailRequest> _requests = Channel.CreateBounded<ResetMailRequest>(
        new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool Enabled => smtp.Value.IsConfigured;

    public void Enqueue(ResetMailRequest request)
    {
        if (Enabled && !_requests.Writer.TryWrite(request))
        {
            logger.LogWarning("Reset mail requests are coming faster than they can be sent; one was dropped");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(request, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not send a password reset mail through {Host}:{Port}", smtp.Value.Host, smtp.Value.Port);
            }
        }
    }

    private async Task SendAsync(ResetMailRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SellerDeskUser>>();
        var user = await users.FindByEmailAsync(request.Email);
        if (user is null || string.IsNullOrEmpty(user.Email))
        {
            logger.LogInformation("A password reset was asked for an address without an account");
            return;
        }

        var resets = scope.ServiceProvider.GetRequiredService<PasswordResets>();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var options = smtp.Value;
        var baseAddress = Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var configured) ? configured : request.BaseAddress;
        var link = new Uri(baseAddress, PasswordResets.LinkFor(user.Id, token)).ToString();
        var culture = CultureInfo.GetCultureInfo(request.Culture);
        var hours = (int)Math.Round(resets.Lifetime.TotalHours);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From!));
        message.To.Add(MailboxAddress.Parse(user.Email));
        var russian = culture.TwoLetterISOLanguageName == "ru";
        message.Subject = russian ? "SellerDesk: смена пароля" : "SellerDesk: password reset";
        message.Body = new TextPart("plain")
        {
            Text = russian
                ? $"Кто-то (надеемся, вы) попросил сменить пароль учётной записи {user.Email} в SellerDesk.\n\n" +
                  $"Задать новый пароль: {link}\n\n" +
                  $"Ссылка работает один раз и {hours} ч. Если вы не просили смену пароля, ничего не делайте: пароль остаётся прежним.\n"
                : $"Someone (we hope you) asked to reset the password of the SellerDesk account {user.Email}.\n\n" +
                  $"Set a new password: {link}\n\n" +
                  $"The link works once and for {hours} hours. If you did not ask for this, do nothing: your password stays as it is.\n",
        };

        await options.SendAsync(message, cancellationToken);
        logger.LogInformation("Sent a password reset mail through {Host}:{Port}", options.Host, options.Port);

        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync(cancellationToken);
        var workspaces = await db.WorkspaceMembers.Where(m => m.UserId == user.Id).Select(m => (Guid?)m.WorkspaceId).ToListAsync(cancellationToken);
        var actor = new Actor(user.Id, user.Email, request.Address);
        foreach (var workspace in workspaces.DefaultIfEmpty())
        {
            await audit.WriteAsync(actor, workspace, AuditActions.PasswordResetMail, string.Empty, cancellationToken);
        }
    }
}
