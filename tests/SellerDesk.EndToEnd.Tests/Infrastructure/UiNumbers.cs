using System.Globalization;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>Reads numbers back from the screen: <c>1 234,56 ₽</c>, <c>-₽1,234.56</c>, <c>12,5 %</c>.</summary>
public static class UiNumbers
{
    public const string Dash = "—";

    /// <summary>Money or a plain number; null for the dash that stands for "no value".</summary>
    public static decimal? Parse(string text, string culture)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed == Dash)
        {
            return null;
        }

        var format = CultureInfo.GetCultureInfo(culture).NumberFormat;
        var clean = new string(trimmed
            .Replace('\u2212', '-')
            .Where(c => c is not ('₽' or '%' or '×' or ' ' or '\u00a0' or '\u202f'))
            .ToArray());
        clean = clean.Replace(format.NumberGroupSeparator, string.Empty, StringComparison.Ordinal)
            .Replace(format.NumberDecimalSeparator, ".", StringComparison.Ordinal);
        return decimal.Parse(clean, NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    /// <summary>A percentage as shown, as a share: <c>12,5 %</c> is 0.125.</summary>
    public static decimal? ParsePercent(string text, string culture) => Parse(text, culture) is { } value ? value / 100m : null;
}
