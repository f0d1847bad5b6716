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
    string VerdictText,
    decimal Revenue,
    decimal? Drr,
    decimal? Roas);

/// <summary>How far a marketplace's new customers rest on real buyer ids.</summary>
public sealed record IdentificationNote(string Marketplace, string MarketplaceName, int NewCustomers, int Identified, decimal Share);

/// <summary>A channel to cut with what its first orders lost in the period after its spend (a positive amount).</summary>
public sealed record CutChannel(ChannelLine Line, decimal FirstOrderLoss);

/// <summary>
/// The money at stake on the channels whose verdict is Cut: their ad spend in the period and what their first orders
/// lost after it, <c>-(first_order_profit × new_customers)</c> = spend − the first orders' margin, exact sums rounded once.
/// </summary>
public sealed record CutStake(IReadOnlyList<CutChannel> Channels, decimal Spend, decimal FirstOrderLoss)
{
    public bool IsEmpty => Channels.Count == 0;

    /// <summary>The first orders' loss of a channel over all its new customers; 0 when they made a profit.</summary>
    public static decimal LossOf(ChannelRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.FirstOrderProfit is < 0 and var profit ? -profit * row.NewCustomers : 0m;
    }
}

/// <summary>
/// The channels page: one line per (marketplace, channel), a note for each marketplace missing buyer ids, the
/// verdicts the seller chose to see (none chosen: all), and the money at stake on the channels to cut.
/// </summary>
public sealed record ChannelLines(IReadOnlyList<ChannelLine> Lines, IReadOnlyList<IdentificationNote> Notes)
{
    /// <summary>The Cut channels, the biggest spend first, with their spend and first-order loss.</summary>
    public CutStake Stake { get; init; } = new([], 0m, 0m);

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

    /// <param name="reports">The reports of the period: 4.1 with 4.6's revenue, DRR and ROAS.</param>
    /// <param name="marketplaceName">A marketplace's name in the UI language.</param>
    /// <param name="channelName">A channel's name (the workspace's own, or the UI's).</param>
    /// <param name="verdictText">A verdict in the UI language.</param>
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
        var revenueBy = reports.ChannelRevenue().ToDictionary(r => (r.Marketplace, r.Channel), r => r.Rounded());
        var lines = rows
            .Select(row =>
            {
                var r = row.Rounded();
                var money = revenueBy.GetValueOrDefault((r.Marketplace, r.Channel));
                return new ChannelLine(
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
                    verdictText(r.Verdict),
                    money?.Revenue ?? 0m,
                    money?.Drr,
                    money?.Roas);
            })
            .ToList();
        var cut = rows.Where(r => r.Verdict == ChannelVerdict.Cut).ToList();
        var stake = new CutStake(
            [.. cut
                .OrderByDescending(r => r.Spend)
                .ThenBy(r => r.Marketplace, StringComparer.Ordinal)
                .ThenBy(r => r.Channel, StringComparer.Ordinal)
                .Select(r => new CutChannel(lines.Single(l => l.Marketplace == r.Marketplace && l.Channel == r.Channel), Rounding.Money(CutStake.LossOf(r))))],
            Rounding.Money(cut.Sum(r => r.Spend)),
            Rounding.Money(cut.Sum(CutStake.LossOf)));
        var notes = rows
            .GroupBy(r => r.Marketplace, StringComparer.Ordinal)
            .Select(g => (Marketplace: g.Key, New: g.Sum(r => r.NewCustomers), Identified: g.Sum(r => r.IdentifiedCustomers)))
            .Where(m => m.New > 0 && m.Identified < m.New)
            .Select(m => new IdentificationNote(m.Marketplace, marketplaceName(m.Marketplace), m.New, m.Identified, Rounding.Ratio((decimal)m.Identified / m.New)))
            .ToList();
        return new ChannelLines(lines, notes) { Stake = stake };
    }
}
