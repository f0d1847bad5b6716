using SellerDesk.Domain.Ledger;

namespace SellerDesk.Domain.Economics;

/// <summary>Looks up a SKU's unit cost on a date: the entry with the latest <c>valid_from</c> on or before it.</summary>
public sealed class UnitCostBook
{
    private readonly Dictionary<string, UnitCost[]> _bySku;

    public UnitCostBook(IEnumerable<UnitCost> costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        _bySku = costs
            .GroupBy(c => c.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.ValidFrom).ToArray(), StringComparer.Ordinal);
    }

    public decimal? CostOn(string sku, DateOnly date)
    {
        if (!_bySku.TryGetValue(sku, out var entries))
        {
            return null;
        }

        decimal? found = null;
        foreach (var entry in entries)
        {
            if (entry.ValidFrom > date)
            {
                break;
            }

            found = entry.Cost;
        }

        return found;
    }
}
