using SellerDesk.Web.Features.Overview;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Comparisons;

/// <summary>
/// The figures each page compares, as functions of the report: the page's own figures (the overview's totals, the
/// sums of the channel and SKU rows), evaluated on the report of each compared period (decision 0029).
/// </summary>
public static class ComparedKpis
{
    /// <summary>The overview's cards, by their test ids; <paramref name="hidden"/> as the overview leaves them out.</summary>
    public static IReadOnlyList<ComparedKpi> Overview(IReadOnlySet<string>? hidden) =>
    [
        new("revenue", ChangeFormat.Money, true, r => Totals(r, hidden).Revenue),
        new("margin", ChangeFormat.Money, true, r => Totals(r, hidden).ContributionMargin),
        new("profit", ChangeFormat.Money, true, r => Totals(r, hidden).Profit),
        new("return-loss-share", ChangeFormat.Share, false, r => Totals(r, hidden).ReturnLossShare),
        new("blended-cac", ChangeFormat.Money, false, r => Totals(r, hidden).BlendedCac),
        new("concentration", ChangeFormat.Share, false, r => OverviewSummary.From(r, hidden).Concentration.TopShare),
    ];

    /// <summary>One marketplace's row of 4.2 (the overview's marketplace table).</summary>
    public static IReadOnlyList<ComparedKpi> Marketplace(string marketplace) =>
    [
        new("revenue", ChangeFormat.Money, true, r => Row(r, marketplace)?.Revenue),
        new("contribution_margin", ChangeFormat.Money, true, r => Row(r, marketplace)?.ContributionMargin),
        new("profit", ChangeFormat.Money, true, r => Row(r, marketplace)?.Profit),
        new("new_customers", ChangeFormat.Count, true, r => Row(r, marketplace)?.NewCustomers),
    ];

    /// <summary>The channels page: the sums of its rows (4.1 and 4.6), of one marketplace or all.</summary>
    public static IReadOnlyList<ComparedKpi> Channels() =>
    [
        new("new_customers", ChangeFormat.Count, true, r => r.Channels().Sum(c => c.NewCustomers)),
        new("spend", ChangeFormat.Money, null, r => r.Channels().Sum(c => c.Spend)),
        new("revenue", ChangeFormat.Money, true, r => r.ChannelRevenue().Sum(c => c.Revenue)),
        new("drr", ChangeFormat.Share, false, r => Rounding.Divide(r.Channels().Sum(c => c.Spend), r.ChannelRevenue().Sum(c => c.Revenue))),
        new("cac", ChangeFormat.Money, false, r => Rounding.Divide(r.Channels().Sum(c => c.Spend), r.Channels().Sum(c => c.NewCustomers))),
        new("first_order_margin", ChangeFormat.Money, true, r => Mean(r, c => c.FirstOrderMargin)),
        new("ltv_to_date", ChangeFormat.Money, true, r => Mean(r, c => c.LtvToDate)),
    ];

    /// <summary>The SKUs page: the sums of its rows (4.4), of one marketplace or all.</summary>
    public static IReadOnlyList<ComparedKpi> Skus(string? marketplace) =>
    [
        new("units", ChangeFormat.Count, true, r => Skus(r, marketplace).Sum(s => s.Units)),
        new("revenue", ChangeFormat.Money, true, r => Skus(r, marketplace).Sum(s => s.Revenue)),
        new("contribution_margin", ChangeFormat.Money, true, r => Skus(r, marketplace).Sum(s => s.ContributionMargin)),
        new("cm_ratio", ChangeFormat.Share, true, r => Rounding.Divide(Skus(r, marketplace).Sum(s => s.ContributionMargin), Skus(r, marketplace).Sum(s => s.NetRevenue))),
        new("return_loss_share", ChangeFormat.Share, false, r => Rounding.Divide(Skus(r, marketplace).Sum(s => s.ReturnLoss), Skus(r, marketplace).Sum(s => s.Revenue))),
    ];

    private static OverviewTotals Totals(FactReports reports, IReadOnlySet<string>? hidden) => OverviewSummary.From(reports, hidden).Totals;

    private static MarketplaceRow? Row(FactReports reports, string marketplace) => reports.Marketplaces().FirstOrDefault(m => m.Marketplace == marketplace);

    private static IEnumerable<SkuRow> Skus(FactReports reports, string? marketplace) =>
        reports.Skus().Where(s => marketplace is null || s.Marketplace == marketplace);

    /// <summary>A per-customer figure of 4.1 over all the new customers of the period: the rows' means weighted by their customers.</summary>
    private static decimal? Mean(FactReports reports, Func<ChannelRow, decimal?> perCustomer)
    {
        var rows = reports.Channels().Where(c => c.NewCustomers > 0).ToList();
        return Rounding.Divide(rows.Sum(c => (perCustomer(c) ?? 0m) * c.NewCustomers), rows.Sum(c => c.NewCustomers));
    }
}
