using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;
using Npgsql;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Scheduling;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// Once migrations are applied: installs Hangfire's schema (under its own advisory lock), starts this node's Hangfire
/// server with the housekeeping job, then plans every enabled schedule (idempotent). With <c>Scheduler:Enabled</c>
/// false this node schedules nothing and runs no pulls (queued runs wait for a node that does). A database that is
/// away is retried by <see cref="DatabaseStartup"/>; any other failure leaves the node serving pages and the API
/// without pulls, and <c>/health</c> says why.
/// </summary>
internal sealed class SchedulerStartStep(
    JobStorageSchema schema,
    PullServer server,
    IRecurringJobManager recurring,
    ConnectionService connections,
    SchedulerState state,
    IOptions<PullSchedulerOptions> options,
    ILogger<SchedulerStartStep> logger) : IStartupStep
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await schema.InstallAsync(cancellationToken);
            if (!options.Value.Enabled)
            {
                state.Off();
                logger.LogInformation("Scheduler:Enabled is false: this node runs no pulls");
                return;
            }

            recurring.AddOrUpdate<PullHousekeepingJob>(
                PullHousekeepingJob.RecurringJobId,
                job => job.RunAsync(CancellationToken.None),
                PullHousekeepingJob.Cron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            if (server.Start())
            {
                logger.LogInformation("Pull scheduler started on node {Node} with {Workers} worker(s)", server.NodeName, options.Value.Workers);
            }

            state.Started();
        }
        catch (Exception ex) when (!IsDatabaseAway(ex) && ex is not OperationCanceledException)
        {
            // Not a database that is away (which start-up retries) but one that refuses Hangfire's schema, or a
            // scheduler that cannot be built: keep serving; /health says why this node runs no pulls.
            state.Fail(ex.Message + "; this node runs no pulls until it is restarted");
            logger.LogError(ex, "The pull scheduler could not start; this node runs no pulls until it is restarted");
            return;
        }

        var planned = await connections.PlanAllAsync(cancellationToken);
        logger.LogInformation("{Count} pull schedule(s) planned", planned);
    }

    private static bool IsDatabaseAway(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException
        || (ex is NpgsqlException and not PostgresException)
        || (ex.InnerException is { } inner && IsDatabaseAway(inner));
}

/// <summary>
/// This node's Hangfire server, started by <see cref="SchedulerStartStep"/> after migrations (not at host start-up)
/// and stopped with the app: running pulls see their cancellation and record it.
/// </summary>
internal sealed class PullServer(
    JobStorage storage,
    JobActivator activator,
    IJobFilterProvider filters,
    ITimeZoneResolver zones,
    IServiceProvider services,
    IOptions<PullSchedulerOptions> options,
    ILogger<PullServer> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private BackgroundJobServer? _server;

    public string NodeName => options.Value.NodeName is { Length: > 0 } name ? name : Environment.MachineName;

    /// <summary>Starts the server unless it runs already; true when this call started it.</summary>
    public bool Start()
    {
        // Hangfire's serializer settings are set when its configuration is first resolved: before any job is read.
        _ = services.GetRequiredService<IGlobalConfiguration>();
        lock (_gate)
        {
            if (_server is not null)
            {
                return false;
            }

            var o = options.Value;
            _server = new BackgroundJobServer(
                new BackgroundJobServerOptions
                {
                    ServerName = NodeName,
                    WorkerCount = Math.Max(1, o.Workers),
                    SchedulePollingInterval = o.PollInterval,
                    // A node that stops announcing itself leaves the dashboard's server list within a minute; its
                    // fetched jobs come back sooner, through the storage's sliding invisibility timeout.
                    HeartbeatInterval = TimeSpan.FromSeconds(10),
                    ServerTimeout = TimeSpan.FromMinutes(1),
                    ServerCheckInterval = TimeSpan.FromSeconds(30),
                    Activator = activator,
                    FilterProvider = filters,
                    TimeZoneResolver = zones,
                },
                storage);
            return true;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        BackgroundJobServer? server;
        lock (_gate)
        {
            server = _server;
        }

        if (server is null)
        {
            return;
        }

        try
        {
            server.SendStop();
            await server.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("The pull scheduler did not stop within the host's shutdown time; its running pulls are abandoned");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _server?.Dispose();
            _server = null;
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
