using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SellerDesk.Data;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>Runs one queued pull run: reads its connection, decrypts the credentials, picks the connector and hands all to the runner.</summary>
public sealed class PullExecutor(
    IDbContextFactory<SellerDeskDbContext> contexts,
    CredentialProtector protector,
    MarketplaceCatalog catalog,
    PullRunner runner,
    IOptions<MarketplaceHttpOptions> http,
    ILogger<PullExecutor> logger,
    IEnumerable<IPullListener> listeners)
{
    /// <summary>What stands in a log line or a run's error where a credential would have been.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Runs the run, then tells the <see cref="IPullListener"/>s it is over (alerts are evaluated after every pull).</summary>
    public async Task<PullRunResult?> ExecuteAsync(Guid runId, string? node, CancellationToken ct)
    {
        var result = await RunAsync(runId, node, ct);
        foreach (var listener in listeners)
        {
            try
            {
                await listener.PullFinishedAsync(runId, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A listener's trouble is its own: the pull is done and stays so.
                logger.LogError(ex, "A listener of pull run {PullRun} failed", runId);
            }
        }

        return result;
    }

    private async Task<PullRunResult?> RunAsync(Guid runId, string? node, CancellationToken ct)
    {
        using var runScope = logger.BeginScope(new Dictionary<string, object> { ["PullRun"] = runId });
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await db.PullRuns.AsNoTracking()
            .Where(r => r.Id == runId)
            .Join(db.Connections, r => r.ConnectionId, c => (Guid?)c.Id, (r, c) => new { Run = r, Connection = c })
            .Join(db.Workspaces, x => x.Connection.WorkspaceId, w => w.Id, (x, w) => new { x.Run, x.Connection, w.TimeZone })
            .SingleOrDefaultAsync(ct);
        if (found is null || found.Run.Status != PullRunStatus.Queued)
        {
            logger.LogInformation("Pull run {PullRun} is gone or no longer queued; skipped", runId);
            return null;
        }

        var c = found.Connection;
        using var connectionScope = logger.BeginScope(new Dictionary<string, object>
        {
            ["Workspace"] = c.WorkspaceId,
            ["Connection"] = c.Id,
            ["Marketplace"] = c.Marketplace,
        });
        if (node is not null)
        {
            await db.PullRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Node, node), ct);
        }

        IReadOnlyDictionary<string, string> credentials;
        try
        {
            credentials = protector.Unprotect(c.ProtectedCredentials);
        }
        catch (CredentialsUnreadableException ex)
        {
            var error = new LocalText(
                $"The stored credentials cannot be read ({ex.Message}): enter them again.",
                $"Сохранённые ключи доступа не читаются ({ex.Message}): введите их заново.").Encode();
            await db.PullRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, PullRunStatus.Failed).SetProperty(r => r.Error, error).SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow),
                CancellationToken.None);
            await db.Connections.Where(x => x.Id == c.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, ConnectionStatus.NeedsToken).SetProperty(x => x.LastError, error),
                CancellationToken.None);
            logger.LogWarning("Pull run {PullRun} of connection {ConnectionName} failed: {Error}", runId, c.Name, ex.Message);
            return null;
        }

        // A base URL stored before the allow-list existed, or whose host the operator has since taken off it: no request goes there.
        if (c.BaseUrl is not null && BaseUrlRefusal(c.Marketplace, c.BaseUrl) is { } refusal)
        {
            var error = new LocalText(
                $"The connection's base URL is not allowed ({refusal.En}): delete the connection and connect again without it.",
                $"Адрес API подключения не разрешён ({refusal.Ru}): удалите подключение и подключите заново без него.").Encode();
            await db.PullRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, PullRunStatus.Failed).SetProperty(r => r.Error, error).SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow),
                CancellationToken.None);
            await db.Connections.Where(x => x.Id == c.Id).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Status, ConnectionStatus.Failing).SetProperty(x => x.LastError, error),
                CancellationToken.None);
            logger.LogWarning("Pull run {PullRun} of connection {ConnectionName} failed: {Error}", runId, c.Name, refusal.En);
            return null;
        }

        var secrets = SecretsOf(c.Marketplace, credentials);
        var settings = new ConnectionSettings(c.Id, c.WorkspaceId, c.Marketplace, credentials, c.BaseUrl is null ? null : new Uri(c.BaseUrl));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(found.TimeZone);

        // The connector's notices and the runner's own are stored with the run by the runner.
        var notices = new PullNotices();
        var connector = catalog.Connector(c.Marketplace, new ConnectorContext(zone, notices.Add));
        var result = await runner.RunAsync(runId, settings, connector, zone, notices, ct);
        result = await RedactStoredAsync(db, runId, c.Id, result, secrets);
        if (result.Notices.Count > 0)
        {
            logger.LogWarning("Pull run {PullRun} of connection {ConnectionName}: {Notices}", runId, c.Name, string.Join(" | ", result.Notices.Select(n => n.En)));
        }

        if (result.Succeeded)
        {
            logger.LogInformation(
                "Pull run {PullRun} of {Marketplace} connection {ConnectionName} succeeded: {Rows} rows read, {Inserted} new, {Updated} changed",
                runId, c.Marketplace, c.Name, result.RowsRead, result.Inserted, result.Updated);
            return result;
        }

        logger.LogWarning(
            "Pull run {PullRun} of {Marketplace} connection {ConnectionName} failed after {Rows} rows read: {Error}",
            runId, c.Marketplace, c.Name, result.RowsRead, result.Error?.En ?? "no reason given");
        return result;
    }

    private LocalText? BaseUrlRefusal(string marketplace, string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
            ? MarketplaceHosts.Refusal(catalog.Find(marketplace)?.ApiHosts ?? [], uri, http.Value)
            : new LocalText("not an absolute address", "это не полный адрес");

    /// <summary>
    /// A marketplace's answer quoted in an error or notice may carry the token it was sent: the run, the connection
    /// and the log keep neither. Rewrites what the runner stored when it holds a secret, and returns the result so.
    /// </summary>
    private static async Task<PullRunResult> RedactStoredAsync(
        SellerDeskDbContext db, Guid runId, Guid connectionId, PullRunResult result, IReadOnlyCollection<string> secrets)
    {
        var error = result.Error is { } e ? RedactText(e, secrets) : null;
        var notices = result.Notices.Select(n => RedactText(n, secrets)).ToList();
        if (error == result.Error && notices.SequenceEqual(result.Notices))
        {
            return result;
        }

        var storedError = result.Error?.Encode();
        var newError = error?.Encode();
        var newNotices = PullNotices.Encode(notices);
        await db.PullRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Error, newError).SetProperty(r => r.Notices, newNotices), CancellationToken.None);
        await db.Connections.Where(x => x.Id == connectionId && x.LastError == storedError)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastError, newError), CancellationToken.None);
        return result with { Error = error, Notices = notices };
    }

    private static LocalText RedactText(LocalText text, IReadOnlyCollection<string> secrets)
    {
        var en = Redact(text.En, secrets);
        var ru = Redact(text.Ru, secrets);
        return en == text.En && ru == text.Ru ? text : new LocalText(en, ru);
    }

    /// <summary>Replaces every secret value (tokens, API keys: the marketplace's secret credential fields) in <paramref name="text"/>.</summary>
    public static string Redact(string text, IReadOnlyCollection<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    private List<string> SecretsOf(string marketplace, IReadOnlyDictionary<string, string> credentials) =>
        [.. (catalog.Find(marketplace)?.Credentials ?? [])
            .Where(f => f.Secret && credentials.TryGetValue(f.Key, out var value) && value.Length >= 4)
            .Select(f => credentials[f.Key])];
}
