using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Api;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Exports;

/// <summary>
/// GET /export/channels and /export/marketplaces ?from&amp;to[&amp;as_of][&amp;source][&amp;marketplace][&amp;format=csv|xlsx][&amp;dialect][&amp;lang]:
/// the channels and marketplaces reports as files for the browser's workspace, in the page's language and CSV
/// dialect unless asked otherwise.
/// </summary>
public static class ReportExportEndpoints
{
    public const string ChannelsPath = "/export/channels";

    public const string MarketplacesPath = "/export/marketplaces";

    public static void MapReportExports(this IEndpointRouteBuilder app)
    {
        app.MapGet(ChannelsPath, (HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(http, reports, audit, clock, new("Channels", "Каналы"), (facts, marketplace) => ReportExports.Channels(facts, marketplace), ct))
            .RequireAuthorization(Policies.Exports);
        app.MapGet(MarketplacesPath, (HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(http, reports, audit, clock, new("Marketplaces", "Маркетплейсы"), (facts, _) => ReportExports.Marketplaces(facts), ct))
            .RequireAuthorization(Policies.Exports);
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, LocalText report, Func<FactReports, string?, ExportTable> table, CancellationToken ct)
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
        var period = string.Create(CultureInfo.InvariantCulture, $"{facts.Period.From:yyyy-MM-dd}..{facts.Period.To:yyyy-MM-dd}");
        await audit.WriteAsync(Actor.Of(http), workspace.Id, AuditActions.Export, new LocalText($"{report.En} as {formatCode} for {period}.", $"{report.Ru} в {formatCode} за {period}."));
        return new ExportResult(table(facts, marketplace), format, language, dialect);
    }
}
