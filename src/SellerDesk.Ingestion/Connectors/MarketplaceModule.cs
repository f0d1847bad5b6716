using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors;

/// <summary>
/// The one shape of a marketplace (docs/decisions/0020-connector-contract.md, docs/connectors/README.md): its folder
/// under <c>Connectors/</c> holds a connector (<see cref="IMarketplaceConnector"/>), its mapping over the shared parts
/// of <c>Connectors/Common</c>, and one module class that says everything the app needs to know about it, registered
/// with one call, <see cref="MarketplaceModules.AddMarketplace{TModule}"/>.
/// </summary>
public interface IMarketplaceModule
{
    /// <summary>
    /// The marketplace's code, name, credentials, account identity, own API hosts and how to build its connector
    /// (the connector gets its HTTP sender as the keyed <see cref="ResilientHttpSender"/> of its code when
    /// <see cref="MarketplaceDefinition.ApiHosts"/> is not empty).
    /// </summary>
    static abstract MarketplaceDefinition Define(IConfiguration configuration);
}

/// <summary>Registers marketplaces, each with one call.</summary>
public static class MarketplaceModules
{
    /// <summary>
    /// Registers <typeparamref name="TModule"/>'s marketplace: its definition (offered by <see cref="MarketplaceCatalog"/>)
    /// and, for a marketplace reached over HTTP (one with API hosts), its guarded HTTP client and resilient sender.
    /// </summary>
    public static IServiceCollection AddMarketplace<TModule>(this IServiceCollection services, IConfiguration configuration)
        where TModule : IMarketplaceModule
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var definition = TModule.Define(configuration);
        if (services.Any(d => d.ServiceType == typeof(MarketplaceDefinition) && d.ImplementationInstance is MarketplaceDefinition known && known.Code == definition.Code))
        {
            throw new InvalidOperationException($"The marketplace '{definition.Code}' is registered twice.");
        }

        if (definition.ApiHosts.Count > 0)
        {
            services.AddMarketplaceHttp(configuration, definition.Code);
        }

        services.AddSingleton(definition);
        return services;
    }
}
