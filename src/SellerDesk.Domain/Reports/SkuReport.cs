namespace SellerDesk.Domain.Reports;

/// <summary>One (marketplace, SKU) row of metrics.md 4.4.</summary>
public sealed record SkuRow(
    string Marketplace,
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
    public SkuRow Rounded() => this with
    {
        Revenue = Rounding.Money(Revenue),
        NetRevenue = Rounding.Money(NetRevenue),
        Fees = Rounding.Money(Fees),
        NetCogs = Rounding.Money(NetCogs),
        ContributionMargin = Rounding.Money(ContributionMargin),
        ReturnLoss = Rounding.Money(ReturnLoss),
        ReturnLossShare = Rounding.Ratio(ReturnLossShare),
        ReturnRate = Rounding.Ratio(ReturnRate),
        CmPerUnit = Rounding.Money(CmPerUnit),
        CmRatio = Rounding.Ratio(CmRatio),
    };
}

/// <summary>
/// Profit per SKU (metrics.md 4.4): section 2 summed over the lines ordered in range. Ad spend and period fees have no
/// honest key to a SKU and are not split here.
/// </summary>
public static class SkuReport
{
    /// <param name="skus">The lines ordered in range, with returns up to as_of, per (marketplace, SKU).</param>
    public static IReadOnlyList<SkuRow> Compute(IEnumerable<SkuLines> skus)
    {
        ArgumentNullException.ThrowIfNull(skus);
        return skus
            .GroupBy(s => (s.Marketplace, s.Sku))
            .OrderBy(g => g.Key.Marketplace, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Sku, StringComparer.Ordinal)
            .Select(g =>
            {
                var lines = Economics.LineEconomics.Sum(g.Select(s => s.Lines));
                var margin = lines.ContributionMargin;
                return new SkuRow(
                    g.Key.Marketplace,
                    g.Key.Sku,
                    lines.Units,
                    lines.ReturnedUnits,
                    lines.Revenue,
                    lines.NetRevenue,
                    lines.Fees,
                    lines.NetCogs,
                    margin,
                    lines.ReturnLoss,
                    Rounding.Divide(lines.ReturnLoss, lines.Revenue),
                    Rounding.Divide(lines.ReturnedUnits, lines.Units),
                    Rounding.Divide(margin, lines.Units - lines.ReturnedUnits),
                    Rounding.Divide(margin, lines.NetRevenue),
                    lines.CogsMissingLines);
            })
            .ToList();
    }
}
