using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Http;
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
        services.AddSingleton<LedgerImporter>();
        return services;
    }

    /// <summary>
    /// Marketplace connections and pulls: credentials encrypted with Data Protection (key ring in PostgreSQL), the
    /// connectors, the pull runner, and the clustered Quartz scheduler on the PostgreSQL store. The scheduler is
    /// started by the app once migrations are applied (<c>SchedulerStartStep</c>), not by a hosted service.
    /// </summary>
    public static IServiceCollection AddSellerDeskPulls(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddTimeProvider();
        services.AddSingleton(sp => new CredentialProtector(CredentialProtector.CreateProvider(sp.GetRequiredService<NpgsqlDataSource>())));

        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(100),
        });
        services.AddSingleton(sp => new ResilientHttpSender(sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<TimeProvider>()));
        var sandbox = configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions();
        services.AddSingleton(new MarketplaceDefinition(
            WildberriesConnector.MarketplaceCode,
            "Wildberries",
            [new CredentialField(WildberriesConnector.TokenKey, Required: true, Secret: true), new CredentialField(WildberriesConnector.AdsTokenKey, Required: false, Secret: true)],
            (sp, context) => new WildberriesConnector(sp.GetRequiredService<ResilientHttpSender>(), new WildberriesOptions { OnNotice = context.Notice }))
        {
            Account = c => AccountIdentity.WildberriesSeller(c.GetValueOrDefault(WildberriesConnector.TokenKey)),
        });
        services.AddSingleton(new MarketplaceDefinition(
            OzonConnector.MarketplaceCode,
            "Ozon",
            [new CredentialField(OzonConnector.ClientIdKey, Required: true, Secret: false), new CredentialField(OzonConnector.ApiKeyKey, Required: true, Secret: true)],
            (sp, context) => new OzonConnector(sp.GetRequiredService<ResilientHttpSender>(), new OzonOptions { TimeZone = context.Zone, OnNotice = context.Notice }))
        {
            Account = AccountIdentity.Credential(OzonConnector.ClientIdKey),
        });
        services.AddSingleton(new MarketplaceDefinition(
            YandexMarketConnector.MarketplaceCode,
            "Yandex Market",
            [new CredentialField(YandexMarketConnector.CampaignIdKey, Required: true, Secret: false), new CredentialField(YandexMarketConnector.ApiKeyKey, Required: true, Secret: true)],
            (sp, context) => new YandexMarketConnector(
                sp.GetRequiredService<ResilientHttpSender>(), new YandexMarketOptions { OnNotice = context.Notice }, sp.GetRequiredService<TimeProvider>()))
        {
            Account = AccountIdentity.Credential(YandexMarketConnector.CampaignIdKey),
        });
        services.AddSingleton(new MarketplaceDefinition(
            SandboxConnector.MarketplaceCode,
            "Sandbox",
            [new CredentialField(SandboxConnector.SeedKey, Required: false, Secret: false)],
            (sp, _) => new SandboxConnector(sandbox, sp.GetRequiredService<TimeProvider>()))
        {
            Account = SandboxConnector.AccountOf,
        });
        services.AddSingleton<MarketplaceCatalog>();
        services.AddSingleton(sp => new PullRunner(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<LedgerImporter>(),
            sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<IPullScheduler, QuartzPullScheduler>();
        services.AddSingleton<ConnectionService>();
        services.AddSingleton<PullExecutor>();
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(10);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                });
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            q.AddJob<QueuedPullJob>(j => j.WithIdentity(QuartzPullScheduler.QueuedJob).StoreDurably());
            q.AddJob<PullHousekeepingJob>(j => j.WithIdentity(PullHousekeepingJob.Key).StoreDurably());
            q.AddTrigger(t => t
                .WithIdentity("pull-housekeeping", "system")
                .ForJob(PullHousekeepingJob.Key)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(5)).RepeatForever()));
        });
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
