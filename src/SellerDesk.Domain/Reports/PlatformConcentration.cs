namespace SellerDesk.Domain.Reports;

/// <summary>
/// Platform concentration of the marketplaces report (metrics.md 4.7): <c>hhi</c>, the sum of the squared
/// <c>cm_share</c>s, and the largest share with its marketplace. All null when the shares are.
/// </summary>
public sealed record PlatformConcentration(decimal? Hhi, decimal? TopShare, string? TopMarketplace)
{
    /// <summary>Above this top share a seller depends on one platform.</summary>
    public const decimal DependenceThreshold = 0.6m;

    public bool DependsOnOnePlatform => TopShare > DependenceThreshold;

    public PlatformConcentration Rounded() => this with { Hhi = Rounding.Ratio(Hhi), TopShare = Rounding.Ratio(TopShare) };

    /// <param name="marketplaces">The 4.2 rows, unrounded: the shares are squared before rounding.</param>
    public static PlatformConcentration Of(IEnumerable<MarketplaceRow> marketplaces)
    {
        ArgumentNullException.ThrowIfNull(marketplaces);
        var shares = marketplaces
            .Where(m => m.CmShare is not null)
            .Select(m => (m.Marketplace, Share: m.CmShare!.Value))
            .ToList();
        if (shares.Count == 0)
        {
            return new PlatformConcentration(null, null, null);
        }

        var top = shares
            .OrderByDescending(s => s.Share)
            .ThenBy(s => s.Marketplace, StringComparer.Ordinal)
            .First();
        return new PlatformConcentration(shares.Sum(s => s.Share * s.Share), top.Share, top.Marketplace);
    }
}
