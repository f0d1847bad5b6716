using System.Globalization;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Features.Common;

namespace SellerDesk.Web.Features.Comparisons;

/// <summary>A trend bar's label: its month (<c>янв. 2026</c>), or the first day of its week or its day (<c>5 янв.</c>).</summary>
public static class TrendLabels
{
    public static string Of(TrendGrain grain, TrendBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return grain == TrendGrain.Month
            ? UiFormat.MonthShort(YearMonth.Of(bucket.From))
            : bucket.From.ToString(CultureInfo.CurrentCulture.TwoLetterISOLanguageName == "ru" ? "d MMM" : "MMM d", CultureInfo.CurrentCulture);
    }

    /// <summary>
    /// The labels of a chart's bars, at most <paramref name="most"/> of them written (every n-th, from the first) so
    /// that a month by day stays readable on a desktop; the others are empty. In the browser, <c>js/app.js</c> thins
    /// the written ones further to what fits the chart's width (a phone), so this is the most a wide chart shows.
    /// </summary>
    public static string[] Thinned(TrendGrain grain, IReadOnlyList<TrendBucket> buckets, int most = 12)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return Thinned([.. buckets.Select(bucket => Of(grain, bucket))], most);
    }

    /// <summary>Every n-th of <paramref name="labels"/> (from the first) so that at most <paramref name="most"/> are written; the others are empty.</summary>
    public static string[] Thinned(IReadOnlyList<string> labels, int most = 12)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(most, 1);
        var step = Math.Max(1, (labels.Count + most - 1) / most);
        return [.. labels.Select((label, i) => i % step == 0 ? label : string.Empty)];
    }
}
