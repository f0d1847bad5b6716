using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>
/// The cron expressions of pull schedules: six fields, seconds first (<c>seconds minutes hours day-of-month month
/// day-of-week</c>, e.g. <c>0 0 6 * * ?</c> for daily at 06:00), in the workspace's time zone. This is the syntax the
/// schedules were written in under Quartz, and it keeps its meaning under Hangfire: Hangfire's parser (Cronos) numbers
/// the days of the week from Sunday = 0, Quartz from Sunday = 1, so numbered days are handed to Hangfire as names.
/// </summary>
public static partial class PullCron
{
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>What is wrong with <paramref name="cron"/> in words (English), or null when it is a valid schedule.</summary>
    public static string? Problem(string? cron) => ProblemText(cron)?.En;

    /// <summary>What is wrong with <paramref name="cron"/> in English and Russian, or null when it is a valid schedule.</summary>
    public static LocalText? ProblemText(string? cron)
    {
        const string Shape = "six fields, seconds first: seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 * * ?' for daily at 06:00";
        const string ShapeRu = "из шести полей, секунды первыми: секунды минуты часы день-месяца месяц день-недели, например «0 0 6 * * ?» — каждый день в 06:00";
        var text = cron?.Trim() ?? string.Empty;
        var fields = Fields(text);
        if (fields.Length != 6)
        {
            return new($"'{text}' is not a cron expression of {Shape}", $"«{text}» — не cron-выражение {ShapeRu}");
        }

        if (DayNumber().Matches(fields[5]).Any(m => m.Value is "0" || int.Parse(m.Value, CultureInfo.InvariantCulture) > 7))
        {
            return new(
                $"'{text}': days of the week are numbered 1 (Sunday) to 7 (Saturday), or named SUN to SAT",
                $"«{text}»: дни недели нумеруются от 1 (воскресенье) до 7 (суббота) или называются SUN…SAT");
        }

        try
        {
            _ = Parse(ForHangfire(text));
            return null;
        }
        catch (CronFormatException ex)
        {
            var detail = ex.Message.TrimEnd('.');
            return new($"'{text}' is not a cron expression of {Shape} ({detail})", $"«{text}» — не cron-выражение {ShapeRu} ({detail})");
        }
    }

    /// <summary>The expression as Hangfire reads it with the meaning it has here (numbered week days become names).</summary>
    public static string ForHangfire(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var fields = Fields(cron.Trim());
        if (fields.Length != 6)
        {
            throw new FormatException(Problem(cron));
        }

        fields[5] = DayNumber().Replace(fields[5], m => DayNames[int.Parse(m.Value, CultureInfo.InvariantCulture) - 1]);
        return string.Join(' ', fields);
    }

    /// <summary>
    /// The latest fire time (UTC) of <paramref name="cron"/> at or before <paramref name="at"/>, or null when there was
    /// none in the five years before it.
    /// </summary>
    public static DateTimeOffset? LatestAtOrBefore(string cron, TimeZoneInfo zone, DateTimeOffset at)
    {
        var expression = Parse(ForHangfire(cron));
        foreach (var lookBack in new[] { TimeSpan.FromHours(1), TimeSpan.FromDays(2), TimeSpan.FromDays(40), TimeSpan.FromDays(5 * 366) })
        {
            var found = expression.GetOccurrences(at - lookBack, at, zone, fromInclusive: true, toInclusive: true).LastOrDefault();
            if (found != default)
            {
                return found.ToUniversalTime();
            }
        }

        return null;
    }

    /// <summary>The next fire time of <paramref name="cron"/> after <paramref name="after"/> (UTC).</summary>
    public static DateTimeOffset? NextAfter(string cron, TimeZoneInfo zone, DateTimeOffset after) =>
        Parse(ForHangfire(cron)).GetNextOccurrence(after, zone, inclusive: false)?.ToUniversalTime();

    private static CronExpression Parse(string cron) => CronExpression.Parse(cron, CronFormat.IncludeSeconds);

    private static string[] Fields(string cron) => cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A day number where a day stands in the day-of-week field: not after '/' (a step) or '#' (the nth week).</summary>
    [GeneratedRegex("(?<=^|[,-])[0-9]+")]
    private static partial Regex DayNumber();
}
