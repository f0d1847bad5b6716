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
}
