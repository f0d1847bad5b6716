using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Customers;

/// <summary>What one attribution row claimed and what it took (metrics.md 3.1).</summary>
public sealed record AttributionClaim(AttributionRow Row, int Taken)
{
    public int Claimed => Row.Orders;

    /// <summary>Orders the row claimed that the ledger did not have for it: what <c>attribution_unmatched</c> sums.</summary>
    public int Unmatched => Claimed - Taken;
}

/// <summary>The outcome of attribution: each attributed order's channel and each row's claim.</summary>
public sealed class AttributionResult
{
    private readonly Dictionary<(string Marketplace, string OrderId), string> _attributed;

    internal AttributionResult(Dictionary<(string, string), string> attributed, IReadOnlyList<AttributionClaim> claims)
    {
        _attributed = attributed;
        Claims = claims;
    }

    /// <summary>No attribution rows: every order keeps its ledger channel.</summary>
    public static AttributionResult None { get; } = new([], []);

    /// <summary>One claim per attribution row dated up to as_of, in the order the rows were taken.</summary>
    public IReadOnlyList<AttributionClaim> Claims { get; }

    /// <summary>The orders that got their channel from an attribution row.</summary>
    public IReadOnlyCollection<(string Marketplace, string OrderId)> AttributedOrders => _attributed.Keys;

    public bool IsAttributed(string marketplace, string orderId) => _attributed.ContainsKey((marketplace, orderId));

    /// <summary>
    /// The order's effective channel: its ledger channel when that is not organic, else the channel of the row that
    /// took it, else organic.
    /// </summary>
    public string EffectiveChannel(LedgerOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Channel != LedgerNames.OrganicChannel ? order.Channel
            : _attributed.GetValueOrDefault((order.Marketplace, order.OrderId)) ?? LedgerNames.OrganicChannel;
    }
}

/// <summary>
/// metrics.md 3.1: attribution rows give organic marketplace orders an effective channel. Groups
/// <c>(marketplace, date, sku)</c> are taken by date, then SKU (ordinal); within a group the rows by channel code
/// (ordinal); each row takes the first <c>orders</c> candidates (organic, not yet attributed orders of that
/// marketplace with a line of that SKU on that local date, by <c>ordered_at</c> then <c>order_id</c>), or fewer
/// when fewer remain.
/// </summary>
/// <remarks>
/// A row only takes orders of its own marketplace and date, so the outcome for one (marketplace, date) depends only on
/// that day's orders and rows: a store of facts re-attributes just the days whose orders or rows changed, and the
/// outcome for orders up to any as_of is the same whether later rows are known or not.
/// </remarks>
public static class ChannelAttribution
{
    /// <param name="orders">The ledger's orders; those dated after <paramref name="asOf"/> do not exist.</param>
    /// <param name="rows">Attribution rows; those dated after <paramref name="asOf"/> do not exist.</param>
    /// <param name="asOf">The report's as_of; <see cref="DateOnly.MaxValue"/> for the whole ledger.</param>
    public static AttributionResult Attribute(IEnumerable<LedgerOrder> orders, IEnumerable<AttributionRow> rows, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(rows);

        var live = rows.Where(r => r.Date <= asOf).ToList();
        foreach (var row in live)
        {
            if (row.Orders < 0)
            {
                throw new ArgumentException($"Attribution row {row} claims {row.Orders} orders.", nameof(rows));
            }

            if (row.Channel == LedgerNames.OrganicChannel)
            {
                throw new ArgumentException($"Attribution row {row} names the organic channel.", nameof(rows));
            }
        }

        var duplicate = live.GroupBy(r => (r.Date, r.Marketplace, r.Channel, r.Sku)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two attribution rows for {duplicate.Key}.", nameof(rows));
        }

        var candidates = OrderSequence
            .Sorted(
                orders.Where(o => o.LocalDate <= asOf && o.Channel == LedgerNames.OrganicChannel),
                o => o.OrderedAt,
                o => o.OrderId)
            .SelectMany(o => o.Skus.Distinct(StringComparer.Ordinal).Select(sku => (Group: (o.Marketplace, o.LocalDate, Sku: sku), o.OrderId)))
            .GroupBy(x => x.Group, x => x.OrderId)
            .ToDictionary(g => g.Key, g => g.ToList());

        var attributed = new Dictionary<(string, string), string>();
        var claims = new List<AttributionClaim>(live.Count);
        var groups = live
            .GroupBy(r => (r.Marketplace, r.Date, r.Sku))
            .OrderBy(g => g.Key.Date)
            .ThenBy(g => g.Key.Sku, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Marketplace, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var remaining = candidates.GetValueOrDefault(group.Key) ?? [];
            var next = 0;
            foreach (var row in group.OrderBy(r => r.Channel, StringComparer.Ordinal))
            {
                var taken = 0;
                while (taken < row.Orders && next < remaining.Count)
                {
                    var key = (group.Key.Marketplace, remaining[next++]);
                    if (attributed.TryAdd(key, row.Channel))
                    {
                        taken++;
                    }
                }

                claims.Add(new AttributionClaim(row, taken));
            }
        }

        return new AttributionResult(attributed, claims);
    }
}
