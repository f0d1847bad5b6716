using System.Globalization;

namespace SellerDesk.Data.Ledger;

/// <summary>
/// Collects the problems of one import: keeps a bounded number (memory stays flat however bad the file is),
/// counts all of them, and lists the first <see cref="Limit"/> by line plus an "and N more problems" entry.
/// </summary>
public sealed class ImportProblemList
{
    /// <summary>How many problems an answer lists.</summary>
    public const int Limit = 100;

    /// <summary>Problems kept to sort by line; set checks each return at most <see cref="Limit"/>.</summary>
    private const int Retained = 10 * Limit;

    private readonly List<ImportProblem> _kept = [];

    /// <summary>All problems seen, also those beyond what is kept.</summary>
    public int Count { get; private set; }

    public void Add(ImportProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Count++;
        if (_kept.Count < Retained)
        {
            _kept.Add(problem);
        }
    }

    /// <summary>Appends the problems of <paramref name="other"/> (those kept and the count of all).</summary>
    internal void AddAll(ImportProblemList other)
    {
        foreach (var problem in other._kept)
        {
            if (_kept.Count < Retained)
            {
                _kept.Add(problem);
            }
        }

        Count += other.Count;
    }

    /// <summary>Counts problems that a set check found beyond the ones it returned.</summary>
    public void AddUnlisted(int count) => Count += count;

    /// <summary>The first <see cref="Limit"/> problems by line, then "and N more problems" when there were more.</summary>
    public IReadOnlyList<ImportProblem> ToList()
    {
        var sorted = _kept.OrderBy(p => p.Line).ToList(); // stable: a row's problems stay in column order
        if (Count <= Limit)
        {
            return sorted;
        }

        var listed = sorted.GetRange(0, Limit);
        var next = sorted.Count > Limit ? sorted[Limit] : sorted[^1];
        listed.Add(new ImportProblem(
            next.Line,
            null,
            string.Create(CultureInfo.InvariantCulture, $"and {Count - Limit} more problems not listed")) { Kind = next.Kind });
        return listed;
    }
}
