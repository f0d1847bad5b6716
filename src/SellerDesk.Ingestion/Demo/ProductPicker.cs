namespace SellerDesk.Ingestion.Demo;

/// <summary>
/// Picks an order line's product with probability proportional to its weight on the marketplace in the month, among
/// the products the order has not taken yet. One draw per pick, and a binary search over the catalog's running sums
/// (prepared once per marketplace and month), so a catalog of hundreds of SKUs costs no more per line than a dozen.
/// </summary>
internal sealed class ProductPicker
{
    private static readonly string[] Marketplaces = [DemoCatalog.Wildberries, DemoCatalog.Ozon, DemoCatalog.YandexMarket, DemoCatalog.OwnStore];

    private readonly double[][][] _weights;
    private readonly double[][][] _running;

    public ProductPicker(IReadOnlyList<DemoProduct> products)
    {
        _weights = new double[Marketplaces.Length][][];
        _running = new double[Marketplaces.Length][][];
        for (var m = 0; m < Marketplaces.Length; m++)
        {
            _weights[m] = new double[12][];
            _running[m] = new double[12][];
            for (var month = 1; month <= 12; month++)
            {
                var weights = products.Select(p => p.Weight(Marketplaces[m], month)).ToArray();
                var running = new double[weights.Length];
                var sum = 0d;
                for (var i = 0; i < weights.Length; i++)
                {
                    sum += weights[i];
                    running[i] = sum;
                }

                _weights[m][month - 1] = weights;
                _running[m][month - 1] = running;
            }
        }
    }

    /// <summary>
    /// The index of the product that <paramref name="roll"/> (uniform in [0, 1)) picks on <paramref name="marketplace"/>
    /// in <paramref name="month"/>, leaving out the indexes in <paramref name="taken"/> (the order's earlier lines).
    /// </summary>
    public int Pick(string marketplace, int month, ReadOnlySpan<int> taken, double roll)
    {
        var m = marketplace switch
        {
            DemoCatalog.Wildberries => 0,
            DemoCatalog.Ozon => 1,
            DemoCatalog.YandexMarket => 2,
            _ => 3,
        };
        var weights = _weights[m][month - 1];
        var running = _running[m][month - 1];

        var target = roll * Without(running, weights, taken, running.Length - 1);
        var low = 0;
        var high = running.Length - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (Without(running, weights, taken, middle) > target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        if (Without(running, weights, taken, low) > target && weights[low] > 0 && !taken.Contains(low))
        {
            return low;
        }

        // Rounding left the target at the very top: the last product still on offer.
        for (var i = running.Length - 1; i >= 0; i--)
        {
            if (weights[i] > 0 && !taken.Contains(i))
            {
                return i;
            }
        }

        throw new InvalidOperationException("No product is left to pick.");
    }

    /// <summary>The running sum without the taken products: non-decreasing, and rising only at a product still on offer.</summary>
    private static double Without(double[] running, double[] weights, ReadOnlySpan<int> taken, int index)
    {
        var value = running[index];
        foreach (var t in taken)
        {
            if (t <= index)
            {
                value -= weights[t];
            }
        }

        return value;
    }
}
