using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>One marketplace row of metrics.md 4.2 (with 3.1's <c>attribution_unmatched</c>).</summary>
public sealed record MarketplaceRow(
    string Marketplace,
    decimal Revenue,
    decimal NetRevenue,
    decimal ContributionMargin,
    decimal PeriodFees,
    decimal AdSpend,
    decimal Profit,
    decimal ReturnLoss,
    decimal? ReturnLossShare,
    decimal? ReturnRate,
    int NewCustomers,
    decimal? BlendedCac,
    decimal? IdentifiedShare,
    decimal? CmShare,
    int CogsMissingLines,
    int AttributionUnmatched,
    int Quantity,
    decimal ReturnedUnits)
{
    public MarketplaceRow Rounded() => this with
    {
        Revenue = Rounding.Money(Revenue),
        NetRevenue = Rounding.Money(NetRevenue),
        ContributionMargin = Rounding.Money(ContributionMargin),
        PeriodFees = Rounding.Money(PeriodFees),
        AdSpend = Rounding.Money(AdSpend),
        Profit = Rounding.Money(Profit),
        ReturnLoss = Rounding.Money(ReturnLoss),
        ReturnLossShare = Rounding.Ratio(ReturnLossShare),
        ReturnRate = Rounding.Ratio(ReturnRate),
        BlendedCac = Rounding.Money(BlendedCac),
        IdentifiedShare = Rounding.Ratio(IdentifiedShare),
        CmShare = Rounding.Ratio(CmShare),
    };
}

/// <summary>What 4.2 reads of the lines ordered in range on one marketplace (section 2's figures, summed).</summary>
public sealed record MarketplaceLines(
    string Marketplace,
    decimal Revenue,
    decimal NetRevenue,
    decimal ContributionMargin,
    decimal ReturnLoss,
    int Units,
    decimal ReturnedUnits,
    int CogsMissingLines)
{
    public static MarketplaceLines Of(string marketplace, LineEconomics lines) => new(
        marketplace,
        lines.Revenue,
        lines.NetRevenue,
        lines.ContributionMargin,
        lines.ReturnLoss,
        lines.Units,
        lines.ReturnedUnits,
        lines.CogsMissingLines);
}

/// <summary>Revenue, margin, return loss and profit per marketplace (metrics.md 4.2).</summary>
public static class MarketplaceReport
{
    /// <param name="period">from, to and as_of.</param>
    /// <param name="lines">The lines ordered in range, per marketplace.</param>
    /// <param name="customers">Sums of the customers whose first order is in range.</param>
    /// <param name="spend">Ad spend rows; those dated in range count.</param>
    /// <param name="fees">Period fees; those dated in range count.</param>
    /// <param name="attribution">Claims of the attribution rows dated in range, per marketplace.</param>
    public static IReadOnlyList<MarketplaceRow> Compute(
        ReportPeriod period,
        IEnumerable<MarketplaceLines> lines,
        IEnumerable<CustomerMonth> customers,
        IEnumerable<AdSpend> spend,
        IEnumerable<PeriodFee> fees,
        IEnumerable<AttributionCoverage> attribution)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(fees);
        ArgumentNullException.ThrowIfNull(attribution);

        var linesBy = lines.ToDictionary(l => l.Marketplace, StringComparer.Ordinal);
        var spendBy = SumInRange(spend.Select(s => (s.Date, s.Marketplace, s.Amount)), period);
        var feesBy = SumInRange(fees.Select(f => (f.Date, f.Marketplace, f.Amount)), period);
        var newBy = customers
            .GroupBy(c => c.Marketplace)
            .ToDictionary(g => g.Key, g => (All: g.Sum(c => c.NewCustomers), Identified: g.Sum(c => c.IdentifiedCustomers)), StringComparer.Ordinal);
        var unmatchedBy = attribution
            .GroupBy(a => a.Marketplace)
            .ToDictionary(g => g.Key, g => g.Sum(a => a.Unmatched), StringComparer.Ordinal);

        var totalMargin = linesBy.Values.Sum(l => l.ContributionMargin);

        // Attribution rows alone do not make a marketplace row.
        return linesBy.Keys
            .Union(spendBy.Keys)
            .Union(feesBy.Keys)
            .Order(StringComparer.Ordinal)
            .Select(marketplace =>
            {
                var sold = linesBy.GetValueOrDefault(marketplace) ?? new MarketplaceLines(marketplace, 0, 0, 0, 0, 0, 0, 0);
                var adSpend = spendBy.GetValueOrDefault(marketplace);
                var periodFees = feesBy.GetValueOrDefault(marketplace);
                var (newCustomers, identified) = newBy.GetValueOrDefault(marketplace);
                return new MarketplaceRow(
                    marketplace,
                    sold.Revenue,
                    sold.NetRevenue,
                    sold.ContributionMargin,
                    periodFees,
                    adSpend,
                    sold.ContributionMargin - periodFees - adSpend,
                    sold.ReturnLoss,
                    Rounding.Divide(sold.ReturnLoss, sold.Revenue),
                    Rounding.Divide(sold.ReturnedUnits, sold.Units),
                    newCustomers,
                    Rounding.Divide(adSpend, newCustomers),
                    Rounding.Divide(identified, newCustomers),
                    totalMargin > 0 ? sold.ContributionMargin / totalMargin : null,
                    sold.CogsMissingLines,
                    unmatchedBy.GetValueOrDefault(marketplace),
                    sold.Units,
                    sold.ReturnedUnits);
            })
            .ToList();
    }

    private static Dictionary<string, decimal> SumInRange(
        IEnumerable<(DateOnly Date, string Marketplace, decimal Amount)> entries,
        ReportPeriod period) =>
        entries
            .Where(e => period.InRange(e.Date))
            .GroupBy(e => e.Marketplace)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Amount), StringComparer.Ordinal);
}
