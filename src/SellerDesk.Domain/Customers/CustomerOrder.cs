using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Customers;

/// <summary>
/// One order as its customer's history sees it (metrics.md sections 3 and 3.1). Nothing here depends on as_of: a
/// customer's first order is its earliest one, so it is the first as of every date on which the customer exists, and
/// attribution only looks at the order's own day.
/// </summary>
/// <param name="Marketplace">Where the order was placed.</param>
/// <param name="OrderId">The order.</param>
/// <param name="OrderDate">Its local date.</param>
/// <param name="CustomerKey">The customer within the marketplace: the buyer id, or <c>order:</c> + order id.</param>
/// <param name="Identified">Whether the customer has a real buyer id.</param>
/// <param name="Channel">The order's effective channel (3.1).</param>
/// <param name="Attributed">Whether that channel came from an attribution row.</param>
/// <param name="IsFirstOrder">Whether this is the customer's first order.</param>
/// <param name="FirstOrderDate">Local date of the customer's first order (the cohort is its month).</param>
/// <param name="AcquisitionChannel">Effective channel of the customer's first order.</param>
/// <param name="AcquisitionAttributed">Whether the acquisition channel came from attribution.</param>
/// <param name="FirstInMonth">Whether this is the customer's first order in this order's month (retention counts it).</param>
public sealed record CustomerOrder(
    string Marketplace,
    string OrderId,
    DateOnly OrderDate,
    string CustomerKey,
    bool Identified,
    string Channel,
    bool Attributed,
    bool IsFirstOrder,
    DateOnly FirstOrderDate,
    string AcquisitionChannel,
    bool AcquisitionAttributed,
    bool FirstInMonth)
{
    /// <summary>
    /// The customer facts of every order: customers are <c>(marketplace, customer key)</c>, their orders taken in
    /// <see cref="OrderSequence"/>; channels are the effective ones of <paramref name="attribution"/>.
    /// </summary>
    public static IReadOnlyList<CustomerOrder> Build(IEnumerable<LedgerOrder> orders, AttributionResult attribution)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(attribution);
        return Build(orders.Select(o => (o with { Channel = attribution.EffectiveChannel(o) }, attribution.IsAttributed(o.Marketplace, o.OrderId))));
    }

    /// <summary>
    /// The customer facts of orders whose effective channels are already known: each order's
    /// <see cref="LedgerOrder.Channel"/> is its effective channel and <c>Attributed</c> says whether it came from an
    /// attribution row. A store of facts computes a customer's facts again from its stored orders with this.
    /// </summary>
    public static IReadOnlyList<CustomerOrder> Build(IEnumerable<(LedgerOrder Order, bool Attributed)> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);

        var result = new List<CustomerOrder>();
        foreach (var customer in orders.GroupBy(o => (o.Order.Marketplace, Key: LedgerNames.CustomerKey(o.Order.CustomerId, o.Order.OrderId))))
        {
            var sequence = OrderSequence.Sorted(customer, o => o.Order.OrderedAt, o => o.Order.OrderId).ToList();
            var first = sequence[0];
            (int Year, int Month)? lastMonth = null;
            foreach (var (order, attributed) in sequence)
            {
                var month = (order.LocalDate.Year, order.LocalDate.Month);
                result.Add(new CustomerOrder(
                    order.Marketplace,
                    order.OrderId,
                    order.LocalDate,
                    customer.Key.Key,
                    first.Order.CustomerId is not null,
                    order.Channel,
                    attributed,
                    ReferenceEquals(order, first.Order),
                    first.Order.LocalDate,
                    first.Order.Channel,
                    first.Attributed,
                    month != lastMonth));
                lastMonth = month;
            }
        }

        return result;
    }
}
