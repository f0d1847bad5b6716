using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Api;
using SellerDesk.Web.Features.Exports;
using SellerDesk.Web.Features.Reports;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Cohorts;

/// <summary>
/// GET /export/cohorts?from&amp;to[&amp;as_of][&amp;marketplace][&amp;channel][&amp;metric][&amp;format=csv|xlsx][&amp;dialect][&amp;lang]: the cohort
/// page's download buttons. The same files as the API's cohort export, for the browser's workspace, so what is
/// downloaded equals what is on screen.
/// </summary>
public static class CohortExportEndpoint
{
    public const string Path = "/export/cohorts";

    public static IEndpointConventionBuilder MapCohortExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async (HttpContext http, ReportService reports, SellerDesk.Web.Auth.AuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            if (!ReportQuery.TryParse(query, http.User.Workspace().Today(clock), out var request, out var problem))
            {
                return problem;
            }

            // The page's own language and CSV dialect unless the address asks otherwise (dialect, lang).
            if (!ExportResult.TryFormat(query["format"], out var exportFormat))
            {
                return ReportQuery.BadRequest($"format '{query["format"]}' is not one of csv, xlsx.");
            }

            if (!ExportResult.TryOptions(query, CultureInfo.CurrentUICulture, null, out var language, out var dialect, out var optionProblem))
            {
                return ReportQuery.BadRequest(optionProblem!);
            }

            var format = exportFormat == ExportFormat.Xlsx ? "xlsx" : "csv";
            var metricText = query["metric"].ToString() is { Length: > 0 } m ? m.ToLowerInvariant() : "margin";
            CohortMetric? metric = metricText switch
            {
                "margin" => CohortMetric.Margin,
                "revenue" => CohortMetric.Revenue,
                "retention" => CohortMetric.Retention,
                _ => null,
            };
            if (metric is null)
            {
                return ReportQuery.BadRequest($"metric '{metricText}' is not one of margin, revenue, retention.");
            }

            // The signed-in member's current workspace (the Exports policy has checked the role).
            var workspace = http.User.Workspace();

            var filter = new CohortFilter(NullIfEmpty(query["marketplace"]), NullIfEmpty(query["channel"]));
            var result = await reports.LoadFactsAsync(workspace, request, ct);
            var rows = result.Cohorts(filter);
            await audit.WriteAsync(SellerDesk.Web.Auth.Actor.Of(http), workspace.Id, SellerDesk.Web.Auth.AuditActions.Export, AuditTexts.CohortExport(format, metricText, result.Period.From, result.Period.To));
            return new ExportResult(CohortExport.Table(rows, metric.Value, result.Period, filter), exportFormat, language, dialect);
        });

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
