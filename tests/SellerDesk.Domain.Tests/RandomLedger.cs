using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// A seeded random ledger for property tests: three marketplaces, a few SKUs (one without a unit cost, one whose
/// cost changes), buyers with and without ids, orders late in the evening (another date in UTC than in Moscow),
/// orders sharing one instant, partial, repeated and non-restockable returns dated weeks after their orders,
/// ad spend, period fees and attribution rows.
/// </summary>
internal sealed record RandomLedger(
    IReadOnlyList<SaleLine> Sales,
    IReadOnlyList<ReturnEvent> Returns,
    IReadOnlyList<UnitCost> Costs,
    IReadOnlyList<AdSpend> Spend,
    IReadOnlyList<PeriodFee> Fees,
    IReadOnlyList<AttributionRow> Attribution)
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static readonly string[] Marketplaces = ["own_store", "ozon", "wildberries"];

    public static readonly string[] Skus = ["CAP-03", "MUG-01", "TEE-02", "BAG-10"];

    public static readonly string[] Channels = ["organic", "vk_ads", "blogger_anna", "wb_ads"];

    private static readonly DateOnly Start = new(2025, 11, 1);

    public static DateOnly FirstDay => Start;

    public static DateOnly LastDay => Start.AddDays(Days - 1);

    private const int Days = 180;

    public static RandomLedger Generate(int seed, int orders = 300, bool attributedChannelsOnly = false)
    {
        var random = new Random(seed);
        var sales = new List<SaleLine>();
        var returns = new List<ReturnEvent>();
        var previous = DateTimeOffset.MinValue;
        for (var o = 0; o < orders; o++)
        {
            var marketplace = Pick(random, Marketplaces);

            // One order in ten shares the previous order's instant, so ties are broken by the order id.
            var at = o > 0 && random.Next(10) == 0
                ? previous
                : new DateTimeOffset(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(3))
                    .AddDays(random.Next(Days))
                    .AddHours(random.Next(24))
                    .AddMinutes(random.Next(60));
            previous = at;
            var customer = random.Next(3) == 0 ? null : $"c{random.Next(40)}";
            var channel = attributedChannelsOnly && marketplace != "own_store" ? "organic" : Pick(random, Channels);
            var orderId = $"O{random.Next(1_000_000)}-{o}";
            var skus = Skus.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList();
            for (var l = 0; l < skus.Count; l++)
            {
                var quantity = 1 + random.Next(5);
                var revenue = Money(random, 100, 5000) * quantity;
                var line = new SaleLine(
                    marketplace,
                    orderId,
                    $"{l + 1}",
                    at,
                    random.Next(15) == 0 ? string.Empty : customer,
                    channel,
                    skus[l],
                    quantity,
                    revenue,
                    marketplace == "own_store" ? 0m : Math.Round(revenue * 0.15m, 2),
                    Money(random, 0, 300),
                    marketplace == "own_store" ? Math.Round(revenue * 0.02m, 2) : 0m,
                    random.Next(4) == 0 ? Money(random, 0, 50) : 0m);
                sales.Add(line);

                var left = quantity;
                var r = 0;
                while (left > 0 && random.Next(3) == 0)
                {
                    var units = 1 + random.Next(left);
                    left -= units;
                    returns.Add(new ReturnEvent(
                        marketplace,
                        orderId,
                        line.LineId,
                        $"R{r++}",
                        at.AddDays(random.Next(60)).AddHours(random.Next(24)),
                        units,
                        Math.Round(line.Revenue * units / quantity, 2),
                        Math.Round(line.Commission * units / quantity * (decimal)random.NextDouble(), 2),
                        Money(random, 0, 120),
                        random.Next(3) != 0,
                        null));
                }
            }
        }

        // Customers keep their buyer id on every line of an order: the import rejects lines that differ.
        sales = [.. sales.GroupBy(s => (s.Marketplace, s.OrderId)).SelectMany(g => g.Select(s => s with { CustomerId = g.First().CustomerId }))];

        var costs = new List<UnitCost>
        {
            new("MUG-01", new DateOnly(2025, 1, 1), 200m),
            new("MUG-01", Start.AddDays(60), 250m),
            new("TEE-02", new DateOnly(2025, 1, 1), 400m),
            new("BAG-10", Start.AddDays(30), 333.33m),
        };

        var spend = new List<AdSpend>();
        var fees = new List<PeriodFee>();
        var attribution = new List<AttributionRow>();
        for (var d = 0; d < Days; d += 1 + random.Next(5))
        {
            var date = Start.AddDays(d);
            foreach (var marketplace in Marketplaces)
            {
                foreach (var channel in Channels.Skip(1))
                {
                    if (random.Next(3) == 0)
                    {
                        spend.Add(new AdSpend(date, marketplace, channel, Money(random, 10, 2000)));
                    }
                }

                if (random.Next(4) == 0)
                {
                    fees.Add(new PeriodFee(date, marketplace, "storage", Money(random, 10, 500)));
                }
            }
        }

        // Attribution rows where orders are: on the days and SKUs of some marketplace orders, plus a few that match nothing.
        foreach (var day in sales.Where(s => s.Marketplace != "own_store").Select(s => (s.Marketplace, Date: LocalDates.Of(s.OrderedAt, Moscow), s.Sku)).Distinct().ToList())
        {
            foreach (var channel in Channels.Skip(1))
            {
                if (random.Next(3) == 0)
                {
                    attribution.Add(new AttributionRow(day.Date, day.Marketplace, channel, day.Sku, random.Next(4)));
                }
            }
        }

        for (var i = 0; i < 10; i++)
        {
            attribution.Add(new AttributionRow(Start.AddDays(random.Next(Days)), Pick(random, Marketplaces), $"ghost_{i}", "NONE-00", 1 + random.Next(3)));
        }

        attribution = [.. attribution.DistinctBy(a => (a.Date, a.Marketplace, a.Channel, a.Sku))];
        return new RandomLedger(sales, returns, costs, spend, fees, attribution);
    }

    /// <summary>A random report period inside the ledger's days, as_of sometimes before <c>to</c>, sometimes before <c>from</c>.</summary>
    public static ReportPeriod Period(Random random)
    {
        var from = Start.AddDays(random.Next(Days - 10));
        var to = from.AddDays(random.Next(Days - from.DayNumber + Start.DayNumber));
        var asOf = random.Next(4) switch
        {
            0 => to,
            1 => LastDay.AddDays(30),
            2 => from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1)),
            _ => from.AddDays(-random.Next(1, 20)),
        };
        return new ReportPeriod(from, to, asOf);
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static decimal Money(Random random, int min, int max) => random.Next(min * 100, max * 100) / 100m;
}
