using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Attribution;

/// <summary>
/// How far a report's channel figures rest on the marketplaces' own attribution (metrics.md 3.1): per channel, how many
/// of its new customers got their acquisition channel from attribution rows; per marketplace, how many orders the
/// attribution rows dated in range claimed beyond what the ledger had (<c>attribution_unmatched</c>).
/// </summary>
public sealed record AttributionCoverage(
    IReadOnlyDictionary<(string Marketplace, string Channel), int> AttributedCustomers,
    IReadOnlyList<(string Marketplace, int Unmatched)> Unmatched)
{
    public static AttributionCoverage Of(FactReports reports, IReadOnlySet<string>? hiddenMarketplaces = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var attributed = reports.Channels()
            .Where(c => c.AttributedCustomers > 0)
            .ToDictionary(c => (c.Marketplace, c.Channel), c => c.AttributedCustomers);
        var unmatched = reports.Marketplaces()
            .Where(m => m.AttributionUnmatched > 0 && hiddenMarketplaces?.Contains(m.Marketplace) != true)
            .OrderByDescending(m => m.AttributionUnmatched)
            .ThenBy(m => m.Marketplace, StringComparer.Ordinal)
            .Select(m => (m.Marketplace, m.AttributionUnmatched))
            .ToList();
        return new AttributionCoverage(attributed, unmatched);
    }

    /// <summary>The new customers of a channel that came by attribution (0 when none).</summary>
    public int AttributedTo(string marketplace, string channel) => AttributedCustomers.GetValueOrDefault((marketplace, channel));
}
