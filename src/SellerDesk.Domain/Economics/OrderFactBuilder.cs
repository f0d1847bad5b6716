using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Economics;

/// <summary>Turns ledger records into order facts as of a local date (metrics.md sections 2 and 3).</summary>
public static class OrderFactBuilder
{
    public static IReadOnlyList<OrderFact> Build(
        IEnumerable<SaleLine> sales,
        IEnumerable<ReturnEvent> returns,
        IEnumerable<UnitCost> costs,
        TimeZoneInfo zone,
        DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(sales);
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(zone);

        var costBook = new UnitCostBook(costs);
        var returnsByLine = new Dictionary<(string, string, string), LineReturns>();
        foreach (var r in returns)
        {
            if (LocalDate(r.ReturnedAt, zone) > asOf)
            {
                continue;
            }

            var key = (r.Marketplace, r.OrderId, r.LineId);
            returnsByLine[key] = returnsByLine.GetValueOrDefault(key)
                .Add(r.Quantity, r.Refund, r.CommissionRefund, r.ReturnLogistics, r.Restockable);
        }

        var orders = new List<OrderFact>();
        foreach (var group in sales.GroupBy(s => (s.Marketplace, s.OrderId)))
        {
            var first = group.First();
            var date = LocalDate(first.OrderedAt, zone);
            if (date > asOf)
            {
                continue;
            }

            decimal revenue = 0, netRevenue = 0, margin = 0, returnLoss = 0;
            int quantity = 0, returned = 0, cogsMissing = 0;
            foreach (var line in group)
            {
                var economics = LineEconomics.Compute(
                    line.Quantity,
                    line.Revenue,
                    line.Commission,
                    line.Logistics,
                    line.Acquiring,
                    line.OtherFees,
                    returnsByLine.GetValueOrDefault((line.Marketplace, line.OrderId, line.LineId)),
                    costBook.CostOn(line.Sku, date));
                revenue += economics.Revenue;
                netRevenue += economics.NetRevenue;
                margin += economics.ContributionMargin;
                returnLoss += economics.ReturnLoss;
                quantity += economics.Quantity;
                returned += economics.ReturnedUnits;
                cogsMissing += economics.CogsMissing ? 1 : 0;
            }

            orders.Add(new OrderFact(
                first.Marketplace,
                first.OrderId,
                string.IsNullOrEmpty(first.CustomerId) ? null : first.CustomerId,
                string.IsNullOrEmpty(first.Channel) ? LedgerNames.OrganicChannel : first.Channel,
                first.OrderedAt,
                date,
                revenue,
                netRevenue,
                margin,
                returnLoss,
                quantity,
                returned,
                cogsMissing));
        }

        return orders;
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
