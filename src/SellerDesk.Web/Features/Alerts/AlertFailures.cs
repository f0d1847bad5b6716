using System.Globalization;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>
/// Why a delivery attempt failed, as a stable code and its arguments (migration 0025): the alerts page says it in the
/// member's language through <c>Alerts.Error.{code}</c> in its resource files, with the arguments in its blanks.
/// </summary>
public sealed record AlertFailure(string Code, IReadOnlyList<string> Args)
{
    /// <summary>A failure the code knew nothing of: its (redacted, shortened) words are the only argument.</summary>
    public const string Other = "failed";

    public static AlertFailure Of(string code, params object[] args) =>
        new(code, [.. args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? string.Empty)]);
}

/// <summary>The codes of <see cref="AlertFailure"/> (each has <c>Alerts.Error.{code}</c> in both resource files).</summary>
public static class AlertFailureCodes
{
    public const string SmtpNotConfigured = "smtp_not_configured";
    public const string SmtpRecipientRefused = "smtp_recipient_refused";
    public const string SmtpSenderRefused = "smtp_sender_refused";
    public const string SmtpMessageRefused = "smtp_message_refused";
    public const string SmtpLoginRefused = "smtp_login_refused";
    public const string SmtpUnreachable = "smtp_unreachable";
    public const string SmtpTimeout = "smtp_timeout";
    public const string SmtpFailed = "smtp_failed";
    public const string TelegramUnauthorized = "telegram_unauthorized";
    public const string TelegramChatRefused = "telegram_chat_refused";
    public const string TelegramRejected = "telegram_rejected";
    public const string TelegramTimeout = "telegram_timeout";
    public const string TelegramUnreachable = "telegram_unreachable";
    public const string WebhookRejected = "webhook_rejected";
    public const string WebhookTimeout = "webhook_timeout";
    public const string WebhookUnreachable = "webhook_unreachable";
    public const string AddressRefused = "address_refused";
    public const string SecretMissing = "secret_missing";

    public static IReadOnlyList<string> All { get; } =
    [
        SmtpNotConfigured, SmtpRecipientRefused, SmtpSenderRefused, SmtpMessageRefused, SmtpLoginRefused, SmtpUnreachable, SmtpTimeout,
        SmtpFailed, TelegramUnauthorized, TelegramChatRefused, TelegramRejected, TelegramTimeout, TelegramUnreachable, WebhookRejected,
        WebhookTimeout, WebhookUnreachable, AddressRefused, SecretMissing, AlertFailure.Other,
    ];
}

/// <summary>A sender's own refusal, already in codes (an answer it understood: Telegram's 401, a webhook's 503...).</summary>
public sealed class AlertDeliveryException : Exception
{
    public AlertDeliveryException(AlertFailure failure, string message)
        : base(message)
    {
        Failure = failure ?? throw new ArgumentNullException(nameof(failure));
    }

    public AlertDeliveryException()
        : this(new AlertFailure(AlertFailure.Other, []), string.Empty)
    {
    }

    public AlertDeliveryException(string message)
        : this(new AlertFailure(AlertFailure.Other, [message]), message)
    {
    }

    public AlertDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = new AlertFailure(AlertFailure.Other, [message]);
    }

    public AlertFailure Failure { get; }
}

/// <summary>Turns what a send threw into an <see cref="AlertFailure"/>: SMTP replies, timeouts, refused connections.</summary>
internal static class AlertFailureClassifier
{
    public static AlertFailure Classify(Exception ex, AlertMessage message, string smtpServer, TimeSpan httpTimeout, Func<string, string> redact)
    {
        var channel = message.Kind;
        var host = Uri.TryCreate(message.Address, UriKind.Absolute, out var url) ? url.Authority : message.Address;
        var seconds = ((int)Math.Round(httpTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ex switch
        {
            AlertDeliveryException own => own.Failure,
            SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } refused =>
                AlertFailure.Of(AlertFailureCodes.SmtpRecipientRefused, refused.Mailbox?.Address ?? message.Address, Reply(refused)),
            SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } refused =>
                AlertFailure.Of(AlertFailureCodes.SmtpSenderRefused, refused.Mailbox?.Address ?? string.Empty, Reply(refused)),
            SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted } refused =>
                AlertFailure.Of(AlertFailureCodes.SmtpMessageRefused, Reply(refused)),
            SmtpCommandException other => AlertFailure.Of(AlertFailureCodes.SmtpFailed, Reply(other)),
            AuthenticationException => AlertFailure.Of(AlertFailureCodes.SmtpLoginRefused, smtpServer),
            _ when channel == AlertRecipientKinds.Email && IsTimeout(ex) => AlertFailure.Of(AlertFailureCodes.SmtpTimeout, smtpServer),
            _ when channel == AlertRecipientKinds.Email && Find<SocketException>(ex) is not null => AlertFailure.Of(AlertFailureCodes.SmtpUnreachable, smtpServer),
            SmtpProtocolException or SslHandshakeException => AlertFailure.Of(AlertFailureCodes.SmtpFailed, Short(redact(ex.Message))),
            _ when Find<RefusedAddressException>(ex) is { } guard => AlertFailure.Of(AlertFailureCodes.AddressRefused, guard.Host),
            _ when IsTimeout(ex) => AlertFailure.Of(channel == AlertRecipientKinds.Telegram ? AlertFailureCodes.TelegramTimeout : AlertFailureCodes.WebhookTimeout, seconds),
            HttpRequestException => AlertFailure.Of(
                channel == AlertRecipientKinds.Telegram ? AlertFailureCodes.TelegramUnreachable : AlertFailureCodes.WebhookUnreachable,
                channel == AlertRecipientKinds.Telegram ? "Telegram" : host),
            _ => AlertFailure.Of(AlertFailure.Other, Short(redact(ex.Message))),
        };
    }

    /// <summary>The server's words after its status code ("5.1.1 mailbox unavailable"), shortened.</summary>
    private static string Reply(SmtpCommandException ex) =>
        Short(((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + ex.Message.Trim());

    private static bool IsTimeout(Exception ex) =>
        ex is TaskCanceledException or TimeoutException || Find<TimeoutException>(ex) is not null;

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    internal static string Short(string text) => text.Length > 300 ? text[..300] : text;
}
