using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Reports;

/// <summary>One marketplace row of metrics.md 4.2.</summary>
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
    int Quantity,
    int ReturnedUnits)
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

/// <summary>Revenue, margin, return loss and profit per marketplace.</summary>
public static class MarketplaceReport
{
    public static IReadOnlyList<MarketplaceRow> Compute(
        ReportPeriod period,
        IReadOnlyList<OrderDay> days,
        IEnumerable<AdSpend> spend,
        IEnumerable<PeriodFee> fees)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(fees);

        var orders = days
            .Where(o => period.InRange(o.OrderDate))
            .GroupBy(o => o.Marketplace)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var spendBy = SumInRange(spend.Select(s => (s.Date, s.Marketplace, s.Amount)), period);
        var feesBy = SumInRange(fees.Select(f => (f.Date, f.Marketplace, f.Amount)), period);
        var newBy = days
            .Where(d => period.InRange(d.FirstOrderDate))
            .GroupBy(d => d.Marketplace)
            .ToDictionary(g => g.Key, g => (All: g.Sum(d => d.NewCustomers), Identified: g.Sum(d => d.NewIdentifiedCustomers)), StringComparer.Ordinal);

        var totalMargin = orders.Values.Sum(list => list.Sum(o => o.ContributionMargin));

        return orders.Keys
            .Union(spendBy.Keys)
            .Union(feesBy.Keys)
            .Order(StringComparer.Ordinal)
            .Select(marketplace =>
            {
                var lines = orders.GetValueOrDefault(marketplace) ?? [];
                var revenue = lines.Sum(o => o.Revenue);
                var margin = lines.Sum(o => o.ContributionMargin);
                var returnLoss = lines.Sum(o => o.ReturnLoss);
                var quantity = lines.Sum(o => o.Quantity);
                var returned = lines.Sum(o => o.ReturnedUnits);
                var adSpend = spendBy.GetValueOrDefault(marketplace);
                var periodFees = feesBy.GetValueOrDefault(marketplace);
                var (newCustomers, identified) = newBy.GetValueOrDefault(marketplace);
                return new MarketplaceRow(
                    marketplace,
                    revenue,
                    lines.Sum(o => o.NetRevenue),
                    margin,
                    periodFees,
                    adSpend,
                    margin - periodFees - adSpend,
                    returnLoss,
                    Rounding.Divide(returnLoss, revenue),
                    Rounding.Divide(returned, quantity),
                    newCustomers,
                    Rounding.Divide(adSpend, newCustomers),
                    Rounding.Divide(identified, newCustomers),
                    totalMargin > 0 ? margin / totalMargin : null,
                    lines.Sum(o => o.CogsMissingLines),
                    quantity,
                    returned);
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
