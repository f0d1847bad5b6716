using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Pulls;

namespace SellerDesk.Ingestion.Reports;

/// <summary>
/// Lands a marketplace report read from a file in the ledger exactly as a pull lands the same rows (decision 0027): a
/// pull run of the target connection (trigger <c>upload</c>) whose fetch is the file's rows, so the connector's own
/// mapping derives the ledger, the runner restates and reconciles, the rows belong to that connection (decision
/// 0010), and the run shows among the connection's runs. The report's rows are declared whole: uploading a corrected
/// report again deletes the lines it no longer has and changes the ones it changed, and touches nothing else.
/// </summary>
public sealed class MarketplaceReportImporter(NpgsqlDataSource dataSource, PullRunner runner, MarketplaceCatalog? catalog = null)
{
    /// <summary>The trigger of the runs an upload makes.</summary>
    public const string UploadTrigger = PullRunner.UploadTrigger;

    /// <summary>
    /// Imports <paramref name="report"/> into connection <paramref name="connectionId"/> of the workspace through the
    /// marketplace's connector from the catalogue. Throws <see cref="ReportTargetException"/>, storing nothing, when the
    /// connection is not the workspace's or of another marketplace, when a pull of it is queued or running, when its
    /// pulls already brought the report's weeks (<see cref="UploadedReport.Overlap"/>), or when another account of the
    /// workspace holds the report's orders or the report itself (<see cref="PullOverlap"/>).
    /// </summary>
    public Task<ReportImportResult> ImportAsync(Guid workspaceId, Guid connectionId, UploadedReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var known = catalog ?? throw new InvalidOperationException("No marketplace catalogue: pass the connector.");
        return ImportAsync(workspaceId, connectionId, report, zone => known.Connector(report.Marketplace, new ConnectorContext(zone, _ => { })), ct);
    }

    /// <summary>Imports through the connector <paramref name="connectorFor"/> makes for the workspace's zone.</summary>
    public async Task<ReportImportResult> ImportAsync(
        Guid workspaceId, Guid connectionId, UploadedReport report, Func<TimeZoneInfo, IMarketplaceConnector> connectorFor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(connectorFor);
        if (report.Rows.Count == 0)
        {
            throw new ArgumentException("A report to import has rows.", nameof(report));
        }

        await using var session = await dataSource.OpenConnectionAsync(ct);
        var (marketplace, name, zoneId) = await TargetAsync(session, workspaceId, connectionId, ct);
        if (!string.Equals(marketplace, report.Marketplace, StringComparison.Ordinal))
        {
            throw new ReportTargetException(new LocalText(
                $"'{name}' is a {marketplace} connection: a {report.Marketplace} report goes to a {report.Marketplace} connection",
                $"«{name}» — подключение {marketplace}: отчёт {report.Marketplace} загружается в подключение {report.Marketplace}"));
        }

        var settings = new ConnectionSettings(connectionId, workspaceId, marketplace, new Dictionary<string, string>(), null);
        if (await PullingAsync(session, connectionId, ct))
        {
            throw new ReportTargetException(ReportTexts.PullRunning(name));
        }

        if (await PullOverlap.RowsRefusalAsync(session, settings, report.Rows, report.CompletedParts, ct) is { } held)
        {
            throw new ReportTargetException(held);
        }

        if (report.Overlap is { } overlap && await overlap(session, connectionId, name, ct) is { } pulled)
        {
            throw new ReportTargetException(pulled);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var (from, to) = await WindowAsync(session, connectionId, report, ct);
        var runId = Guid.NewGuid();
        await using (var queue = new NpgsqlCommand(
            """
            INSERT INTO pull_runs (id, workspace_id, connection_id, connection_name, marketplace, trigger, status, period_from, period_to)
            VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8)
            """,
            session))
        {
            foreach (var value in new object[] { runId, workspaceId, connectionId, name, marketplace, UploadTrigger, from, to })
            {
                queue.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await queue.ExecuteNonQueryAsync(ct);
        }

        if (report.Complete is { } complete)
        {
            report = report with { Rows = complete(await StoredAsync(session, connectionId, report.Rows, ct)) };
        }

        var connector = new UploadedReportConnector(connectorFor(zone), report, name);
        var result = await runner.RunAsync(runId, settings, connector, zone, ct);
        return new ReportImportResult(runId, connectionId, name, from, to, result);
    }

    /// <summary>
    /// Why <paramref name="report"/> may not go into a new account of <paramref name="workspaceId"/> (another account
    /// holds its orders or the report), or null: checked before the account is made, so a refused upload leaves none.
    /// </summary>
    public async Task<LocalText?> RefusalForNewAccountAsync(Guid workspaceId, UploadedReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var session = await dataSource.OpenConnectionAsync(ct);
        var settings = new ConnectionSettings(Guid.Empty, workspaceId, report.Marketplace, new Dictionary<string, string>(), null);
        return await PullOverlap.RowsRefusalAsync(session, settings, report.Rows, report.CompletedParts, ct);
    }

    /// <summary>Whether a pull of the connection is queued or running (its merge could cross the upload's checks).</summary>
    private static async Task<bool> PullingAsync(NpgsqlConnection session, Guid connectionId, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pull_runs WHERE connection_id = $1 AND status IN ('queued', 'running') AND trigger <> $2)", session);
        find.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        find.Parameters.Add(new NpgsqlParameter { Value = UploadTrigger });
        return await find.ExecuteScalarAsync(ct) is true;
    }

    private static async Task<(string Marketplace, string Name, string Zone)> TargetAsync(NpgsqlConnection session, Guid workspaceId, Guid connectionId, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand(
            "SELECT c.marketplace, c.name, w.time_zone FROM connections AS c JOIN workspaces AS w ON w.id = c.workspace_id WHERE c.id = $1 AND c.workspace_id = $2",
            session);
        find.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        find.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        await using var reader = await find.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new ReportTargetException(new LocalText(
                "choose one of this workspace's marketplace accounts for the report",
                "выберите для отчёта один из аккаунтов маркетплейса в этом пространстве"));
        }

        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    private static async Task<IReadOnlyList<SourceRow>> StoredAsync(NpgsqlConnection session, Guid connectionId, IReadOnlyList<SourceRow> rows, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand(
            """
            SELECT s.feed, s.source_id, s.order_key, s.business_date, s.payload
            FROM source_rows AS s JOIN unnest($2::text[], $3::text[]) AS k (feed, source_id) ON k.feed = s.feed AND k.source_id = s.source_id
            WHERE s.connection_id = $1
            """,
            session);
        find.Parameters.Add(new NpgsqlParameter { Value = connectionId });
        find.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Feed).ToArray() });
        find.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.SourceId).ToArray() });
        var stored = new List<SourceRow>();
        await using var reader = await find.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored.Add(new SourceRow(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateOnly>(3), reader.GetString(4)));
        }

        return stored;
    }

    /// <summary>
    /// The run's window: the report's period, or the dates of its rows and of the rows an earlier upload of the same
    /// report stored (a corrected report may have dropped whole days; reconciliation must see them go).
    /// </summary>
    private static async Task<(DateOnly From, DateOnly To)> WindowAsync(NpgsqlConnection session, Guid connectionId, UploadedReport report, CancellationToken ct)
    {
        // A report of a period restates exactly that period (rows it carries from other periods, such as a posting's
        // earlier accruals, are sent but restate nothing there); a report by number, the dates of its lines.
        var from = report.Period?.From ?? report.Rows.Min(r => r.BusinessDate);
        var to = report.Period?.To ?? report.Rows.Max(r => r.BusinessDate);
        foreach (var part in report.CompletedParts)
        {
            await using var stored = new NpgsqlCommand(
                "SELECT min(business_date), max(business_date) FROM source_rows WHERE connection_id = $1 AND feed = $2 AND starts_with(source_id, $3)",
                session);
            stored.Parameters.Add(new NpgsqlParameter { Value = connectionId });
            stored.Parameters.Add(new NpgsqlParameter { Value = part.Feed });
            stored.Parameters.Add(new NpgsqlParameter { Value = part.SourceIdPrefix });
            await using var reader = await stored.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct) && !reader.IsDBNull(0))
            {
                var first = reader.GetFieldValue<DateOnly>(0);
                var last = reader.GetFieldValue<DateOnly>(1);
                from = first < from ? first : from;
                to = last > to ? last : to;
            }
        }

        return (from, to);
    }
}

/// <summary>
/// A report ready to land: the marketplace it is of, its source rows (as the marketplace's API would give them), and
/// what of the connection's stored rows it replaces whole: <see cref="CompletedParts"/> (a Wildberries report's lines,
/// by report number) and <see cref="CompletedFeeds"/> over <see cref="Period"/> (an Ozon accruals report's period).
/// </summary>
public sealed record UploadedReport(string Marketplace, IReadOnlyList<SourceRow> Rows)
{
    public IReadOnlyList<FeedPart> CompletedParts { get; init; } = [];

    public IReadOnlyList<string> CompletedFeeds { get; init; } = [];

    /// <summary>The dates the report covers whole, when it says (its feeds in <see cref="CompletedFeeds"/> are restated over them).</summary>
    public PullWindow? Period { get; init; }

    /// <summary>
    /// Makes the rows to send from the report's rows and the connection's stored rows of the same feeds and ids (an
    /// Ozon posting's accruals of other periods stay with it); null: the report's rows as they are.
    /// </summary>
    public Func<IReadOnlyList<SourceRow>, IReadOnlyList<SourceRow>>? Complete { get; init; }

    /// <summary>What identifies the report to the seller: "report 123456" or "period 01.03.2026–31.03.2026".</summary>
    public LocalText? Name { get; init; }

    /// <summary>
    /// Why the report may not land in a connection (its id and name) given what the connection holds, or null; checked
    /// before the run and again under the connection's lock just before the merge (a Wildberries report over weeks the
    /// connection pulled: <see cref="WildberriesReportOverlap"/>).
    /// </summary>
    public Func<NpgsqlConnection, Guid, string, CancellationToken, Task<LocalText?>>? Overlap { get; init; }
}

/// <summary>How an upload ended: its run (shown among the connection's runs), the target, the window and the runner's result.</summary>
public sealed record ReportImportResult(Guid RunId, Guid ConnectionId, string ConnectionName, DateOnly From, DateOnly To, PullRunResult Result);

/// <summary>The target of an upload is not a connection the report can go to; the message says what to choose.</summary>
public sealed class ReportTargetException : Exception
{
    public ReportTargetException(LocalText text)
        : base(text?.En)
    {
        Text = text ?? new LocalText(string.Empty, string.Empty);
    }

    public ReportTargetException()
    {
        Text = new LocalText(string.Empty, string.Empty);
    }

    public ReportTargetException(string message)
        : base(message)
    {
        Text = new LocalText(message, message);
    }

    public ReportTargetException(string message, Exception innerException)
        : base(message, innerException)
    {
        Text = new LocalText(message, message);
    }

    public LocalText Text { get; }
}

/// <summary>
/// The marketplace's connector with the file's rows for its fetch: one page, declaring the report's parts (and, for a
/// report of a whole period, its feeds) sent whole. Mapping and payout are the connector's own.
/// </summary>
internal sealed class UploadedReportConnector(IMarketplaceConnector inner, UploadedReport report, string connectionName)
    : IMarketplaceConnector, IStreamingLedgerMapper, IPullMergeGuard
{
    public string Marketplace => inner.Marketplace;

    public async IAsyncEnumerable<SourcePage> FetchAsync(
        ConnectionSettings connection, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        yield return new SourcePage(report.Rows, 1) { CompletedParts = report.CompletedParts, CompletedFeeds = report.CompletedFeeds };
    }

    public DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone) => inner.Map(rows, zone);

    public decimal? MarketplacePayout(IReadOnlyList<SourceRow> rows) => inner.MarketplacePayout(rows);

    public Task<LocalText?> RefusalAsync(NpgsqlConnection session, Guid runId, ConnectionSettings connection, CancellationToken ct) =>
        report.Overlap is { } overlap ? overlap(session, connection.Id, connectionName, ct) : Task.FromResult<LocalText?>(null);

    public ILedgerMappingSession StartMapping(TimeZoneInfo zone) =>
        inner is IStreamingLedgerMapper streaming ? streaming.StartMapping(zone) : new CollectingMappingSession(inner, zone);
}

/// <summary>Texts of report uploads in both languages.</summary>
public static class ReportTexts
{
    /// <summary>The refusal of an upload into an account a pull of which is queued or running.</summary>
    public static LocalText PullRunning(string connectionName) => new(
        $"Not uploaded: a pull of '{connectionName}' is queued or running. Nothing was stored; try again when it has finished (the Connections page shows it).",
        $"Не загружено: для «{connectionName}» запущена или ожидает загрузка из API. Ничего не сохранено; попробуйте снова, когда она закончится (её видно на странице «Подключения»).");

    /// <summary>A Wildberries weekly report by its number.</summary>
    public static LocalText WildberriesReport(long reportId) => new(
        string.Create(CultureInfo.InvariantCulture, $"Wildberries report {reportId}"),
        string.Create(CultureInfo.InvariantCulture, $"отчёт Wildberries № {reportId}"));
}
