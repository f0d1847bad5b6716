using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>Yandex Market as the app knows it (docs/connectors/yandex_market.md): a campaign id and an API key.</summary>
public sealed class YandexMarketModule : IMarketplaceModule
{
    public static MarketplaceDefinition Define(IConfiguration configuration) => new(
        YandexMarketConnector.MarketplaceCode,
        "Yandex Market",
        [new CredentialField(YandexMarketConnector.CampaignIdKey, Required: true, Secret: false), new CredentialField(YandexMarketConnector.ApiKeyKey, Required: true, Secret: true)],
        (sp, context) => new YandexMarketConnector(
            sp.GetRequiredKeyedService<ResilientHttpSender>(YandexMarketConnector.MarketplaceCode), new YandexMarketOptions { OnNotice = context.Notice }, sp.GetRequiredService<TimeProvider>()))
    {
        Account = AccountIdentity.Credential(YandexMarketConnector.CampaignIdKey),
        ApiHosts = ["api.partner.market.yandex.ru"],
    };
}
