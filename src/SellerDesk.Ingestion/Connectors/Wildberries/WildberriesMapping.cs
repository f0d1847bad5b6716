namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Source money the ledger cannot carry, with why: a return whose sale is not among the rows, a return of more units
/// than were sold, a credit (additional payment, compensation) on no sale, a day whose period fees net to a credit,
/// an unreadable payload. <see cref="PayoutEffect"/> is the amount by which it moves the marketplace's payout
/// (positive: the seller gets more), so that
/// <c>marketplace payout = ledger payout + sum of PayoutEffect</c> always holds.
/// </summary>
public sealed record MappingGap(string Reason, decimal PayoutEffect, IReadOnlyList<string> SourceIds);

/// <summary>What <see cref="WildberriesConnector.MapDetailed"/> made of the source rows.</summary>
public sealed record WildberriesMapping(DerivedLedger Ledger, IReadOnlyList<MappingGap> Gaps)
{
    /// <summary>Source rows (or parts of rows) the ledger left out, each with its reason in <see cref="Gaps"/>.</summary>
    public int SkippedRows => Gaps.Sum(g => g.SourceIds.Count);

    /// <summary>The payout the left-out money accounts for (0 when the ledger carries everything).</summary>
    public decimal UnmappedPayout => Gaps.Sum(g => g.PayoutEffect);
}
