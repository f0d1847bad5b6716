using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Web.Api;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Exports;

namespace SellerDesk.Web.Features.ProfitAndLoss;

/// <summary>
/// GET /export/pnl?from&amp;to[&amp;as_of][&amp;source][&amp;marketplace][&amp;format=csv|xlsx][&amp;dialect][&amp;lang]: the P&amp;L
/// page's download buttons, for the browser's workspace, in the page's language and CSV dialect unless asked.
/// </summary>
public static class PnlExportEndpoint
{
    public const string Path = "/export/pnl";

    public static IEndpointConventionBuilder MapPnlExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async (HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var workspace = http.User.Workspace();
            if (!ReportQuery.TryParse(query, workspace.Today(clock), out var request, out var problem))
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

            var marketplace = query["marketplace"].ToString() is { Length: > 0 } m && !string.IsNullOrWhiteSpace(m) ? m.Trim() : null;
            var facts = await reports.LoadFactsAsync(workspace, request, ct);
            var formatCode = format == ExportFormat.Xlsx ? "xlsx" : "csv";
            await audit.WriteAsync(Actor.Of(http), workspace.Id, AuditActions.Export, PnlEndpoints.AuditText(formatCode, marketplace, facts.Period.From, facts.Period.To));
            return new ExportResult(PnlExport.Table(facts, marketplace), format, language, dialect);
        });
}
