using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>
/// Watches the lines of a sales file as they stream, in fixed memory, for the case that makes the set check "lines of
/// one order that disagree within the file" (the ledger writer's OrderAttributesWithinFile) certain to find
/// nothing: every order's lines are adjacent in the file (one run per order) and each agrees with the first line of
/// its run on ordered_at, customer_id and channel. Exports are written order by order, so this is the usual file.
/// </summary>
/// <remarks>
/// Whether an order had a run before is asked of a Bloom filter of the orders seen (16 MB however big the file). It
/// can answer "maybe" for an order it has not seen, never "no" for one it has; any "maybe", like any disagreement,
/// makes <see cref="Verified"/> false and the importer then runs the set check as before. So a true
/// <see cref="Verified"/> is exact: no order has two runs, and within its one run every line equals the first.
/// Timestamps are compared to the tick (stricter than the microseconds stored), text ordinally, empty as absent.
/// </remarks>
internal sealed class SalesOrderRuns
{
    private readonly KeyFilter _seen = new(log2Bits: 27);
    private SaleLine? _first;

    /// <summary>True while every line seen so far keeps to one agreeing run per order.</summary>
    public bool Verified { get; private set; } = true;

    public void Add(SaleLine line)
    {
        if (!Verified)
        {
            return;
        }

        var first = _first;
        if (first is not null
            && string.Equals(line.OrderId, first.OrderId, StringComparison.Ordinal)
            && string.Equals(line.Marketplace, first.Marketplace, StringComparison.Ordinal))
        {
            Verified = line.OrderedAt.UtcTicks == first.OrderedAt.UtcTicks
                && SameText(line.CustomerId, first.CustomerId)
                && SameText(line.Channel, first.Channel);
            return;
        }

        // A new run: its order must not have had one before.
        Verified = _seen.Add(line.Marketplace, line.OrderId);
        _first = line;
    }

    private static bool SameText(string? a, string? b) =>
        string.IsNullOrEmpty(a) ? string.IsNullOrEmpty(b) : string.Equals(a, b, StringComparison.Ordinal);
}
