using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// Ozon as the app knows it (docs/connectors/ozon.md): a client id and an API key of the Seller API, and optionally the
/// Performance API's client id and secret for ad spend and campaign statistics.
/// </summary>
public sealed class OzonModule : IMarketplaceModule
{
    public static MarketplaceDefinition Define(IConfiguration configuration) => new(
        OzonConnector.MarketplaceCode,
        "Ozon",
        [
            new CredentialField(OzonConnector.ClientIdKey, Required: true, Secret: false),
            new CredentialField(OzonConnector.ApiKeyKey, Required: true, Secret: true),
            new CredentialField(OzonConnector.PerformanceClientIdKey, Required: false, Secret: false),
            new CredentialField(OzonConnector.PerformanceClientSecretKey, Required: false, Secret: true),
        ],
        (sp, context) => new OzonConnector(
            sp.GetRequiredKeyedService<ResilientHttpSender>(OzonConnector.MarketplaceCode), new OzonOptions { TimeZone = context.Zone, OnNotice = context.Notice }))
    {
        Account = AccountIdentity.Credential(OzonConnector.ClientIdKey),
        ApiHosts = ["api-seller.ozon.ru", "api-performance.ozon.ru"],
    };
}
