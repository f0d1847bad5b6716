using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Exports;
using SellerDesk.Web.Features.ProfitAndLoss;

namespace SellerDesk.Web.Api;

/// <summary>GET /api/v1/reports/pnl?from&amp;to[&amp;as_of][&amp;marketplace][&amp;format=json|csv|xlsx] (metrics.md 4.5).</summary>
internal static class PnlEndpoints
{
    public static RouteGroupBuilder MapPnlEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/pnl", async (HttpContext http, ReportService service, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            if (!ReportQuery.TryParseWithFormat(http, clock, out var request, out var format, out var problem)
                || !ReportQuery.TryMarketplace(query, out var marketplace, out problem))
            {
                return problem;
            }

            // The API's files are English with the comma dialect unless asked (lang=ru, dialect=semicolon).
            if (!ExportResult.TryOptions(query, CultureInfo.GetCultureInfo("en-US"), CsvDialect.Comma, out var language, out var dialect, out var optionProblem))
            {
                return ReportQuery.BadRequest(optionProblem!);
            }

            var reports = await service.LoadFactsAsync(http.User.Workspace(), request, ct);
            if (format == "json")
            {
                return ReportAnswers.Json(http, reports, "pnl\n" + marketplace, () => new PnlAnswer(
                    reports.ProfitAndLoss().Where(r => marketplace is null || r.Marketplace == marketplace).Select(PnlDto.From)));
            }

            await audit.WriteAsync(Actor.Of(http), http.User.Workspace().Id, AuditActions.Export, AuditText(format, marketplace, reports.Period.From, reports.Period.To));
            return new ExportResult(PnlExport.Table(reports, marketplace), format == "xlsx" ? ExportFormat.Xlsx : ExportFormat.Csv, language, dialect);
        })
            .WithName("GetProfitAndLossReport")
            .WithSummary("Profit and loss: one row per month and marketplace, from revenue down to profit, as JSON, CSV or an Excel workbook")
            .WithPeriod()
            .WithQueryParameter("marketplace", "Only this marketplace's rows (its code, e.g. ozon).")
            .WithQueryParameter("format", "The answer's format; csv and xlsx are downloads laid out as the page shows the statement (exports: Owner and Finance tokens only).", values: ["json", "csv", "xlsx"])
            .WithExportOptions()
            .Produces<PnlAnswer>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithFileAnswer("text/csv", "format=csv: the statement as CSV (UTF-8; comma dialect unless dialect=semicolon).", binary: false)
            .WithFileAnswer(ExportResult.XlsxType, "format=xlsx: the statement as an Excel workbook, with a definitions sheet.", binary: true);

        return group;
    }

    /// <summary>What the audit log says about a P&amp;L download.</summary>
    public static LocalText AuditText(string format, string? marketplace, DateOnly from, DateOnly to)
    {
        var period = string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        return new LocalText(
            $"Profit and loss as {format} ({marketplace ?? "all marketplaces"}) for {period}.",
            $"Прибыли и убытки в {format} ({marketplace ?? "все маркетплейсы"}) за {period}.");
    }
}
