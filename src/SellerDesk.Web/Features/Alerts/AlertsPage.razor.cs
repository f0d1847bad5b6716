using System.Globalization;
using MudBlazor;
using Npgsql;
using SellerDesk.Web.Features.Common;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>
/// The alerts page: the history of alerts with each message's attempts, the rules with their thresholds and
/// recipients, the recipients, and the morning digest. Owner and Ops (<see cref="Auth.Policies.Alerts"/>).
/// </summary>
public sealed partial class AlertsPage
{
    private IReadOnlyList<AlertView>? history;
    private IReadOnlyList<AlertRuleView>? rules;
    private IReadOnlyList<AlertRecipientView>? recipients;
    private IReadOnlyList<DigestDeliveryView>? digests;
    private bool loadError;
    private bool busy;

    private string ruleKind = AlertKinds.ChannelCut;
    private decimal? ruleThreshold;
    private HashSet<Guid> ruleRecipients = [];
    private string? ruleError;

    private string recipientKind = AlertRecipientKinds.Email;
    private string? recipientName;
    private string? recipientAddress;
    private string? recipientSecret;
    private string recipientCulture = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "ru";
    private bool recipientDigest;
    private string? recipientError;
    private string? generatedSecret;

    private bool digestEnabled;
    private int digestHour = 8;

    protected override async Task LoadAsync()
    {
        try
        {
            history = await Alerts.HistoryAsync(Workspace.Id, AlertService.HistoryLimit, CancellationToken.None);
            rules = await Alerts.RulesAsync(Workspace.Id, CancellationToken.None);
            recipients = await Alerts.RecipientsAsync(Workspace.Id, CancellationToken.None);
            digests = await Alerts.DigestHistoryAsync(Workspace.Id, AlertService.DigestHistoryLimit, CancellationToken.None);
            var digest = await Alerts.DigestAsync(Workspace.Id, CancellationToken.None);
            (digestEnabled, digestHour) = (digest.Enabled, digest.Hour);
            loadError = false;
        }
        catch (NpgsqlException ex)
        {
            Logger.LogWarning(ex, "The alerts page could not read its data");
            loadError = true;
        }
    }

    private string When(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Workspace.Zone).ToString("g", CultureInfo.CurrentCulture);

    internal static Color DeliveryColour(string status) => status switch
    {
        "sent" => Color.Success,
        "pending" => Color.Warning,
        _ => Color.Error,
    };

    private string ThresholdText(AlertRuleView rule)
    {
        if (rule.Threshold is not { } t)
        {
            return T["Alerts.Rule.NoThreshold"];
        }

        var shown = rule.Kind is AlertKinds.ReturnLossRise or AlertKinds.FeeRateRise or AlertKinds.MissingCost
            ? t.ToString("0.##", CultureInfo.CurrentCulture)
            : UiFormat.Money(t);
        return T["Alerts.Unit." + rule.Kind, shown];
    }

    private string RecipientNames(AlertRuleView rule)
    {
        var names = (recipients ?? []).Where(r => rule.Recipients.Contains(r.Id)).Select(r => r.Name).ToList();
        return names.Count == 0 ? T["Alerts.NoRecipients"] : string.Join(", ", names);
    }

    private void ToggleRecipient(Guid id, bool on)
    {
        if (on)
        {
            ruleRecipients.Add(id);
        }
        else
        {
            ruleRecipients.Remove(id);
        }
    }

    private async Task RunAsync(Func<Task> action, Action<string>? onError = null)
    {
        busy = true;
        try
        {
            await action();
            await LoadAsync();
        }
        catch (AlertValidationException ex)
        {
            onError?.Invoke(ex.Text.Current);
        }
        catch (NpgsqlException ex)
        {
            Logger.LogWarning(ex, "An alerts page action failed");
            loadError = true;
        }
        finally
        {
            busy = false;
        }
    }

    private Task CheckNowAsync() => RunAsync(async () =>
    {
        var result = await Alerts.EvaluateAsync(Workspace.Id, CancellationToken.None);
        Snackbar.Add(T["Alerts.Checked", result.Opened, result.Cleared], Severity.Info);
    });

    private Task AddRuleAsync() => RunAsync(
        async () =>
        {
            ruleError = null;
            await Alerts.SaveRuleAsync(Workspace.Id, null, ruleKind, AlertKinds.TakesThreshold(ruleKind) ? ruleThreshold : null, true, ruleRecipients, CancellationToken.None);
            ruleThreshold = null;
            ruleRecipients = [];
            Snackbar.Add(T["Alerts.Rule.Added"], Severity.Success);
        },
        e => ruleError = e);

    private Task ToggleAsync(AlertRuleView rule, bool on) =>
        RunAsync(() => Alerts.SaveRuleAsync(Workspace.Id, rule.Id, rule.Kind, rule.Threshold, on, rule.Recipients, CancellationToken.None));

    private Task DeleteRuleAsync(Guid id) => RunAsync(async () =>
    {
        await Alerts.DeleteRuleAsync(Workspace.Id, id, CancellationToken.None);
        Snackbar.Add(T["Alerts.Delete.Done"], Severity.Info);
    });

    private Task AddRecipientAsync() => RunAsync(
        async () =>
        {
            recipientError = null;
            generatedSecret = null;
            var created = await Alerts.AddRecipientAsync(
                Workspace.Id,
                new NewAlertRecipient(recipientKind, recipientName ?? string.Empty, recipientAddress ?? string.Empty, recipientSecret, recipientCulture, recipientDigest),
                CancellationToken.None);
            generatedSecret = created.GeneratedSecret;
            (recipientName, recipientAddress, recipientSecret, recipientDigest) = (null, null, null, false);
            Snackbar.Add(T["Alerts.Recipient.Added"], Severity.Success);
        },
        e => recipientError = e);

    private Task SetDigestAsync(AlertRecipientView recipient, bool on) =>
        RunAsync(() => Alerts.SetRecipientDigestAsync(Workspace.Id, recipient.Id, on, CancellationToken.None));

    private Task DeleteRecipientAsync(Guid id) => RunAsync(async () =>
    {
        await Alerts.DeleteRecipientAsync(Workspace.Id, id, CancellationToken.None);
        Snackbar.Add(T["Alerts.Delete.Done"], Severity.Info);
    });

    private Task SaveDigestAsync() => RunAsync(async () =>
    {
        await Alerts.SetDigestAsync(Workspace.Id, new DigestSetting(digestEnabled, digestHour), CancellationToken.None);
        Snackbar.Add(T["Alerts.Digest.Saved"], Severity.Success);
    });

    private Task SendDigestAsync() => RunAsync(async () =>
    {
        if (recipients is null || !recipients.Any(r => r.Digest))
        {
            Snackbar.Add(T["Alerts.Digest.NoRecipients"], Severity.Warning);
            return;
        }

        var sent = await Digest.SendAsync(Workspace, Workspace.Today(Clock), CancellationToken.None);
        Snackbar.Add(T["Alerts.Digest.Sent", sent], Severity.Success);
    });
}
