using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>The operator's alert settings (section <c>Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>The Bot API's address; a test points it at a local fake (its host on <c>Connectors:Http:AllowedHosts</c>).</summary>
    public Uri TelegramBaseUrl { get; set; } = new("https://api.telegram.org");

    /// <summary>Tries per message, the first included; then it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry; each next one waits four times longer (30 s, 2 min, 8 min, 32 min).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When the daily evaluation runs (Hangfire cron, UTC): 04:00 UTC, 07:00 in Moscow.</summary>
    public string DailyCron { get; set; } = "0 0 4 * * *";

    /// <summary>When the digest job looks for workspaces whose digest hour has come (hourly by default).</summary>
    public string DigestCron { get; set; } = "0 5 * * * *";

    /// <summary>
    /// When the sweep of overdue messages runs (every 10 minutes): retries whose due time passed but whose own
    /// Hangfire job was lost (a node stopped between the attempt and planning the retry) go then, never earlier.
    /// </summary>
    public string OverdueCron { get; set; } = "0 */10 * * * *";

    /// <summary>How long Telegram or a webhook may take to answer before the attempt counts as failed.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often open pages' bells look for alerts opened or cleared by another node (this node's show at once).</summary>
    public TimeSpan BellPollInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The wait before retry <paramref name="failed"/> + 1.</summary>
    public TimeSpan RetryDelay(int failed) => FirstRetryDelay * Math.Pow(4, Math.Max(0, failed - 1));
}

/// <summary>
/// Messages to recipients: made when an alert opens (or a digest goes), sent at once, and on failure retried with
/// backoff through a Hangfire job until <see cref="AlertOptions.MaxAttempts"/>; every attempt is kept with its error, and
/// the alerts page shows them as the alert's history. A message is sent by one worker at a time (its row is locked).
/// </summary>
public sealed class AlertDeliveries(
    NpgsqlDataSource dataSource,
    AlertSenders senders,
    IBackgroundJobClient jobs,
    IOptions<AlertOptions> options,
    TimeProvider clock,
    ILogger<AlertDeliveries> logger)
{
    /// <summary>The event names a webhook receives (<c>event</c> in the body, <c>X-SellerDesk-Event</c> header).</summary>
    public const string AlertOpened = "alert.opened";

    public const string Digest = "digest";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One message per recipient of <paramref name="rule"/>, in the recipient's language, inside the evaluation's transaction.</summary>
    internal async Task CreateForAlertAsync(NpgsqlConnection connection, Guid workspaceId, Guid alertId, AlertRuleView rule, AlertCondition condition, CancellationToken ct)
    {
        if (rule.Recipients.Count == 0)
        {
            return;
        }

        var recipients = new List<(Guid Id, string Culture)>();
        await using (var cmd = new NpgsqlCommand("SELECT id, culture FROM alert_recipients WHERE workspace_id = $1 AND id = ANY($2)", connection))
        {
            cmd.Parameters.AddWithValue(workspaceId);
            cmd.Parameters.AddWithValue(rule.Recipients.ToArray());
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                recipients.Add((reader.GetGuid(0), reader.GetString(1)));
            }
        }

        var workspace = await WorkspaceNameAsync(connection, workspaceId, ct);
        foreach (var (recipient, culture) in recipients)
        {
            var ru = culture == "ru";
            var title = AlertTexts.KindTitle(rule.Kind);
            var subject = "SellerDesk: " + (ru ? title.Ru : title.En);
            var body = (ru ? condition.Text.Ru : condition.Text.En) + "\n\n" + (ru ? "Рабочее пространство: " : "Workspace: ") + workspace;
            var deliveryId = Guid.NewGuid();
            var payload = new JsonObject
            {
                ["event"] = AlertOpened,
                ["delivery_id"] = deliveryId.ToString("D"),
                ["workspace"] = new JsonObject { ["id"] = workspaceId.ToString("D"), ["name"] = workspace },
                ["alert"] = new JsonObject
                {
                    ["id"] = alertId.ToString("D"),
                    ["rule_id"] = rule.Id.ToString("D"),
                    ["kind"] = rule.Kind,
                    ["subject"] = condition.Subject,
                    ["text"] = new JsonObject { ["en"] = condition.Text.En, ["ru"] = condition.Text.Ru },
                    ["value"] = condition.Value,
                    ["threshold"] = rule.Threshold,
                    ["opened_at"] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                },
            };
            await InsertAsync(connection, workspaceId, deliveryId, alertId, recipient, subject, body, payload, ct);
        }
    }

    /// <summary>A digest message to each of <paramref name="recipients"/>; returns the messages' ids (send them with <see cref="AttemptAsync"/>).</summary>
    internal async Task<IReadOnlyList<Guid>> CreateDigestAsync(
        Guid workspaceId, IReadOnlyList<(Guid Id, string Culture)> recipients, LocalText subject, LocalText body, JsonObject content, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var workspace = await WorkspaceNameAsync(connection, workspaceId, ct);
        var ids = new List<Guid>();
        foreach (var (recipient, culture) in recipients)
        {
            var id = Guid.NewGuid();
            var payload = new JsonObject
            {
                ["event"] = Digest,
                ["delivery_id"] = id.ToString("D"),
                ["workspace"] = new JsonObject { ["id"] = workspaceId.ToString("D"), ["name"] = workspace },
                ["digest"] = content.DeepClone(),
            };
            await InsertAsync(connection, workspaceId, id, null, recipient, culture == "ru" ? subject.Ru : subject.En, culture == "ru" ? body.Ru : body.En, payload, ct);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Sends the first attempt of the new alerts' messages; returns how many went and how many wait for a retry.</summary>
    internal async Task<(int Sent, int Retrying)> SendPendingAsync(Guid workspaceId, Guid[] alertIds, CancellationToken ct)
    {
        if (alertIds.Length == 0)
        {
            return (0, 0);
        }

        var ids = new List<Guid>();
        await using (var cmd = dataSource.CreateCommand("SELECT id FROM alert_deliveries WHERE workspace_id = $1 AND alert_id = ANY($2) AND status = 'pending' AND attempts = 0"))
        {
            cmd.Parameters.AddWithValue(workspaceId);
            cmd.Parameters.AddWithValue(alertIds);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        var (sent, retrying) = (0, 0);
        foreach (var id in ids)
        {
            switch (await AttemptAsync(workspaceId, id, ct))
            {
                case "sent":
                    sent++;
                    break;
                case "pending":
                    retrying++;
                    break;
            }
        }

        return (sent, retrying);
    }

    /// <summary>
    /// One attempt at a pending message: sent, or the error kept and a retry planned (or the message marked failed
    /// after the last attempt). Returns the message's status afterwards; null when it is gone or not pending.
    /// </summary>
    public async Task<string?> AttemptAsync(Guid workspaceId, Guid deliveryId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        AlertMessage? message = null;
        await using (var cmd = new NpgsqlCommand(
            """
            SELECT d.attempts, d.subject, d.body, d.payload::text, r.kind, r.address, r.protected_secret
            FROM alert_deliveries d JOIN alert_recipients r ON r.workspace_id = d.workspace_id AND r.id = d.recipient_id
            WHERE d.workspace_id = $1 AND d.id = $2 AND d.status = 'pending' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $3)
            FOR UPDATE OF d SKIP LOCKED
            """,
            connection))
        {
            cmd.Parameters.AddWithValue(workspaceId);
            cmd.Parameters.AddWithValue(deliveryId);
            cmd.Parameters.AddWithValue(clock.GetUtcNow());
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                message = new AlertMessage(
                    deliveryId,
                    reader.GetInt32(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6));
            }
        }

        if (message is null)
        {
            return null;
        }

        var attempt = message.Attempts + 1;
        string? error = null;
        AlertFailure? failure = null;
        try
        {
            await senders.SendAsync(message, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            (failure, error) = senders.Describe(ex, message);
            logger.LogWarning("Alert message {Delivery} ({Kind}) failed on attempt {Attempt}: {Code} {Error}", deliveryId, message.Kind, attempt, failure.Code, error);
        }

        var now = clock.GetUtcNow();
        await AlertService.ExecuteAsync(
            connection,
            """
            INSERT INTO alert_delivery_attempts (workspace_id, delivery_id, attempt, at, succeeded, error, error_code, error_args)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            ct,
            workspaceId,
            deliveryId,
            attempt,
            now,
            error is null,
            (object?)error ?? DBNull.Value,
            (object?)failure?.Code ?? DBNull.Value,
            failure is null ? DBNull.Value : failure.Args.ToArray());
        string status;
        DateTimeOffset? next = null;
        if (error is null)
        {
            status = "sent";
        }
        else if (attempt < options.Value.MaxAttempts)
        {
            status = "pending";
            next = now + options.Value.RetryDelay(attempt);
        }
        else
        {
            status = "failed";
        }

        await AlertService.ExecuteAsync(
            connection,
            "UPDATE alert_deliveries SET attempts = $3, status = $4, next_attempt_at = $5, sent_at = $6 WHERE workspace_id = $1 AND id = $2",
            ct,
            workspaceId,
            deliveryId,
            attempt,
            status,
            next is { } at ? at : DBNull.Value,
            error is null ? now : DBNull.Value);
        await tx.CommitAsync(ct);
        if (next is { } due)
        {
            jobs.Schedule<AlertJobs>(job => job.RetryDeliveryAsync(workspaceId, deliveryId, CancellationToken.None), due - now);
        }

        return status;
    }

    /// <summary>
    /// A retry job's run: the attempt when it is due. Hangfire may start a delayed job a little before its time (it
    /// keeps whole seconds); then the attempt waits, and the job is planned again for the rest of the wait.
    /// </summary>
    public async Task<string?> RetryAsync(Guid workspaceId, Guid deliveryId, CancellationToken ct)
    {
        if (await AttemptAsync(workspaceId, deliveryId, ct) is { } status)
        {
            return status;
        }

        await using var cmd = dataSource.CreateCommand("SELECT next_attempt_at FROM alert_deliveries WHERE workspace_id = $1 AND id = $2 AND status = 'pending'");
        cmd.Parameters.AddWithValue(workspaceId);
        cmd.Parameters.AddWithValue(deliveryId);
        if (await cmd.ExecuteScalarAsync(ct) is DateTime due && new DateTimeOffset(due, TimeSpan.Zero) - clock.GetUtcNow() is { } rest && rest > TimeSpan.Zero)
        {
            jobs.Schedule<AlertJobs>(job => job.RetryDeliveryAsync(workspaceId, deliveryId, CancellationToken.None), rest + TimeSpan.FromMilliseconds(100));
            return "pending";
        }

        return null;
    }

    /// <summary>
    /// The sweep (recurring job <c>alerts-overdue</c>): attempts every pending message whose retry is due (never one
    /// that is not), and first attempts that never went (older than a minute: the node stopped before sending).
    /// Returns how many went. Each attempt takes its message's row lock, so a retry job running at once sends nothing twice.
    /// </summary>
    public async Task<int> SendOverdueAsync(CancellationToken ct)
    {
        var due = new List<(Guid Workspace, Guid Id)>();
        var now = clock.GetUtcNow();
        await using (var cmd = dataSource.CreateCommand(
            """
            SELECT workspace_id, id FROM alert_deliveries
            WHERE status = 'pending' AND (next_attempt_at <= $1 OR (next_attempt_at IS NULL AND attempts = 0 AND created_at < $2))
            ORDER BY coalesce(next_attempt_at, created_at)
            LIMIT 500
            """))
        {
            cmd.Parameters.AddWithValue(now);
            cmd.Parameters.AddWithValue(now - TimeSpan.FromMinutes(1));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        var sent = 0;
        foreach (var (workspace, id) in due)
        {
            if (await AttemptAsync(workspace, id, ct) == "sent")
            {
                sent++;
            }
        }

        return sent;
    }

    private static async Task InsertAsync(
        NpgsqlConnection connection, Guid workspaceId, Guid id, Guid? alertId, Guid recipient, string subject, string body, JsonObject payload, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO alert_deliveries (workspace_id, id, alert_id, recipient_id, subject, body, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            connection);
        cmd.Parameters.AddWithValue(workspaceId);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.Add(new NpgsqlParameter { Value = alertId is { } a ? a : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.AddWithValue(recipient);
        cmd.Parameters.AddWithValue(subject);
        cmd.Parameters.AddWithValue(body);
        cmd.Parameters.Add(new NpgsqlParameter { Value = payload.ToJsonString(Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> WorkspaceNameAsync(NpgsqlConnection connection, Guid workspaceId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT name FROM workspaces WHERE id = $1", connection);
        cmd.Parameters.AddWithValue(workspaceId);
        return (string?)await cmd.ExecuteScalarAsync(ct) ?? string.Empty;
    }
}

/// <summary>One message as it goes out: its text, its webhook body, and where it goes (the secret still encrypted).</summary>
public sealed record AlertMessage(Guid Id, int Attempts, string Subject, string Body, string Payload, string Kind, string Address, string? ProtectedSecret);

/// <summary>
/// Sends one message: e-mail through the operator's SMTP server (<c>Smtp</c>), Telegram through the Bot API
/// (<see cref="AlertOptions.TelegramBaseUrl"/>), a webhook as a signed JSON POST. HTTP goes through the guarded
/// client (<see cref="AlertsSetup.HttpClientName"/>): internal addresses refused when the socket opens, no redirects.
/// </summary>
public sealed class AlertSenders(IHttpClientFactory http, IOptions<SmtpOptions> smtp, IOptions<AlertOptions> options, CredentialProtector protector)
{
    /// <summary>The webhook header with the body's signature: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body under the secret.</summary>
    public const string SignatureHeader = "X-SellerDesk-Signature";

    public const string EventHeader = "X-SellerDesk-Event";

    public const string DeliveryHeader = "X-SellerDesk-Delivery";

    /// <summary>The signature header's value for <paramref name="body"/> (UTF-8 bytes as sent) under <paramref name="secret"/>.</summary>
    public static string Sign(string secret, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public async Task SendAsync(AlertMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message.Kind)
        {
            case AlertRecipientKinds.Email:
                var server = smtp.Value;
                if (!server.IsConfigured)
                {
                    throw new AlertDeliveryException(AlertFailure.Of(AlertFailureCodes.SmtpNotConfigured), "no SMTP server is configured (Smtp:Host, Smtp:From)");
                }

                var mail = new MimeMessage();
                mail.From.Add(MailboxAddress.Parse(server.From!));
                mail.To.Add(MailboxAddress.Parse(message.Address));
                mail.Subject = message.Subject;
                mail.Body = new TextPart("plain") { Text = message.Body };
                await server.SendAsync(mail, ct);
                break;
            case AlertRecipientKinds.Telegram:
                var token = Secret(message);
                var url = new Uri(options.Value.TelegramBaseUrl.AbsoluteUri.TrimEnd('/') + "/bot" + token + "/sendMessage");
                using (var content = new StringContent(
                    JsonSerializer.Serialize(new { chat_id = message.Address, text = message.Subject + "\n\n" + message.Body, disable_web_page_preview = true }), Encoding.UTF8, "application/json"))
                using (var response = await Client().PostAsync(url, content, ct))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        var answer = await ShortBodyAsync(response, ct);
                        var status = (int)response.StatusCode;
                        var description = TelegramDescription(answer);
                        var code = status switch
                        {
                            401 => AlertFailureCodes.TelegramUnauthorized,
                            400 or 403 => AlertFailureCodes.TelegramChatRefused,
                            _ => AlertFailureCodes.TelegramRejected,
                        };
                        throw new AlertDeliveryException(AlertFailure.Of(code, status, description), $"Telegram answered {status}: {answer}");
                    }
                }

                break;
            case AlertRecipientKinds.Webhook:
                var bytes = Encoding.UTF8.GetBytes(message.Payload);
                using (var request = new HttpRequestMessage(HttpMethod.Post, message.Address))
                {
                    request.Content = new ByteArrayContent(bytes);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    request.Headers.Add(SignatureHeader, Sign(Secret(message), bytes));
                    request.Headers.Add(EventHeader, JsonNode.Parse(message.Payload)?["event"]?.GetValue<string>() ?? AlertDeliveries.AlertOpened);
                    request.Headers.Add(DeliveryHeader, message.Id.ToString("D"));
                    using var response = await Client().SendAsync(request, ct);
                    if (!response.IsSuccessStatusCode)
                    {
                        var answer = await ShortBodyAsync(response, ct);
                        throw new AlertDeliveryException(
                            AlertFailure.Of(AlertFailureCodes.WebhookRejected, (int)response.StatusCode, answer.ReplaceLineEndings(" ").Trim()),
                            $"the webhook answered {(int)response.StatusCode}: {answer}");
                    }
                }

                break;
            default:
                throw new InvalidOperationException($"unknown recipient kind '{message.Kind}'");
        }
    }

    /// <summary>
    /// An attempt's failure: its code and arguments (what the page shows, in the member's language) and the operator's
    /// English words for the log; neither ever holds the recipient's secret.
    /// </summary>
    internal (AlertFailure Failure, string Text) Describe(Exception ex, AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(message);
        var secrets = new List<string>();
        if (message.ProtectedSecret is { } stored)
        {
            try
            {
                secrets.AddRange(protector.Unprotect(stored).Values.Where(v => v.Length > 0));
            }
            catch (CredentialsUnreadableException)
            {
                // Nothing to redact that could be read.
            }
        }

        string Redact(string text) => secrets.Aggregate(text, (t, secret) => t.Replace(secret, "[redacted]", StringComparison.Ordinal));

        var server = smtp.Value.Host + ":" + smtp.Value.Port.ToString(CultureInfo.InvariantCulture);
        var failure = AlertFailureClassifier.Classify(ex, message, server, options.Value.HttpTimeout, Redact);
        failure = failure with { Args = [.. failure.Args.Select(Redact)] };
        var text = ex switch
        {
            TaskCanceledException => "no answer within " + options.Value.HttpTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s",
            _ => ex.InnerException is { } inner && ex is HttpRequestException && inner is not HttpRequestException ? ex.Message + " (" + inner.Message + ")" : ex.Message,
        };
        return (failure, Redact(text.Length > 500 ? text[..500] : text));
    }

    /// <summary>The Bot API's <c>description</c> ("Unauthorized", "Bad Request: chat not found"), or its answer as it came.</summary>
    private static string TelegramDescription(string answer)
    {
        try
        {
            return JsonNode.Parse(answer)?["description"]?.GetValue<string>() ?? answer;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return answer;
        }
    }

    private HttpClient Client() => http.CreateClient(AlertsSetup.HttpClientName);

    private string Secret(AlertMessage message) =>
        message.ProtectedSecret is { } stored && protector.Unprotect(stored).TryGetValue(AlertService.SecretKey, out var secret)
            ? secret
            : throw new AlertDeliveryException(AlertFailure.Of(AlertFailureCodes.SecretMissing), "the recipient's secret is missing: add the recipient again");

    private static async Task<string> ShortBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length > 200 ? text[..200] : text;
    }
}
