using Npgsql;
using Quartz;
using SellerDesk.Ingestion.Connections;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// Starts the clustered Quartz scheduler once migrations are applied: under a PostgreSQL advisory lock, so nodes
/// starting together do not race to create Quartz's tables, then plans every enabled schedule (idempotent).
/// With <c>Scheduler:Enabled</c> false this node schedules nothing and runs no pulls (queued runs wait for a node
/// that does).
/// </summary>
internal sealed class SchedulerStartStep(
    ISchedulerFactory factory,
    NpgsqlDataSource dataSource,
    ConnectionService connections,
    SchedulerState state,
    IConfiguration configuration,
    ILogger<SchedulerStartStep> logger) : IStartupStep
{
    private const long ProvisioningLock = 0x5345_4C4C_5154_5A31; // "SELLQTZ1"

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            state.Off();
            logger.LogInformation("Scheduler:Enabled is false: this node runs no pulls");
            return;
        }

        await using (var session = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({ProvisioningLock})", session))
            {
                await take.ExecuteNonQueryAsync(cancellationToken);
            }

            try
            {
                var scheduler = await factory.GetScheduler(cancellationToken);
                if (scheduler.Status is SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown)
                {
                    // Quartz builds one scheduler per process and shuts it down when its start fails (the database
                    // went away while it started); it cannot be built again. Serve pages and the API, run no pulls.
                    state.Fail("the scheduler stopped while starting (the database went away); this node runs no pulls until it is restarted");
                    logger.LogError("The pull scheduler could not start and this node runs no pulls until it is restarted");
                    return;
                }

                await scheduler.Start(cancellationToken);
                state.Started();
            }
            catch (SchedulerException ex)
            {
                // A failed start shuts Quartz's one scheduler down for good: retrying the start-up would only stop
                // the app. Keep serving; /health says why this node runs no pulls.
                state.Fail(ex.Message + "; this node runs no pulls until it is restarted");
                logger.LogError(ex, "The pull scheduler could not start; this node runs no pulls until it is restarted");
                return;
            }
            finally
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({ProvisioningLock})", session);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        var planned = await connections.PlanAllAsync(cancellationToken);
        logger.LogInformation("Scheduler started in the cluster; {Count} pull schedule(s) planned", planned);
    }
}

/// <summary>Stops the scheduler with the app, letting running pulls see their cancellation and record it.</summary>
internal sealed class SchedulerShutdown(ISchedulerFactory factory, ILogger<SchedulerShutdown> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var scheduler in await factory.GetAllSchedulers(cancellationToken))
            {
                if (scheduler.Status is SchedulerStatus.Running or SchedulerStatus.Standby)
                {
                    await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
                }
            }
        }
        catch (ObjectDisposedException ex)
        {
            // Quartz's cluster manager may reach for the container while the host is already tearing it down (seen
            // when the database was unreachable at shutdown): the scheduler is stopping anyway, and a stop must not throw.
            logger.LogWarning("The pull scheduler stopped while the app was already shutting down: {Error}", ex.Message);
        }
    }
}

/// <summary>Whether this node's pull scheduler runs (for /health): starting, running, off by configuration, or failed.</summary>
public sealed class SchedulerState
{
    private volatile string _status = "starting";

    public string Status => _status;

    internal void Started() => _status = "running";

    internal void Off() => _status = "off (Scheduler:Enabled is false)";

    internal void Fail(string reason) => _status = "failed: " + reason;
}
