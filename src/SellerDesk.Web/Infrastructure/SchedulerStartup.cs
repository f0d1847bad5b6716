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
    IConfiguration configuration,
    ILogger<SchedulerStartStep> logger) : IStartupStep
{
    private const long ProvisioningLock = 0x5345_4C4C_5154_5A31; // "SELLQTZ1"

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
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
                await scheduler.Start(cancellationToken);
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
internal sealed class SchedulerShutdown(ISchedulerFactory factory) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var scheduler in await factory.GetAllSchedulers(cancellationToken))
        {
            if (scheduler.Status is SchedulerStatus.Running or SchedulerStatus.Standby)
            {
                await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
            }
        }
    }
}
