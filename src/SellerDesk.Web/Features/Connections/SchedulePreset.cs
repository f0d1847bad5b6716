using System.Globalization;
using System.Text.RegularExpressions;

namespace SellerDesk.Web.Features.Connections;

/// <summary>How often a schedule runs, as the ops page offers it.</summary>
public enum ScheduleKind
{
    Hourly,
    Daily,
    Weekly,
    Cron,
}

/// <summary>
/// The friendly schedules of the ops page and the cron expressions they stand for (six fields, seconds first, in the
/// workspace zone): hourly at minute M is <c>0 M * * * ?</c>, daily at H:M <c>0 M H * * ?</c>, weekly
/// <c>0 M H ? * MON</c>. Any other expression is shown and edited as cron.
/// </summary>
public sealed partial record SchedulePreset(ScheduleKind Kind, int Hour, int Minute, DayOfWeek Day, string? Cron)
{
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static SchedulePreset Default { get; } = new(ScheduleKind.Daily, 6, 0, DayOfWeek.Monday, null);

    public string ToCron() => Kind switch
    {
        ScheduleKind.Hourly => string.Create(CultureInfo.InvariantCulture, $"0 {Minute} * * * ?"),
        ScheduleKind.Daily => string.Create(CultureInfo.InvariantCulture, $"0 {Minute} {Hour} * * ?"),
        ScheduleKind.Weekly => string.Create(CultureInfo.InvariantCulture, $"0 {Minute} {Hour} ? * {Days[(int)Day]}"),
        _ => Cron?.Trim() ?? string.Empty,
    };

    public static SchedulePreset FromCron(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return Default;
        }

        var text = cron.Trim();
        if (Hourly().Match(text) is { Success: true } h)
        {
            return Default with { Kind = ScheduleKind.Hourly, Minute = Number(h, "m"), Cron = text };
        }

        if (Daily().Match(text) is { Success: true } d)
        {
            return Default with { Kind = ScheduleKind.Daily, Hour = Number(d, "h"), Minute = Number(d, "m"), Cron = text };
        }

        if (Weekly().Match(text) is { Success: true } w)
        {
            var day = (DayOfWeek)Array.IndexOf(Days, w.Groups["d"].Value);
            return Default with { Kind = ScheduleKind.Weekly, Hour = Number(w, "h"), Minute = Number(w, "m"), Day = day, Cron = text };
        }

        return Default with { Kind = ScheduleKind.Cron, Cron = text };
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("^0 (?<m>[0-5]?[0-9]) \\* \\* \\* \\?$")]
    private static partial Regex Hourly();

    [GeneratedRegex("^0 (?<m>[0-5]?[0-9]) (?<h>1?[0-9]|2[0-3]) \\* \\* \\?$")]
    private static partial Regex Daily();

    [GeneratedRegex("^0 (?<m>[0-5]?[0-9]) (?<h>1?[0-9]|2[0-3]) \\? \\* (?<d>SUN|MON|TUE|WED|THU|FRI|SAT)$")]
    private static partial Regex Weekly();
}
