using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Api;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Exports;

namespace SellerDesk.Web.Features.DrillDown;

/// <summary>
/// GET /api/v1/reports/drilldown (token-authorized as every report; csv and xlsx for Owner and Finance tokens) and
/// GET /export/drilldown (the page's downloads, in the page's language and CSV dialect): the orders behind a figure.
/// </summary>
public static class DrillDownEndpoints
{
    public const string ExportPath = "/export/drilldown";

    internal static RouteGroupBuilder MapDrillDownEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/drilldown", async (HttpContext http, DrillDownQueries drill, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var workspace = http.User.Workspace();
            if (!ReportQuery.TryParseWithFormat(http, clock, out _, out var format, out var problem)
                || !DrillDownRequest.TryParse(query, workspace, clock, out var filter, out problem)
                || !DrillDownRequest.TryPage(query, out var limit, out var after, out problem))
            {
                return problem;
            }

            if (format is "csv" or "xlsx")
            {
                // The API's files are English with the comma dialect unless asked (lang=ru, dialect=semicolon).
                if (!ExportResult.TryOptions(query, CultureInfo.GetCultureInfo("en-US"), CsvDialect.Comma, out var language, out var dialect, out var optionProblem))
                {
                    return ReportQuery.BadRequest(optionProblem!);
                }

                await audit.WriteAsync(Actor.Of(http), workspace.Id, AuditActions.Export, AuditText(format, filter));
                return new ExportResult(DrillDownExport.Table(filter, drill.AllAsync(workspace.Id, filter, cancellationToken: ct)), format == "xlsx" ? ExportFormat.Xlsx : ExportFormat.Csv, language, dialect);
            }

            var totals = after is null ? DrillTotalsDto.From(await drill.TotalsAsync(workspace.Id, filter, ct)) : null;
            var page = await drill.PageAsync(workspace.Id, filter, after, limit, ct);
            return Results.Ok(new DrillDownAnswer(totals, page.Orders.Select(DrillOrderDto.From), page.Next?.Encode()));
        })
            .WithName("GetDrillDown")
            .WithSummary("Drill-down: the orders behind a figure of a report, with their lines, returns, economics and sources; paged, or as CSV or an Excel workbook")
            .WithDescription(
                "scope=orders (default) lists the orders placed in the period (marketplaces, SKUs, P&L and channel revenue figures); scope=customers lists the orders up to as_of of the customers acquired in the period (channels' first-order margin and margin to date, cohort cells). The first page carries the totals, which equal the figure to the kopeck; next is the cursor of the following page (after=...).")
            .WithPeriod()
            .WithQueryParameter("scope", "Which orders: those placed in the period, or those of the customers acquired in it.", values: ["orders", "customers"])
            .WithQueryParameter("marketplace", "Only this marketplace (its code, e.g. ozon).")
            .WithQueryParameter("sku", "Only the lines of this SKU (and the orders with one).")
            .WithQueryParameter("channel", "scope=orders: the order's channel; scope=customers: the customers' acquisition channel.")
            .WithQueryParameter("month", "Only orders placed in this month (YYYY-MM): a P&L column.")
            .WithQueryParameter("cohort", "scope=customers: only customers whose first order is in this month (YYYY-MM).")
            .WithQueryParameter("through", "scope=customers: only orders placed up to the end of this month (YYYY-MM): a cohort's cell.")
            .WithQueryParameter("first_only", "scope=customers: only the customers' first orders.", values: ["true", "false"])
            .WithQueryParameter("source", "Only the orders of this account: file, or a connection id.")
            .WithQueryParameter("limit", "Orders per page, 1 to 1000 (default 50).")
            .WithQueryParameter("after", "The next field of the previous page.")
            .WithQueryParameter("format", "The answer's format; csv and xlsx download every order (one row per line), streamed (exports: Owner and Finance tokens only).", values: ["json", "csv", "xlsx"])
            .WithExportOptions()
            .Produces<DrillDownAnswer>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithFileAnswer("text/csv", "format=csv: one row per order line (UTF-8; comma dialect unless dialect=semicolon).", binary: false)
            .WithFileAnswer(ExportResult.XlsxType, "format=xlsx: one row per order line as an Excel workbook, with a definitions sheet.", binary: true);
        return group;
    }

    /// <summary>The page's download buttons: the signed-in member's workspace, the page's language and dialect unless asked.</summary>
    public static IEndpointConventionBuilder MapDrillDownExport(this IEndpointRouteBuilder app) =>
        app.MapGet(ExportPath, async (HttpContext http, DrillDownQueries drill, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var workspace = http.User.Workspace();
            if (!DrillDownRequest.TryParse(query, workspace, clock, out var filter, out var problem))
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

            await audit.WriteAsync(Actor.Of(http), workspace.Id, AuditActions.Export, AuditText(format == ExportFormat.Xlsx ? "xlsx" : "csv", filter));
            return new ExportResult(DrillDownExport.Table(filter, drill.AllAsync(workspace.Id, filter, cancellationToken: ct)), format, language, dialect);
        }).RequireAuthorization(Policies.Exports);

    private static LocalText AuditText(string format, DrillDownFilter filter)
    {
        var period = string.Create(CultureInfo.InvariantCulture, $"{filter.Period.From:yyyy-MM-dd}..{filter.Period.To:yyyy-MM-dd}");
        var keys = string.Join(", ", new[] { filter.Marketplace, filter.Channel, filter.Sku, filter.Month?.ToString(), filter.Cohort?.ToString() }.Where(k => k is not null));
        return new LocalText(
            $"Drill-down ({(keys.Length > 0 ? keys : "all")}) as {format} for {period}.",
            $"Заказы за цифрой ({(keys.Length > 0 ? keys : "все")}) в {format} за {period}.");
    }
}
