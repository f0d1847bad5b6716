namespace SellerDesk.Ingestion.Files;

/// <summary>
/// A Bloom filter of two-part text keys in a fixed number of bits, however many keys are added: <see cref="Add"/>
/// answers true only for a key certainly not added before; a key added before always gets false, and so, rarely,
/// does a new one (a "maybe"). Callers use a false as "check exactly", never as "seen", so the filter can only cost
/// an extra check. The bit array is allocated on the first add.
/// </summary>
internal sealed class KeyFilter
{
    private const int Probes = 4;

    private readonly int _bits;
    private ulong[]? _words;

    /// <param name="log2Bits">The filter's size as a power of two of bits (20 to 30).</param>
    public KeyFilter(int log2Bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(log2Bits, 20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(log2Bits, 30);
        _bits = 1 << log2Bits;
    }

    /// <summary>Bytes the filter holds once used.</summary>
    public int Bytes => _bits / 8;

    /// <summary>Adds the key (<paramref name="first"/>, <paramref name="second"/>); true when it was certainly not there.</summary>
    public bool Add(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        _words ??= new ulong[_bits / 64];
        var hash = Mix(Fnv(Fnv(14695981039346656037UL, first) ^ 0x1F, second));
        var h1 = (uint)hash;
        var h2 = (uint)(hash >> 32) | 1;
        var mask = (uint)(_bits - 1);
        var fresh = false;
        for (var i = 0u; i < Probes; i++)
        {
            var bit = (h1 + (i * h2)) & mask;
            ref var word = ref _words[bit >> 6];
            var flag = 1UL << (int)(bit & 63);
            if ((word & flag) == 0)
            {
                fresh = true;
                word |= flag;
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
