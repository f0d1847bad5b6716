using SellerDesk.Domain.Reports;

namespace SellerDesk.Data.Reports;

/// <summary>
/// How a report reads the month rollups (migration 0026) with the days: the months [<see cref="Start"/>,
/// <see cref="End"/>) (first days) lie whole inside the period and on or before as_of, and come from the month rows
/// with their effects before <see cref="Cut"/> (the first day of the first month not wholly on or before as_of); the
/// rest of the period, up to <see cref="Last"/> (the earlier of to and as_of), comes from the days.
/// </summary>
internal sealed record MonthReads(DateOnly Last, DateOnly Start, DateOnly End, DateOnly Cut)
{
    public static MonthReads Of(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var asOf = period.AsOf;
        var last = period.To < asOf ? period.To : asOf;
        var start = period.From.Day == 1 ? period.From : FirstOf(period.From).AddMonths(1);
        var end = IsMonthEnd(last) ? last.AddDays(1) : FirstOf(last);
        var cut = IsMonthEnd(asOf) ? asOf.AddDays(1) : FirstOf(asOf);
        return start < end
            ? new MonthReads(last, start, end, cut)
            : new MonthReads(last, last.AddDays(1), last.AddDays(1), cut); // no whole month: the days alone
    }

    /// <summary>$5 last, $6 start, $7 end, $8 cut.</summary>
    public IReadOnlyList<DateOnly> Parameters => [Last, Start, End, Cut];

    private static DateOnly FirstOf(DateOnly date) => new(date.Year, date.Month, 1);

    private static bool IsMonthEnd(DateOnly date) => date.AddDays(1).Day == 1;
}
