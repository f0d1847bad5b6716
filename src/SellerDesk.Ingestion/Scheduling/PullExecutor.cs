using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SellerDesk.Data;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>Runs one queued pull run: reads its connection, decrypts the credentials, picks the connector and hands all to the runner.</summary>
public sealed class PullExecutor(
    IDbContextFactory<SellerDeskDbContext> contexts,
    CredentialProtector protector,
    MarketplaceCatalog catalog,
    PullRunner runner,
    ReportService reports,
    ILogger<PullExecutor> logger)
{
    public async Task<PullRunResult?> ExecuteAsync(Guid runId, string? node, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await db.PullRuns.AsNoTracking()
            .Where(r => r.Id == runId)
            .Join(db.Connections, r => r.ConnectionId, c => (Guid?)c.Id, (r, c) => new { Run = r, Connection = c })
            .Join(db.Workspaces, x => x.Connection.WorkspaceId, w => w.Id, (x, w) => new { x.Run, x.Connection, w.TimeZone })
            .SingleOrDefaultAsync(ct);
        if (found is null || found.Run.Status != PullRunStatus.Queued)
        {
            logger.LogInformation("Pull run {Run} is gone or no longer queued; skipped", runId);
            return null;
        }

        var c = found.Connection;
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
            return null;
        }

        var settings = new ConnectionSettings(c.Id, c.WorkspaceId, c.Marketplace, credentials, c.BaseUrl is null ? null : new Uri(c.BaseUrl));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(found.TimeZone);
        // The connector's notices and the runner's own are stored with the run by the runner.
        var notices = new PullNotices();
        var connector = catalog.Connector(c.Marketplace, new ConnectorContext(zone, notices.Add));
        var result = await runner.RunAsync(runId, settings, connector, zone, notices, ct);
        if (result.Notices.Count > 0)
        {
            logger.LogWarning("Pull run {Run} of {Connection}: {Notices}", runId, c.Name, string.Join(" | ", result.Notices.Select(n => n.En)));
        }

        if (result.Succeeded)
        {
            await reports.RefreshAsync(new WorkspaceContext(c.WorkspaceId, string.Empty, found.TimeZone), CancellationToken.None);
        }

        logger.LogInformation(
            "Pull run {Run} of {Marketplace} connection {Connection}: {Status}, {Rows} rows read, {Inserted} new, {Updated} changed{Error}",
            runId, c.Marketplace, c.Name, result.Status, result.RowsRead, result.Inserted, result.Updated, result.Error is null ? string.Empty : ": " + result.Error.En);
        return result;
    }
}
