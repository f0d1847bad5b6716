using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Reports;

/// <summary>Wire shapes of the reports (names as in examples/tiny/expected.json under snake_case); values rounded for output.</summary>
public sealed record ChannelDto(
    string Marketplace,
    string Channel,
    int NewCustomers,
    int IdentifiedCustomers,
    int AttributedCustomers,
    decimal Spend,
    decimal? Cac,
    decimal? FirstOrderMargin,
    decimal? FirstOrderProfit,
    decimal? LtvToDate,
    decimal? LtvCac,
    ChannelVerdict Verdict,
    decimal Revenue,
    decimal? Drr,
    decimal? Roas)
{
    /// <summary>A 4.1 row with the fields 4.6 adds (its <see cref="ChannelRevenueRow"/>, of the same marketplace and channel).</summary>
    public static ChannelDto From(ChannelRow row, ChannelRevenueRow revenue)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(revenue);
        if ((row.Marketplace, row.Channel) != (revenue.Marketplace, revenue.Channel))
        {
            throw new ArgumentException($"Channel revenue of {revenue.Marketplace}/{revenue.Channel} given for {row.Marketplace}/{row.Channel}.", nameof(revenue));
        }

        var r = row.Rounded();
        var x = revenue.Rounded();
        return new(r.Marketplace, r.Channel, r.NewCustomers, r.IdentifiedCustomers, r.AttributedCustomers, r.Spend, r.Cac, r.FirstOrderMargin,
            r.FirstOrderProfit, r.LtvToDate, r.LtvCac, r.Verdict, x.Revenue, x.Drr, x.Roas);
    }

    /// <summary>Every channel row of the reports, with its 4.6 fields.</summary>
    public static IEnumerable<ChannelDto> All(FactReports reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return reports.Channels().Zip(reports.ChannelRevenue(), From);
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
    int CogsMissingLines,
    int AttributionUnmatched)
{
    public static MarketplaceDto From(MarketplaceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Rounded();
        return new(r.Marketplace, r.Revenue, r.NetRevenue, r.ContributionMargin, r.PeriodFees, r.AdSpend, r.Profit,
            r.ReturnLoss, r.ReturnLossShare, r.ReturnRate, r.NewCustomers, r.BlendedCac, r.IdentifiedShare, r.CmShare,
            r.CogsMissingLines, r.AttributionUnmatched);
    }
}

/// <summary>metrics.md 4.7: the <c>concentration</c> object of the marketplaces response.</summary>
public sealed record ConcentrationDto(decimal? Hhi, decimal? TopShare, string? TopMarketplace)
{
    public static ConcentrationDto From(PlatformConcentration concentration)
    {
        ArgumentNullException.ThrowIfNull(concentration);
        var r = concentration.Rounded();
        return new(r.Hhi, r.TopShare, r.TopMarketplace);
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
