using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Cohorts;

/// <summary>
/// One line of "LTV by first SKU" or "LTV by acquisition channel": the new customers of the period on one marketplace
/// grouped by the SKU that led their first order or by their acquisition channel, with per-customer means over all
/// of them (exact; round on screen). <see cref="Cohorts"/> are the SKU's cohort months (none for channels).
/// </summary>
public sealed record LtvLine(string Code, int Customers, decimal FirstOrderMargin, decimal LtvToDate, IReadOnlyList<LtvLine> Cohorts);

/// <summary>
/// LTV by first SKU beside LTV by acquisition channel for one marketplace (decision 0029): both split the same new
/// customers, so both tables' totals are the marketplace's cohorts of the period (4.3) and its channels (4.1).
/// </summary>
public sealed record FirstSkuLtv(IReadOnlyList<LtvLine> BySku, IReadOnlyList<LtvLine> ByChannel, LtvLine? Total)
{
    /// <summary>The lines, the most customers first; the SKU lines with their cohort months in order.</summary>
    public static FirstSkuLtv From(IReadOnlyList<FirstSkuCohortRow> skuCohorts, IEnumerable<ChannelRow> channels)
    {
        ArgumentNullException.ThrowIfNull(skuCohorts);
        ArgumentNullException.ThrowIfNull(channels);
        var bySku = skuCohorts
            .GroupBy(r => r.Sku, StringComparer.Ordinal)
            .Select(g => Mean(g.Key, g.Select(r => (r.Customers, r.FirstOrderMargin, r.LtvToDate)).ToList(),
                [.. g.OrderBy(r => r.Cohort).Select(r => Mean(r.Cohort.ToString(), [(r.Customers, r.FirstOrderMargin, r.LtvToDate)], []))]))
            .OrderByDescending(l => l.Customers)
            .ThenBy(l => l.Code, StringComparer.Ordinal)
            .ToList();
        var byChannel = channels
            .Where(c => c.NewCustomers > 0)
            .Select(c => Mean(c.Channel, [(c.NewCustomers, c.FirstOrderMargin ?? 0m, c.LtvToDate ?? 0m)], []))
            .OrderByDescending(l => l.Customers)
            .ThenBy(l => l.Code, StringComparer.Ordinal)
            .ToList();
        var total = bySku.Count == 0 ? null : Mean(string.Empty, [.. bySku.Select(l => (l.Customers, l.FirstOrderMargin, l.LtvToDate))], []);
        return new FirstSkuLtv(bySku, byChannel, total);
    }

    /// <summary>The means of groups of customers together, weighted by how many they are.</summary>
    private static LtvLine Mean(string code, IReadOnlyList<(int Customers, decimal FirstOrderMargin, decimal Ltv)> parts, IReadOnlyList<LtvLine> cohorts)
    {
        decimal n = parts.Sum(p => p.Customers);
        return new LtvLine(
            code,
            (int)n,
            parts.Sum(p => p.FirstOrderMargin * p.Customers) / n,
            parts.Sum(p => p.Ltv * p.Customers) / n,
            cohorts);
    }
}
