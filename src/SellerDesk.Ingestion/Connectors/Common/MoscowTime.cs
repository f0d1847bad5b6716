namespace SellerDesk.Ingestion.Connectors.Common;

/// <summary>
/// Moscow time, the clock Russian marketplaces date their reports by (MSK, UTC+3 with no daylight saving since 2014).
/// Found in the system's time zone database; where it has none (a trimmed container), a fixed UTC+3 zone of the same id.
/// </summary>
public static class MoscowTime
{
    public static TimeZoneInfo Zone { get; } = Find();

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Moscow", TimeSpan.FromHours(3), "Moscow", "MSK");
        }
    }
}
