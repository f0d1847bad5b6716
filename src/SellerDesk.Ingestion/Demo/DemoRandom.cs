namespace SellerDesk.Ingestion.Demo;

/// <summary>The few distributions the demo needs, over a seeded <see cref="Random"/> (never the clock).</summary>
internal sealed class DemoRandom(int seed)
{
    // System.Random on purpose: the demo needs a repeatable sequence, not unpredictability.
    // Above this mean a Poisson count is drawn as a normal one (e^-500 is still far from underflow).
    private const double LargeMean = 500;

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

    /// <summary>
    /// A Poisson count with mean <paramref name="mean"/>: Knuth's method for the demo seller's small means, the normal
    /// approximation for the large means of a scaled-up seller (where e^-mean would underflow).
    /// </summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > LargeMean)
        {
            // Box-Muller: a standard normal from two uniforms.
            var normal = Math.Sqrt(-2 * Math.Log(1 - NextDouble())) * Math.Cos(2 * Math.PI * NextDouble());
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * normal)));
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
