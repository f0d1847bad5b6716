using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Economics;

namespace SellerDesk.Domain.Reports;

/// <summary>A customer of one marketplace with its orders up to as_of, earliest first.</summary>
public sealed class Customer
{
    internal Customer(string marketplace, string key, IReadOnlyList<OrderFact> orders)
    {
        Marketplace = marketplace;
        Key = key;
        Orders = orders;
    }

    public string Marketplace { get; }

    public string Key { get; }

    /// <summary>All orders up to as_of, earliest first.</summary>
    public IReadOnlyList<OrderFact> Orders { get; }

    /// <summary>Earliest by ordered_at, ties broken by the smaller order id (ordinal).</summary>
    public OrderFact FirstOrder => Orders[0];

    public bool Identified => FirstOrder.Identified;

    /// <summary>The channel of the first order.</summary>
    public string AcquisitionChannel => FirstOrder.Channel;

    public YearMonth Cohort => YearMonth.Of(FirstOrder.LocalDate);

    /// <summary>Sum of the contribution margin of every order up to as_of.</summary>
    public decimal MarginToDate => Orders.Sum(o => o.ContributionMargin);

    /// <summary>
    /// Groups orders into customers by <c>(marketplace, customer key)</c>; orders dated after as_of are left out.
    /// </summary>
    public static IReadOnlyList<Customer> FromOrders(IEnumerable<OrderFact> orders, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(orders);
        return orders
            .Where(o => o.LocalDate <= asOf)
            .GroupBy(o => (o.Marketplace, o.CustomerKey))
            .Select(g => new Customer(
                g.Key.Marketplace,
                g.Key.CustomerKey,
                OrderSequence.Sorted(g, o => o.OrderedAt, o => o.OrderId).ToList()))
            .ToList();
    }
}
