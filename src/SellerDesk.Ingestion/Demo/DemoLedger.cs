using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Demo;

/// <summary>A complete ledger of the demo seller: what the six ledger files would hold, and the names of its channels.</summary>
public sealed record DemoLedger(
    IReadOnlyList<SaleLine> Sales,
    IReadOnlyList<ReturnEvent> Returns,
    IReadOnlyList<AdSpend> AdSpend,
    IReadOnlyList<PeriodFee> Fees,
    IReadOnlyList<UnitCost> Costs)
{
    /// <summary>
    /// The marketplaces' attribution of their orders to campaigns and tracked links (metrics.md 3.1): marketplace
    /// orders carry no channel of their own (they are <c>organic</c> in the ledger, as the connectors pull them).
    /// </summary>
    public IReadOnlyList<AttributionRow> Attribution { get; init; } = [];

    /// <summary>Display names of the campaign and blogger channel codes (table channel_names).</summary>
    public IReadOnlyDictionary<string, string> ChannelNames { get; init; } = new Dictionary<string, string>();
}
