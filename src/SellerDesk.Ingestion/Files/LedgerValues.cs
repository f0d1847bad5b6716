using System.Globalization;

namespace SellerDesk.Ingestion.Files;

/// <summary>
/// Parsers for the values of the ledger files (import-and-api.md): ISO 8601 timestamps (without an offset they are
/// in the workspace time zone), dates <c>YYYY-MM-DD</c> or <c>DD.MM.YYYY</c>, booleans, decimals of a dialect
/// (no thousands separators) and whole numbers. Hand-written for speed: no regex, no culture lookups.
/// </summary>
public static class LedgerValues
{
    /// <summary>Decimals of the <c>,</c> dialect.</summary>
    public static NumberFormatInfo PointDecimals { get; } = NumberFormatInfo.InvariantInfo;

    /// <summary>Decimals of the <c>;</c> dialect (what Excel writes in a Russian locale).</summary>
    public static NumberFormatInfo CommaDecimals { get; } = CreateCommaDecimals();

    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>A decimal such as <c>1234.5</c> (or <c>1234,5</c> with <see cref="CommaDecimals"/>); no thousands separators, no exponent.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, NumberFormatInfo format, out decimal value) =>
        decimal.TryParse(text, DecimalStyle, format, out value);

    /// <summary>A whole number with an optional sign.</summary>
    public static bool TryParseWhole(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary><c>true/false</c>, <c>1/0</c>, <c>yes/no</c>, <c>да/нет</c>, case-insensitive.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("1", StringComparison.Ordinal)
            || text.Equals("yes", StringComparison.OrdinalIgnoreCase) || text.Equals("да", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("0", StringComparison.Ordinal)
            || text.Equals("no", StringComparison.OrdinalIgnoreCase) || text.Equals("нет", StringComparison.OrdinalIgnoreCase))
        {
            value = false;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary><c>YYYY-MM-DD</c> or <c>DD.MM.YYYY</c>.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10)
        {
            return false;
        }

        int year, month, day;
        if (text[4] == '-' && text[7] == '-')
        {
            if (!TryDigits(text, 0, 4, out year) || !TryDigits(text, 5, 2, out month) || !TryDigits(text, 8, 2, out day))
            {
                return false;
            }
        }
        else if (text[2] == '.' && text[5] == '.')
        {
            if (!TryDigits(text, 0, 2, out day) || !TryDigits(text, 3, 2, out month) || !TryDigits(text, 6, 4, out year))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Why <see cref="TryParseTimestamp"/> failed.</summary>
    public enum TimestampError
    {
        None,
        Malformed,

        /// <summary>A local time skipped by a clock change in the workspace zone.</summary>
        SkippedLocalTime,
    }

    /// <summary>
    /// ISO 8601: <c>YYYY-MM-DD[(T| )hh:mm[:ss[.fffffff]]][Z|±hh[:mm]]</c>; the date part may also be
    /// <c>DD.MM.YYYY</c>. Without an offset the time is local to <paramref name="zone"/> (a bare date: its midnight).
    /// </summary>
    public static TimestampError TryParseTimestamp(ReadOnlySpan<char> text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(zone);
        value = default;
        if (text.Length < 10 || !TryParseDate(text[..10], out var date) || date.Year is < 2 or > 9998)
        {
            return TimestampError.Malformed;
        }

        var rest = text[10..];
        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        if (!rest.IsEmpty)
        {
            if (rest[0] is not ('T' or 't' or ' ') || rest.Length < 6 || rest[3] != ':'
                || !TryDigits(rest, 1, 2, out hour) || !TryDigits(rest, 4, 2, out minute))
            {
                return TimestampError.Malformed;
            }

            rest = rest[6..];
            if (rest.Length >= 3 && rest[0] == ':')
            {
                if (!TryDigits(rest, 1, 2, out second))
                {
                    return TimestampError.Malformed;
                }

                rest = rest[3..];
                if (rest.Length >= 2 && rest[0] == '.')
                {
                    var digits = 1;
                    long scale = TimeSpan.TicksPerSecond;
                    while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
                    {
                        scale /= 10;
                        fractionTicks += (rest[digits] - '0') * scale;
                        digits++;
                    }

                    if (digits == 1)
                    {
                        return TimestampError.Malformed;
                    }

                    rest = rest[digits..];
                }
            }

            if (hour > 23 || minute > 59 || second > 59)
            {
                return TimestampError.Malformed;
            }
        }

        var local = new DateTime(date.Year, date.Month, date.Day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        if (rest.IsEmpty)
        {
            if (zone.IsInvalidTime(local))
            {
                return TimestampError.SkippedLocalTime;
            }

            value = new DateTimeOffset(local, zone.GetUtcOffset(local));
            return TimestampError.None;
        }

        if (!TryParseOffset(rest, out var offset))
        {
            return TimestampError.Malformed;
        }

        value = new DateTimeOffset(local, offset);
        return TimestampError.None;
    }

    private static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text.Length == 1 && text[0] is 'Z' or 'z')
        {
            return true;
        }

        if (text.Length < 3 || text[0] is not ('+' or '-') || !TryDigits(text, 1, 2, out var hours))
        {
            return false;
        }

        var minutes = 0;
        var tail = text[3..];
        if (tail.Length == 3 && tail[0] == ':')
        {
            tail = tail[1..];
        }

        if (tail.Length == 2)
        {
            if (!TryDigits(tail, 0, 2, out minutes))
            {
                return false;
            }
        }
        else if (!tail.IsEmpty)
        {
            return false;
        }

        if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0))
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static NumberFormatInfo CreateCommaDecimals()
    {
        var format = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        format.NumberDecimalSeparator = ",";
        format.NumberGroupSeparator = "\u00A0";
        return NumberFormatInfo.ReadOnly(format);
    }
}
