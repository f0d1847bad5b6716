using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Reports;

/// <summary>
/// What the reports read: orders up to as_of summed by marketplace, order date, and their customer's first-order
/// date and acquisition channel. Every report of metrics.md section 4 is a sum over these rows, so a year of a large
/// ledger is a few thousand of them (docs/decisions/0004-report-computation.md).
/// </summary>
/// <param name="Marketplace">Where the orders were placed.</param>
/// <param name="OrderDate">The orders' local date.</param>
/// <param name="FirstOrderDate">Local date of the first order of the orders' customers (their cohort day).</param>
/// <param name="AcquisitionChannel">Channel of that first order.</param>
/// <param name="Revenue">Gross revenue of the orders.</param>
/// <param name="NetRevenue">Revenue minus refunds.</param>
/// <param name="ContributionMargin">Sum of the orders' contribution margin.</param>
/// <param name="ReturnLoss">Sum of the orders' return loss.</param>
/// <param name="Quantity">Units sold.</param>
/// <param name="ReturnedUnits">Units returned up to as_of.</param>
/// <param name="CogsMissingLines">Lines without a known unit cost.</param>
/// <param name="NewCustomers">Orders here that are their customer's first order.</param>
/// <param name="NewIdentifiedCustomers">Of those, customers with a real buyer id.</param>
/// <param name="FirstOrderMargin">Contribution margin of those first orders.</param>
/// <param name="ActiveCustomers">Orders here that are their customer's first order in the order month.</param>
public sealed record OrderDay(
    string Marketplace,
    DateOnly OrderDate,
    DateOnly FirstOrderDate,
    string AcquisitionChannel,
    decimal Revenue,
    decimal NetRevenue,
    decimal ContributionMargin,
    decimal ReturnLoss,
    int Quantity,
    int ReturnedUnits,
    int CogsMissingLines,
    int NewCustomers,
    int NewIdentifiedCustomers,
    decimal FirstOrderMargin,
    int ActiveCustomers)
{
    /// <summary>Builds the rows from order facts with the customer rules of metrics.md section 3.</summary>
    public static IReadOnlyList<OrderDay> FromOrders(IEnumerable<OrderFact> orders, DateOnly asOf)
    {
        var rows = new Dictionary<(string, DateOnly, DateOnly, string), OrderDay>();
        foreach (var customer in Customer.FromOrders(orders, asOf))
        {
            var first = customer.FirstOrder;
            var firstDate = first.LocalDate;
            YearMonth? lastMonth = null;
            foreach (var order in customer.Orders)
            {
                var month = YearMonth.Of(order.LocalDate);
                var isFirst = ReferenceEquals(order, first);
                var key = (customer.Marketplace, order.LocalDate, firstDate, customer.AcquisitionChannel);
                var row = rows.GetValueOrDefault(key)
                    ?? new OrderDay(customer.Marketplace, order.LocalDate, firstDate, customer.AcquisitionChannel, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                rows[key] = row with
                {
                    Revenue = row.Revenue + order.Revenue,
                    NetRevenue = row.NetRevenue + order.NetRevenue,
                    ContributionMargin = row.ContributionMargin + order.ContributionMargin,
                    ReturnLoss = row.ReturnLoss + order.ReturnLoss,
                    Quantity = row.Quantity + order.Quantity,
                    ReturnedUnits = row.ReturnedUnits + order.ReturnedUnits,
                    CogsMissingLines = row.CogsMissingLines + order.CogsMissingLines,
                    NewCustomers = row.NewCustomers + (isFirst ? 1 : 0),
                    NewIdentifiedCustomers = row.NewIdentifiedCustomers + (isFirst && customer.Identified ? 1 : 0),
                    FirstOrderMargin = row.FirstOrderMargin + (isFirst ? order.ContributionMargin : 0),
                    ActiveCustomers = row.ActiveCustomers + (month != lastMonth ? 1 : 0),
                };
                lastMonth = month;
            }
        }

        return rows.Values.ToList();
    }
}
