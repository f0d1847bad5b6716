using System.Globalization;
using SellerDesk.Data;
using SellerDesk.Data.Reports;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Exports;
using SellerDesk.Web.Features.Reports;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Api;

/// <summary>GET /api/v1/reports/{channels|marketplaces|cohorts} (import-and-api.md).</summary>
internal static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder group)
    {
        var reports = group.MapGroup("/reports");

        reports.MapGet("/channels", async (HttpContext http, ReportService service, TimeProvider clock, CancellationToken ct) =>
        {
            if (!ReportQuery.TryParse(http.Request.Query, http.User.Workspace().Today(clock), out var request, out var problem))
            {
                return problem;
            }

            var result = await service.LoadFactsAsync(http.User.Workspace(), request, ct);
            return ReportAnswers.Json(http, result, "channels", () => new ChannelsAnswer(ChannelDto.All(result)));
        })
            .WithName("GetChannelsReport")
            .WithSummary("Channel report: revenue, margin and verdict per acquisition channel")
            .WithPeriod()
            .Produces<ChannelsAnswer>();

        reports.MapGet("/marketplaces", async (HttpContext http, ReportService service, TimeProvider clock, CancellationToken ct) =>
        {
            if (!ReportQuery.TryParse(http.Request.Query, http.User.Workspace().Today(clock), out var request, out var problem))
            {
                return problem;
            }

            var result = await service.LoadFactsAsync(http.User.Workspace(), request, ct);
            return ReportAnswers.Json(
                http, result, "marketplaces", () => new MarketplacesAnswer(result.Marketplaces().Select(MarketplaceDto.From), ConcentrationDto.From(result.Concentration())));
        })
            .WithName("GetMarketplacesReport")
            .WithSummary("Marketplace report: revenue, costs and margin per marketplace")
            .WithPeriod()
            .Produces<MarketplacesAnswer>();

        reports.MapGet("/cohorts", async (HttpContext http, ReportService service, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            if (!ReportQuery.TryParseWithFormat(http, clock, out var request, out var format, out var problem))
            {
                return problem;
            }

            var metricText = query["metric"].ToString() is { Length: > 0 } m ? m.ToLowerInvariant() : "margin";
            if (!Enum.TryParse<CohortMetric>(metricText, ignoreCase: true, out var metric) || metricText.Any(char.IsDigit))
            {
                return ReportQuery.BadRequest($"metric '{metricText}' is not one of margin, revenue, retention.");
            }

            // Exports: comma dialect and English unless asked (dialect=semicolon, lang=ru): the API's fixed csv contract.
            if (!ExportResult.TryOptions(query, CultureInfo.GetCultureInfo("en-US"), CsvDialect.Comma, out var language, out var dialect, out var optionProblem))
            {
                return ReportQuery.BadRequest(optionProblem!);
            }

            var filter = new CohortFilter(NullIfEmpty(query["marketplace"]), NullIfEmpty(query["channel"]));
            var result = await service.LoadFactsAsync(http.User.Workspace(), request, ct);
            if (format is "csv" or "xlsx")
            {
                var rows = result.Cohorts(filter);
                await audit.WriteAsync(Actor.Of(http), http.User.Workspace().Id, AuditActions.Export, AuditTexts.CohortExport(format, metricText, result.Period.From, result.Period.To));
                return new ExportResult(CohortExport.Table(rows, metric, result.Period, filter), format == "xlsx" ? ExportFormat.Xlsx : ExportFormat.Csv, language, dialect);
            }

            return ReportAnswers.Json(
                http, result, $"cohorts\n{filter.Marketplace?.Length}:{filter.Marketplace}\n{filter.Channel}", () => new CohortsAnswer(result.Cohorts(filter).Select(CohortDto.From)));
        })
            .WithName("GetCohortsReport")
            .WithSummary("Cohort report: customers by first-order month, as JSON, CSV or an Excel workbook")
            .WithPeriod()
            .WithQueryParameter("format", "The answer's format; csv and xlsx are downloads (exports: Owner and Finance tokens only).", values: ["json", "csv", "xlsx"])
            .WithQueryParameter("metric", "What each month's cell shows.", values: ["margin", "revenue", "retention"])
            .WithQueryParameter("marketplace", "Only customers of this marketplace (its code, e.g. wb).")
            .WithQueryParameter("channel", "Only customers this channel brought (its code).")
            .WithExportOptions()
            .Produces<CohortsAnswer>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithFileAnswer("text/csv", "format=csv: the cohort table as CSV (UTF-8; comma dialect unless dialect=semicolon).", binary: false)
            .WithFileAnswer("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "format=xlsx: the cohort table as an Excel workbook, with a definitions sheet.", binary: true);

        return group;
    }

    /// <summary>Tags a report and documents the period every report reads, and the 400 a bad period gets.</summary>
    internal static RouteHandlerBuilder WithPeriod(this RouteHandlerBuilder builder) => builder
        .WithTags("Reports")
        .WithQueryParameter("from", "First day of the period (YYYY-MM-DD), in the workspace's time zone.", required: true, format: "date")
        .WithQueryParameter("to", "Last day of the period (YYYY-MM-DD), inclusive.", required: true, format: "date")
        .WithQueryParameter("as_of", "Compute as the data stood on this day (YYYY-MM-DD); today when left out.", format: "date")
        .ProducesProblem(StatusCodes.Status400BadRequest);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Reads <c>from</c>, <c>to</c> and <c>as_of</c>, answering a 400 when they are missing, malformed or out of bounds.</summary>
internal static class ReportQuery
{
    /// <summary>
    /// Also refuses (400, in both languages) an <c>as_of</c> after <paramref name="today"/> (the workspace's) and a
    /// period longer than <see cref="ReportLimits.MaxYears"/> years.
    /// </summary>
    public static bool TryParse(IQueryCollection query, DateOnly today, out ReportRequest request, out IResult problem)
    {
        request = null!;
        problem = null!;
        if (!TryDate(query, "from", required: true, out var from, out problem)
            || !TryDate(query, "to", required: true, out var to, out problem)
            || !TryDate(query, "as_of", required: false, out var asOf, out problem))
        {
            return false;
        }

        if (to < from)
        {
            problem = BadRequest($"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd}).");
            return false;
        }

        if (ReportLimits.Check(from!.Value, to!.Value, asOf, today) is { } refused)
        {
            problem = ApiProblems.Validation(refused.Field, refused.Error);
            return false;
        }

        // An account filter (decision 0010): the rows of one connection, or of files, as if the workspace held only them.
        LedgerSource? source = null;
        var sourceText = query["source"].ToString();
        if (!string.IsNullOrWhiteSpace(sourceText))
        {
            if (!LedgerSource.TryParse(sourceText, out var parsed))
            {
                problem = BadRequest($"Query parameter 'source': '{sourceText}' is neither 'file' nor a connection id.");
                return false;
            }

            source = parsed;
        }

        request = new ReportRequest(from!.Value, to!.Value, asOf) { Source = source };
        return true;
    }

    public static IResult BadRequest(string title) => Results.Problem(title: title, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>
    /// A report the API also answers as a file: <c>format</c> json (default), csv or xlsx, where csv and xlsx are
    /// exports (Owner and Finance tokens only, <see cref="Policies.Exports"/>: 403 otherwise), then the period.
    /// </summary>
    public static bool TryParseWithFormat(HttpContext http, TimeProvider clock, out ReportRequest request, out string format, out IResult problem)
    {
        request = null!;
        format = http.Request.Query["format"].ToString() is { Length: > 0 } f ? f.ToLowerInvariant() : "json";
        if (format is "csv" or "xlsx" && !http.User.Allows(Policies.Exports))
        {
            problem = Results.Problem(
                title: "This token's role may read reports but not export them: only Owner and Finance tokens may download CSV or XLSX.",
                statusCode: StatusCodes.Status403Forbidden);
            return false;
        }

        if (!TryParse(http.Request.Query, http.User.Workspace().Today(clock), out request, out problem))
        {
            return false;
        }

        if (format is not ("json" or "csv" or "xlsx"))
        {
            problem = BadRequest($"format '{format}' is not one of json, csv, xlsx.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The optional <c>marketplace</c> filter: null when absent, else a marketplace code (lowercase letters, digits and
    /// '_'); anything else is a 400.
    /// </summary>
    public static bool TryMarketplace(IQueryCollection query, out string? marketplace, out IResult problem)
    {
        problem = null!;
        var text = query["marketplace"].ToString().Trim();
        marketplace = text.Length == 0 ? null : text;
        if (marketplace is not null
            && !(marketplace.Length <= 64 && marketplace.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')))
        {
            problem = BadRequest(
                $"Query parameter 'marketplace': '{marketplace}' is not a marketplace code (lowercase letters, digits and '_', e.g. ozon or wildberries).");
            return false;
        }

        return true;
    }

    public static IReadOnlyList<(string Name, string Value)> Describe(ReportPeriod period, CohortFilter filter) =>
    [
        ("from", period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("to", period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("as_of", period.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("marketplace", filter.Marketplace ?? "all"),
        ("channel", filter.Channel ?? "all"),
    ];

    private static bool TryDate(IQueryCollection query, string name, bool required, out DateOnly? value, out IResult problem)
    {
        value = null;
        problem = null!;
        var text = query[name].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                problem = BadRequest($"Query parameter '{name}' is required (a date, YYYY-MM-DD).");
                return false;
            }

            return true;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            problem = BadRequest($"Query parameter '{name}': '{text}' is not a date (YYYY-MM-DD).");
            return false;
        }

        value = parsed;
        return true;
    }
}
