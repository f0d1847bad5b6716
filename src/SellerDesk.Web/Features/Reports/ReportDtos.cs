using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Reports;

/// <summary>Wire shapes of the reports (names as in examples/tiny/expected.json under snake_case); values rounded for output.</summary>
public sealed record ChannelDto(
    string Marketplace,
    string Channel,
    int NewCustomers,
    int IdentifiedCustomers,
    decimal Spend,
    decimal? Cac,
    decimal? FirstOrderMargin,
    decimal? FirstOrderProfit,
    decimal? LtvToDate,
    decimal? LtvCac,
    ChannelVerdict Verdict)
{
    public static ChannelDto From(ChannelRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Rounded();
        return new(r.Marketplace, r.Channel, r.NewCustomers, r.IdentifiedCustomers, r.Spend, r.Cac, r.FirstOrderMargin,
            r.FirstOrderProfit, r.LtvToDate, r.LtvCac, r.Verdict);
    }
}

public sealed record MarketplaceDto(
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
    int CogsMissingLines)
{
    public static MarketplaceDto From(MarketplaceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Rounded();
        return new(r.Marketplace, r.Revenue, r.NetRevenue, r.ContributionMargin, r.PeriodFees, r.AdSpend, r.Profit,
            r.ReturnLoss, r.ReturnLossShare, r.ReturnRate, r.NewCustomers, r.BlendedCac, r.IdentifiedShare, r.CmShare,
            r.CogsMissingLines);
    }
}

public sealed record CohortDto(
    string Marketplace,
    string Cohort,
    int Customers,
    decimal Spend,
    decimal Cac,
    IReadOnlyList<decimal> Ltv,
    IReadOnlyList<decimal> RevenueLtv,
    IReadOnlyList<decimal> Retention,
    int? PaybackMonth)
{
    public static CohortDto From(CohortRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Rounded();
        return new(r.Marketplace, r.Cohort.ToString(), r.Customers, r.Spend, r.Cac, r.Ltv, r.RevenueLtv, r.Retention, r.PaybackMonth);
    }
}
