namespace SellerDesk.Domain.Ledger;

/// <summary>
/// An order as the ledger gives it (metrics.md section 3): what its lines share (<c>ordered_at</c>, <c>customer_id</c>,
/// channel) and the SKUs of its lines.
/// </summary>
/// <param name="Marketplace">Where the order was placed.</param>
/// <param name="OrderId">The order's id within the marketplace.</param>
/// <param name="OrderedAt">When it was placed (an instant).</param>
/// <param name="LocalDate">Its local date in the workspace zone.</param>
/// <param name="CustomerId">The buyer id; null when the marketplace gives none.</param>
/// <param name="Channel">The channel the ledger names; <c>organic</c> when it names none.</param>
/// <param name="Skus">The distinct SKUs of its lines.</param>
public sealed record LedgerOrder(
    string Marketplace,
    string OrderId,
    DateTimeOffset OrderedAt,
    DateOnly LocalDate,
    string? CustomerId,
    string Channel,
    IReadOnlyList<string> Skus)
{
    /// <summary>The orders of some sales lines; an order's header is its first line's (imports reject lines that differ).</summary>
    public static IReadOnlyList<LedgerOrder> FromLines(IEnumerable<SaleLine> lines, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(zone);
        return lines
            .GroupBy(l => (l.Marketplace, l.OrderId))
            .Select(g =>
            {
                var first = g.First();
                return new LedgerOrder(
                    first.Marketplace,
                    first.OrderId,
                    first.OrderedAt,
                    LocalDates.Of(first.OrderedAt, zone),
                    string.IsNullOrEmpty(first.CustomerId) ? null : first.CustomerId,
                    LedgerNames.ChannelOrOrganic(first.Channel),
                    [.. g.Select(l => l.Sku).Distinct(StringComparer.Ordinal)]);
            })
            .ToList();
    }
}

/// <summary>Local calendar dates in the workspace zone (metrics.md section 1).</summary>
public static class LocalDates
{
    public static DateOnly Of(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }
}
