using Hangfire;
using Microsoft.Extensions.Options;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Scheduling;
using SellerDesk.Web.Infrastructure;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>The alerts' services, their guarded HTTP client, the pull hook and the recurring jobs (decision 0026).</summary>
public static class AlertsSetup
{
    /// <summary>The named client webhooks and Telegram go through.</summary>
    public const string HttpClientName = "alerts";

    public static WebApplicationBuilder AddSellerDeskAlerts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section);
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<AlertOptions>>().Value.HttpTimeout)
            // The connectors' guard (registered with them): internal addresses refused at connect time, no redirects.
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<AddressGuard>().CreateHandler())
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<AlertAddresses>();
        services.AddSingleton<AlertConditions>();
        services.AddSingleton<AlertSenders>();
        services.AddSingleton<AlertDeliveries>();
        services.AddSingleton<AlertService>();
        services.AddSingleton<DailyDigest>();
        services.AddSingleton<AlertNotifier>();
        services.AddHostedService<AlertBellWatch>();
        services.AddTransient<AlertJobs>();
        services.AddSingleton<IPullListener, AlertPullListener>();
        services.AddSingleton<IStartupStep, AlertsStartStep>();
        return builder;
    }
}

/// <summary>After the scheduler's start: plans the daily evaluation, the digest look-up and the sweep of overdue retries as recurring jobs (idempotent).</summary>
internal sealed class AlertsStartStep(
    IRecurringJobManager recurring, SchedulerState scheduler, IOptions<AlertOptions> options, ILogger<AlertsStartStep> logger) : IStartupStep
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (scheduler.Status != "running")
        {
            logger.LogInformation("The scheduler is {Status}: this node plans no alert jobs", scheduler.Status);
            return Task.CompletedTask;
        }

        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<AlertJobs>(AlertJobs.DailyJobId, job => job.EvaluateAllAsync(CancellationToken.None), options.Value.DailyCron, utc);
        recurring.AddOrUpdate<AlertJobs>(AlertJobs.DigestJobId, job => job.SendDigestsAsync(CancellationToken.None), options.Value.DigestCron, utc);
        recurring.AddOrUpdate<AlertJobs>(AlertJobs.OverdueJobId, job => job.SendOverdueAsync(CancellationToken.None), options.Value.OverdueCron, utc);
        return Task.CompletedTask;
    }
}
