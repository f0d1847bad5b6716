using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Common;

/// <summary>One preset button of the period picker: its resource key and the period it stands for today.</summary>
public sealed record PeriodPreset(string Key, PeriodSelection Period);

/// <summary>
/// The period picker's presets and which one the period on screen is. At most one preset is active, and only when
/// the shown period is exactly its period: the same first and last day, as of today. Where two presets mean the
/// same days (in January "this month" and "year to date" do), the first in the row is the one lit.
/// </summary>
public static class PeriodPresets
{
    /// <summary>Below this many days from the first day to as_of, returns and repeat orders are still arriving.</summary>
    public const int YoungPeriodDays = 60;

    public static IReadOnlyList<PeriodPreset> For(DateOnly today) =>
    [
        new("Period.Preset.ThisMonth", PeriodSelection.LastMonths(today, 1)),
        new("Period.Preset.ThreeMonths", PeriodSelection.LastMonths(today, 3)),
        new("Period.Preset.TwelveMonths", PeriodSelection.LastMonths(today, 12)),
        new("Period.Preset.YearToDate", PeriodSelection.YearToDate(today)),
        new("Period.Preset.PreviousYear", PeriodSelection.PreviousYear(today)),
    ];

    /// <summary>The key of the preset the shown period is, or null when it is none of them.</summary>
    public static string? Active(PeriodSelection shown, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var asOf = shown.AsOf ?? today;
        return For(today).FirstOrDefault(p => p.Period.From == shown.From && p.Period.To == shown.To && asOf == today)?.Key;
    }

    /// <summary>
    /// True when the period started less than <see cref="YoungPeriodDays"/> days before as_of: its customers have
    /// had little time to return goods or order again, so margins, LTV and verdicts can still change.
    /// </summary>
    public static bool IsYoung(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return period.AsOf.DayNumber - period.From.DayNumber < YoungPeriodDays;
    }
}
