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

        var result = new List<CustomerOrder>();
        foreach (var customer in orders.GroupBy(o => (o.Marketplace, Key: LedgerNames.CustomerKey(o.CustomerId, o.OrderId))))
        {
            var sequence = OrderSequence.Sorted(customer, o => o.OrderedAt, o => o.OrderId).ToList();
            var first = sequence[0];
            var acquisitionChannel = attribution.EffectiveChannel(first);
            var acquisitionAttributed = attribution.IsAttributed(first.Marketplace, first.OrderId);
            (int Year, int Month)? lastMonth = null;
            foreach (var order in sequence)
            {
                var month = (order.LocalDate.Year, order.LocalDate.Month);
                result.Add(new CustomerOrder(
                    order.Marketplace,
                    order.OrderId,
                    order.LocalDate,
                    customer.Key.Key,
                    first.CustomerId is not null,
                    attribution.EffectiveChannel(order),
                    attribution.IsAttributed(order.Marketplace, order.OrderId),
                    ReferenceEquals(order, first),
                    first.LocalDate,
                    acquisitionChannel,
                    acquisitionAttributed,
                    month != lastMonth));
                lastMonth = month;
            }
        }

        return result;
    }
}
