using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Reports;

/// <summary>
/// The bounds every report and export keeps (import-and-api.md): <c>as_of</c> no later than today in the workspace
/// zone, and a period of at most <see cref="MaxYears"/> years. Without them one request (as_of=9999-12-31 on the
/// cohort export) built ~96,000 columns and took the app from 340 MB to 4 GB. See docs/decisions/0019-hardening.md.
/// </summary>
public static class ReportLimits
{
    public const int MaxYears = 10;

    /// <summary>The field at fault and why, in both languages; null when the period may be computed.</summary>
    public static (string Field, LocalText Error)? Check(DateOnly from, DateOnly to, DateOnly? asOf, DateOnly today)
    {
        if (asOf is { } a && a > today)
        {
            var asOfText = Text(a);
            var todayText = Text(today);
            return ("as_of", new LocalText(
                $"'as_of' ({asOfText}) is after today ({todayText}, in the workspace's time zone): reports are computed as the data stood on a day that has begun, today at the latest.",
                $"'as_of' ({asOfText}) позже сегодняшнего дня ({todayText} по часовому поясу пространства): отчёт считается на наступивший день, самое позднее на сегодня."));
        }

        // Past year 9989 ten more years do not exist: every 'to' of such a period is within the limit.
        var limit = from.Year <= DateOnly.MaxValue.Year - MaxYears ? from.AddYears(MaxYears) : DateOnly.MaxValue;
        if (to >= limit && limit != DateOnly.MaxValue)
        {
            return ("to", new LocalText(
                $"The period {Text(from)}..{Text(to)} is longer than {MaxYears} years: ask for at most {MaxYears} years at a time.",
                $"Период {Text(from)}..{Text(to)} длиннее {MaxYears} лет: запрашивайте не больше {MaxYears} лет за раз."));
        }

        return null;
    }

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
