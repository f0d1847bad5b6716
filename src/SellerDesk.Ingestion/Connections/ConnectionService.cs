using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SellerDesk.Data;
using SellerDesk.Data.Entities;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Scheduling;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// Marketplace connections of a workspace and their pulls: create (credentials encrypted, one connection per
/// marketplace account, a daily schedule and a first pull by default), schedule, pause, queue a run or a backfill,
/// read runs and their gaps, delete (keeping or removing the connection's rows; its runs stay). The ops page, the HTTP
/// API and the scheduled jobs all go through it.
/// </summary>
public sealed class ConnectionService(
    IDbContextFactory<SellerDeskDbContext> contexts,
    NpgsqlDataSource dataSource,
    CredentialProtector protector,
    MarketplaceCatalog catalog,
    IPullScheduler scheduler,
    TimeProvider clock,
    IOptions<MarketplaceHttpOptions> http,
    IOptions<PullSchedulerOptions> schedulerOptions)
{
    /// <summary>Default days each scheduled run re-pulls (reports get restated).</summary>
    public const int DefaultWindowDays = 14;

    /// <summary>Days a new connection's first pull covers unless told otherwise.</summary>
    public const int DefaultBackfillDays = 90;

    /// <summary>The cron (six fields, seconds first) of a new connection's schedule unless told otherwise: daily at 06:00 in the workspace zone.</summary>
    public const string DailyAtSix = "0 0 6 * * ?";

    /// <summary>The longest period one pull (a backfill) may cover.</summary>
    public const int MaxPullDays = 731;

    public const string ManualTrigger = "manual";
    public const string ScheduleTrigger = "schedule";
    public const string ApiTrigger = "api";
    public const string BackfillTrigger = "backfill";

    /// <summary>The earliest date a pull may start: marketplaces keep nothing older that a seller could want.</summary>
    public static readonly DateOnly EarliestPullDate = new(2015, 1, 1);

    /// <summary>A new connection's schedule unless told otherwise: daily at 06:00 in the workspace zone, trailing 14 days.</summary>
    public static PullSchedule DefaultSchedule { get; } = new(DailyAtSix, DefaultWindowDays, Enabled: true);

    /// <summary>
    /// Connects a marketplace account: refuses a second connection of an account already connected in the workspace
    /// (when the credentials say which account they are for), plans its schedule (by default daily at 06:00) and queues
    /// its first pull (by default the last 90 days).
    /// </summary>
    public async Task<ConnectionCreated> CreateAsync(Guid workspaceId, NewConnection request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, LocalText[]>();
        var definition = catalog.Find(request.Marketplace ?? string.Empty);
        if (definition is null)
        {
            var codes = string.Join(", ", catalog.All.Select(d => d.Code));
            errors["marketplace"] = [new($"unknown marketplace '{request.Marketplace}': use one of {codes}", $"неизвестный маркетплейс «{request.Marketplace}»: выберите один из {codes}")];
        }

        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 100)
        {
            errors["name"] = [new("give the connection a name of 1 to 100 characters", "дайте подключению название длиной от 1 до 100 символов")];
        }

        var credentials = CleanCredentials(request.Credentials, definition, errors);
        var baseUrl = CheckBaseUrl(request.BaseUrl, definition, errors);
        var schedule = request.Schedule ?? DefaultSchedule;
        var cron = CheckSchedule(schedule, errors);
        var backfillDays = request.BackfillDays ?? DefaultBackfillDays;
        if (backfillDays is < 0 or > MaxPullDays)
        {
            errors["backfill_days"] = [new($"the first pull covers 0 to {MaxPullDays} days (0: none)", $"первая загрузка охватывает от 0 до {MaxPullDays} дней (0 — без неё)")];
        }

        if (errors.Count > 0)
        {
            throw new ConnectionValidationException(errors);
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Connections.AnyAsync(c => c.WorkspaceId == workspaceId && c.Name == name, ct))
        {
            throw new ConnectionValidationException("name", NameTaken(name));
        }

        var account = definition!.Account?.Invoke(credentials);
        await RefuseConnectedAccountAsync(db, workspaceId, definition, account, exceptId: null, ct);
        var zone = await ZoneAsync(db, workspaceId, ct);
        var today = Today(zone);
        if (backfillDays > 0 && today.AddDays(1 - backfillDays) < EarliestPullDate)
        {
            throw new ConnectionValidationException(
                "backfill_days",
                new LocalText(
                    $"the first pull would start before {EarliestPullDate:yyyy-MM-dd}: ask for fewer days",
                    $"первая загрузка началась бы раньше {EarliestPullDate:dd.MM.yyyy}: укажите меньше дней"));
        }

        var now = clock.GetUtcNow();
        var connection = new Connection
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            Marketplace = definition.Code,
            Name = name,
            ProtectedCredentials = protector.Protect(credentials),
            BaseUrl = baseUrl,
            WindowDays = schedule.WindowDays,
            ScheduleCron = cron,
            ScheduleEnabled = schedule.Enabled && cron is not null,
            Account = account,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Connections.Add(connection);
        PullRun? backfill = null;
        if (backfillDays > 0)
        {
            backfill = NewRun(connection, BackfillTrigger, today.AddDays(1 - backfillDays), today, scheduledFor: null);
            db.PullRuns.Add(backfill);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            // Another request made the same name or connected the same account between the checks above and this insert.
            throw unique.ConstraintName == "ux_connections_account"
                ? new ConnectionValidationException("credentials", AccountTaken(definition, "another connection", "другое подключение"))
                : new ConnectionValidationException("name", NameTaken(name));
        }

        if (connection.ScheduleEnabled)
        {
            await scheduler.PlanAsync(connection.Id, connection.ScheduleCron, zone, ct);
        }

        if (backfill is not null)
        {
            await scheduler.EnqueueAsync(backfill.Id, ct);
        }

        return new ConnectionCreated(connection.Id, backfill?.Id);
    }

    /// <summary>
    /// Adds a marketplace account fed by uploaded reports only (decision 0027): no credentials, no schedule, no first
    /// pull. Its reports land through the marketplace's connector like pulls do; credentials can be added later (then
    /// it pulls too, and keeps the rows the reports gave).
    /// </summary>
    public async Task<Guid> CreateForReportsAsync(Guid workspaceId, string marketplace, string? name, CancellationToken ct)
    {
        var definition = catalog.Find(marketplace ?? string.Empty)
            ?? throw new ConnectionValidationException("marketplace", new LocalText($"unknown marketplace '{marketplace}'", $"неизвестный маркетплейс «{marketplace}»"));
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > 100)
        {
            throw new ConnectionValidationException("name", new LocalText("give the account a name of 1 to 100 characters", "дайте аккаунту название длиной от 1 до 100 символов"));
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Connections.AnyAsync(c => c.WorkspaceId == workspaceId && c.Name == trimmed, ct))
        {
            throw new ConnectionValidationException("name", NameTaken(trimmed));
        }

        var now = clock.GetUtcNow();
        var connection = new Connection
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            Marketplace = definition.Code,
            Name = trimmed,
            ProtectedCredentials = protector.Protect(new Dictionary<string, string>()),
            WindowDays = DefaultWindowDays,
            ScheduleCron = null,
            ScheduleEnabled = false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Connections.Add(connection);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ConnectionValidationException("name", NameTaken(trimmed));
        }

        return connection.Id;
    }

    /// <summary>
    /// Replaces the credentials (a new token after "needs a new token"); false when there is no such connection.
    /// Credentials of another account than the one connected are refused: that account is another connection.
    /// </summary>
    public async Task<bool> ReplaceCredentialsAsync(Guid workspaceId, Guid id, IReadOnlyDictionary<string, string> credentials, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == id && c.WorkspaceId == workspaceId, ct);
        if (connection is null)
        {
            return false;
        }

        var errors = new Dictionary<string, LocalText[]>();
        var definition = catalog.Find(connection.Marketplace);
        var cleaned = CleanCredentials(credentials, definition, errors);
        if (errors.Count > 0)
        {
            throw new ConnectionValidationException(errors);
        }

        var account = definition?.Account?.Invoke(cleaned);
        var connected = connection.Account ?? (definition is null ? null : AccountOf(definition, connection.ProtectedCredentials));
        if (account is not null && connected is not null && account != connected)
        {
            throw new ConnectionValidationException(
                "credentials",
                new LocalText(
                    $"these credentials are for another {definition!.DisplayName} account than the one '{connection.Name}' is connected to: add that account as a new connection",
                    $"эти учётные данные — от другого кабинета {definition.DisplayName}, не того, к которому подключено «{connection.Name}»: добавьте этот кабинет как новое подключение"));
        }

        if (definition is not null)
        {
            await RefuseConnectedAccountAsync(db, workspaceId, definition, account, exceptId: connection.Id, ct);
        }

        connection.ProtectedCredentials = protector.Protect(cleaned);
        connection.Account = account ?? connected;
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
        var errors = new Dictionary<string, LocalText[]>();
        var cron = CheckSchedule(schedule, errors);
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
    /// today) and hands it to the scheduler; returns the run id, or null when there is no such connection. Dates before
    /// <see cref="EarliestPullDate"/> or after today in the workspace zone are refused in plain words.
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
        var errors = new Dictionary<string, LocalText[]>();
        if (from < EarliestPullDate)
        {
            errors["from"] = [TooOld("from", "начала", from!.Value)];
        }

        if (to < EarliestPullDate)
        {
            errors["to"] = [TooOld("to", "конца", to!.Value)];
        }

        if (from > today)
        {
            errors["from"] = [InFuture("from", "начала", from!.Value, today)];
        }

        if (end > today)
        {
            errors["to"] = [InFuture("to", "конца", end, today)];
        }

        if (errors.Count == 0 && start > end)
        {
            errors["from"] = [new("'from' must not be after 'to'", "дата начала не может быть позже даты конца")];
        }
        else if (errors.Count == 0 && end.DayNumber - start.DayNumber + 1 > MaxPullDays)
        {
            errors["from"] = [new($"one pull covers at most {MaxPullDays} days: split the backfill", $"одна загрузка охватывает не больше {MaxPullDays} дней: разбейте период на части")];
        }

        if (errors.Count > 0)
        {
            throw new ConnectionValidationException(errors);
        }

        // One queued run per connection: the connection's row is locked while its queue is looked at, so two requests
        // at once cannot both queue one.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM connections WHERE id = {id} FOR UPDATE", ct);
        if (await db.PullRuns.AnyAsync(r => r.ConnectionId == id && r.Status == PullRunStatus.Queued, ct))
        {
            throw new ConnectionValidationException(
                "pull",
                new LocalText(
                    "a pull of this connection is already waiting to run: wait until it has started",
                    "загрузка этого подключения уже ждёт запуска: дождитесь её начала"));
        }

        var run = NewRun(connection, trigger, start < EarliestPullDate ? EarliestPullDate : start, end, scheduledFor: null);
        db.PullRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
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
        var ids = connections.Select(c => (Guid?)c.Id).ToList();
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

    /// <summary>The latest runs of a workspace (of one connection when given), newest first; runs of deleted connections too.</summary>
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

    /// <summary>The source rows a run could not map into the ledger, with why and their raw content; null when there is no such run.</summary>
    public async Task<IReadOnlyList<PullGapView>?> GapsAsync(Guid workspaceId, Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.PullRuns.AnyAsync(r => r.Id == runId && r.WorkspaceId == workspaceId, ct))
        {
            return null;
        }

        var gaps = await db.PullGaps.AsNoTracking().Where(g => g.RunId == runId).OrderBy(g => g.Seq).ToListAsync(ct);
        return [.. gaps.Select(g => new PullGapView(g.Seq, g.OrderKey, g.BusinessDate, g.Reason, g.PayoutEffect, g.SourceIds, g.Payloads, g.IsCurrent))];
    }

    /// <summary>How many unmapped rows (gaps) each of <paramref name="runIds"/> recorded; runs without any are left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, int>> GapCountsAsync(Guid workspaceId, IReadOnlyCollection<Guid> runIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count == 0)
        {
            return new Dictionary<Guid, int>();
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = runIds.ToList();
        return await db.PullGaps.AsNoTracking()
            .Where(g => ids.Contains(g.RunId) && g.WorkspaceId == workspaceId)
            .GroupBy(g => g.RunId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }

    /// <summary>
    /// The accounts the ledger's rows come from, per marketplace: each connection of the workspace (by name) and files
    /// where a marketplace has rows imported from files (or kept from a deleted connection). What an account filter on
    /// the report pages offers (decision 0010).
    /// </summary>
    public async Task<IReadOnlyList<LedgerAccount>> LedgerAccountsAsync(Guid workspaceId, CancellationToken ct)
    {
        var accounts = new List<LedgerAccount>();
        await using (var session = await dataSource.OpenConnectionAsync(ct))
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT DISTINCT marketplace FROM (
                    SELECT DISTINCT marketplace FROM sales_lines WHERE workspace_id = $1 AND source = $2
                    UNION ALL SELECT DISTINCT marketplace FROM returns WHERE workspace_id = $1 AND source = $2
                    UNION ALL SELECT DISTINCT marketplace FROM ad_spend WHERE workspace_id = $1 AND source = $2
                    UNION ALL SELECT DISTINCT marketplace FROM period_fees WHERE workspace_id = $1 AND source = $2) AS files
                """,
                session);
            command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerSource.File.Id });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                accounts.Add(new LedgerAccount(reader.GetString(0), LedgerSource.File, null));
            }
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var connections = await db.Connections.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId)
            .Select(c => new { c.Id, c.Marketplace, c.Name })
            .ToListAsync(ct);
        accounts.AddRange(connections.Select(c => new LedgerAccount(c.Marketplace, LedgerSource.Connection(c.Id), c.Name)));
        return [.. accounts.OrderBy(a => a.Marketplace, StringComparer.Ordinal).ThenBy(a => a.Source.IsFile ? 0 : 1).ThenBy(a => a.Name, StringComparer.CurrentCulture)];
    }

    /// <summary>The rows a connection owns (what deleting it with <see cref="ConnectionDataChoice.Remove"/> deletes); null when there is no such connection.</summary>
    public async Task<ConnectionDataCounts?> DataAsync(Guid workspaceId, Guid id, CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.Connections.AnyAsync(c => c.Id == id && c.WorkspaceId == workspaceId, ct))
            {
                return null;
            }
        }

        await using var session = await dataSource.OpenConnectionAsync(ct);
        return await ConnectionData.CountAsync(session, workspaceId, id, ct);
    }

    /// <summary>
    /// Deletes a connection, its schedule and source rows; its runs stay (with its name). Its ledger rows stay as files'
    /// (<see cref="ConnectionDataChoice.Keep"/>: figures unchanged, no pull updates them any more; connecting the same
    /// account again then finds its orders taken) or go with it (<see cref="ConnectionDataChoice.Remove"/>). False when
    /// there is no such connection.
    /// </summary>
    public async Task<bool> DeleteAsync(Guid workspaceId, Guid id, ConnectionDataChoice data, CancellationToken ct)
    {
        bool deleted;
        await using (var session = await dataSource.OpenConnectionAsync(ct))
        {
            deleted = await ConnectionData.DeleteAsync(session, workspaceId, id, data, ct);
        }

        if (deleted)
        {
            await scheduler.PlanAsync(id, null, TimeZoneInfo.Utc, ct);
        }

        return deleted;
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
        ConnectionName = connection.Name,
        Marketplace = connection.Marketplace,
        Trigger = trigger,
        Status = PullRunStatus.Queued,
        PeriodFrom = from,
        PeriodTo = to,
        ScheduledFor = scheduledFor,
    };

    private static PullRunView ToView(PullRun r) => new(
        r.Id, r.ConnectionId, r.Trigger, r.Status, r.PeriodFrom, r.PeriodTo, r.PagesRead, r.RowsRead, r.Inserted, r.Updated, r.Error,
        r.MarketplacePayout, r.LedgerPayout, r.CreatedAt, r.StartedAt, r.FinishedAt, r.ScheduledFor, r.Node, r.Notices)
    {
        ConnectionName = r.ConnectionName,
        Marketplace = r.Marketplace,
        Reconciliation = r.Reconciliation,
        UnmappedPayout = r.UnmappedPayout,
    };

    private static LocalText AccountTaken(MarketplaceDefinition definition, string holder, string holderRu) => new(
        $"this {definition.DisplayName} account is already connected as {holder}: one account, one connection (to pull it with new credentials, replace that connection's credentials)",
        $"этот кабинет {definition.DisplayName} уже подключён как {holderRu}: один кабинет — одно подключение (чтобы загружать его с новыми учётными данными, замените их у того подключения)");

    private static LocalText NameTaken(string name) => new(
        $"a connection named '{name}' already exists: choose another name",
        $"подключение с названием «{name}» уже есть: выберите другое название");

    private static LocalText TooOld(string field, string fieldRu, DateOnly date) => new(
        $"'{field}' ({date:yyyy-MM-dd}) is before {EarliestPullDate:yyyy-MM-dd}: marketplaces give no data that old",
        $"дата {fieldRu} ({date:dd.MM.yyyy}) раньше {EarliestPullDate:dd.MM.yyyy}: таких старых данных маркетплейсы не отдают");

    private static LocalText InFuture(string field, string fieldRu, DateOnly date, DateOnly today) => new(
        $"'{field}' ({date:yyyy-MM-dd}) is in the future (today is {today:yyyy-MM-dd} in the workspace's time zone)",
        $"дата {fieldRu} ({date:dd.MM.yyyy}) ещё не наступила (сегодня {today:dd.MM.yyyy} в часовом поясе рабочего пространства)");

    private static async Task<TimeZoneInfo> ZoneAsync(SellerDeskDbContext db, Guid workspaceId, CancellationToken ct)
    {
        var zone = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.TimeZone).SingleAsync(ct);
        return TimeZoneInfo.FindSystemTimeZoneById(zone);
    }

    /// <summary>
    /// Refuses <paramref name="account"/> when another connection of the workspace is connected to it. Connections
    /// made before accounts were stored have theirs read from their credentials.
    /// </summary>
    private async Task RefuseConnectedAccountAsync(
        SellerDeskDbContext db, Guid workspaceId, MarketplaceDefinition definition, string? account, Guid? exceptId, CancellationToken ct)
    {
        if (account is null)
        {
            return;
        }

        var others = await db.Connections.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.Marketplace == definition.Code && c.Id != exceptId)
            .Select(c => new { c.Name, c.Account, c.ProtectedCredentials })
            .ToListAsync(ct);
        var holder = others.FirstOrDefault(o => (o.Account ?? AccountOf(definition, o.ProtectedCredentials)) == account);
        if (holder is not null)
        {
            throw new ConnectionValidationException("credentials", AccountTaken(definition, $"'{holder.Name}'", $"«{holder.Name}»"));
        }
    }

    private string? AccountOf(MarketplaceDefinition definition, string protectedCredentials)
    {
        try
        {
            return definition.Account?.Invoke(protector.Unprotect(protectedCredentials));
        }
        catch (CredentialsUnreadableException)
        {
            return null;
        }
    }

    private string? CheckSchedule(PullSchedule schedule, Dictionary<string, LocalText[]> errors)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var cron = string.IsNullOrWhiteSpace(schedule.Cron) ? null : schedule.Cron.Trim();
        if (cron is not null && PullCron.ProblemText(cron) is { } problem)
        {
            errors["cron"] = [problem];
        }
        else if (cron is not null && PullCron.TooFrequent(cron, schedulerOptions.Value.ShortestInterval) is { } gap)
        {
            var (en, ru) = PullCron.TooFrequentText(cron, gap, schedulerOptions.Value.ShortestInterval);
            errors["cron"] = [new(en, ru)];
        }

        if (schedule.Enabled && cron is null)
        {
            errors["cron"] = [new("an enabled schedule needs a cron expression", "для включённого расписания нужно cron-выражение")];
        }

        if (schedule.WindowDays is < 1 or > 366)
        {
            errors["window_days"] = [new("the window must be 1 to 366 days", "окно загрузки — от 1 до 366 дней")];
        }

        return cron;
    }

    private static Dictionary<string, string> CleanCredentials(
        IReadOnlyDictionary<string, string>? credentials, MarketplaceDefinition? definition, Dictionary<string, LocalText[]> errors)
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
            errors["credentials." + field.Key] = [new($"{definition.DisplayName} needs '{field.Key}'", $"для {definition.DisplayName} нужно поле «{field.Key}»")];
        }

        foreach (var key in cleaned.Keys.Where(k => definition.Credentials.All(f => f.Key != k)))
        {
            var known = string.Join(", ", definition.Credentials.Select(f => f.Key));
            errors["credentials." + key] = [new($"{definition.DisplayName} takes no '{key}': use {known}", $"{definition.DisplayName} не принимает поле «{key}»: используйте {known}")];
        }

        return cleaned;
    }

    /// <summary>
    /// A base URL must be an absolute http(s) address without user-info, on the marketplace's own host or a host the
    /// operator allows (<see cref="MarketplaceHosts"/>): a connection must not point pulls, with their tokens, anywhere else.
    /// Its messages keep both languages in the API's English <c>errors</c> (as they were written), the page shows one.
    /// </summary>
    private string? CheckBaseUrl(string? baseUrl, MarketplaceDefinition? definition, Dictionary<string, LocalText[]> errors)
    {
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            return null;
        }

        if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors["base_url"] = [new(
                "the base URL must be an absolute http(s) address such as https://api-seller.ozon.ru",
                "адрес API должен быть полным адресом http(s), например https://api-seller.ozon.ru")];
            return null;
        }

        if (definition is not null && MarketplaceHosts.Refusal(definition.ApiHosts, uri, http.Value) is { } refusal)
        {
            errors["base_url"] = [refusal];
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
