using Npgsql;
using SellerDesk.Data.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>
/// The marketplace codes of the connectors, which the ledger writer accepts attribution of before their sales arrive.
/// Outside the shared connector namespaces on purpose: naming each marketplace is the composition's business
/// (ConnectorBoundaryTests).
/// </summary>
public static class ConnectorMarketplaces
{
    /// <summary>The codes, one per connector.</summary>
    public static IReadOnlyList<string> Codes { get; } =
    [
        Connectors.Ozon.OzonMapper.MarketplaceCode,
        Connectors.Sandbox.SandboxConnector.MarketplaceCode,
        Connectors.Wildberries.WildberriesMapper.MarketplaceCode,
        Connectors.YandexMarket.YandexMarketMapper.MarketplaceCode,
    ];

    /// <summary>The ledger's writer over <paramref name="dataSource"/>, knowing the connectors' marketplaces.</summary>
    public static LedgerWriter NewLedgerWriter(NpgsqlDataSource dataSource) => new(dataSource, Codes);
}
