namespace SellerDesk.Domain.Economics;

/// <summary>
/// One order as the reports see it: its lines' economics summed, dated in the workspace zone.
/// The reports are computed from these; the database can produce them set-based for large ledgers.
/// </summary>
public sealed record OrderFact(
    string Marketplace,
    string OrderId,
    string? CustomerId,
    string Channel,
    DateTimeOffset OrderedAt,
    DateOnly LocalDate,
    decimal Revenue,
    decimal NetRevenue,
    decimal ContributionMargin,
    decimal ReturnLoss,
    int Quantity,
    int ReturnedUnits,
    int CogsMissingLines)
{
    /// <summary>Whether the order carries a real buyer id.</summary>
    public bool Identified => CustomerId is not null;

    /// <summary>The customer key within the marketplace (metrics.md section 3).</summary>
    public string CustomerKey => Ledger.LedgerNames.CustomerKey(CustomerId, OrderId);
}
