using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Channels;

/// <summary>A channel row as the grid shows it: rounded figures plus the names to filter and sort by.</summary>
public sealed record ChannelLine(
    string Marketplace,
    string MarketplaceName,
    string Channel,
    string ChannelName,
    int NewCustomers,
    int IdentifiedCustomers,
    decimal? IdentifiedShare,
    decimal Spend,
    decimal? Cac,
    decimal? FirstOrderMargin,
    decimal? FirstOrderProfit,
    decimal? LtvToDate,
    decimal? LtvCac,
    ChannelVerdict Verdict,
    string VerdictText);

/// <summary>How far a marketplace's new customers rest on real buyer ids.</summary>
public sealed record IdentificationNote(string Marketplace, string MarketplaceName, int NewCustomers, int Identified, decimal Share);

/// <summary>
/// The channels page: one line per (marketplace, channel), a note for each marketplace missing buyer ids, and the
/// verdicts the seller chose to see (none chosen: all).
/// </summary>
public sealed record ChannelLines(IReadOnlyList<ChannelLine> Lines, IReadOnlyList<IdentificationNote> Notes)
{
    public const string VerdictKey = "verdict";

    public static IReadOnlyList<ChannelVerdict> Verdicts { get; } =
        [ChannelVerdict.Profitable, ChannelVerdict.PaysBack, ChannelVerdict.Cut, ChannelVerdict.NoNewCustomers];

    /// <summary>The lines whose verdict is among <paramref name="chosen"/>; all of them when none is chosen.</summary>
    public IReadOnlyList<ChannelLine> Showing(IReadOnlySet<ChannelVerdict> chosen)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        return chosen.Count == 0 ? Lines : [.. Lines.Where(l => chosen.Contains(l.Verdict))];
    }

    /// <summary>Reads <c>verdict=cut,pays_back</c> (the API's codes); unknown codes are ignored.</summary>
    public static IReadOnlySet<ChannelVerdict> ParseVerdicts(string? query)
    {
        var chosen = new HashSet<ChannelVerdict>();
        foreach (var code in (query ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var verdict in Verdicts.Where(v => string.Equals(Common.UiNames.VerdictCode(v), code, StringComparison.OrdinalIgnoreCase)))
            {
                chosen.Add(verdict);
            }
        }

        return chosen;
    }

    /// <summary>The query value for a set of verdicts, in the fixed order; null (no parameter) for none.</summary>
    public static string? VerdictQuery(IEnumerable<ChannelVerdict> chosen)
    {
        var set = chosen.ToHashSet();
        var codes = Verdicts.Where(set.Contains).Select(Common.UiNames.VerdictCode).ToList();
        return codes.Count == 0 ? null : string.Join(',', codes);
    }

    public static ChannelLines From(
        FactReports reports,
        Func<string, string> marketplaceName,
        Func<string, string> channelName,
        Func<ChannelVerdict, string> verdictText)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(marketplaceName);
        ArgumentNullException.ThrowIfNull(channelName);
        ArgumentNullException.ThrowIfNull(verdictText);
        var rows = reports.Channels();
        var lines = rows
            .Select(row => row.Rounded())
            .Select(r => new ChannelLine(
                r.Marketplace,
                marketplaceName(r.Marketplace),
                r.Channel,
                channelName(r.Channel),
                r.NewCustomers,
                r.IdentifiedCustomers,
                Rounding.Ratio(r.IdentifiedShare),
                r.Spend,
                r.Cac,
                r.FirstOrderMargin,
                r.FirstOrderProfit,
                r.LtvToDate,
                r.LtvCac,
                r.Verdict,
                verdictText(r.Verdict)))
            .ToList();
        var notes = rows
            .GroupBy(r => r.Marketplace, StringComparer.Ordinal)
            .Select(g => (Marketplace: g.Key, New: g.Sum(r => r.NewCustomers), Identified: g.Sum(r => r.IdentifiedCustomers)))
            .Where(m => m.New > 0 && m.Identified < m.New)
            .Select(m => new IdentificationNote(m.Marketplace, marketplaceName(m.Marketplace), m.New, m.Identified, Rounding.Ratio((decimal)m.Identified / m.New)))
            .ToList();
        return new ChannelLines(lines, notes);
    }
}
