using SellerDesk.Data;

namespace SellerDesk.Web.Infrastructure;

internal static class HealthExtensions
{
    /// <summary>
    /// <c>/health</c>: 200 when the database answers, every migration is applied and start-up (bootstrap workspace and
    /// token, demo data) has finished; else 503. The answer is only <c>{"status": "healthy"|"unhealthy", "reason"}</c>
    /// with a plain reason: no exception text, versions or names (docs/decisions/0019-hardening.md).
    /// </summary>
    public static WebApplication MapSellerDeskHealth(this WebApplication app)
    {
        app.MapGet("/health", async (Migrator migrator, DatabaseState state, SchedulerState scheduler, ILogger<DatabaseState> logger, CancellationToken cancellationToken) =>
        {
            try
            {
                var pending = await migrator.PendingAsync(cancellationToken);
                var reason = pending.Count > 0 ? "database migrations are pending"
                    : !state.Ready ? "start-up has not finished"
                    : scheduler.Status.StartsWith("failed", StringComparison.Ordinal) ? "ready; this node runs no pulls: its scheduler could not start (see the log)"
                    : scheduler.Status.StartsWith("off", StringComparison.Ordinal) ? "ready; this node runs no pulls (Scheduler:Enabled is false)"
                    : "ready";
                return Answer(pending.Count == 0 && state.Ready, reason);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever stops the check is an unhealthy answer, never a crash of the health endpoint, and never the
                // exception's own words (they name hosts, ports and users): those go to the log.
                logger.LogWarning("Health check failed: {Error}", ex.Message);
                return Answer(false, ErrorHandlingExtensions.IsDatabaseUnavailable(ex) ? "database unreachable" : "database check failed (see the log)");
            }
        }).AllowAnonymous();
        return app;
    }

    private static IResult Answer(bool healthy, string reason) => Results.Json(
        new { status = healthy ? "healthy" : "unhealthy", reason },
        statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
}
