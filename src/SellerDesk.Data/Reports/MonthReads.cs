using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// How a report reads the month rollups (migration 0026) with the days: the months [<see cref="Start"/>,
/// <see cref="End"/>) (first days) lie whole inside the period and on or before as_of, and come from the month rows
/// with their effects before <see cref="Cut"/> (the first day of the first month not wholly on or before as_of); the
/// rest of the period, up to <see cref="Last"/> (the earlier of to and as_of), comes from the days. The effects those
/// edge days' orders have on their own order day come from the day blocks of migration 0028 (<see cref="Blocks"/>).
/// </summary>
internal sealed record MonthReads(DateOnly From, DateOnly Last, DateOnly Start, DateOnly End, DateOnly Cut)
{
    /// <summary>The sizes of the day blocks of migration 0028, largest first; a block of one day is a day row.</summary>
    internal static readonly int[] BlockSizes = [16, 4, 1];

    public static MonthReads Of(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var asOf = period.AsOf;
        var last = period.To < asOf ? period.To : asOf;
        var start = period.From.Day == 1 ? period.From : FirstOf(period.From).AddMonths(1);
        var end = IsMonthEnd(last) ? last.AddDays(1) : FirstOf(last);
        var cut = IsMonthEnd(asOf) ? asOf.AddDays(1) : FirstOf(asOf);
        return start < end
            ? new MonthReads(period.From, last, start, end, cut)
            : new MonthReads(period.From, last, last.AddDays(1), last.AddDays(1), cut); // no whole month: the days alone
    }

    /// <summary>
    /// The period is read from the month rows alone: whole months, no edge days, and <paramref name="asOf"/> at a
    /// month's end (no effects between the cut and as_of read from the days).
    /// </summary>
    public bool MonthsOnly(DateOnly asOf) => Start < End && EdgeDays.Count == 0 && Cut == asOf.AddDays(1);

    /// <summary>$5 last, $6 start, $7 end, $8 cut.</summary>
    public IReadOnlyList<DateOnly> Parameters => [Last, Start, End, Cut];

    /// <summary>
    /// The order days read from the days: the partial first month [from, start) and the partial last month [end, last],
    /// each up to last. Either may be empty.
    /// </summary>
    public IReadOnlyList<(DateOnly First, DateOnly Last)> EdgeDays
    {
        get
        {
            var first = (From, Min(Start.AddDays(-1), Last));
            var second = (End, Last);
            return [.. new[] { first, second }.Where(r => r.Item1 <= r.Item2)];
        }
    }

    /// <summary>
    /// <see cref="EdgeDays"/> as day blocks (first day, days) of migration 0028 and single days (days 1): each edge
    /// day in exactly one of them, at most six per month for a run from its first day, eleven for any other run.
    /// </summary>
    public IReadOnlyList<(DateOnly Start, int Days)> Blocks =>
        [.. EdgeDays.SelectMany(range => Months(range.First, range.Last)).SelectMany(range => Cover(range.First, range.Last))];

    /// <summary>$9 the blocks' first days, $10 their sizes (4 or 16), $11 the single days.</summary>
    public IReadOnlyList<NpgsqlParameter> BlockParameters()
    {
        var blocks = Blocks;
        return
        [
            new NpgsqlParameter { Value = blocks.Where(b => b.Days > 1).Select(b => b.Start).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date },
            new NpgsqlParameter { Value = blocks.Where(b => b.Days > 1).Select(b => (short)b.Days).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint },
            new NpgsqlParameter { Value = blocks.Where(b => b.Days == 1).Select(b => b.Start).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date },
        ];
    }

    /// <summary>
    /// The days [<paramref name="first"/>, <paramref name="last"/>] of one month as aligned blocks: a block of n days
    /// starts on day 1 + k * n and ends at n days or at the month's end, whichever comes first; it is taken, largest
    /// first, when it starts at the next day to cover and ends inside the range (or the range reaches the month's end).
    /// </summary>
    internal static IEnumerable<(DateOnly Start, int Days)> Cover(DateOnly first, DateOnly last)
    {
        if (first.Year != last.Year || first.Month != last.Month || first > last)
        {
            throw new ArgumentException($"{first:yyyy-MM-dd}..{last:yyyy-MM-dd} is not a run of days inside one month.", nameof(first));
        }

        var monthDays = DateTime.DaysInMonth(first.Year, first.Month);
        var offset = first.Day - 1;
        var end = last.Day - 1;
        while (offset <= end)
        {
            var size = BlockSizes.First(n => offset % n == 0 && (offset + n - 1 <= end || end == monthDays - 1));
            yield return (first.AddDays(offset - (first.Day - 1)), size);
            offset += size;
        }
    }

    private static IEnumerable<(DateOnly First, DateOnly Last)> Months(DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = FirstOf(day).AddMonths(1))
        {
            var monthEnd = FirstOf(day).AddMonths(1).AddDays(-1);
            yield return (day, Min(monthEnd, last));
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly FirstOf(DateOnly date) => new(date.Year, date.Month, 1);

    private static bool IsMonthEnd(DateOnly date) => date.AddDays(1).Day == 1;
}
