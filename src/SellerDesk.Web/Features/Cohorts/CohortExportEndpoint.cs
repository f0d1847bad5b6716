using System.Globalization;
using System.Text;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Api;
using SellerDesk.Web.Features.Reports;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Cohorts;

/// <summary>
/// GET /export/cohorts?from&amp;to[&amp;as_of][&amp;marketplace][&amp;channel][&amp;metric][&amp;format=csv|xlsx]: the cohort
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

            var format = query["format"].ToString() is { Length: > 0 } f ? f.ToLowerInvariant() : "csv";
            if (format is not ("csv" or "xlsx"))
            {
                return ReportQuery.BadRequest($"format '{format}' is not one of csv, xlsx.");
            }

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
            var name = string.Create(
                CultureInfo.InvariantCulture,
                $"cohorts_{filter.Marketplace ?? "all"}_{result.Period.From:yyyy-MM-dd}_{result.Period.To:yyyy-MM-dd}_{metricText}");
            return format == "xlsx"
                ? Results.File(
                    CohortExport.ToXlsx(rows, metric.Value, ReportQuery.Describe(result.Period, filter)),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    name + ".xlsx")
                : Results.File(Encoding.UTF8.GetBytes(CohortExport.ToCsv(rows, metric.Value)), "text/csv; charset=utf-8", name + ".csv");
        });

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
