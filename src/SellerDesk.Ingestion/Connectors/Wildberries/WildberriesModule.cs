using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>Wildberries as the app knows it (docs/connectors/wildberries.md): a statistics token, optionally a separate ads token.</summary>
public sealed class WildberriesModule : IMarketplaceModule
{
    public static MarketplaceDefinition Define(IConfiguration configuration) => new(
        WildberriesConnector.MarketplaceCode,
        "Wildberries",
        [new CredentialField(WildberriesConnector.TokenKey, Required: true, Secret: true), new CredentialField(WildberriesConnector.AdsTokenKey, Required: false, Secret: true)],
        (sp, context) => new WildberriesConnector(
            sp.GetRequiredKeyedService<ResilientHttpSender>(WildberriesConnector.MarketplaceCode), new WildberriesOptions { OnNotice = context.Notice }))
    {
        Account = c => WildberriesToken.AccountOf(c.GetValueOrDefault(WildberriesConnector.TokenKey)),
        // finance-api, advert-api, statistics-api, content-api... all under wildberries.ru.
        ApiHosts = ["wildberries.ru"],
    };
}
