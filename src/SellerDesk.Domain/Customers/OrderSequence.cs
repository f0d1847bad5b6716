namespace SellerDesk.Domain.Customers;

/// <summary>
/// The order of orders wherever metrics.md needs one: by <c>ordered_at</c> as an instant, ties broken by the smaller
/// <c>order_id</c> (ordinal). It picks a customer's first order (section 3) and an attribution row's candidates (3.1).
/// </summary>
public static class OrderSequence
{
    /// <summary>Items in sequence, by their instant and order id.</summary>
    public static IOrderedEnumerable<T> Sorted<T>(IEnumerable<T> items, Func<T, DateTimeOffset> orderedAt, Func<T, string> orderId) =>
        items.OrderBy(orderedAt).ThenBy(orderId, StringComparer.Ordinal);
}
