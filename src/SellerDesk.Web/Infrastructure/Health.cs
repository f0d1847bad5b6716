using SellerDesk.Data;

namespace SellerDesk.Web.Infrastructure;

internal static class HealthExtensions
{
    /// <summary>
    /// <c>/health</c>: 200 when the database answers, every migration is applied and start-up (bootstrap workspace and
    /// token, demo data) has finished; else 503 saying which.
    /// </summary>
    public static WebApplication MapSellerDeskHealth(this WebApplication app)
    {
        app.MapGet("/health", async (Migrator migrator, DatabaseState state, SchedulerState scheduler, CancellationToken cancellationToken) =>
        {
            try
            {
                var pending = await migrator.PendingAsync(cancellationToken);
                var healthy = pending.Count == 0 && state.Ready;
                return Results.Json(
                    new
                    {
                        status = healthy ? "healthy" : "unhealthy",
                        database = "reachable",
                        pending_migrations = pending,
                        startup = state.Ready ? "done" : "running",
                        startup_error = state.LastError,
                        scheduler = scheduler.Status,
                    },
                    statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever stops the check is an unhealthy answer, never a crash of the health endpoint.
                return Results.Json(
                    new { status = "unhealthy", database = "unreachable", error = ex.Message },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous();
        return app;
    }
}
