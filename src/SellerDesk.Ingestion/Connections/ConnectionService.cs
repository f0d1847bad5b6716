using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Entities;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Scheduling;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// Marketplace connections of a workspace and their pulls: create (credentials encrypted), schedule, pause, queue a
/// run or a backfill, read runs. The ops page, the HTTP API and the scheduled jobs all go through it.
/// </summary>
public sealed class ConnectionService(
    IDbContextFactory<SellerDeskDbContext> contexts,
    CredentialProtector protector,
    MarketplaceCatalog catalog,
    IPullScheduler scheduler,
    TimeProvider clock)
{
    /// <summary>Default days each scheduled run re-pulls (reports get restated).</summary>
    public const int DefaultWindowDays = 14;

    /// <summary>The longest period one pull (a backfill) may cover.</summary>
    public const int MaxPullDays = 731;

    public const string ManualTrigger = "manual";
    public const string ScheduleTrigger = "schedule";
    public const string ApiTrigger = "api";

    public async Task<Guid> CreateAsync(Guid workspaceId, NewConnection request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var definition = catalog.Find(request.Marketplace ?? string.Empty);
        if (definition is null)
        {
            errors["marketplace"] = [$"unknown marketplace '{request.Marketplace}': use one of {string.Join(", ", catalog.All.Select(d => d.Code))}"];
        }

        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 100)
        {
            errors["name"] = ["give the connection a name of 1 to 100 characters"];
        }

        var credentials = CleanCredentials(request.Credentials, definition, errors);
        var baseUrl = CheckBaseUrl(request.BaseUrl, errors);
        if (errors.Count > 0)
        {
            throw new ConnectionValidationException(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Connections.AnyAsync(c => c.WorkspaceId == workspaceId && c.Name == name, ct))
        {
            throw new ConnectionValidationException("name", $"a connection named '{name}' already exists: choose another name");
        }

        var now = clock.GetUtcNow();
        var connection = new Connection
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            Marketplace = definition!.Code,
            Name = name,
            ProtectedCredentials = protector.Protect(credentials),
            BaseUrl = baseUrl,
            WindowDays = DefaultWindowDays,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Connections.Add(connection);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_connections_workspace_name" })
        {
            // Another request created the same name between the check above and this insert.
            throw new ConnectionValidationException("name", $"a connection named '{name}' already exists: choose another name");
        }

        return connection.Id;
    }

    /// <summary>Replaces the credentials (a new token after "needs a new token"); false when there is no such connection.</summary>
    public async Task<bool> ReplaceCredentialsAsync(Guid workspaceId, Guid id, IReadOnlyDictionary<string, string> credentials, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == id && c.WorkspaceId == workspaceId, ct);
        if (connection is null)
        {
            return false;
        }

        var errors = new Dictionary<string, string[]>();
        var cleaned = CleanCredentials(credentials, catalog.Find(connection.Marketplace), errors);
        if (errors.Count > 0)
        {
            throw new ConnectionValidationException(errors);
        }

        connection.ProtectedCredentials = protector.Protect(cleaned);
        connection.Status = "new";
        connection.LastError = null;
        connection.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Sets the schedule and (re)plans its trigger; false when there is no such connection.</summary>
    public async Task<bool> SetScheduleAsync(Guid workspaceId, Guid id, PullSchedule schedule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var cron = string.IsNullOrWhiteSpace(schedule.Cron) ? null : schedule.Cron.Trim();
        var errors = new Dictionary<string, string[]>();
        if (cron is not null && PullCron.Problem(cron) is { } problem)
        {
            errors["cron"] = [problem];
        }

        if (schedule.Enabled && cron is null)
        {
            errors["cron"] = ["an enabled schedule needs a cron expression"];
        }

        if (schedule.WindowDays is < 1 or > 366)
        {
            errors["window_days"] = ["the window must be 1 to 366 days"];
        }

        if (errors.Count > 0)
        {
            throw new ConnectionValidationException(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == id && c.WorkspaceId == workspaceId, ct);
        if (connection is null)
        {
            return false;
        }

        connection.ScheduleCron = cron;
        connection.WindowDays = schedule.WindowDays;
        connection.ScheduleEnabled = schedule.Enabled;
        connection.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        var zone = await ZoneAsync(db, workspaceId, ct);
        await scheduler.PlanAsync(connection.Id, connection.ScheduleEnabled ? connection.ScheduleCron : null, zone, ct);
        return true;
    }

    /// <summary>Pauses or resumes the schedule, keeping its cron; false when there is no such connection.</summary>
    public async Task<bool> SetEnabledAsync(Guid workspaceId, Guid id, bool enabled, CancellationToken ct)
    {
        var view = await GetAsync(workspaceId, id, ct);
        return view is not null && await SetScheduleAsync(workspaceId, id, view.Schedule with { Enabled = enabled }, ct);
    }

    /// <summary>
    /// Queues a pull of <paramref name="from"/>..<paramref name="to"/> (default: the connection's trailing window up to
    /// today) and hands it to the scheduler; returns the run id, or null when there is no such connection.
    /// </summary>
    public async Task<Guid?> QueuePullAsync(Guid workspaceId, Guid id, DateOnly? from, DateOnly? to, string trigger, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == id && c.WorkspaceId == workspaceId, ct);
        if (connection is null)
        {
            return null;
        }

        var today = Today(await ZoneAsync(db, workspaceId, ct));
        var end = to ?? today;
        var start = from ?? end.AddDays(1 - connection.WindowDays);
        var errors = new Dictionary<string, string[]>();
        if (start > end)
        {
            errors["from"] = ["'from' must not be after 'to'"];
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxPullDays)
        {
            errors["from"] = [$"one pull covers at most {MaxPullDays} days: split the backfill"];
        }

        if (end > today)
        {
            errors["to"] = [$"'to' is in the future (today is {today:yyyy-MM-dd})"];
        }

        if (errors.Count > 0)
        {
            throw new ConnectionValidationException(errors);
        }

        var run = NewRun(connection, trigger, start, end, scheduledFor: null);
        db.PullRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await scheduler.EnqueueAsync(run.Id, ct);
        return run.Id;
    }

    /// <summary>
    /// The run of a schedule slot: the trailing window up to today. Null when the connection is gone or its
    /// schedule is off (a trigger that fired just as it was paused).
    /// </summary>
    public async Task<Guid?> StartScheduledRunAsync(Guid id, DateTimeOffset scheduledFor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (connection is not { ScheduleEnabled: true })
        {
            return null;
        }

        var today = Today(await ZoneAsync(db, connection.WorkspaceId, ct));
        var run = NewRun(connection, ScheduleTrigger, today.AddDays(1 - connection.WindowDays), today, scheduledFor);
        db.PullRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run.Id;
    }

    public async Task<ConnectionView?> GetAsync(Guid workspaceId, Guid id, CancellationToken ct) =>
        (await ListAsync(workspaceId, ct)).SingleOrDefault(c => c.Id == id);

    public async Task<IReadOnlyList<ConnectionView>> ListAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var connections = await db.Connections.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId)
            .OrderBy(c => c.Name)
            .ToListAsync(ct);
        var ids = connections.Select(c => c.Id).ToList();
        var lastRuns = await db.PullRuns.AsNoTracking()
            .Where(r => ids.Contains(r.ConnectionId))
            .GroupBy(r => r.ConnectionId)
            .Select(g => g.OrderByDescending(r => r.CreatedAt).First())
            .ToListAsync(ct);
        var views = new List<ConnectionView>(connections.Count);
        foreach (var c in connections)
        {
            var keys = TryCredentialKeys(c.ProtectedCredentials);
            views.Add(new ConnectionView(
                c.Id,
                c.Marketplace,
                c.Name,
                c.BaseUrl,
                c.Status,
                c.LastError,
                new PullSchedule(c.ScheduleCron, c.WindowDays, c.ScheduleEnabled),
                c.ScheduleEnabled ? await scheduler.NextRunAsync(c.Id, ct) : null,
                lastRuns.Where(r => r.ConnectionId == c.Id).Select(ToView).SingleOrDefault(),
                keys));
        }

        return views;
    }

    public async Task<PullRunView?> GetRunAsync(Guid workspaceId, Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.PullRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.WorkspaceId == workspaceId, ct);
        return run is null ? null : ToView(run);
    }

    /// <summary>The latest runs of a workspace (of one connection when given), newest first.</summary>
    public async Task<IReadOnlyList<PullRunView>> RunsAsync(Guid workspaceId, Guid? connectionId, int take, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = db.PullRuns.AsNoTracking().Where(r => r.WorkspaceId == workspaceId);
        if (connectionId is { } only)
        {
            runs = runs.Where(r => r.ConnectionId == only);
        }

        return [.. (await runs.OrderByDescending(r => r.CreatedAt).Take(take).ToListAsync(ct)).Select(ToView)];
    }

    /// <summary>Deletes a connection, its schedule, runs and source rows; the ledger rows it wrote stay.</summary>
    public async Task<bool> DeleteAsync(Guid workspaceId, Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var deleted = await db.Connections.Where(c => c.Id == id && c.WorkspaceId == workspaceId).ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            await scheduler.PlanAsync(id, null, TimeZoneInfo.Utc, ct);
        }

        return deleted > 0;
    }

    /// <summary>Plans the triggers of every enabled schedule (at start-up, in case the scheduler's tables were lost).</summary>
    public async Task<int> PlanAllAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var scheduled = await db.Connections.AsNoTracking()
            .Where(c => c.ScheduleEnabled && c.ScheduleCron != null)
            .Join(db.Workspaces, c => c.WorkspaceId, w => w.Id, (c, w) => new { c.Id, c.ScheduleCron, w.TimeZone })
            .ToListAsync(ct);
        foreach (var c in scheduled)
        {
            await scheduler.EnsurePlannedAsync(c.Id, c.ScheduleCron!, TimeZoneInfo.FindSystemTimeZoneById(c.TimeZone), ct);
        }

        return scheduled.Count;
    }

    private static PullRun NewRun(Connection connection, string trigger, DateOnly from, DateOnly to, DateTimeOffset? scheduledFor) => new()
    {
        Id = Guid.NewGuid(),
        WorkspaceId = connection.WorkspaceId,
        ConnectionId = connection.Id,
        Trigger = trigger,
        Status = PullRunStatus.Queued,
        PeriodFrom = from,
        PeriodTo = to,
        ScheduledFor = scheduledFor,
    };

    private static PullRunView ToView(PullRun r) => new(
        r.Id, r.ConnectionId, r.Trigger, r.Status, r.PeriodFrom, r.PeriodTo, r.PagesRead, r.RowsRead, r.Inserted, r.Updated, r.Error,
        r.MarketplacePayout, r.LedgerPayout, r.CreatedAt, r.StartedAt, r.FinishedAt, r.ScheduledFor, r.Node, r.Notices);

    private static async Task<TimeZoneInfo> ZoneAsync(SellerDeskDbContext db, Guid workspaceId, CancellationToken ct)
    {
        var zone = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.TimeZone).SingleAsync(ct);
        return TimeZoneInfo.FindSystemTimeZoneById(zone);
    }

    private static Dictionary<string, string> CleanCredentials(
        IReadOnlyDictionary<string, string>? credentials, MarketplaceDefinition? definition, Dictionary<string, string[]> errors)
    {
        var cleaned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in credentials ?? new Dictionary<string, string>())
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                cleaned[key] = value.Trim();
            }
        }

        if (definition is null)
        {
            return cleaned;
        }

        foreach (var field in definition.Credentials.Where(f => f.Required && !cleaned.ContainsKey(f.Key)))
        {
            errors["credentials." + field.Key] = [$"{definition.DisplayName} needs '{field.Key}'"];
        }

        foreach (var key in cleaned.Keys.Where(k => definition.Credentials.All(f => f.Key != k)))
        {
            errors["credentials." + key] = [$"{definition.DisplayName} takes no '{key}': use {string.Join(", ", definition.Credentials.Select(f => f.Key))}"];
        }

        return cleaned;
    }

    private static string? CheckBaseUrl(string? baseUrl, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            return null;
        }

        if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors["base_url"] = ["the base URL must be an absolute http(s) address such as https://api-seller.ozon.ru"];
            return null;
        }

        return uri.ToString().TrimEnd('/');
    }

    private IReadOnlyList<string> TryCredentialKeys(string protectedCredentials)
    {
        try
        {
            return [.. protector.Unprotect(protectedCredentials).Keys.Order(StringComparer.Ordinal)];
        }
        catch (CredentialsUnreadableException)
        {
            return [];
        }
    }

    private DateOnly Today(TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
}
