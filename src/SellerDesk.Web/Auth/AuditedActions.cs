using System.Globalization;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Workspaces;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Web.Auth;

/// <summary>
/// What a member or a token changes in a workspace's connections, pulls and ledger, with its audit entry: the browser
/// pages (connections, upload, jobs) and the HTTP API both come through here, so every such action is written to the
/// audit log in one place and once. The entry is written after the action succeeded (a refused request changed
/// nothing and leaves none), except for imports: a rejected file is written too, saying nothing was stored.
/// </summary>
public sealed class AuditedActions(ConnectionService connections, LedgerImporter importer, AuditLog audit)
{
    public async Task<ConnectionCreated> CreateConnectionAsync(Actor actor, Guid workspaceId, NewConnection request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await connections.CreateAsync(workspaceId, request, ct);
        var schedule = Describe(request.Schedule ?? ConnectionService.DefaultSchedule);
        var days = request.BackfillDays ?? ConnectionService.DefaultBackfillDays;
        var first = created.BackfillRunId is null
            ? new LocalText("no first pull", "без первой загрузки")
            : new LocalText($"first pull of {days} days queued", $"поставлена первая загрузка за {days} дн.");
        await audit.WriteAsync(actor, workspaceId, AuditActions.ConnectionCreated, new LocalText(
            $"Connection '{request.Name?.Trim()}' ({request.Marketplace}) created; schedule: {schedule.En}; {first.En}.",
            $"Создано подключение «{request.Name?.Trim()}» ({request.Marketplace}); расписание: {schedule.Ru}; {first.Ru}."));
        return created;
    }

    public async Task<bool> ReplaceCredentialsAsync(Actor actor, Guid workspaceId, Guid id, IReadOnlyDictionary<string, string> credentials, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var before = await connections.GetAsync(workspaceId, id, ct);
        if (before is null || !await connections.ReplaceCredentialsAsync(workspaceId, id, credentials, ct))
        {
            return false;
        }

        // The keys only: a credential's value is never written anywhere but the encrypted column.
        var keys = string.Join(", ", credentials.Keys.Order(StringComparer.Ordinal));
        await audit.WriteAsync(actor, workspaceId, AuditActions.CredentialsReplaced, new LocalText(
            $"Credentials of '{before.Name}' replaced (keys: {keys}).",
            $"Заменены учётные данные «{before.Name}» (ключи: {keys})."));
        return true;
    }

    public async Task<bool> SetScheduleAsync(Actor actor, Guid workspaceId, Guid id, PullSchedule schedule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var before = await connections.GetAsync(workspaceId, id, ct);
        if (before is null || !await connections.SetScheduleAsync(workspaceId, id, schedule, ct))
        {
            return false;
        }

        var was = Describe(before.Schedule);
        var now = Describe(schedule with { Cron = string.IsNullOrWhiteSpace(schedule.Cron) ? null : schedule.Cron.Trim() });
        await audit.WriteAsync(actor, workspaceId, AuditActions.ScheduleChanged, new LocalText(
            $"Schedule of '{before.Name}': {now.En} (was: {was.En}).",
            $"Расписание «{before.Name}»: {now.Ru} (было: {was.Ru})."));
        return true;
    }

    /// <summary>Pauses or resumes a schedule, keeping its cron (a schedule change in the audit log).</summary>
    public async Task<bool> SetEnabledAsync(Actor actor, Guid workspaceId, Guid id, bool enabled, CancellationToken ct)
    {
        var view = await connections.GetAsync(workspaceId, id, ct);
        return view is not null && await SetScheduleAsync(actor, workspaceId, id, view.Schedule with { Enabled = enabled }, ct);
    }

    /// <summary>
    /// Queues a pull (by hand, through the API or a backfill of chosen days: <paramref name="how"/>); the run id, or null
    /// when there is no such connection.
    /// </summary>
    public async Task<Guid?> QueuePullAsync(Actor actor, Guid workspaceId, Guid id, DateOnly? from, DateOnly? to, string trigger, PullStart how, CancellationToken ct)
    {
        var connection = await connections.GetAsync(workspaceId, id, ct);
        if (connection is null)
        {
            return null;
        }

        var runId = await connections.QueuePullAsync(workspaceId, id, from, to, trigger, ct);
        if (runId is { } queued)
        {
            var run = await connections.GetRunAsync(workspaceId, queued, CancellationToken.None);
            await WritePullAsync(actor, workspaceId, connection.Name, run, how, retryOf: null);
        }

        return runId;
    }

    /// <summary>
    /// Queues a failed run again (same connection and days, one queued run per connection as always): the new run's id;
    /// null when the run is not this workspace's, has not failed, or its connection is gone.
    /// </summary>
    public async Task<Guid?> RetryAsync(Actor actor, Guid workspaceId, Guid runId, CancellationToken ct)
    {
        var failed = await connections.GetRunAsync(workspaceId, runId, ct);
        if (failed is not { Status: PullRunStatus.Failed, ConnectionId: { } connectionId })
        {
            return null;
        }

        var connection = await connections.GetAsync(workspaceId, connectionId, ct);
        if (connection is null)
        {
            return null;
        }

        var queued = await connections.QueuePullAsync(workspaceId, connectionId, failed.From, failed.To, ConnectionService.ManualTrigger, ct);
        if (queued is { } id)
        {
            var run = await connections.GetRunAsync(workspaceId, id, CancellationToken.None);
            await WritePullAsync(actor, workspaceId, connection.Name, run, PullStart.Retry, retryOf: failed);
        }

        return queued;
    }

    public async Task<bool> DeleteConnectionAsync(Actor actor, Guid workspaceId, Guid id, ConnectionDataChoice data, CancellationToken ct)
    {
        var before = await connections.GetAsync(workspaceId, id, ct);
        if (before is null || !await connections.DeleteAsync(workspaceId, id, data, ct))
        {
            return false;
        }

        var choice = data == ConnectionDataChoice.Keep
            ? new LocalText("its ledger rows kept (as files' rows)", "его строки учёта оставлены (как из файлов)")
            : new LocalText("its ledger rows removed", "его строки учёта удалены");
        await audit.WriteAsync(actor, workspaceId, AuditActions.ConnectionDeleted, new LocalText(
            $"Connection '{before.Name}' ({before.Marketplace}) deleted; {choice.En}.",
            $"Удалено подключение «{before.Name}» ({before.Marketplace}); {choice.Ru}."));
        return true;
    }

    /// <summary>Imports a ledger file (costs included) into the workspace; the entry says what was written or that the file was rejected.</summary>
    public async Task<ImportResult> ImportAsync(
        Actor actor, WorkspaceContext workspace, LedgerFileKind kind, Stream csv, string? fileName, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var result = await importer.ImportAsync(workspace.Id, workspace.Zone, kind, csv, fileName, progress, ct);
        var name = kind.ToPathName();
        var file = string.IsNullOrWhiteSpace(fileName) ? string.Empty : $" '{(fileName.Length > 200 ? fileName[..200] : fileName)}'";
        var text = result.Succeeded
            ? new LocalText(
                $"{name} file{file}: {result.Rows} rows, {result.Inserted} added, {result.Updated} updated.",
                $"Файл {name}{file}: строк {result.Rows}, добавлено {result.Inserted}, обновлено {result.Updated}.")
            : new LocalText(
                $"{name} file{file} rejected with {result.Errors.Count} problem(s); nothing was written.",
                $"Файл {name}{file} отклонён: проблем {result.Errors.Count}; ничего не записано.");
        await audit.WriteAsync(actor, workspace.Id, kind == LedgerFileKind.Costs ? AuditActions.CostsUploaded : AuditActions.Import, text);
        return result;
    }

    private Task WritePullAsync(Actor actor, Guid workspaceId, string connectionName, PullRunView? run, PullStart how, PullRunView? retryOf)
    {
        var period = run is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{run.From:yyyy-MM-dd}..{run.To:yyyy-MM-dd}");
        var way = how switch
        {
            PullStart.Api => new LocalText("through the API", "через API"),
            PullStart.Backfill => new LocalText("a backfill", "догрузка за период"),
            PullStart.Retry => new LocalText($"a retry of the failed run {retryOf?.Id}", $"повтор неудавшегося запуска {retryOf?.Id}"),
            _ => new LocalText("by hand", "вручную"),
        };
        return audit.WriteAsync(actor, workspaceId, AuditActions.PullStarted, new LocalText(
            $"Pull of '{connectionName}' for {period} queued ({way.En}); run {run?.Id}.",
            $"Поставлена загрузка «{connectionName}» за {period} ({way.Ru}); запуск {run?.Id}."));
    }

    private static LocalText Describe(PullSchedule schedule)
    {
        if (schedule.Cron is null)
        {
            return new LocalText($"none, {schedule.WindowDays} days back", $"нет, {schedule.WindowDays} дн. назад");
        }

        return schedule.Enabled
            ? new LocalText($"cron '{schedule.Cron}', {schedule.WindowDays} days back", $"cron «{schedule.Cron}», {schedule.WindowDays} дн. назад")
            : new LocalText($"paused (cron '{schedule.Cron}', {schedule.WindowDays} days back)", $"на паузе (cron «{schedule.Cron}», {schedule.WindowDays} дн. назад)");
    }
}

/// <summary>How a pull was started, as the audit log says it.</summary>
public enum PullStart
{
    /// <summary>The "run now" button.</summary>
    Manual,

    /// <summary>Chosen days on the connections page.</summary>
    Backfill,

    /// <summary>POST /api/v1/connections/{id}/pulls.</summary>
    Api,

    /// <summary>The jobs page's retry of a failed run.</summary>
    Retry,
}
