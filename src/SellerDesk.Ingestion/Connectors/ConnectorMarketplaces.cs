using Npgsql;
using SellerDesk.Data.Ledger;

namespace SellerDesk.Ingestion.Connectors;

/// <summary>The marketplace codes of the connectors, which the ledger writer accepts attribution of before their sales arrive.</summary>
public static class ConnectorMarketplaces
{
    /// <summary>The codes, one per connector.</summary>
    public static IReadOnlyList<string> Codes { get; } =
    [
        Ozon.OzonMapper.MarketplaceCode,
        Sandbox.SandboxConnector.MarketplaceCode,
        Wildberries.WildberriesMapper.MarketplaceCode,
        YandexMarket.YandexMarketMapper.MarketplaceCode,
    ];

    /// <summary>The ledger's writer over <paramref name="dataSource"/>, knowing the connectors' marketplaces.</summary>
    public static LedgerWriter NewLedgerWriter(NpgsqlDataSource dataSource) => new(dataSource, Codes);
}
