using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Comparisons;

/// <summary>One tile of the overview: its code (<c>today</c>, <c>yesterday</c>, <c>week</c>, <c>month</c>) and dates.</summary>
public sealed record TilePeriod(string Code, ReportPeriod Period);

/// <summary>
/// The overview's tiles for a day: today, yesterday, the last 7 days (today included) and the month to date, all as
/// of today, in the workspace's local days (as every report counts days).
/// </summary>
public static class TilePeriods
{
    public static IReadOnlyList<TilePeriod> For(DateOnly today) =>
    [
        new("today", new ReportPeriod(today, today, today)),
        new("yesterday", new ReportPeriod(today.AddDays(-1), today.AddDays(-1), today)),
        new("week", new ReportPeriod(today.AddDays(-6), today, today)),
        new("month", new ReportPeriod(new DateOnly(today.Year, today.Month, 1), today, today)),
    ];
}
