using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Tests.Economics;

/// <summary>
/// metrics.md section 2 written the plain way, per order as of a date, as a reference for the vector form: returns
/// summed up to as_of, <c>s = R / q</c>, each formula as the page states it.
/// </summary>
internal static class SectionTwoReference
{
    public sealed record OrderFigures(decimal Revenue, decimal NetRevenue, decimal ContributionMargin, decimal ReturnLoss, int Units, int ReturnedUnits, int CogsMissingLines);

    public static Dictionary<(string Marketplace, string OrderId), OrderFigures> Orders(RandomLedger ledger, DateOnly asOf)
    {
        var orders = new Dictionary<(string, string), OrderFigures>();
        foreach (var line in ledger.Sales)
        {
            var date = LocalDates.Of(line.OrderedAt, RandomLedger.Moscow);
            if (date > asOf)
            {
                continue;
            }

            decimal? unitCost = ledger.Costs.Where(c => c.Sku == line.Sku && c.ValidFrom <= date).OrderBy(c => c.ValidFrom).LastOrDefault()?.Cost;
            var cost = unitCost ?? 0m;
            var returns = ledger.Returns
                .Where(r => r.Marketplace == line.Marketplace && r.OrderId == line.OrderId && r.LineId == line.LineId
                            && LocalDates.Of(r.ReturnedAt, RandomLedger.Moscow) <= asOf)
                .ToList();
            var units = returns.Sum(r => r.Quantity);
            var refund = returns.Sum(r => r.Refund);
            var commissionRefund = returns.Sum(r => r.CommissionRefund);
            var returnLogistics = returns.Sum(r => r.ReturnLogistics);
            var nonrestock = returns.Where(r => !r.Restockable).Sum(r => r.Quantity);
            var s = (decimal)units / line.Quantity;

            var netRevenue = line.Revenue - refund;
            var fees = line.Commission - commissionRefund + line.Logistics + returnLogistics + line.Acquiring + line.OtherFees;
            var netCogs = cost * (line.Quantity - units + nonrestock);
            var margin = netRevenue - fees - netCogs;
            var returnLoss = units == 0
                ? 0m
                : (s * (line.Commission + line.Logistics + line.Acquiring + line.OtherFees)) - commissionRefund + returnLogistics + (cost * nonrestock);

            var key = (line.Marketplace, line.OrderId);
            var sum = orders.GetValueOrDefault(key) ?? new OrderFigures(0, 0, 0, 0, 0, 0, 0);
            orders[key] = new OrderFigures(
                sum.Revenue + line.Revenue,
                sum.NetRevenue + netRevenue,
                sum.ContributionMargin + margin,
                sum.ReturnLoss + returnLoss,
                sum.Units + line.Quantity,
                sum.ReturnedUnits + units,
                sum.CogsMissingLines + (unitCost is null ? 1 : 0));
        }

        return orders;
    }
}
