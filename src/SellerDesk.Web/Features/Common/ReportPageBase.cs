using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Infrastructure;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// A page over the reports: reads <c>from</c>, <c>to</c>, <c>as_of</c> from the URL, loads once per period,
/// and never lets a database failure end the circuit: it shows a plain message and tries again every few seconds.
/// Pages override <see cref="OnReportLoaded"/> to build what they show.
/// </summary>
public abstract class ReportPageBase : ComponentBase, IDisposable
{
    /// <summary>How long a page waits before it tries again after a failure.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _disposed = new();
    private (string? From, string? To, string? AsOf, string? Source)? _loadedQuery;
    private int _loadVersion;
    private Timer? _retry;
    private PersistingComponentStateSubscription? _persisting;

    /// <summary>What the prerendered page hands to its interactive self (see <see cref="ReportHandoff"/>).</summary>
    private sealed record Handoff(string Id, string? From, string? To, string? AsOf, string? Source);

    [Inject]
    protected ReportLoader Loader { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private PersistentComponentState ApplicationState { get; set; } = null!;

    [Inject]
    private ReportHandoff Handoffs { get; set; } = null!;

    [Inject]
    protected DatabaseState Database { get; set; } = null!;

    [Inject]
    protected ILogger<ReportPageBase> Logger { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The address the page was opened from (the live connection has no request of its own).</summary>
    [CascadingParameter(Name = "ClientAddress")]
    private string? ClientAddress { get; set; }

    /// <summary>The signed-in member, with the current workspace's role: what the page offers follows <see cref="Policies"/>.</summary>
    protected ClaimsPrincipal User { get; private set; } = new();

    /// <summary>The member as the audit log names them.</summary>
    protected Actor Me => Actor.Of(User, ClientAddress);

    [SupplyParameterFromQuery(Name = PeriodSelection.FromKey)]
    public string? FromText { get; set; }

    [SupplyParameterFromQuery(Name = PeriodSelection.ToKey)]
    public string? ToText { get; set; }

    [SupplyParameterFromQuery(Name = PeriodSelection.AsOfKey)]
    public string? AsOfText { get; set; }

    /// <summary>The account filter: <c>file</c> or a connection id; none for all accounts (decision 0010).</summary>
    [SupplyParameterFromQuery(Name = PeriodSelection.SourceKey)]
    public string? SourceText { get; set; }

    protected PageStatus Status { get; private set; } = PageStatus.Loading;

    /// <summary>True while a load runs (also when older data is still on screen).</summary>
    protected bool Busy { get; private set; }

    protected LoadedReport? Loaded { get; private set; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _persisting?.Dispose();
            _retry?.Dispose();
            _disposed.Cancel();
            _disposed.Dispose();
        }
    }

    /// <summary>Builds the page's figures from freshly loaded reports.</summary>
    protected abstract void OnReportLoaded(LoadedReport loaded);

    protected override void OnInitialized()
    {
        if (!RendererInfo.IsInteractive)
        {
            _persisting = ApplicationState.RegisterOnPersisting(PersistAsync);
            return;
        }

        if (ApplicationState.TryTakeFromJson<Handoff>(HandoffKey, out var handoff)
            && handoff is not null
            && (handoff.From, handoff.To, handoff.AsOf, handoff.Source) == (FromText, ToText, AsOfText, SourceText)
            && Handoffs.Take(handoff.Id) is { } loaded)
        {
            Loaded = loaded;
            _loadedQuery = (handoff.From, handoff.To, handoff.AsOf, handoff.Source);
            OnReportLoaded(loaded);
            Status = PageStatus.Ready;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            User = (await AuthenticationState).User;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var query = (FromText, ToText, AsOfText, SourceText);
        if (_loadedQuery == query && Status == PageStatus.Ready)
        {
            return;
        }

        await LoadAsync();
    }

    /// <summary>Moves to another period: the URL changes, and the page reloads from it.</summary>
    protected void ShowPeriod(PeriodSelection period)
    {
        ArgumentNullException.ThrowIfNull(period);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(period.ToQuery()));
    }

    protected async Task LoadAsync()
    {
        _retry?.Dispose();
        _retry = null;
        var version = Interlocked.Increment(ref _loadVersion);
        var query = (FromText, ToText, AsOfText, SourceText);
        Busy = true;
        try
        {
            var loaded = await Loader.LoadAsync(query.FromText, query.ToText, query.AsOfText, query.SourceText, _disposed.Token);
            if (version != _loadVersion)
            {
                return;
            }

            if (loaded is null)
            {
                Status = PageStatus.Starting;
                ScheduleRetry();
                return;
            }

            Loaded = loaded;
            _loadedQuery = query;
            OnReportLoaded(loaded);
            Status = PageStatus.Ready;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The page went away while loading.
        }
        catch (Exception ex)
        {
            if (version != _loadVersion)
            {
                return;
            }

            var unavailable = !Database.Ready || ErrorHandlingExtensions.IsDatabaseUnavailable(ex) || ex is Npgsql.NpgsqlException;
            if (unavailable)
            {
                Logger.LogWarning("Report page could not reach the database ({Error}); retrying in {Delay}", ex.Message, RetryDelay);
            }
            else
            {
                Logger.LogError(ex, "Report page failed to load; retrying in {Delay}", RetryDelay);
            }

            Status = unavailable ? PageStatus.DatabaseUnavailable : PageStatus.Failed;
            ScheduleRetry();
        }
        finally
        {
            if (version == _loadVersion)
            {
                Busy = false;
            }
        }
    }

    private string HandoffKey => "report:" + GetType().Name;

    private Task PersistAsync()
    {
        if (Status == PageStatus.Ready && Loaded is { } loaded && _loadedQuery is { } query)
        {
            ApplicationState.PersistAsJson(HandoffKey, new Handoff(Handoffs.Put(loaded), query.From, query.To, query.AsOf, query.Source));
        }

        return Task.CompletedTask;
    }

    private void ScheduleRetry()
    {
        if (!RendererInfo.IsInteractive || _disposed.IsCancellationRequested)
        {
            return;
        }

        _retry = new Timer(
            _ => _ = InvokeAsync(async () =>
            {
                if (_disposed.IsCancellationRequested)
                {
                    return;
                }

                await LoadAsync();
                StateHasChanged();
            }),
            null,
            RetryDelay,
            Timeout.InfiniteTimeSpan);
    }
}
