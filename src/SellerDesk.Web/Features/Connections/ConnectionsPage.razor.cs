using System.Globalization;
using Npgsql;
using MudBlazor;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Web.Features.Common;

namespace SellerDesk.Web.Features.Connections;

/// <summary>
/// The ops page: connect marketplace accounts, schedule their pulls, run one now or backfill a period, pause and
/// resume, and watch runs with live progress, counts, reconciliation and errors in plain words. It polls the
/// database every second while a run is queued or running, and every ten seconds otherwise.
/// </summary>
public sealed partial class ConnectionsPage
{
    private static readonly DayOfWeek[] WeekDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<ConnectionView>? connections;
    private IReadOnlyList<PullRunView>? runs;
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
    private IReadOnlyList<string>? formErrors;

    private string newMarketplace = "sandbox";
    private string? newName;
    private string? newBaseUrl;
    private Dictionary<string, string> newCredentials = [];
    private IReadOnlyList<string>? addErrors;

    private enum Panel
    {
        None,
        Schedule,
        Backfill,
        Credentials,
    }

    protected override async Task OnInitializedAsync()
    {
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
        await ActAsync(() => Connections.QueuePullAsync(workspaceId, c.Id, null, null, ConnectionService.ManualTrigger, _disposed.Token));
        Snackbar.Add(L["Connections.Snack.Queued", c.Name], Severity.Info);
    }

    private async Task SetEnabledAsync(ConnectionView c, bool enabled) =>
        await ActAsync(() => Connections.SetEnabledAsync(workspaceId, c.Id, enabled, _disposed.Token));

    private async Task DeleteAsync(ConnectionView c)
    {
        await ActAsync(() => Connections.DeleteAsync(workspaceId, c.Id, ConnectionDataChoice.Keep, _disposed.Token));
        Snackbar.Add(L["Connections.Snack.Deleted", c.Name], Severity.Normal);
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
        if (await FormAsync(() => Connections.SetScheduleAsync(workspaceId, c.Id, schedule, _disposed.Token)))
        {
            Snackbar.Add(L["Connections.Snack.ScheduleSaved", c.Name], Severity.Success);
            Close();
        }
    }

    private async Task BackfillAsync(ConnectionView c)
    {
        if (backfillFrom is null || backfillTo is null)
        {
            formErrors = [L["Connections.Backfill.Dates"]];
            return;
        }

        if (await FormAsync(() => Connections.QueuePullAsync(
            workspaceId, c.Id, DateOnly.FromDateTime(backfillFrom.Value), DateOnly.FromDateTime(backfillTo.Value), ConnectionService.ManualTrigger, _disposed.Token)))
        {
            Snackbar.Add(L["Connections.Snack.Queued", c.Name], Severity.Info);
            Close();
        }
    }

    private async Task SaveCredentialsAsync(ConnectionView c)
    {
        if (await FormAsync(() => Connections.ReplaceCredentialsAsync(workspaceId, c.Id, credentials, _disposed.Token)))
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
            await Connections.CreateAsync(
                workspaceId, new NewConnection(newMarketplace, newName ?? string.Empty, newCredentials, newBaseUrl), _disposed.Token);
            Snackbar.Add(L["Connections.Snack.Added", newName ?? string.Empty], Severity.Success);
            newName = null;
            newBaseUrl = null;
            newCredentials = [];
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

    private static string[] Messages(ConnectionValidationException ex) => [.. ex.Errors.SelectMany(e => e.Value)];

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

    private string Reconciliation(PullRunView? run) => run switch
    {
        null => UiFormat.Dash,
        { PayoutDifference: 0m } => L["Connections.Reconciliation.Matches", UiFormat.Money(run.MarketplacePayout)],
        { PayoutDifference: { } d } => L["Connections.Reconciliation.Differs", UiFormat.Money(d), UiFormat.Money(run.MarketplacePayout), UiFormat.Money(run.LedgerPayout)],
        { Status: PullRunStatus.Succeeded } => L["Connections.Reconciliation.None"],
        _ => UiFormat.Dash,
    };

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

    /// <summary>The schedule editor's fields (bound to inputs, so mutable).</summary>
    private sealed class ScheduleForm
    {
        public ScheduleKind Kind { get; set; } = ScheduleKind.Daily;

        public int Hour { get; set; } = 6;

        public int Minute { get; set; }

        public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

        public string? Cron { get; set; }

        public int WindowDays { get; set; } = ConnectionService.DefaultWindowDays;

        public bool Enabled { get; set; } = true;

        public static ScheduleForm From(PullSchedule schedule)
        {
            var p = SchedulePreset.FromCron(schedule.Cron);
            return new ScheduleForm
            {
                Kind = p.Kind,
                Hour = p.Hour,
                Minute = p.Minute,
                Day = p.Day,
                Cron = p.Cron,
                WindowDays = schedule.WindowDays,
                Enabled = schedule.Cron is null || schedule.Enabled,
            };
        }

        public SchedulePreset ToPreset() => new(Kind, Math.Clamp(Hour, 0, 23), Math.Clamp(Minute, 0, 59), Day, Cron);
    }
}
