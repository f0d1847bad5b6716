using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Tests.Reports;

/// <summary>Order facts built by hand for report rules.</summary>
internal static class ReportTestData
{
    public static OrderFact Order(
        string id,
        string date,
        decimal margin,
        string? customer = null,
        string channel = "organic",
        string marketplace = "own_store",
        decimal revenue = 0m,
        decimal? netRevenue = null,
        string time = "12:00")
    {
        var local = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var at = new DateTimeOffset(local.ToDateTime(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromHours(3));
        return new OrderFact(marketplace, id, customer, channel, at, local, revenue, netRevenue ?? revenue, margin, 0m, 1, 0, 0);
    }

    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static DateTimeOffset At(string date, string time = "12:00") =>
        new(D(date).ToDateTime(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromHours(3));

    public static DateOnly D(string date) => DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
}
