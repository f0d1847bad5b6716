namespace SellerDesk.Ingestion.Demo;

/// <summary>The few distributions the demo needs, over a seeded <see cref="Random"/> (never the clock).</summary>
internal sealed class DemoRandom(int seed)
{
    // System.Random on purpose: the demo needs a repeatable sequence, not unpredictability.
    private readonly Random _random = new(seed);

    public double NextDouble() => _random.NextDouble();

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>, both inclusive.</summary>
    public int Between(int min, int max) => _random.Next(min, max + 1);

    public long NextLong() => _random.NextInt64();

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A real number uniformly in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>A decimal factor uniformly in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public decimal Factor(double min, double max) => (decimal)Uniform(min, max);

    public double Exponential(double mean) => -mean * Math.Log(1 - NextDouble());

    /// <summary>A Poisson count with mean <paramref name="mean"/> (Knuth; the demo's means are small).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var limit = Math.Exp(-mean);
        var count = 0;
        var product = NextDouble();
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }

        return count;
    }

    /// <summary>An index picked with probability proportional to its weight.</summary>
    public int Pick(IReadOnlyList<double> weights)
    {
        var total = 0d;
        foreach (var weight in weights)
        {
            total += weight;
        }

        var target = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            target -= weights[i];
            if (target < 0 && weights[i] > 0)
            {
                return i;
            }
        }

        for (var i = weights.Count - 1; i >= 0; i--)
        {
            if (weights[i] > 0)
            {
                return i;
            }
        }

        throw new ArgumentException("At least one weight must be positive.", nameof(weights));
    }

    public T Pick<T>(IReadOnlyList<T> items, Func<T, double> weight) =>
        items[Pick(items.Select(weight).ToArray())];
}
