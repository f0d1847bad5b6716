using System.Globalization;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Wildberries timestamps are Moscow time (marketplaces.md). They come as a date (<c>2022-10-20</c>), a local time
/// (<c>2025-09-23T12:30:00</c>), a time with an offset, or a time with a <c>Z</c> that the report examples put on
/// Moscow wall-clock values (<c>"sale_dt": "2022-10-20T00:00:00Z"</c> beside <c>"rr_dt": "2022-10-20"</c>): whether
/// that <c>Z</c> means UTC is a setting (<see cref="WildberriesOptions.UtcDesignatorIsMoscowTime"/>).
/// </summary>
internal static class WildberriesTime
{
    public static TimeZoneInfo Moscow { get; } = FindMoscow();

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
    public static DateOnly? MoscowDate(string? text, bool utcDesignatorIsMoscowTime) =>
        TryParse(text, utcDesignatorIsMoscowTime, out var instant)
            ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Moscow).DateTime)
            : null;

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

    private static TimeZoneInfo FindMoscow()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Moscow", TimeSpan.FromHours(3), "Moscow", "MSK");
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Moscow", TimeSpan.FromHours(3), "Moscow", "MSK");
        }
    }
}
