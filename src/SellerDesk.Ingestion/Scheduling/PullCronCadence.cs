using System.Globalization;

namespace SellerDesk.Ingestion.Scheduling;

/// <summary>How often a schedule may run (issue 10, "Hardening": unbounded work).</summary>
public static partial class PullCron
{
    /// <summary>The shortest time allowed by default between two runs of one schedule.</summary>
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The shortest gap between two consecutive runs of a valid <paramref name="cron"/> when it is under
    /// <paramref name="shortest"/>, else null. A schedule fires at the same times of day on every day it fires, so
    /// its first two firing days show every gap it has; the search stops at the first gap too short.
    /// </summary>
    public static TimeSpan? TooFrequent(string cron, TimeSpan shortest)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var expression = Parse(ForHangfire(cron.Trim()));
        var from = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        DateTime? previous = null;
        var firingDays = new HashSet<DateOnly>();
        foreach (var at in expression.GetOccurrences(from, from.AddYears(8), fromInclusive: true, toInclusive: false))
        {
            if (previous is { } last && at - last < shortest)
            {
                return at - last;
            }

            firingDays.Add(DateOnly.FromDateTime(at));
            if (firingDays.Count > 2)
            {
                return null;
            }

            previous = at;
        }

        return null;
    }

    /// <summary>The refusal of a schedule that runs too often, in English and Russian.</summary>
    public static (string En, string Ru) TooFrequentText(string cron, TimeSpan gap, TimeSpan shortest)
    {
        var seconds = ((int)gap.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var limit = ((int)shortest.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return (
            $"'{cron}' runs {seconds} s after a previous run: a schedule runs at most every {limit} s (15 minutes unless the operator says otherwise)",
            $"«{cron}» запускается через {seconds} с после предыдущего запуска: расписание запускается не чаще раза в {limit} с (15 минут, если администратор не задал иное)");
    }
}
