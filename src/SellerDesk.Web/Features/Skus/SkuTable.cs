using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Skus;

/// <summary>One (marketplace, SKU) row of metrics.md 4.4 as the SKUs page shows it: rounded figures plus names to sort by.</summary>
public sealed record SkuLine(
    string Marketplace,
    string MarketplaceName,
    string Sku,
    int Units,
    decimal ReturnedUnits,
    decimal Revenue,
    decimal NetRevenue,
    decimal Fees,
    decimal NetCogs,
    decimal ContributionMargin,
    decimal ReturnLoss,
    decimal? ReturnLossShare,
    decimal? ReturnRate,
    decimal? CmPerUnit,
    decimal? CmRatio,
    int CogsMissingLines)
{
    /// <summary>What the SKU loses in the period: its negative contribution margin as a positive amount; 0 when it earns.</summary>
    public decimal MoneyLost => ContributionMargin < 0 ? -ContributionMargin : 0m;

    public static SkuLine Of(SkuRow row, string marketplaceName)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Rounded();
        return new SkuLine(
            r.Marketplace,
            marketplaceName,
            r.Sku,
            r.Units,
            r.ReturnedUnits,
            r.Revenue,
            r.NetRevenue,
            r.Fees,
            r.NetCogs,
            r.ContributionMargin,
            r.ReturnLoss,
            r.ReturnLossShare,
            r.ReturnRate,
            r.CmPerUnit,
            r.CmRatio,
            r.CogsMissingLines);
    }
}

/// <summary>What the SKUs page asks for, kept in the address with the period.</summary>
/// <param name="Marketplace">One marketplace's code; null for all.</param>
/// <param name="Search">Part of a SKU code (case-insensitive); null or blank for every SKU.</param>
/// <param name="LossesOnly">Only SKUs whose contribution margin is negative.</param>
/// <param name="CostsMissingOnly">Only SKUs with order lines that have no unit cost.</param>
public sealed record SkuFilter(string? Marketplace, string? Search, bool LossesOnly, bool CostsMissingOnly)
{
    public const string MarketplaceKey = "marketplace";
    public const string SearchKey = "q";
    public const string OnlyKey = "only";
    public const string LossesValue = "losses";
    public const string CostsMissingValue = "cogs_missing";

    public static SkuFilter All { get; } = new(null, null, false, false);

    /// <summary>Reads <c>marketplace</c>, <c>q</c> and <c>only=losses,cogs_missing</c> (unknown values ignored).</summary>
    public static SkuFilter Parse(string? marketplace, string? search, string? only)
    {
        var flags = (only ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new SkuFilter(
            string.IsNullOrWhiteSpace(marketplace) ? null : marketplace.Trim(),
            string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
            flags.Contains(LossesValue, StringComparer.OrdinalIgnoreCase),
            flags.Contains(CostsMissingValue, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The value of <c>only</c> for these flags; null (no parameter) for none.</summary>
    public string? OnlyQuery =>
        (LossesOnly, CostsMissingOnly) switch
        {
            (true, true) => LossesValue + "," + CostsMissingValue,
            (true, false) => LossesValue,
            (false, true) => CostsMissingValue,
            _ => null,
        };

    public bool Matches(SkuLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return (Marketplace is null || string.Equals(line.Marketplace, Marketplace, StringComparison.Ordinal))
            && (Search is null || line.Sku.Contains(Search, StringComparison.OrdinalIgnoreCase))
            && (!LossesOnly || line.ContributionMargin < 0)
            && (!CostsMissingOnly || line.CogsMissingLines > 0);
    }
}

/// <summary>Ad spend and period fees of the marketplaces shown: not split by SKU (metrics.md 4.4), shown once below the table.</summary>
/// <param name="ContributionMargin">The contribution margin of every SKU of those marketplaces (not only of the rows a search leaves).</param>
/// <param name="AdSpend">Ad spend dated in the period.</param>
/// <param name="PeriodFees">Period fees dated in the period.</param>
public sealed record SkuUnsplitCosts(decimal ContributionMargin, decimal AdSpend, decimal PeriodFees)
{
    /// <summary>The marketplaces' profit: the SKUs' margin less what no SKU carries (4.2's profit).</summary>
    public decimal Profit => ContributionMargin - AdSpend - PeriodFees;
}

/// <summary>
/// The SKUs page: every (marketplace, SKU) row of the period, worst first by the money it loses (most negative
/// contribution margin first), the rows a <see cref="SkuFilter"/> leaves, and the costs no SKU carries.
/// </summary>
public sealed record SkuTable(IReadOnlyList<SkuLine> Lines, IReadOnlyList<string> Marketplaces, IReadOnlyList<MarketplaceRow> MarketplaceRows)
{
    public bool IsEmpty => Lines.Count == 0;

    /// <summary>Lines in their default order: contribution margin ascending (the biggest loss first), then return loss, then marketplace and SKU.</summary>
    public static IOrderedEnumerable<SkuLine> WorstFirst(IEnumerable<SkuLine> lines) => lines
        .OrderBy(l => l.ContributionMargin)
        .ThenByDescending(l => l.ReturnLoss)
        .ThenBy(l => l.Marketplace, StringComparer.Ordinal)
        .ThenBy(l => l.Sku, StringComparer.Ordinal);

    public static SkuTable From(FactReports reports, Func<string, string> marketplaceName)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(marketplaceName);
        var lines = WorstFirst(reports.Skus().Select(r => SkuLine.Of(r, marketplaceName(r.Marketplace)))).ToList();
        var marketplaceRows = reports.Marketplaces();
        var marketplaces = lines.Select(l => l.Marketplace)
            .Concat(marketplaceRows.Select(m => m.Marketplace))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new SkuTable(lines, marketplaces, marketplaceRows);
    }

    public IReadOnlyList<SkuLine> Showing(SkuFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return [.. Lines.Where(filter.Matches)];
    }

    /// <summary>Ad spend, period fees and margin of one marketplace, or of all (exact sums, rounded once).</summary>
    public SkuUnsplitCosts Unsplit(string? marketplace)
    {
        var rows = MarketplaceRows.Where(m => marketplace is null || string.Equals(m.Marketplace, marketplace, StringComparison.Ordinal)).ToList();
        return new SkuUnsplitCosts(
            Rounding.Money(rows.Sum(m => m.ContributionMargin)),
            Rounding.Money(rows.Sum(m => m.AdSpend)),
            Rounding.Money(rows.Sum(m => m.PeriodFees)));
    }
}
