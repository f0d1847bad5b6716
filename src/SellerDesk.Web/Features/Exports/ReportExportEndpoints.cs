using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Api;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Exports;

/// <summary>
/// GET /export/channels, /export/marketplaces and /export/pnl ?from&amp;to[&amp;as_of][&amp;source][&amp;marketplace][&amp;format=csv|xlsx][&amp;dialect][&amp;lang]:
/// the channels, marketplaces and P&amp;L reports as files for the browser's workspace, in the page's language and CSV
/// dialect unless asked otherwise.
/// </summary>
public static class ReportExportEndpoints
{
    public const string ChannelsPath = "/export/channels";

    public const string MarketplacesPath = "/export/marketplaces";

    public const string PnlPath = "/export/pnl";

    public static void MapReportExports(this IEndpointRouteBuilder app)
    {
        app.MapGet(ChannelsPath, (HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(http, reports, audit, clock, Named(new("Channels", "Каналы")), (facts, marketplace) => ReportExports.Channels(facts, marketplace), ct))
            .RequireAuthorization(Policies.Exports);
        app.MapGet(MarketplacesPath, (HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(http, reports, audit, clock, Named(new("Marketplaces", "Маркетплейсы")), (facts, _) => ReportExports.Marketplaces(facts), ct))
            .RequireAuthorization(Policies.Exports);

        // The P&L statement as the page lays it out: the same file as GET /api/v1/reports/pnl?format=csv|xlsx.
        app.MapGet(PnlPath, (HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(http, reports, audit, clock, PnlEndpoints.AuditText, (facts, marketplace) => ProfitAndLoss.PnlExport.Table(facts, marketplace), ct))
            .RequireAuthorization(Policies.Exports);
    }

    /// <summary>The audit text of a report's download: its name, format and period.</summary>
    private static Func<string, string?, DateOnly, DateOnly, LocalText> Named(LocalText report) => (format, _, from, to) =>
    {
        var period = string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        return new LocalText($"{report.En} as {format} for {period}.", $"{report.Ru} в {format} за {period}.");
    };

    internal static async Task<IResult> ExportAsync(
        HttpContext http,
        ReportService reports,
        AuditLog audit,
        TimeProvider clock,
        Func<string, string?, DateOnly, DateOnly, LocalText> auditText,
        Func<FactReports, string?, ExportTable> table,
        CancellationToken ct)
    {
        var query = http.Request.Query;
        var workspace = http.User.Workspace();
        if (!ReportQuery.TryParse(query, workspace.Today(clock), out var request, out var problem)
            || !ReportQuery.TryMarketplace(query, out var marketplace, out problem))
        {
            return problem;
        }

        if (!ExportResult.TryFormat(query["format"], out var format))
        {
            return ReportQuery.BadRequest($"format '{query["format"]}' is not one of csv, xlsx.");
        }

        if (!ExportResult.TryOptions(query, CultureInfo.CurrentUICulture, null, out var language, out var dialect, out var optionProblem))
        {
            return ReportQuery.BadRequest(optionProblem!);
        }

        var facts = await reports.LoadFactsAsync(workspace, request, ct);
        var formatCode = format == ExportFormat.Xlsx ? "xlsx" : "csv";
        await audit.WriteAsync(Actor.Of(http), workspace.Id, AuditActions.Export, auditText(formatCode, marketplace, facts.Period.From, facts.Period.To));
        return new ExportResult(table(facts, marketplace), format, language, dialect);
    }
}
