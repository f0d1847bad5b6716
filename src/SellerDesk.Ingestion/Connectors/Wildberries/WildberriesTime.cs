using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Wildberries timestamps are Moscow time (marketplaces.md). They come as a date (<c>2022-10-20</c>), a local time
/// (<c>2025-09-23T12:30:00</c>), a time with an offset, or a time with a <c>Z</c> that the report examples put on
/// Moscow wall-clock values (<c>"sale_dt": "2022-10-20T00:00:00Z"</c> beside <c>"rr_dt": "2022-10-20"</c>): whether
/// that <c>Z</c> means UTC is a setting (<see cref="WildberriesOptions.UtcDesignatorIsMoscowTime"/>).
/// </summary>
internal static class WildberriesTime
{
    public static TimeZoneInfo Moscow => MoscowTime.Zone;

    /// <summary>The instant of a WB timestamp; a bare date is Moscow midnight.</summary>
    public static bool TryParse(string? text, bool utcDesignatorIsMoscowTime, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        if (value.Length == 10)
        {
            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return false;
            }

            instant = InMoscow(date.ToDateTime(TimeOnly.MinValue));
            return true;
        }

        if (utcDesignatorIsMoscowTime && (value.EndsWith('Z') || value.EndsWith('z')))
        {
            value = value[..^1];
        }

        if (TryParseLocal(value, out var fast))
        {
            instant = InMoscow(fast);
            return true;
        }

        if (HasOffset(value))
        {
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
        }

        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        instant = InMoscow(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
        return true;
    }

    /// <summary>The Moscow calendar date of a WB timestamp; a bare date is itself.</summary>
    public static DateOnly? MoscowDate(string? text, bool utcDesignatorIsMoscowTime)
    {
        // A date, or a Moscow wall-clock time, names its Moscow date in its first ten characters.
        if (text is { Length: >= 10 } && (text.Length == 10 || (utcDesignatorIsMoscowTime ? !HasRealOffset(text) : !HasOffset(text)))
            && TryDigits(text.AsSpan(0, 10), out var day))
        {
            return day;
        }

        return TryParse(text, utcDesignatorIsMoscowTime, out var instant)
            ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Moscow).DateTime)
            : null;
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss</c> exactly, parsed without culture machinery (the common WB shape).</summary>
    private static bool TryParseLocal(string value, out DateTime local)
    {
        local = default;
        if (value.Length != 19 || value[10] is not ('T' or ' ') || value[13] != ':' || value[16] != ':'
            || !TryDigits(value.AsSpan(0, 10), out var date)
            || !TryNumber(value.AsSpan(11, 2), out var hour) || !TryNumber(value.AsSpan(14, 2), out var minute)
            || !TryNumber(value.AsSpan(17, 2), out var second) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        local = date.ToDateTime(new TimeOnly(hour, minute, second));
        return true;
    }

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    private static bool TryDigits(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !TryNumber(text[..4], out var year) || !TryNumber(text.Slice(5, 2), out var month) || !TryNumber(text.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static bool HasRealOffset(string value) =>
        !(value.EndsWith('Z') || value.EndsWith('z')) && HasOffset(value);

    private static DateTimeOffset InMoscow(DateTime local) => new(local, Moscow.GetUtcOffset(local));

    private static bool HasOffset(string value)
    {
        var time = value.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (time < 0)
        {
            time = value.IndexOf(' ', StringComparison.Ordinal);
        }

        return time >= 0
            && (value.EndsWith('Z') || value.EndsWith('z') || value.AsSpan(time).IndexOfAny('+', '-') >= 0);
    }

}
