namespace SellerDesk.Domain.Reports;

/// <summary>How finely a trend chart splits its period.</summary>
public enum TrendGrain
{
    Day,
    Week,
    Month,
}

/// <summary>One bar of a trend: the local dates <see cref="From"/> to <see cref="To"/> (inclusive) of the period.</summary>
public sealed record TrendBucket(DateOnly From, DateOnly To);

/// <summary>
/// The trend chart's buckets (decision 0029): days for a period of up to <see cref="MaxDays"/> days, weeks (Monday to
/// Sunday, as Russian calendars run) up to <see cref="MaxWeeksDays"/> days, months beyond; so a chart keeps between
/// a handful and about thirty bars. The period is from <c>from</c> to <c>min(to, as_of)</c>: dates after as_of do not
/// exist. The first and last bucket are cut to the period, so every bucket sums only dates in range.
/// </summary>
public static class TrendBuckets
{
    /// <summary>Periods of up to this many days are shown by day.</summary>
    public const int MaxDays = 31;

    /// <summary>Periods of up to this many days (about six months) are shown by week.</summary>
    public const int MaxWeeksDays = 183;

    /// <summary>The last date of the period that exists: <c>min(to, as_of)</c>; null when the period starts after as_of.</summary>
    public static DateOnly? End(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var end = period.To < period.AsOf ? period.To : period.AsOf;
        return end < period.From ? null : end;
    }

    /// <summary>The grain that suits the period's length in days.</summary>
    public static TrendGrain GrainFor(ReportPeriod period)
    {
        var end = End(period);
        var days = end is { } last ? last.DayNumber - period.From.DayNumber + 1 : 0;
        return days switch
        {
            <= MaxDays => TrendGrain.Day,
            <= MaxWeeksDays => TrendGrain.Week,
            _ => TrendGrain.Month,
        };
    }

    /// <summary>The first date of the bucket of <paramref name="grain"/> that holds <paramref name="date"/>.</summary>
    public static DateOnly StartOf(TrendGrain grain, DateOnly date) => grain switch
    {
        TrendGrain.Day => date,
        TrendGrain.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
        _ => new DateOnly(date.Year, date.Month, 1),
    };

    /// <summary>The buckets of the period, in order, each cut to the dates in range.</summary>
    public static IReadOnlyList<TrendBucket> For(ReportPeriod period, TrendGrain grain)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (End(period) is not { } end)
        {
            return [];
        }

        var buckets = new List<TrendBucket>();
        var start = period.From;
        while (start <= end)
        {
            var next = grain switch
            {
                TrendGrain.Day => start.AddDays(1),
                TrendGrain.Week => StartOf(TrendGrain.Week, start).AddDays(7),
                _ => StartOf(TrendGrain.Month, start).AddMonths(1),
            };
            var last = next.AddDays(-1);
            buckets.Add(new TrendBucket(start, last < end ? last : end));
            start = next;
        }

        return buckets;
    }
}

/// <summary>One marketplace's contribution margin and gross revenue over one trend bucket.</summary>
public sealed record TrendPoint(string Marketplace, TrendBucket Bucket, decimal ContributionMargin, decimal Revenue);
