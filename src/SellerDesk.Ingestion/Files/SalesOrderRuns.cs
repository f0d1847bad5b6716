using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>
/// Watches the lines of a sales file as they stream, in fixed memory, for the case that makes the set check "lines of
/// one order that disagree within the file" (<see cref="LedgerChecks.OrderAttributesWithinFile"/>) certain to find
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
    private const int FilterBits = 1 << 27;
    private const int Probes = 4;

    private ulong[]? _seen;
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
        Verified = FirstSighting(line.Marketplace, line.OrderId);
        _first = line;
    }

    private static bool SameText(string? a, string? b) =>
        string.IsNullOrEmpty(a) ? string.IsNullOrEmpty(b) : string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>Adds the order to the filter; true when it was certainly not there.</summary>
    private bool FirstSighting(string marketplace, string orderId)
    {
        _seen ??= new ulong[FilterBits / 64];
        var hash = Mix(Fnv(Fnv(14695981039346656037UL, marketplace) ^ 0x1F, orderId));
        var h1 = (uint)hash;
        var h2 = (uint)(hash >> 32) | 1;
        var fresh = false;
        for (var i = 0u; i < Probes; i++)
        {
            var bit = (h1 + (i * h2)) & (FilterBits - 1);
            ref var word = ref _seen[bit >> 6];
            var mask = 1UL << (int)(bit & 63);
            if ((word & mask) == 0)
            {
                fresh = true;
                word |= mask;
            }
        }

        return fresh;
    }

    private static ulong Fnv(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>SplitMix64's finalizer: spreads FNV's bits over the whole word.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
