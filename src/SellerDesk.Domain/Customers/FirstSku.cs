namespace SellerDesk.Domain.Customers;

/// <summary>
/// The SKU a customer's first order stands for, for LTV by first SKU (decision 0029; metrics.md names no rule): of
/// the first order's SKUs, the one with the largest gross revenue (its lines' <c>revenue</c> summed, before refunds,
/// so it does not change with as_of or later returns); a tie goes to the smaller SKU (ordinal). Every customer thus
/// has exactly one first SKU.
/// </summary>
public static class FirstSku
{
    public static string Of(IEnumerable<(string Sku, decimal Revenue)> firstOrderLines)
    {
        ArgumentNullException.ThrowIfNull(firstOrderLines);
        return firstOrderLines
            .GroupBy(l => l.Sku, StringComparer.Ordinal)
            .Select(g => (Sku: g.Key, Revenue: g.Sum(l => l.Revenue)))
            .OrderByDescending(l => l.Revenue)
            .ThenBy(l => l.Sku, StringComparer.Ordinal)
            .Select(l => l.Sku)
            .FirstOrDefault()
            ?? throw new ArgumentException("A first order has at least one line.", nameof(firstOrderLines));
    }
}
