using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SellerDesk.Ingestion.Connectors.Http;

/// <summary>
/// The connectors' HTTP clients: one named client per marketplace from <see cref="IHttpClientFactory"/>
/// (<c>marketplace:wildberries</c>, ...), each over the guarded transport (<see cref="AddressGuard"/>: internal addresses
/// refused at connect time, no redirects), and one <see cref="ResilientHttpSender"/> per marketplace over it, resolved
/// by the marketplace code as a keyed service.
/// </summary>
public static class MarketplaceHttpRegistration
{
    /// <summary>How long one try may take to get the response headers, on the client itself (the pipeline's per-try timeout is the same).</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(100);

    /// <summary>The name of <paramref name="marketplace"/>'s HTTP client.</summary>
    public static string ClientName(string marketplace) => "marketplace:" + marketplace;

    /// <summary>
    /// Registers <see cref="MarketplaceHttpOptions"/> (section <c>Connectors:Http</c>), the guard, and a named client and
    /// a keyed <see cref="ResilientHttpSender"/> for each of <paramref name="marketplaces"/>.
    /// </summary>
    public static IServiceCollection AddMarketplaceHttp(this IServiceCollection services, IConfiguration configuration, params string[] marketplaces)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(marketplaces);
        if (services.All(d => d.ServiceType != typeof(AddressGuard)))
        {
            // Shared by every marketplace's client: bound and registered once, whichever marketplace comes first.
            services.AddOptions<MarketplaceHttpOptions>().Bind(configuration.GetSection(MarketplaceHttpOptions.Section));
            services.AddSingleton(sp => new AddressGuard(sp.GetRequiredService<IOptions<MarketplaceHttpOptions>>().Value));
        }

        foreach (var marketplace in marketplaces)
        {
            services.AddHttpClient(ClientName(marketplace), client => client.Timeout = ClientTimeout)
                .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<AddressGuard>().CreateHandler())
                // The handler renews its pooled connections itself (PooledConnectionLifetime); the sender holds its client for the app's life.
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            services.AddKeyedSingleton(marketplace, (sp, _) => new ResilientHttpSender(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName(marketplace)),
                sp.GetRequiredService<TimeProvider>(),
                random: null,
                sp.GetRequiredService<IOptions<MarketplaceHttpOptions>>().Value));
        }

        return services;
    }
}
