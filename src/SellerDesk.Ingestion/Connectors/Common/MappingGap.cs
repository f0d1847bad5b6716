namespace SellerDesk.Ingestion.Connectors.Common;

/// <summary>
/// Source money the ledger cannot carry, with why: a return whose sale is not among the rows, a return of more units
/// than were sold, a credit (additional payment, compensation) on no sale, a day whose period fees net to a credit,
/// an unreadable payload. <see cref="PayoutEffect"/> is the amount by which it moves the marketplace's payout
/// (positive: the seller gets more), so that
/// <c>marketplace payout = ledger payout + sum of PayoutEffect</c> always holds.
/// </summary>
public sealed record MappingGap(string Reason, decimal PayoutEffect, IReadOnlyList<string> SourceIds)
{
    /// <summary>The ledger order the money belongs to, when it has one (the pull names it in reconciliation).</summary>
    public string? OrderKey { get; init; }
}
