using System.Globalization;
using SellerDesk.Data.Reports;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// The period a report page shows, carried in the URL query as <c>from</c>, <c>to</c> and <c>as_of</c>
/// (YYYY-MM-DD, local dates of the workspace) so every page can be linked to and pinned. Without them the
/// page shows the last 12 calendar months: from the first day of the month eleven months back to today,
/// as of today. <see cref="AsOf"/> is null for "today".
/// </summary>
public sealed record PeriodSelection(DateOnly From, DateOnly To, DateOnly? AsOf)
{
    public const string FromKey = "from";
    public const string ToKey = "to";
    public const string AsOfKey = "as_of";

    /// <summary>The account filter (<c>file</c> or a connection id), kept with the period when moving between pages.</summary>
    public const string SourceKey = "source";

    /// <summary>The keys a link must carry to keep the period (and the account filter) when moving between pages.</summary>
    public static IReadOnlyList<string> QueryKeys { get; } = [FromKey, ToKey, AsOfKey, SourceKey];

    public static PeriodSelection Default(DateOnly today) => LastMonths(today, 12);

    /// <summary>The last <paramref name="months"/> calendar months, the current one included, up to today.</summary>
    public static PeriodSelection LastMonths(DateOnly today, int months) =>
        new(new DateOnly(today.Year, today.Month, 1).AddMonths(1 - months), today, null);

    public static PeriodSelection YearToDate(DateOnly today) => new(new DateOnly(today.Year, 1, 1), today, null);

    public static PeriodSelection PreviousYear(DateOnly today) =>
        new(new DateOnly(today.Year - 1, 1, 1), new DateOnly(today.Year - 1, 12, 31), null);

    /// <summary>
    /// Reads the query values; <paramref name="valid"/> is false when something was given but could not be used
    /// (not a date, <c>to</c> before <c>from</c>, <c>as_of</c> after today or more than ten years), in which case the default period is returned.
    /// </summary>
    public static PeriodSelection Resolve(string? from, string? to, string? asOf, DateOnly today, out bool valid)
    {
        valid = true;
        var fallback = Default(today);
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to) && string.IsNullOrWhiteSpace(asOf))
        {
            return fallback;
        }

        if (!TryDate(from, out var fromDate) | !TryDate(to, out var toDate) | !TryDate(asOf, out var asOfDate))
        {
            valid = false;
            return fallback;
        }

        var resolved = new PeriodSelection(fromDate ?? fallback.From, toDate ?? fallback.To, asOfDate);
        if (resolved.To < resolved.From || Reports.ReportLimits.Check(resolved.From, resolved.To, resolved.AsOf, today) is not null)
        {
            valid = false;
            return fallback;
        }

        return resolved;
    }

    public ReportRequest ToRequest() => new(From, To, AsOf);

    /// <summary>The query values of this period (as_of left out when it is today).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        [FromKey] = Text(From),
        [ToKey] = Text(To),
        [AsOfKey] = AsOf is { } asOf ? Text(asOf) : null,
    };

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }

        return false;
    }
}
