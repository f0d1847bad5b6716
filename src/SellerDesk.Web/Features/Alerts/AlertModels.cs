using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>A rule: its kind, threshold, whether it is on, and who receives it (besides the bell, which shows every alert).</summary>
public sealed record AlertRuleView(Guid Id, string Kind, decimal? Threshold, bool Enabled, IReadOnlyList<Guid> Recipients);

/// <summary>
/// A recipient: an e-mail address, a Telegram chat (with its bot, whose token is never shown again) or a webhook (with
/// its signing secret, shown once). <see cref="Culture"/>: the language messages go out in.
/// </summary>
public sealed record AlertRecipientView(Guid Id, string Kind, string Name, string Address, string Culture, bool Digest);

/// <summary>What a new recipient needs: <see cref="Secret"/> is the Telegram bot token or the webhook secret (blank: one is made).</summary>
public sealed record NewAlertRecipient(string Kind, string Name, string Address, string? Secret, string Culture, bool Digest);

/// <summary>A recipient just added, and the webhook secret when the server made it (shown once).</summary>
public sealed record AlertRecipientCreated(Guid Id, string? GeneratedSecret);

/// <summary>
/// One attempt to deliver a message: when, and what went wrong if it did: <see cref="ErrorCode"/> and
/// <see cref="ErrorArgs"/> are what the page says (<c>Alerts.Error.{code}</c>); <see cref="Error"/> the operator's
/// English words (the only ones for attempts made before migration 0025).
/// </summary>
public sealed record DeliveryAttemptView(int Attempt, DateTimeOffset At, bool Succeeded, string? Error, string? ErrorCode, IReadOnlyList<string> ErrorArgs);

/// <summary>A message to one recipient with its attempts: pending (a retry is due at <see cref="NextAttemptAt"/>), sent, or failed for good.</summary>
public sealed record DeliveryView(
    Guid Id,
    string RecipientName,
    string RecipientKind,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    DateTimeOffset CreatedAt,
    IReadOnlyList<DeliveryAttemptView> History);

/// <summary>One digest message to one recipient: when it was made, the day it told of, and how its delivery went.</summary>
public sealed record DigestDeliveryView(DateTimeOffset CreatedAt, DateOnly? Day, DeliveryView Delivery);

/// <summary>An alert: its rule's kind, what it is about, its words, when it opened and cleared, and its deliveries.</summary>
public sealed record AlertView(
    Guid Id,
    Guid RuleId,
    string Kind,
    string Subject,
    LocalText Text,
    decimal? Value,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClearedAt,
    IReadOnlyList<DeliveryView> Deliveries)
{
    public bool Open => ClearedAt is null;
}

/// <summary>The bell: how many alerts opened since the member last looked, and the latest few.</summary>
public sealed record AlertBellView(int Unread, IReadOnlyList<AlertView> Latest);

/// <summary>The morning digest's setting: on or off, and the local hour it goes at.</summary>
public sealed record DigestSetting(bool Enabled, int Hour);

/// <summary>What an evaluation did: alerts opened, alerts cleared, messages sent at once and left for a retry.</summary>
public sealed record AlertEvaluation(int Opened, int Cleared, int Sent, int Retrying);

/// <summary>A request that cannot be carried out, with the field it concerns and words in both languages.</summary>
public sealed class AlertValidationException : Exception
{
    public AlertValidationException(string field, LocalText text)
        : base(text?.En)
    {
        Field = field;
        Text = text ?? throw new ArgumentNullException(nameof(text));
    }

    public AlertValidationException()
        : this(string.Empty, new LocalText(string.Empty, string.Empty))
    {
    }

    public AlertValidationException(string message)
        : this(string.Empty, new LocalText(message, message))
    {
    }

    public AlertValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
        Text = new LocalText(message, message);
    }

    public string Field { get; }

    public LocalText Text { get; }
}
