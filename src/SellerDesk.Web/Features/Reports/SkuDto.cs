using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Reports;

/// <summary>Wire shape of a metrics.md 4.4 row (names as in examples/tiny/expected-extended.json under snake_case); values rounded for output.</summary>
public sealed record SkuDto(
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
    public static SkuDto From(SkuRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Rounded();
        return new(r.Marketplace, r.Sku, r.Units, r.ReturnedUnits, r.Revenue, r.NetRevenue, r.Fees, r.NetCogs, r.ContributionMargin,
            r.ReturnLoss, r.ReturnLossShare, r.ReturnRate, r.CmPerUnit, r.CmRatio, r.CogsMissingLines);
    }
}
