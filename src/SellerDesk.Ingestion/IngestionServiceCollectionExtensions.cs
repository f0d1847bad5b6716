using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Ingestion.Files;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Ingestion.Scheduling;

namespace SellerDesk.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// The ledger importer (files and record batches). Needs the shared <see cref="NpgsqlDataSource"/>
    /// that <c>AddSellerDeskData</c> registers.
    /// </summary>
    public static IServiceCollection AddSellerDeskIngestion(this IServiceCollection services)
    {
        services.AddSingleton(sp => ConnectorMarketplaces.NewLedgerWriter(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<LedgerImporter>();
        return services;
    }

    /// <summary>
    /// Marketplace connections and pulls: credentials encrypted with Data Protection (key ring in PostgreSQL), the
    /// connectors, the pull runner, and the pull scheduler: Hangfire on its PostgreSQL storage. Its server is started by
    /// the app once migrations are applied (<c>SchedulerStartStep</c>), not by a hosted service.
    /// </summary>
    public static IServiceCollection AddSellerDeskPulls(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddTimeProvider();
        var keyRing = KeyRingProtection.FromConfiguration(configuration);
        services.AddSingleton(sp => new CredentialProtector(CredentialProtector.CreateProvider(sp.GetRequiredService<NpgsqlDataSource>(), keyRing)));

        // One call per marketplace (docs/connectors/README.md): each folder's module says all the app needs of it.
        services.AddMarketplace<WildberriesModule>(configuration);
        services.AddMarketplace<OzonModule>(configuration);
        services.AddMarketplace<YandexMarketModule>(configuration);
        services.AddMarketplace<SandboxModule>(configuration);
        services.AddSingleton<MarketplaceCatalog>();
        services.AddSingleton(sp => new PullRunner(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<LedgerWriter>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Reports.MarketplaceReportImporter>();

        services.AddSingleton<IPullScheduler, HangfirePullScheduler>();
        services.AddSingleton<ConnectionService>();
        services.AddSingleton<PullExecutor>();
        services.AddSellerDeskJobs(connectionString, configuration);
        return services;
    }

    /// <summary>
    /// Hangfire on its PostgreSQL storage (schema <c>hangfire</c>, decision 0012). Everything Hangfire keeps in static
    /// state elsewhere (the storage, the job activator) is this app's own here, so several apps in one process (the
    /// tests) never share them. The storage touches nothing until used; its schema is installed and the server started
    /// by the app once migrations are applied (<c>SchedulerStartStep</c>).
    /// </summary>
    private static void AddSellerDeskJobs(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        services.AddOptions<PullSchedulerOptions>().Bind(configuration.GetSection("Scheduler"));
        var pollInterval = configuration.GetSection("Scheduler").Get<PullSchedulerOptions>()?.PollInterval ?? new PullSchedulerOptions().PollInterval;
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = HangfireSchema,
            PrepareSchemaIfNecessary = false,
            QueuePollInterval = pollInterval,
            // A fetched job stays invisible to other nodes while its node's heartbeat renews it; a killed node's jobs
            // come back within a minute (and find their runs no longer queued or their slots served).
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(1),
            // Hangfire's own locks are rows with no owner check: one left by a killed node blocks the others until it
            // expires. Its critical sections last milliseconds, so half a minute is ample.
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        services.AddSingleton(storageOptions);
        services.AddSingleton(new JobStorageSchema(connectionString, HangfireSchema));
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddSingleton<ConnectionTurns>();
        services.AddTransient<ScheduledPullJob>();
        services.AddTransient<QueuedPullJob>();
        services.AddTransient<PullHousekeepingJob>();
    }

    /// <summary>The PostgreSQL schema of Hangfire's tables.</summary>
    public const string HangfireSchema = "hangfire";

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
