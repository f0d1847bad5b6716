using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>What <see cref="WildberriesConnector.MapDetailed"/> made of the source rows.</summary>
public sealed record WildberriesMapping(DerivedLedger Ledger, IReadOnlyList<MappingGap> Gaps)
{
    /// <summary>
    /// Attribution rows of the campaign statistics (metrics.md 3.1): per day, campaign channel and sku, the orders
    /// Wildberries attributes to the campaign, as claimed (never capped by the orders the ledger has).
    /// </summary>
    public IReadOnlyList<AttributionRow> Attribution => Ledger.Attribution;

    /// <summary>Source rows (or parts of rows) the ledger left out, each with its reason in <see cref="Gaps"/>.</summary>
    public int SkippedRows => Gaps.Sum(g => g.SourceIds.Count);

    /// <summary>The payout the left-out money accounts for (0 when the ledger carries everything).</summary>
    public decimal UnmappedPayout => Gaps.Sum(g => g.PayoutEffect);
}
