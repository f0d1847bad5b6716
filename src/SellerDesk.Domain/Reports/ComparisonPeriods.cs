namespace SellerDesk.Domain.Reports;

/// <summary>What a report is compared with.</summary>
public enum ComparisonKind
{
    /// <summary>The same number of days just before.</summary>
    Previous,

    /// <summary>The same dates a year earlier.</summary>
    YearAgo,
}

/// <summary>
/// The periods a report is compared with (decision 0029). The period that exists is <c>from</c> to
/// <c>min(to, as_of)</c>, of <c>n</c> days. The previous period is that one moved back by <c>n</c> days; the year-ago
/// period the same dates a year earlier (29 February becomes the 28th). Each keeps the report's distance from its
/// end to as_of, so both sides are measured at the same age: returns and repeat orders have had as long to arrive.
/// Comparisons run the same report over those periods; nothing is computed another way.
/// </summary>
public static class ComparisonPeriods
{
    /// <summary>The period <paramref name="kind"/> compares <paramref name="period"/> with; null when the period starts after as_of.</summary>
    public static ReportPeriod? Of(ReportPeriod period, ComparisonKind kind)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (TrendBuckets.End(period) is not { } end)
        {
            return null;
        }

        if (kind == ComparisonKind.Previous)
        {
            var days = end.DayNumber - period.From.DayNumber + 1;
            return new ReportPeriod(period.From.AddDays(-days), end.AddDays(-days), period.AsOf.AddDays(-days));
        }

        return new ReportPeriod(period.From.AddYears(-1), end.AddYears(-1), period.AsOf.AddYears(-1));
    }
}
