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

/// <summary>The channels page: one line per (marketplace, channel) and a note for each marketplace missing buyer ids.</summary>
public sealed record ChannelLines(IReadOnlyList<ChannelLine> Lines, IReadOnlyList<IdentificationNote> Notes)
{
    public static ChannelLines From(
        UnitEconomicsReports reports,
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
