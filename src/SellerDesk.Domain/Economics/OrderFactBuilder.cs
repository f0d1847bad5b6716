using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Economics;

/// <summary>
/// Turns ledger records into order facts as of a local date (metrics.md sections 2 and 3): each order's lines
/// (<see cref="LineFact"/>) as of that date, summed. The <see cref="Reports.OrderDay"/> path that Data reads until the
/// engine stores facts (issue 11).
/// </summary>
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
        var lines = sales.ToList();
        var facts = LineFact.Build(lines, returns, costs, zone);

        var orders = new List<OrderFact>();
        foreach (var group in lines.Zip(facts).GroupBy(x => (x.First.Marketplace, x.First.OrderId)))
        {
            var (first, firstFact) = group.First();
            if (firstFact.OrderDate > asOf)
            {
                continue;
            }

            var economics = LineEconomics.Sum(group.Select(x => x.Second.AsOf(asOf)));
            orders.Add(new OrderFact(
                first.Marketplace,
                first.OrderId,
                string.IsNullOrEmpty(first.CustomerId) ? null : first.CustomerId,
                LedgerNames.ChannelOrOrganic(first.Channel),
                first.OrderedAt,
                firstFact.OrderDate,
                economics.Revenue,
                economics.NetRevenue,
                economics.ContributionMargin,
                economics.ReturnLoss,
                economics.Units,
                (int)economics.ReturnedUnits,
                economics.CogsMissingLines));
        }

        return orders;
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => LocalDates.Of(instant, zone);
}
