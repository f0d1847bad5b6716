using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Scenarios;

/// <summary>
/// One adjustment of a what-if scenario (metrics.md section 6). Absent fields change nothing. <see cref="Marketplace"/>
/// limits the adjustment to one marketplace (all when null); <see cref="Channel"/> limits only
/// <see cref="AdSpendPct"/>: the other fields still apply to every line of the marketplace.
/// </summary>
/// <param name="Marketplace">The marketplace it applies to; null for all.</param>
/// <param name="Channel">The channel whose ad spend <see cref="AdSpendPct"/> changes; null for all.</param>
/// <param name="PricePct">p: revenue, refund, commission, commission refund and acquiring times (1 + p/100).</param>
/// <param name="CommissionPp">c: commission += revenue * c/100, commission refund += refund * c/100.</param>
/// <param name="LogisticsPct">l: logistics and return logistics times (1 + l/100).</param>
/// <param name="ReturnsScale">f (0 to 1): every return's units, refund, commission refund and return logistics times f.</param>
/// <param name="AdSpendPct">a: matching ad spend rows times (1 + a/100).</param>
public sealed record ScenarioAdjustment(
    string? Marketplace = null,
    string? Channel = null,
    decimal? PricePct = null,
    decimal? CommissionPp = null,
    decimal? LogisticsPct = null,
    decimal? ReturnsScale = null,
    decimal? AdSpendPct = null)
{
    /// <summary>Whether the adjustment's line fields apply to lines of <paramref name="marketplace"/>.</summary>
    public bool AppliesTo(string marketplace) => Marketplace is null || Marketplace == marketplace;

    /// <summary>
    /// The adjustment on the economics of lines of a matching marketplace, one line or any sum of them: a linear map
    /// of the components, fields in the table's order (price, commission, logistics, returns). Unit costs stay.
    /// </summary>
    public LineEconomics Adjust(LineEconomics lines)
    {
        if (PricePct is { } p)
        {
            var k = 1 + (p / 100m);
            lines = lines with
            {
                Revenue = lines.Revenue * k,
                Refund = lines.Refund * k,
                Commission = lines.Commission * k,
                CommissionRefund = lines.CommissionRefund * k,
                Acquiring = lines.Acquiring * k,
                ReturnedShareOfRevenue = lines.ReturnedShareOfRevenue * k,
                ReturnedShareOfCommission = lines.ReturnedShareOfCommission * k,
                ReturnedShareOfAcquiring = lines.ReturnedShareOfAcquiring * k,
            };
        }

        if (CommissionPp is { } c)
        {
            lines = lines with
            {
                Commission = lines.Commission + (lines.Revenue * c / 100m),
                CommissionRefund = lines.CommissionRefund + (lines.Refund * c / 100m),
                ReturnedShareOfCommission = lines.ReturnedShareOfCommission + (lines.ReturnedShareOfRevenue * c / 100m),
            };
        }

        if (LogisticsPct is { } l)
        {
            var k = 1 + (l / 100m);
            lines = lines with
            {
                Logistics = lines.Logistics * k,
                ReturnLogistics = lines.ReturnLogistics * k,
                ReturnedShareOfLogistics = lines.ReturnedShareOfLogistics * k,
            };
        }

        if (ReturnsScale is { } f)
        {
            lines = lines with
            {
                ReturnedUnits = lines.ReturnedUnits * f,
                NonrestockUnits = lines.NonrestockUnits * f,
                Refund = lines.Refund * f,
                CommissionRefund = lines.CommissionRefund * f,
                ReturnLogistics = lines.ReturnLogistics * f,
                ReturnedCogs = lines.ReturnedCogs * f,
                NonrestockCogs = lines.NonrestockCogs * f,
                ReturnedShareOfRevenue = lines.ReturnedShareOfRevenue * f,
                ReturnedShareOfCommission = lines.ReturnedShareOfCommission * f,
                ReturnedShareOfLogistics = lines.ReturnedShareOfLogistics * f,
                ReturnedShareOfAcquiring = lines.ReturnedShareOfAcquiring * f,
                ReturnedShareOfOtherFees = lines.ReturnedShareOfOtherFees * f,
            };
        }

        return lines;
    }

    /// <summary>The adjustment on one ad spend row: scaled when it has <see cref="AdSpendPct"/> and matches the row.</summary>
    public AdSpend Adjust(AdSpend spend)
    {
        ArgumentNullException.ThrowIfNull(spend);
        return AdSpendPct is { } a && AppliesTo(spend.Marketplace) && (Channel is null || Channel == spend.Channel)
            ? spend with { Amount = spend.Amount * (1 + (a / 100m)) }
            : spend;
    }
}
