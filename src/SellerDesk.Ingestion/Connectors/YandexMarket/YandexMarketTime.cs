using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>
/// Yandex Market times are Moscow time (marketplaces.md). They come with an offset (<c>2026-03-01T10:15:00+03:00</c>),
/// without one (<c>2026-03-01T10:15:00</c>: Moscow wall-clock time), as a bare date (<c>2026-03-01</c>: Moscow
/// midnight), in the older <c>dd-MM-yyyy HH:mm:ss</c> / <c>dd-MM-yyyy</c> shapes, or as the reports write them
/// (<c>dd.MM.yyyy HH:mm:ss</c>, <c>dd.MM.yyyy</c>), all Moscow time.
/// </summary>
internal static class YandexMarketTime
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
        "dd-MM-yyyy HH:mm:ss", "dd-MM-yyyy", "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "dd.MM.yyyy",
    ];

    private static readonly string[] OffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static TimeZoneInfo Moscow => MoscowTime.Zone;

    /// <summary>The instant of a Yandex Market time; false when it is missing or of no known shape.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        if (DateTimeOffset.TryParseExact(
            value, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            return true;
        }

        if (!DateTime.TryParseExact(value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        instant = new DateTimeOffset(local, Moscow.GetUtcOffset(local));
        return true;
    }

    /// <summary>The Moscow calendar date of a Yandex Market time, or null.</summary>
    public static DateOnly? MoscowDate(string? text) =>
        TryParse(text, out var instant) ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Moscow).DateTime) : null;

    /// <summary>Moscow midnight of a date: the instant of a row that carries no time.</summary>
    public static DateTimeOffset MoscowMidnight(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Moscow.GetUtcOffset(midnight));
    }

}
