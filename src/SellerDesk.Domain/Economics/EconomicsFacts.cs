using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Economics;

/// <summary>
/// Everything the reports sum, computed once from the ledger and independent of as_of (metrics.md sections 2, 3 and
/// 3.1): each line's sale and dated return effects, each order's customer facts and effective channel, and each
/// attribution row's claim. A report as of a date sums the lines of orders dated up to it, with the return effects
/// dated up to it (<see cref="Reports.ReportSums"/>).
/// </summary>
public sealed record EconomicsFacts(
    IReadOnlyList<LineFact> Lines,
    IReadOnlyList<CustomerOrder> Orders,
    IReadOnlyList<AttributionClaim> Claims)
{
    public static EconomicsFacts Build(
        IEnumerable<SaleLine> sales,
        IEnumerable<ReturnEvent> returns,
        IEnumerable<UnitCost> costs,
        IEnumerable<AttributionRow> attribution,
        TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(sales);
        var lines = sales.ToList();
        var orders = LedgerOrder.FromLines(lines, zone);
        var attributed = ChannelAttribution.Attribute(orders, attribution, DateOnly.MaxValue);
        return new EconomicsFacts(
            LineFact.Build(lines, returns, costs, zone),
            CustomerOrder.Build(orders, attributed),
            attributed.Claims);
    }
}
