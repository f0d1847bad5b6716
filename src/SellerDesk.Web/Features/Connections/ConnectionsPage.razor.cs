using System.Globalization;
using Npgsql;
using MudBlazor;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace SellerDesk.Web.Features.Connections;

/// <summary>
/// The ops page: connect marketplace accounts, schedule their pulls, run one now or backfill a period, pause and
/// resume, and watch runs with live progress, counts, reconciliation and errors in plain words. It polls the
/// database every second while a run is queued or running, and every ten seconds otherwise.
/// </summary>
public sealed partial class ConnectionsPage
{
    /// <summary>Fields of the add form that show their own problem next to them (the rest are listed under the form).</summary>
    private static readonly string[] InlineAddFields = ["name", "base_url", "backfill_days", "credentials"];

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<ConnectionView>? connections;
    private IReadOnlyList<PullRunView>? runs;
    private IReadOnlyDictionary<Guid, int> gapCounts = new Dictionary<Guid, int>();
    private string? loadError;
    private Guid workspaceId;
    private TimeZoneInfo zone = TimeZoneInfo.Utc;
    private bool busy;

    private Guid? editing;
    private Panel panel;
    private ScheduleForm preset = new();
    private DateTime? backfillFrom;
    private DateTime? backfillTo;
    private Dictionary<string, string> credentials = [];
    private IReadOnlyDictionary<string, string[]>? formErrors;

    private string newMarketplace = "sandbox";
    private string? newName;
    private string? newBaseUrl;
    private Dictionary<string, string> newCredentials = [];
    private ScheduleForm newSchedule = new();
    private int newBackfillDays = ConnectionService.DefaultBackfillDays;
    private IReadOnlyDictionary<string, string[]>? addErrors;

    private enum Panel
    {
        None,
        Schedule,
        Backfill,
        Credentials,
    }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The address the page was opened from (the live connection has no request of its own).</summary>
    [CascadingParameter(Name = "ClientAddress")]
    private string? ClientAddress { get; set; }

    /// <summary>The signed-in member as the audit log names them.</summary>
    private Actor Me { get; set; } = Actor.App;

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            Me = Actor.Of((await AuthenticationState).User, ClientAddress);
        }

        await LoadAsync();
        if (RendererInfo.IsInteractive)
        {
            _ = PollAsync(_disposed.Token);
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private async Task PollAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var anyActive = runs?.Any(r => r.Status is PullRunStatus.Queued or PullRunStatus.Running) ?? false;
                await Task.Delay(anyActive ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10), Clock, ct);
                await LoadAsync();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            var workspace = await Workspace.GetAsync(_disposed.Token);
            if (workspace is null)
            {
                loadError = L["Status.Starting"];
                return;
            }

            workspaceId = workspace.Id;
            zone = workspace.Zone;
            connections = await Connections.ListAsync(workspaceId, _disposed.Token);
            runs = await Connections.RunsAsync(workspaceId, null, 30, _disposed.Token);
            gapCounts = await Connections.GapCountsAsync(workspaceId, [.. runs.Select(r => r.Id)], _disposed.Token);
            loadError = null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException and not ObjectDisposedException)
        {
            Logger.LogWarning("Connections page could not load: {Error}", ex.Message);
            loadError = L["Status.DatabaseUnavailable.Text"];
        }
    }

    private PullRunView? ActiveRun(Guid connectionId) =>
        runs?.FirstOrDefault(r => r.ConnectionId == connectionId && r.Status is PullRunStatus.Queued or PullRunStatus.Running);

    private async Task RunNowAsync(ConnectionView c)
    {
        await ActAsync(() => Actions.QueuePullAsync(Me, workspaceId, c.Id, null, null, ConnectionService.ManualTrigger, PullStart.Manual, _disposed.Token));
        Snackbar.Add(L["Connections.Snack.Queued", c.Name], Severity.Info);
    }

    private async Task SetEnabledAsync(ConnectionView c, bool enabled) =>
        await ActAsync(() => Actions.SetEnabledAsync(Me, workspaceId, c.Id, enabled, _disposed.Token));

    /// <summary>Asks what becomes of the connection's data (keep by default, or remove), then deletes it; its runs stay.</summary>
    private async Task DeleteAsync(ConnectionView c)
    {
        var data = await Connections.DataAsync(workspaceId, c.Id, _disposed.Token);
        var parameters = new DialogParameters<DeleteConnectionDialog>
        {
            { d => d.Name, c.Name },
            { d => d.Data, data },
        };
        var dialog = await Dialogs.ShowAsync<DeleteConnectionDialog>(
            L["Connections.DeleteDialog.Title", c.Name], parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not ConnectionDataChoice choice)
        {
            return;
        }

        await ActAsync(() => Actions.DeleteConnectionAsync(Me, workspaceId, c.Id, choice, _disposed.Token));
        Snackbar.Add(L[choice == ConnectionDataChoice.Remove ? "Connections.Snack.DeletedRemoved" : "Connections.Snack.Deleted", c.Name], Severity.Normal);
    }

    /// <summary>Shows the rows a run could not map, with why and their raw content.</summary>
    private async Task ShowGapsAsync(PullRunView run)
    {
        var gaps = await Connections.GapsAsync(workspaceId, run.Id, _disposed.Token) ?? [];
        var parameters = new DialogParameters<GapsDialog> { { d => d.Gaps, gaps } };
        await Dialogs.ShowAsync<GapsDialog>(
            L["Connections.Gaps.Title", gaps.Count], parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
    }

    private void OpenSchedule(ConnectionView c)
    {
        Open(c, Panel.Schedule);
        preset = ScheduleForm.From(c.Schedule);
    }

    private void OpenBackfill(ConnectionView c)
    {
        Open(c, Panel.Backfill);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), zone).DateTime);
        backfillTo = today.ToDateTime(TimeOnly.MinValue);
        backfillFrom = today.AddDays(-89).ToDateTime(TimeOnly.MinValue);
    }

    private void OpenCredentials(ConnectionView c)
    {
        Open(c, Panel.Credentials);
        credentials = [];
    }

    private void Open(ConnectionView c, Panel which)
    {
        editing = editing == c.Id && panel == which ? null : c.Id;
        panel = editing is null ? Panel.None : which;
        formErrors = null;
    }

    private void Close()
    {
        editing = null;
        panel = Panel.None;
        formErrors = null;
    }

    private async Task SaveScheduleAsync(ConnectionView c)
    {
        var schedule = new PullSchedule(preset.ToPreset().ToCron(), preset.WindowDays, preset.Enabled);
        if (await FormAsync(() => Actions.SetScheduleAsync(Me, workspaceId, c.Id, schedule, _disposed.Token)))
        {
            Snackbar.Add(L["Connections.Snack.ScheduleSaved", c.Name], Severity.Success);
            Close();
        }
    }

    private async Task BackfillAsync(ConnectionView c)
    {
        if (backfillFrom is null || backfillTo is null)
        {
            formErrors = new Dictionary<string, string[]> { ["from"] = [L["Connections.Backfill.Dates"]] };
            return;
        }

        if (await FormAsync(() => Actions.QueuePullAsync(
            Me, workspaceId, c.Id, DateOnly.FromDateTime(backfillFrom.Value), DateOnly.FromDateTime(backfillTo.Value), ConnectionService.ManualTrigger, PullStart.Backfill, _disposed.Token)))
        {
            Snackbar.Add(L["Connections.Snack.Queued", c.Name], Severity.Info);
            Close();
        }
    }

    private async Task SaveCredentialsAsync(ConnectionView c)
    {
        if (await FormAsync(() => Actions.ReplaceCredentialsAsync(Me, workspaceId, c.Id, credentials, _disposed.Token)))
        {
            Snackbar.Add(L["Connections.Snack.CredentialsSaved", c.Name], Severity.Success);
            Close();
        }
    }

    private async Task AddAsync()
    {
        addErrors = null;
        busy = true;
        try
        {
            await Actions.CreateConnectionAsync(
                Me,
                workspaceId,
                new NewConnection(newMarketplace, newName ?? string.Empty, newCredentials, newBaseUrl)
                {
                    Schedule = newSchedule.ToSchedule(),
                    BackfillDays = newBackfillDays,
                },
                _disposed.Token);
            Snackbar.Add(L["Connections.Snack.Added", newName ?? string.Empty], Severity.Success);
            newName = null;
            newBaseUrl = null;
            newCredentials = [];
            newSchedule = new();
            newBackfillDays = ConnectionService.DefaultBackfillDays;
            await LoadAsync();
        }
        catch (ConnectionValidationException ex)
        {
            addErrors = Messages(ex);
        }
        finally
        {
            busy = false;
        }
    }

    private void MarketplaceChanged(string marketplace)
    {
        newMarketplace = marketplace;
        newCredentials = [];
        addErrors = null;
    }

    private async Task<bool> FormAsync<T>(Func<Task<T>> action)
    {
        formErrors = null;
        try
        {
            await ActAsync(action);
            return true;
        }
        catch (ConnectionValidationException ex)
        {
            formErrors = Messages(ex);
            return false;
        }
    }

    private async Task ActAsync<T>(Func<Task<T>> action)
    {
        busy = true;
        try
        {
            await action();
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    /// <summary>The problems of a refused request by field, in the page's language.</summary>
    private static Dictionary<string, string[]> Messages(ConnectionValidationException ex) =>
        ex.Texts.ToDictionary(e => e.Key, e => e.Value.Select(t => t.Current).ToArray());

    /// <summary>The problems to list under a form: all of them but those of <paramref name="inline"/> fields (shown at the field).</summary>
    private static string[]? Messages(IReadOnlyDictionary<string, string[]>? errors, params string[] inline) =>
        errors is null
            ? null
            : [.. errors.Where(e => !inline.Contains(e.Key) && !(inline.Contains("credentials") && e.Key.StartsWith("credentials.", StringComparison.Ordinal)))
                .SelectMany(e => e.Value)];

    private static string? Problem(IReadOnlyDictionary<string, string[]>? errors, string field) =>
        errors?.TryGetValue(field, out var messages) == true && messages.Length > 0 ? string.Join(" ", messages) : null;

    private string MarketplaceName(string code) => UiNames.Marketplace(L, code);

    private string LocalTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("g", CultureInfo.CurrentCulture);

    private string ScheduleText(ConnectionView c)
    {
        if (c.Schedule.Cron is null)
        {
            return L["Connections.Schedule.None"];
        }

        var p = SchedulePreset.FromCron(c.Schedule.Cron);
        var when = p.Kind switch
        {
            ScheduleKind.Hourly => L["Connections.Schedule.Text.Hourly", p.Minute.ToString("D2", CultureInfo.InvariantCulture)].Value,
            ScheduleKind.Daily => L["Connections.Schedule.Text.Daily", Clock2(p)].Value,
            ScheduleKind.Weekly => L["Connections.Schedule.Text.Weekly", CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(p.Day), Clock2(p)].Value,
            _ => L["Connections.Schedule.Text.Cron", c.Schedule.Cron].Value,
        };
        var text = L["Connections.Schedule.Text", when, c.Schedule.WindowDays].Value;
        return c.Schedule.Enabled ? text : L["Connections.Schedule.Paused", text].Value;
    }

    private static string Clock2(SchedulePreset p) => string.Create(CultureInfo.InvariantCulture, $"{p.Hour:D2}:{p.Minute:D2}");

    private string RunSummary(PullRunView r) =>
        L["Connections.LastRun.Text", L["Connections.Run." + r.Status], LocalTime(r.FinishedAt ?? r.StartedAt ?? r.CreatedAt), UiFormat.Count(r.RowsRead)];

    /// <summary>The reconciliation in a few words: matches, or differs by how much (marketplace and ledger figures beside it).</summary>
    private string Reconciliation(PullRunView? run) => run switch
    {
        null => UiFormat.Dash,
        { PayoutDifference: 0m } => L["Connections.Reconciliation.Matches", UiFormat.Money(run.MarketplacePayout)],
        { PayoutDifference: { } d } => L["Connections.Reconciliation.Differs", UiFormat.Money(Math.Abs(d)), UiFormat.Money(run.MarketplacePayout), UiFormat.Money(run.LedgerPayout)],
        { Reconciliation: { } stored } => LocalText.Decode(stored)!.Current,
        { Status: PullRunStatus.Succeeded } => L["Connections.Reconciliation.None"],
        _ => UiFormat.Dash,
    };

    /// <summary>Where the ledger differs (the run's own sentence naming the orders and dates), when it differs.</summary>
    private static string? ReconciliationDetail(PullRunView run) =>
        run is { PayoutDifference: not 0m and not null, Reconciliation: { } stored } ? LocalText.Decode(stored)!.Current : null;

    private static string ReconciliationTone(PullRunView? run) => run?.PayoutDifference switch
    {
        0m => "recon-matches",
        null => "recon-none",
        _ => "recon-differs",
    };

    private string RunConnectionName(PullRunView run) =>
        connections?.FirstOrDefault(c => c.Id == run.ConnectionId)?.Name ?? run.ConnectionName ?? UiFormat.Dash;

    private static Color StatusColour(string status) => status switch
    {
        ConnectionStatus.Healthy => Color.Success,
        ConnectionStatus.NeedsToken => Color.Warning,
        ConnectionStatus.NeedsUpdate => Color.Warning,
        ConnectionStatus.Failing => Color.Error,
        _ => Color.Info,
    };

    private static Color RunColour(string status) => status switch
    {
        PullRunStatus.Succeeded => Color.Success,
        PullRunStatus.Failed => Color.Error,
        PullRunStatus.Running => Color.Info,
        _ => Color.Default,
    };

    /// <summary>The UI culture's short date: <c>dd.MM.yyyy</c> in Russian.</summary>
    private static string DateFormat => CultureInfo.CurrentCulture.DateTimeFormat.ShortDatePattern;
}
