using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.ProfitAndLoss;

/// <summary>One row of <c>{ "pnl": [...] }</c> (metrics.md 4.5), snake_case on the wire, money rounded for output.</summary>
public sealed record PnlDto(
    string Month,
    string Marketplace,
    decimal Revenue,
    decimal Refunds,
    decimal Commission,
    decimal Logistics,
    decimal Acquiring,
    decimal OtherFees,
    decimal Cogs,
    decimal ContributionMargin,
    decimal PeriodFees,
    decimal AdSpend,
    decimal Profit)
{
    public static PnlDto From(ProfitAndLossRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Rounded();
        return new(r.Month.ToString(), r.Marketplace, r.Revenue, r.Refunds, r.Commission, r.Logistics, r.Acquiring, r.OtherFees, r.Cogs,
            r.ContributionMargin, r.PeriodFees, r.AdSpend, r.Profit);
    }
}

/// <summary>The answer of GET /api/v1/reports/pnl.</summary>
public sealed record PnlAnswer(IEnumerable<PnlDto> Pnl);
