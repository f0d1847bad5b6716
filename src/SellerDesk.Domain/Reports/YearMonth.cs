using System.Globalization;

namespace SellerDesk.Domain.Reports;

/// <summary>A calendar month, as cohorts use it.</summary>
public readonly record struct YearMonth(int Year, int Month) : IComparable<YearMonth>
{
    public static YearMonth Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>Whole months from <paramref name="start"/> to this month (0 for the same month).</summary>
    public int MonthsSince(YearMonth start) => ((Year - start.Year) * 12) + (Month - start.Month);

    /// <summary>The calendar month after this one.</summary>
    public YearMonth Next() => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    public int CompareTo(YearMonth other) => MonthsSince(other);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public static bool operator <(YearMonth left, YearMonth right) => left.CompareTo(right) < 0;

    public static bool operator >(YearMonth left, YearMonth right) => left.CompareTo(right) > 0;

    public static bool operator <=(YearMonth left, YearMonth right) => left.CompareTo(right) <= 0;

    public static bool operator >=(YearMonth left, YearMonth right) => left.CompareTo(right) >= 0;
}
