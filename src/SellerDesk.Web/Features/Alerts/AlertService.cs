using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Workspaces;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>
/// A workspace's alert rules, recipients, alerts and their history (migration 0020, decision 0026). The alerts page,
/// the bell and the jobs all go through it. Evaluation opens an alert for each condition that holds and is not open
/// yet (never twice while open), clears the open ones whose condition no longer holds, and hands each new alert's
/// messages to <see cref="AlertDeliveries"/>.
/// </summary>
public sealed class AlertService(
    NpgsqlDataSource dataSource,
    AlertConditions conditions,
    AlertDeliveries deliveries,
    AlertAddresses addresses,
    CredentialProtector protector,
    AlertNotifier notifier,
    TimeProvider clock)
{
    /// <summary>Digest messages the page lists.</summary>
    public const int DigestHistoryLimit = 30;

    /// <summary>Alerts the page's history lists.</summary>
    public const int HistoryLimit = 100;

    /// <summary>Recipients and rules a workspace may have: bounds what one evaluation sends.</summary>
    public const int MaxItems = 50;

    public async Task<IReadOnlyList<AlertRuleView>> RulesAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT r.id, r.kind, r.threshold, r.enabled,
                   coalesce(array_agg(rr.recipient_id ORDER BY rr.recipient_id) FILTER (WHERE rr.recipient_id IS NOT NULL), '{}')
            FROM alert_rules r
            LEFT JOIN alert_rule_recipients rr ON rr.workspace_id = r.workspace_id AND rr.rule_id = r.id
            WHERE r.workspace_id = $1
            GROUP BY r.id, r.kind, r.threshold, r.enabled, r.created_at
            ORDER BY r.created_at, r.id
            """);
        cmd.Parameters.AddWithValue(workspaceId);
        var rules = new List<AlertRuleView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rules.Add(new AlertRuleView(
                reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDecimal(2), reader.GetBoolean(3), reader.GetFieldValue<Guid[]>(4)));
        }

        return rules;
    }

    /// <summary>Adds a rule (<paramref name="id"/> null) or changes one; its recipients are replaced by <paramref name="recipients"/>.</summary>
    public async Task<Guid> SaveRuleAsync(Guid workspaceId, Guid? id, string kind, decimal? threshold, bool enabled, IReadOnlyCollection<Guid> recipients, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (!AlertKinds.All.Contains(kind))
        {
            throw new AlertValidationException("kind", new LocalText($"unknown rule kind '{kind}'", $"неизвестный вид правила «{kind}»"));
        }

        if (AlertKinds.NeedsThreshold(kind) && threshold is null)
        {
            throw new AlertValidationException("threshold", new LocalText("this rule needs a threshold", "этому правилу нужен порог"));
        }

        if (threshold is { } t && (kind != AlertKinds.ProfitFloor && t < 0 || Math.Abs(t) > 1_000_000_000_000m))
        {
            throw new AlertValidationException("threshold", new LocalText("the threshold must be zero or more", "порог не может быть отрицательным"));
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ruleId = id ?? Guid.NewGuid();
        if (id is null)
        {
            if (await CountAsync(connection, "alert_rules", workspaceId, ct) >= MaxItems)
            {
                throw new AlertValidationException("kind", new LocalText($"a workspace has at most {MaxItems} rules", $"в рабочем пространстве не больше {MaxItems} правил"));
            }

            await ExecuteAsync(connection, "INSERT INTO alert_rules (workspace_id, id, kind, threshold, enabled) VALUES ($1, $2, $3, $4, $5)", ct, workspaceId, ruleId, kind, Db(threshold), enabled);
        }
        else if (await ExecuteAsync(
            connection,
            "UPDATE alert_rules SET kind = $3, threshold = $4, enabled = $5, updated_at = now() WHERE workspace_id = $1 AND id = $2",
            ct,
            workspaceId,
            ruleId,
            kind,
            Db(threshold),
            enabled) == 0)
        {
            throw new AlertValidationException("kind", new LocalText("this rule is gone", "этого правила уже нет"));
        }

        await ExecuteAsync(connection, "DELETE FROM alert_rule_recipients WHERE workspace_id = $1 AND rule_id = $2", ct, workspaceId, ruleId);
        await ExecuteAsync(
            connection,
            """
            INSERT INTO alert_rule_recipients (workspace_id, rule_id, recipient_id)
            SELECT $1, $2, r.id FROM alert_recipients r WHERE r.workspace_id = $1 AND r.id = ANY($3)
            """,
            ct,
            workspaceId,
            ruleId,
            recipients.Distinct().ToArray());
        await tx.CommitAsync(ct);
        return ruleId;
    }

    /// <summary>Deletes a rule with its alerts and their history.</summary>
    public async Task<bool> DeleteRuleAsync(Guid workspaceId, Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ExecuteAsync(connection, "DELETE FROM alert_rules WHERE workspace_id = $1 AND id = $2", ct, workspaceId, id) > 0;
    }

    public async Task<IReadOnlyList<AlertRecipientView>> RecipientsAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, kind, name, address, culture, digest FROM alert_recipients WHERE workspace_id = $1 ORDER BY created_at, id");
        cmd.Parameters.AddWithValue(workspaceId);
        var list = new List<AlertRecipientView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new AlertRecipientView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetBoolean(5)));
        }

        return list;
    }

    /// <summary>
    /// Adds a recipient after checking its address (<see cref="AlertAddresses"/>). The Telegram bot token and the webhook
    /// secret are stored encrypted, as connection credentials are; a webhook without a secret gets one, returned once.
    /// </summary>
    public async Task<AlertRecipientCreated> AddRecipientAsync(Guid workspaceId, NewAlertRecipient request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 100)
        {
            throw new AlertValidationException("name", new LocalText("give the recipient a name of 1 to 100 characters", "дайте получателю имя длиной от 1 до 100 символов"));
        }

        var culture = request.Culture is "en" ? "en" : "ru";
        var (address, secret, generated) = request.Kind switch
        {
            AlertRecipientKinds.Email => (addresses.Email(request.Address), null, null),
            AlertRecipientKinds.Telegram => (addresses.TelegramChat(request.Address), addresses.TelegramToken(request.Secret), null),
            AlertRecipientKinds.Webhook => WebhookWithSecret(addresses.Webhook(request.Address), request.Secret),
            _ => throw new AlertValidationException("kind", new LocalText($"unknown recipient kind '{request.Kind}'", $"неизвестный вид получателя «{request.Kind}»")),
        };
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await CountAsync(connection, "alert_recipients", workspaceId, ct) >= MaxItems)
        {
            throw new AlertValidationException("name", new LocalText($"a workspace has at most {MaxItems} recipients", $"в рабочем пространстве не больше {MaxItems} получателей"));
        }

        await ExecuteAsync(
            connection,
            "INSERT INTO alert_recipients (workspace_id, id, kind, name, address, protected_secret, culture, digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            ct,
            workspaceId,
            id,
            request.Kind,
            name,
            address,
            secret is null ? DBNull.Value : protector.Protect(new Dictionary<string, string> { [SecretKey] = secret }),
            culture,
            request.Digest);
        return new AlertRecipientCreated(id, generated);
    }

    public async Task<bool> DeleteRecipientAsync(Guid workspaceId, Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ExecuteAsync(connection, "DELETE FROM alert_recipients WHERE workspace_id = $1 AND id = $2", ct, workspaceId, id) > 0;
    }

    public async Task SetRecipientDigestAsync(Guid workspaceId, Guid id, bool digest, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, "UPDATE alert_recipients SET digest = $3 WHERE workspace_id = $1 AND id = $2", ct, workspaceId, id, digest);
    }

    public async Task<DigestSetting> DigestAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT digest_enabled, digest_hour FROM alert_settings WHERE workspace_id = $1");
        cmd.Parameters.AddWithValue(workspaceId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new DigestSetting(reader.GetBoolean(0), reader.GetInt32(1)) : new DigestSetting(false, 8);
    }

    public async Task SetDigestAsync(Guid workspaceId, DigestSetting setting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (setting.Hour is < 0 or > 23)
        {
            throw new AlertValidationException("hour", new LocalText("the hour is 0 to 23", "час — от 0 до 23"));
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(
            connection,
            """
            INSERT INTO alert_settings (workspace_id, digest_enabled, digest_hour) VALUES ($1, $2, $3)
            ON CONFLICT (workspace_id) DO UPDATE SET digest_enabled = excluded.digest_enabled, digest_hour = excluded.digest_hour
            """,
            ct,
            workspaceId,
            setting.Enabled,
            setting.Hour);
    }

    /// <summary>The latest alerts (open and cleared), each with its deliveries and their attempts.</summary>
    public async Task<IReadOnlyList<AlertView>> HistoryAsync(Guid workspaceId, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var alerts = new List<(Guid Id, Guid Rule, string Kind, string Subject, LocalText Text, decimal? Value, DateTimeOffset Opened, DateTimeOffset? Cleared)>();
        await using (var cmd = new NpgsqlCommand(
            """
            SELECT a.id, a.rule_id, r.kind, a.subject, a.text_en, a.text_ru, a.value, a.opened_at, a.cleared_at
            FROM alerts a JOIN alert_rules r ON r.workspace_id = a.workspace_id AND r.id = a.rule_id
            WHERE a.workspace_id = $1
            ORDER BY a.opened_at DESC, a.id
            LIMIT $2
            """,
            connection))
        {
            cmd.Parameters.AddWithValue(workspaceId);
            cmd.Parameters.AddWithValue(Math.Clamp(limit, 1, HistoryLimit));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                alerts.Add((
                    reader.GetGuid(0),
                    reader.GetGuid(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    new LocalText(reader.GetString(4), reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                    reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        var sent = await DeliveriesAsync(connection, workspaceId, [.. alerts.Select(a => a.Id)], ct);
        return [.. alerts.Select(a => new AlertView(a.Id, a.Rule, a.Kind, a.Subject, a.Text, a.Value, a.Opened, a.Cleared, sent.GetValueOrDefault(a.Id) ?? []))];
    }

    /// <summary>The bell of one member: alerts opened since they last looked, and the latest ten.</summary>
    public async Task<AlertBellView> BellAsync(Guid workspaceId, Guid userId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT count(*) FROM alerts a
            WHERE a.workspace_id = $1
              AND a.opened_at > coalesce((SELECT seen_at FROM alert_reads WHERE workspace_id = $1 AND user_id = $2), '-infinity')
            """);
        cmd.Parameters.AddWithValue(workspaceId);
        cmd.Parameters.AddWithValue(userId);
        var unread = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        var latest = await HistoryAsync(workspaceId, 10, ct);
        return new AlertBellView(unread, latest);
    }

    /// <summary>The member has seen every alert opened until now.</summary>
    public async Task MarkSeenAsync(Guid workspaceId, Guid userId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(
            connection,
            """
            INSERT INTO alert_reads (workspace_id, user_id, seen_at) VALUES ($1, $2, $3)
            ON CONFLICT (workspace_id, user_id) DO UPDATE SET seen_at = excluded.seen_at
            """,
            ct,
            workspaceId,
            userId,
            clock.GetUtcNow());
    }

    /// <summary>
    /// Evaluates the workspace's enabled rules now: opens what holds and is not open, clears what no longer holds, and
    /// sends each new alert to its rule's recipients (failures retried, see <see cref="AlertDeliveries"/>). Two
    /// evaluations of one workspace take turns (an advisory lock), so an alert is never opened twice.
    /// </summary>
    public async Task<AlertEvaluation> EvaluateAsync(Guid workspaceId, CancellationToken ct)
    {
        var workspace = await WorkspaceAsync(workspaceId, ct);
        if (workspace is null)
        {
            return new AlertEvaluation(0, 0, 0, 0);
        }

        var rules = await RulesAsync(workspaceId, ct);
        var enabled = rules.Where(r => r.Enabled).ToList();
        var states = enabled.Count == 0 ? [] : await ConnectionStatesAsync(workspaceId, ct);
        var holding = await conditions.EvaluateAsync(workspace, enabled, states, workspace.Today(clock), ct);

        var opened = new List<(Guid Alert, AlertCondition Condition)>();
        int cleared;
        var updated = 0;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('alerts:' || $1::text, 0))", ct, workspaceId);
            foreach (var condition in holding)
            {
                await using var insert = new NpgsqlCommand(
                    """
                    INSERT INTO alerts (workspace_id, id, rule_id, subject, text_en, text_ru, value, opened_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (workspace_id, rule_id, subject) WHERE cleared_at IS NULL DO NOTHING
                    RETURNING id
                    """,
                    connection);
                foreach (var value in new object[] { workspaceId, Guid.NewGuid(), condition.RuleId, condition.Subject, condition.Text.En, condition.Text.Ru, Db(condition.Value), clock.GetUtcNow() })
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                if (await insert.ExecuteScalarAsync(ct) is Guid id)
                {
                    opened.Add((id, condition));
                    continue;
                }

                // Open already (no second message): its words and figure follow the condition as it stands now.
                updated += await ExecuteAsync(
                    connection,
                    """
                    UPDATE alerts SET text_en = $4, text_ru = $5, value = $6
                    WHERE workspace_id = $1 AND rule_id = $2 AND subject = $3 AND cleared_at IS NULL
                      AND (text_en <> $4 OR text_ru <> $5 OR value IS DISTINCT FROM $6)
                    """,
                    ct,
                    workspaceId,
                    condition.RuleId,
                    condition.Subject,
                    condition.Text.En,
                    condition.Text.Ru,
                    Db(condition.Value));
            }

            // Only rules evaluated now clear their alerts: a disabled rule's open alerts stay as they were.
            var subjects = holding.Select(c => c.RuleId + "\n" + c.Subject).ToArray();
            cleared = await ExecuteAsync(
                connection,
                """
                UPDATE alerts SET cleared_at = $4
                WHERE workspace_id = $1 AND cleared_at IS NULL AND rule_id = ANY($2) AND NOT ((rule_id::text || E'\n' || subject) = ANY($3))
                """,
                ct,
                workspaceId,
                enabled.Select(r => r.Id).ToArray(),
                subjects,
                clock.GetUtcNow());

            foreach (var (alert, condition) in opened)
            {
                var rule = enabled.Single(r => r.Id == condition.RuleId);
                await deliveries.CreateForAlertAsync(connection, workspaceId, alert, rule, condition, ct);
            }

            await tx.CommitAsync(ct);
        }

        if (opened.Count + cleared + updated > 0)
        {
            notifier.Changed(workspaceId);
        }

        var (sent, retrying) = await deliveries.SendPendingAsync(workspaceId, [.. opened.Select(o => o.Alert)], ct);
        return new AlertEvaluation(opened.Count, cleared, sent, retrying);
    }

    /// <summary>The workspace's name and zone; null when it is gone.</summary>
    public async Task<WorkspaceContext?> WorkspaceAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT name, time_zone FROM workspaces WHERE id = $1");
        cmd.Parameters.AddWithValue(workspaceId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new WorkspaceContext(workspaceId, reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Workspaces with at least one enabled rule (the daily evaluation's list).</summary>
    public async Task<IReadOnlyList<Guid>> WorkspacesWithRulesAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT DISTINCT workspace_id FROM alert_rules WHERE enabled");
        var list = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(reader.GetGuid(0));
        }

        return list;
    }

    /// <summary>The workspace a pull run belonged to; null when the run is gone.</summary>
    public async Task<Guid?> WorkspaceOfRunAsync(Guid runId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT workspace_id FROM pull_runs WHERE id = $1");
        cmd.Parameters.AddWithValue(runId);
        return await cmd.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }

    /// <summary>Each connection's state and the payout difference of its latest run that reconciled both sides.</summary>
    private async Task<IReadOnlyList<ConnectionState>> ConnectionStatesAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT c.id, c.name, c.status, last.ledger_payout - last.marketplace_payout
            FROM connections c
            LEFT JOIN LATERAL (
                SELECT r.ledger_payout, r.marketplace_payout FROM pull_runs r
                WHERE r.connection_id = c.id AND r.status = $2 AND r.ledger_payout IS NOT NULL AND r.marketplace_payout IS NOT NULL
                ORDER BY r.finished_at DESC NULLS LAST, r.created_at DESC
                LIMIT 1) last ON true
            WHERE c.workspace_id = $1
            ORDER BY c.name
            """);
        cmd.Parameters.AddWithValue(workspaceId);
        cmd.Parameters.AddWithValue(PullRunStatus.Succeeded);
        var list = new List<ConnectionState>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ConnectionState(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetDecimal(3)));
        }

        return list;
    }

    /// <summary>The latest digest messages (each recipient's), newest first, with their attempts: what went out and how it went.</summary>
    public async Task<IReadOnlyList<DigestDeliveryView>> DigestHistoryAsync(Guid workspaceId, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var views = await DeliveryRowsAsync(
            connection,
            workspaceId,
            "d.alert_id IS NULL",
            null,
            "d.created_at DESC, r.name LIMIT " + Math.Clamp(limit, 1, DigestHistoryLimit).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ct);
        return [.. views.Select(v => new DigestDeliveryView(v.View.CreatedAt, v.Day, v.View))];
    }

    private static async Task<Dictionary<Guid, List<DeliveryView>>> DeliveriesAsync(NpgsqlConnection connection, Guid workspaceId, Guid[] alertIds, CancellationToken ct)
    {
        var result = new Dictionary<Guid, List<DeliveryView>>();
        if (alertIds.Length == 0)
        {
            return result;
        }

        foreach (var (alert, _, view) in await DeliveryRowsAsync(connection, workspaceId, "d.alert_id = ANY($2)", alertIds, "d.created_at, r.name", ct))
        {
            if (!result.TryGetValue(alert!.Value, out var list))
            {
                result[alert.Value] = list = [];
            }

            list.Add(view);
        }

        return result;
    }

    private static async Task<List<(Guid? Alert, DateOnly? Day, DeliveryView View)>> DeliveryRowsAsync(
        NpgsqlConnection connection, Guid workspaceId, string where, Guid[]? alertIds, string orderBy, CancellationToken ct)
    {
        var rows = new List<(Guid? Alert, DateOnly? Day, DeliveryView View)>();
        await using var cmd = new NpgsqlCommand(
            $$"""
            SELECT d.alert_id, d.id, r.name, r.kind, d.status, d.attempts, d.next_attempt_at, d.sent_at,
                   coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', t.attempt, 'at', t.at, 'succeeded', t.succeeded, 'error', t.error,
                                                      'code', t.error_code, 'args', to_jsonb(t.error_args)) ORDER BY t.attempt)
                             FROM alert_delivery_attempts t WHERE t.workspace_id = d.workspace_id AND t.delivery_id = d.id), '[]'),
                   d.created_at, (d.payload #>> '{digest,day}')::date
            FROM alert_deliveries d JOIN alert_recipients r ON r.workspace_id = d.workspace_id AND r.id = d.recipient_id
            WHERE d.workspace_id = $1 AND {{where}}
            ORDER BY {{orderBy}}
            """,
            connection);
        cmd.Parameters.AddWithValue(workspaceId);
        if (alertIds is not null)
        {
            cmd.Parameters.AddWithValue(alertIds);
        }

        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var history = JsonSerializer.Deserialize<List<AttemptRow>>(reader.GetString(8)) ?? [];
            var view = new DeliveryView(
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(9),
                [.. history.Select(h => new DeliveryAttemptView(h.Attempt, h.At, h.Succeeded, h.Error, h.Code, h.Args ?? []))]);
            rows.Add((reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateOnly>(10), view));
        }

        return rows;
    }

    private sealed record AttemptRow(
        [property: System.Text.Json.Serialization.JsonPropertyName("attempt")] int Attempt,
        [property: System.Text.Json.Serialization.JsonPropertyName("at")] DateTimeOffset At,
        [property: System.Text.Json.Serialization.JsonPropertyName("succeeded")] bool Succeeded,
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string? Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("code")] string? Code,
        [property: System.Text.Json.Serialization.JsonPropertyName("args")] string[]? Args);

    /// <summary>The key the recipient's secret is stored under (the protector keeps dictionaries, as for connections).</summary>
    internal const string SecretKey = "secret";

    private static (string Address, string? Secret, string? Generated) WebhookWithSecret(string url, string? secret)
    {
        if (!string.IsNullOrWhiteSpace(secret))
        {
            var given = secret.Trim();
            if (given.Length is < 16 or > 200)
            {
                throw new AlertValidationException("secret", new LocalText("a webhook secret has 16 to 200 characters (leave it blank to get one)", "секрет вебхука — от 16 до 200 символов (оставьте пустым, и он будет создан)"));
            }

            return (url, given, null);
        }

        var made = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return (url, made, made);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table, Guid workspaceId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE workspace_id = $1", connection);
        cmd.Parameters.AddWithValue(workspaceId);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    internal static object Db(decimal? value) => value is { } v ? v : DBNull.Value;

    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            cmd.Parameters.Add(value is string[] texts
                ? new NpgsqlParameter { Value = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
                : new NpgsqlParameter { Value = value });
        }

        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The recipient kinds (stored in <c>alert_recipients.kind</c>).</summary>
public static class AlertRecipientKinds
{
    public const string Email = "email";
    public const string Telegram = "telegram";
    public const string Webhook = "webhook";

    public static IReadOnlyList<string> All { get; } = [Email, Telegram, Webhook];
}
