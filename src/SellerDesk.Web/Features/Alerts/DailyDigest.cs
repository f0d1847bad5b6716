using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>What the morning digest says: yesterday's revenue and profit, the same day a week before, the channels to cut, the open alerts.</summary>
public sealed record DigestFigures(
    DateOnly Day,
    decimal Revenue,
    decimal Profit,
    decimal WeekBeforeRevenue,
    decimal WeekBeforeProfit,
    IReadOnlyList<ChannelRow> ChannelsToCut,
    IReadOnlyList<LocalText> OpenAlerts);

/// <summary>
/// The optional morning digest (issue 13 point 5): by e-mail or Telegram (or a webhook) to the recipients marked for
/// it, once a day at the workspace's digest hour, local time. Its figures are the reports' own: 4.2's revenue and
/// profit summed over marketplaces for yesterday and for the same weekday a week before, 4.1's channels whose verdict
/// over the trailing 4 weeks is cut, and the open alerts.
/// </summary>
public sealed class DailyDigest(NpgsqlDataSource dataSource, ReportService reports, AlertService alerts, AlertDeliveries deliveries, TimeProvider clock)
{
    /// <summary>Sends each enabled digest whose hour has come today (local) and that has not gone today.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var due = new List<(Guid Workspace, int Hour)>();
        await using (var cmd = dataSource.CreateCommand("SELECT workspace_id, digest_hour FROM alert_settings WHERE digest_enabled"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetGuid(0), reader.GetInt32(1)));
            }
        }

        var sent = 0;
        foreach (var (workspaceId, hour) in due)
        {
            var workspace = await alerts.WorkspaceAsync(workspaceId, ct);
            if (workspace is null)
            {
                continue;
            }

            var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), workspace.Zone);
            var today = DateOnly.FromDateTime(local.DateTime);
            if (local.Hour < hour || !await ClaimAsync(workspaceId, today, ct))
            {
                continue;
            }

            sent += await SendAsync(workspace, today, ct);
        }

        return sent;
    }

    /// <summary>Sends the digest of <paramref name="today"/> (about yesterday) to the workspace's digest recipients now; returns the messages sent.</summary>
    public async Task<int> SendAsync(WorkspaceContext workspace, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var recipients = (await alerts.RecipientsAsync(workspace.Id, ct)).Where(r => r.Digest).Select(r => (r.Id, r.Culture)).ToList();
        if (recipients.Count == 0)
        {
            return 0;
        }

        var figures = await FiguresAsync(workspace, today, ct);
        var subject = AlertConditions.Texts("SellerDesk: {0} in figures", "SellerDesk: {0} в цифрах", figures.Day);
        var body = new LocalText(Body(figures, english: true), Body(figures, english: false));
        var content = new JsonObject
        {
            ["day"] = figures.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["revenue"] = Rounding.Money(figures.Revenue),
            ["profit"] = Rounding.Money(figures.Profit),
            ["week_before_revenue"] = Rounding.Money(figures.WeekBeforeRevenue),
            ["week_before_profit"] = Rounding.Money(figures.WeekBeforeProfit),
            ["channels_to_cut"] = new JsonArray([.. figures.ChannelsToCut.Select(c => (JsonNode)new JsonObject { ["marketplace"] = c.Marketplace, ["channel"] = c.Channel })]),
            ["open_alerts"] = new JsonArray([.. figures.OpenAlerts.Select(a => (JsonNode)new JsonObject { ["en"] = a.En, ["ru"] = a.Ru })]),
        };
        var ids = await deliveries.CreateDigestAsync(workspace.Id, recipients, subject, body, content, ct);
        var sent = 0;
        foreach (var id in ids)
        {
            if (await deliveries.AttemptAsync(workspace.Id, id, ct) == "sent")
            {
                sent++;
            }
        }

        return sent;
    }

    public async Task<DigestFigures> FiguresAsync(WorkspaceContext workspace, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var day = today.AddDays(-1);
        var weekBefore = day.AddDays(-7);
        var yesterday = (await reports.LoadFactsAsync(workspace, new ReportRequest(day, day, today), ct)).Marketplaces();
        var before = (await reports.LoadFactsAsync(workspace, new ReportRequest(weekBefore, weekBefore, today), ct)).Marketplaces();
        var channels = (await reports.LoadFactsAsync(workspace, new ReportRequest(day.AddDays(1 - AlertConditions.WindowDays), day, today), ct)).Channels();
        var open = (await alerts.HistoryAsync(workspace.Id, AlertService.HistoryLimit, ct)).Where(a => a.Open).Select(a => a.Text).ToList();
        return new DigestFigures(
            day,
            yesterday.Sum(m => m.Revenue),
            yesterday.Sum(m => m.Profit),
            before.Sum(m => m.Revenue),
            before.Sum(m => m.Profit),
            [.. channels.Where(c => c.Verdict == ChannelVerdict.Cut)],
            open);
    }

    private static string Body(DigestFigures f, bool english)
    {
        string T(string en, string ru, params object?[] args) => AlertConditions.Format(english ? en : ru, english ? UiCultures.English : UiCultures.Russian, args);
        var text = new StringBuilder();
        text.AppendLine(T("Revenue: {0} ({1} against {2} a week before)", "Выручка: {0} ({1} к {2} неделей раньше)", f.Revenue, Change(f.Revenue, f.WeekBeforeRevenue), f.WeekBeforeRevenue));
        text.AppendLine(T("Profit: {0} ({1} against {2} a week before)", "Прибыль: {0} ({1} к {2} неделей раньше)", f.Profit, Change(f.Profit, f.WeekBeforeProfit), f.WeekBeforeProfit));
        text.AppendLine();
        text.AppendLine(f.ChannelsToCut.Count == 0
            ? T("Channels to cut (last 4 weeks): none.", "Каналы «сократить» (последние 4 недели): нет.")
            : T("Channels to cut (last 4 weeks): {0}", "Каналы «сократить» (последние 4 недели): {0}", string.Join(", ", f.ChannelsToCut.Select(c => c.Channel + " (" + c.Marketplace + ")"))));
        text.AppendLine();
        if (f.OpenAlerts.Count == 0)
        {
            text.AppendLine(T("Open alerts: none.", "Открытых оповещений нет."));
        }
        else
        {
            text.AppendLine(T("Open alerts: {0}", "Открытые оповещения: {0}", f.OpenAlerts.Count));
            foreach (var alert in f.OpenAlerts)
            {
                text.Append("• ").AppendLine(english ? alert.En : alert.Ru);
            }
        }

        return text.ToString();
    }

    /// <summary>The change as a signed amount: <c>+1 234,00 ₽</c>.</summary>
    private static ChangeAmount Change(decimal now, decimal before) => new(now - before);

    /// <summary>Takes the digest of <paramref name="today"/> for this node: false when another node (or an earlier run) sent it.</summary>
    private async Task<bool> ClaimAsync(Guid workspaceId, DateOnly today, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await AlertService.ExecuteAsync(
            connection,
            "UPDATE alert_settings SET last_digest_on = $2 WHERE workspace_id = $1 AND digest_enabled AND (last_digest_on IS NULL OR last_digest_on < $2)",
            ct,
            workspaceId,
            today) == 1;
    }
}

/// <summary>A signed difference of money (shown with + or −).</summary>
internal sealed record ChangeAmount(decimal Value);
