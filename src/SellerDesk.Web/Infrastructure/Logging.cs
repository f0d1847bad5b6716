using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Infrastructure;

internal static class LoggingExtensions
{
    private const string RequestTemplate = "HTTP {RequestMethod:l} {RequestPath:l} ({Route:l}) answered {StatusCode} in {Elapsed:0.0} ms";

    /// <summary>
    /// Serilog (Serilog.AspNetCore) as the app's logging: console, or JSON lines (Serilog's compact format with the
    /// message rendered) when <c>Logging:Json</c> is true; levels and further sinks from the <c>Serilog</c>
    /// configuration section (<c>Serilog__MinimumLevel__Default=Debug</c>...). HttpClient logs start at Warning: a
    /// marketplace URL is not the log's business.
    /// </summary>
    public static WebApplicationBuilder AddSellerDeskLogging(this WebApplicationBuilder builder)
    {
        var json = builder.Configuration.GetValue<bool>("Logging:Json");
        builder.Host.UseSerilog(
            (context, services, logger) =>
            {
                logger
                    .MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                    .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
                    .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                    .Enrich.FromLogContext()
                    .ReadFrom.Configuration(context.Configuration)
                    .ReadFrom.Services(services);
                if (json)
                {
                    logger.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
                else
                {
                    logger.WriteTo.Console(formatProvider: CultureInfo.InvariantCulture);
                }
            },
            // Several apps in one process (the tests) each keep their own logger; the static Log is left alone.
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// One line per request with the route, the status and the time, and the workspace, connection and pull run where
    /// the request names them. Paths only: query strings are not logged. /health and static files log at Debug, other
    /// 5xx answers at Error.
    /// </summary>
    public static WebApplication UseSellerDeskRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // This app's logger, not the static one (left alone: see AddSellerDeskLogging).
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = RequestTemplate;
            // /health answers 503 on purpose while starting or while the database is away: its own answer says why.
            options.GetLevel = (http, _, exception) =>
                exception is not null ? LogEventLevel.Error
                : IsQuiet(http.Request.Path) ? LogEventLevel.Debug
                : http.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("Route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(none)");
                if (http.User.FindFirst(WorkspaceClaims.Id)?.Value is { } workspace)
                {
                    diagnostics.Set("Workspace", workspace);
                }

                if (PullRunOf(http) is { } run)
                {
                    diagnostics.Set("PullRun", run);
                }

                if (http.Request.Path.StartsWithSegments("/api/v1/connections", StringComparison.OrdinalIgnoreCase)
                    && http.GetRouteValue("id") is string connection)
                {
                    diagnostics.Set("Connection", connection);
                }
            };
        });
        return app;
    }

    /// <summary>The run a request reads (<c>/api/v1/pulls/{id}</c>) or has just queued (its Location header).</summary>
    private static string? PullRunOf(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/api/v1/pulls", StringComparison.OrdinalIgnoreCase) && http.GetRouteValue("id") is string read)
        {
            return read;
        }

        var location = http.Response.Headers.Location.ToString();
        const string Pulls = "/api/v1/pulls/";
        return location.StartsWith(Pulls, StringComparison.OrdinalIgnoreCase) && Guid.TryParse(location.AsSpan(Pulls.Length), out var queued)
            ? queued.ToString()
            : null;
    }

    private static bool IsQuiet(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
        || Path.HasExtension(path.Value);
}
