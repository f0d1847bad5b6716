using System.Collections.Concurrent;
using System.Globalization;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// How numbers look on screen, per the current culture: money <c>1 234,56 ₽</c> in Russian and <c>₽1,234.56</c>
/// in English (workspace currency RUB), shares as percentages, missing values as a dash. Values are rounded by the
/// rules of metrics.md (half away from zero, money to 2 places) before they are formatted.
/// </summary>
public static class UiFormat
{
    public const string Dash = "—";

    private const string RubleSign = "₽";

    private static readonly ConcurrentDictionary<string, NumberFormatInfo> MoneyFormats = new(StringComparer.Ordinal);

    public static string Money(decimal? value) =>
        value is { } v ? KeepTogether(Rounding.Money(v).ToString("C2", MoneyFormat(CultureInfo.CurrentCulture))) : Dash;

    /// <summary>Money without the currency sign, for dense tables whose heading names it: <c>1 234,56</c>.</summary>
    public static string Amount(decimal value) => Rounding.Money(value).ToString("N2", CultureInfo.CurrentCulture);

    /// <summary>Whole rubles for chart axes: <c>12 000 ₽</c>.</summary>
    public static string MoneyWhole(decimal value) =>
        KeepTogether(Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("C0", MoneyFormat(CultureInfo.CurrentCulture)));

    /// <summary>A share (0.1234) as a percentage with one decimal: <c>12,3 %</c> / <c>12.3%</c>.</summary>
    public static string Percent(decimal? ratio) =>
        ratio is { } r ? Rounding.Ratio(r).ToString("P1", CultureInfo.CurrentCulture) : Dash;

    /// <summary>A whole percentage for compact places: <c>50 %</c>.</summary>
    public static string PercentWhole(decimal ratio) => Rounding.Ratio(ratio).ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>A multiple such as LTV/CAC: <c>1,85×</c>.</summary>
    public static string Multiple(decimal? value) =>
        value is { } v ? Rounding.Ratio(v).ToString("N2", CultureInfo.CurrentCulture) + "×" : Dash;

    public static string Count(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>A month as a short label: <c>янв. 2026</c> / <c>Jan 2026</c>.</summary>
    public static string MonthShort(YearMonth month) =>
        new DateOnly(month.Year, month.Month, 1).ToString("MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>A month in full, capitalised: <c>Январь 2026</c> / <c>January 2026</c>.</summary>
    public static string MonthLong(YearMonth month)
    {
        var text = new DateOnly(month.Year, month.Month, 1).ToString("MMMM yyyy", CultureInfo.CurrentCulture);
        return text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.CurrentCulture) + text[1..];
    }

    /// <summary>The sign never wraps away from its number: the space before ₽ becomes a no-break space.</summary>
    private static string KeepTogether(string money) => money.Replace(" " + RubleSign, "\u00a0" + RubleSign, StringComparison.Ordinal);

    private static NumberFormatInfo MoneyFormat(CultureInfo culture) =>
        MoneyFormats.GetOrAdd(culture.Name, _ =>
        {
            var format = (NumberFormatInfo)culture.NumberFormat.Clone();
            format.CurrencySymbol = RubleSign;
            return NumberFormatInfo.ReadOnly(format);
        });
}
