using System.Globalization;
using System.Text;

namespace SellerDesk.Bench;

/// <summary>What <see cref="LedgerGenerator"/> wrote: file paths (null when not asked for) and row counts.</summary>
internal sealed record GeneratedLedger(
    string SalesPath,
    long SalesLines,
    long SalesBytes,
    int Orders,
    int Customers,
    string? CostsPath,
    int CostRows,
    string? ReturnsPath,
    int ReturnRows,
    string? AdSpendPath,
    int AdSpendRows,
    string? FeesPath,
    int FeeRows);

/// <summary>
/// A synthetic but realistic year of a large marketplace seller, written as the canonical ledger files
/// (import-and-api.md) straight to disk: orders on Wildberries, Ozon, Yandex Market and an own web store with
/// seasonality, sale days and evening peaks, ~1.3 lines per order, buyer ids on Ozon and the own store (with
/// repeat buyers, so cohorts mean something), paid and organic channels, a catalog of 600 SKUs with unit costs
/// (some raised mid-year, a few missing), returns of a few percent of lines, daily ad spend per paid channel
/// and marketplace fees. Exactly <c>lines</c> sales lines; the same seed always gives the same files.
/// </summary>
internal sealed class LedgerGenerator
{
    private const string Wildberries = "wildberries";
    private const string Ozon = "ozon";
    private const string YandexMarket = "yandex_market";
    private const string OwnStore = "own_store";

    private static readonly string[] Marketplaces = [Wildberries, Ozon, YandexMarket, OwnStore];

    // Share of orders per marketplace.
    private static readonly double[] MarketplaceShare = [0.45, 0.30, 0.12, 0.13];

    // P(1, 2, 3, 4 lines) per marketplace: ~1.3 lines per order overall, more multi-line orders on the own store.
    private static readonly double[][] LineCounts =
    [
        [0.82, 0.13, 0.04, 0.01],
        [0.75, 0.18, 0.05, 0.02],
        [0.76, 0.17, 0.05, 0.02],
        [0.62, 0.25, 0.09, 0.04],
    ];

    // Acquisition channels of a new buyer (or of an anonymous order) per marketplace, with weights and the
    // ad cost per order they bring.
    private static readonly (string Channel, double Weight, double CostPerOrder)[][] Channels =
    [
        [("organic", 0.70, 0), ("wb_ads", 0.25, 160), ("blogger_anna", 0.05, 420)],
        [("organic", 0.64, 0), ("ozon_ads", 0.28, 190), ("vk_ads", 0.08, 520)],
        [("organic", 0.75, 0), ("ym_ads", 0.25, 170)],
        [("organic", 0.40, 0), ("vk_ads", 0.17, 610), ("yandex_direct", 0.16, 780), ("referral", 0.10, 300), ("blogger_anna", 0.17, 880)],
    ];

    // Commission on apparel / home goods, logistics per unit small / medium / large, delivery per order,
    // acquiring rate, chance of an extra fee, return rate apparel / home, return logistics per unit, pickup.
    private static readonly Terms[] MarketplaceTerms =
    [
        new(0.245m, 0.215m, [58m, 84m, 138m], 0m, 0m, 0.05, 0.12, 0.04, 50m, 0m, 1.00),
        new(0.19m, 0.165m, [76m, 112m, 176m], 0m, 0m, 0.25, 0.07, 0.03, 95m, 0m, 1.02),
        new(0.145m, 0.125m, [69m, 99m, 158m], 0m, 0.016m, 0.03, 0.05, 0.02, 90m, 0m, 1.00),
        new(0m, 0m, [0m, 0m, 0m], 310m, 0.019m, 0, 0.04, 0.015, 0m, 250m, 0.95),
    ];

    // Orders by local hour: quiet at night, peak in the evening.
    private static readonly double[] Hours =
        [1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 1.6, 2.6, 3.4, 4.0, 4.4, 4.8, 4.9, 4.8, 4.7, 4.8, 5.2, 5.8, 6.6, 7.2, 6.9, 5.2, 2.8];

    private static readonly string[] ApparelReasons = ["size", "size", "size", "changed_mind", "changed_mind", "defect"];
    private static readonly string[] HomeReasons = ["changed_mind", "changed_mind", "defect", "defect", "damaged"];

    private readonly Random _random;
    private readonly DateOnly _first;
    private readonly DateOnly _last;
    private readonly TimeSpan _offset;
    private readonly Product[] _products;
    private readonly double[][] _productCumulative;

    public LedgerGenerator(DateOnly first, DateOnly last, TimeZoneInfo zone, int seed)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _random = new Random(seed);
        _first = first;
        _last = last;
        _offset = zone.GetUtcOffset(first.ToDateTime(TimeOnly.MinValue));
        _products = BuildCatalog();
        _productCumulative = Marketplaces.Select((_, m) => Cumulative(_products.Select(p => p.Weights[m]).ToArray())).ToArray();
    }

    /// <summary>
    /// Writes sales.csv with exactly <paramref name="lines"/> lines into <paramref name="directory"/>; with
    /// <paramref name="full"/> also costs.csv, returns.csv, ad_spend.csv and fees.csv of the same year.
    /// </summary>
    public GeneratedLedger Write(string directory, string prefix, long lines, bool full)
    {
        var salesPath = Path.Combine(directory, prefix + "sales.csv");
        var returnsPath = Path.Combine(directory, prefix + "returns.csv");
        var days = _last.DayNumber - _first.DayNumber + 1;
        var dayWeights = Enumerable.Range(0, days).Select(d => DayWeight(_first.AddDays(d))).ToArray();
        var totalWeight = dayWeights.Sum();

        var orders = 0;
        var returnRows = 0;
        var counters = new long[Marketplaces.Length];
        var customers = new List<byte>[Marketplaces.Length];
        for (var m = 0; m < customers.Length; m++)
        {
            customers[m] = [];
        }

        // (day, marketplace, channel) -> orders brought by a paid channel, for ad_spend.csv.
        var paidOrders = new Dictionary<(int Day, int Marketplace, int Channel), int>();
        var revenueByMonth = new Dictionary<(int Month, int Marketplace), decimal>();

        using (var sales = Open(salesPath))
        using (var returns = full ? Open(returnsPath) : null)
        {
            sales.Write("marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees\n");
            returns?.Write("marketplace,order_id,line_id,return_id,returned_at,quantity,refund,commission_refund,return_logistics,restockable,reason\n");
            var line = new StringBuilder(256);
            long written = 0;
            double cumulativeWeight = 0;
            for (var d = 0; d < days; d++)
            {
                cumulativeWeight += dayWeights[d];
                var dayTarget = d == days - 1 ? lines : (long)Math.Round(lines * cumulativeWeight / totalWeight);
                var day = _first.AddDays(d);
                var sale = SaleDay(day);
                while (written < dayTarget)
                {
                    var m = Pick(MarketplaceShare);
                    var terms = MarketplaceTerms[m];
                    var lineCount = (int)Math.Min(1 + Pick(LineCounts[m]), dayTarget - written);
                    var orderId = OrderId(m, ++counters[m]);
                    var (customerId, channel) = Buyer(m, customers[m]);
                    if (Channels[m][channel].CostPerOrder > 0)
                    {
                        var key = (d, m, channel);
                        paidOrders[key] = paidOrders.GetValueOrDefault(key) + 1;
                    }

                    var localTime = new TimeOnly(Pick(Hours), _random.Next(60), _random.Next(60));
                    var orderedAt = new DateTimeOffset(day.ToDateTime(localTime), _offset);
                    var orderedText = orderedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                    var used = new HashSet<int>();
                    for (var l = 1; l <= lineCount; l++)
                    {
                        int p;
                        do
                        {
                            p = PickCumulative(_productCumulative[m]);
                        }
                        while (!used.Add(p));

                        var product = _products[p];
                        var quantity = 1 + Pick(product.Bulk == 0 ? [0.62, 0.22, 0.10, 0.06] : [0.88, 0.09, 0.03]);
                        var unitPrice = (Math.Round(product.ListPrice * (decimal)(terms.PriceFactor * Factor(0.95, 1.05)) / 100m, 0) * 100m) - 10m;
                        if (sale)
                        {
                            unitPrice = Math.Round(unitPrice * 0.85m, 0);
                        }

                        var revenue = unitPrice * quantity;
                        var commission = Money(revenue * (product.Apparel ? terms.ApparelCommission : terms.HomeCommission));
                        var logistics = Money(terms.Logistics[product.Bulk] * quantity * (decimal)Factor(0.92, 1.08));
                        if (l == 1 && terms.OrderDelivery > 0)
                        {
                            logistics += Money(terms.OrderDelivery * (decimal)Factor(0.85, 1.15));
                        }

                        var acquiring = Money(revenue * terms.AcquiringRate);
                        var otherFees = _random.NextDouble() < terms.OtherFeeChance ? Money((decimal)(12 + (_random.NextDouble() * 33))) : 0m;
                        var monthKey = ((day.Year * 12) + day.Month, m);
                        revenueByMonth[monthKey] = revenueByMonth.GetValueOrDefault(monthKey) + revenue;

                        line.Clear();
                        line.Append(Marketplaces[m]).Append(',').Append(orderId).Append(',').Append(l).Append(',')
                            .Append(orderedText).Append(',').Append(customerId).Append(',').Append(Channels[m][channel].Channel).Append(',')
                            .Append(product.Sku).Append(',').Append(quantity).Append(',');
                        AppendMoney(line, revenue).Append(',');
                        AppendMoney(line, commission).Append(',');
                        AppendMoney(line, logistics).Append(',');
                        AppendMoney(line, acquiring).Append(',');
                        AppendMoney(line, otherFees).Append('\n');
                        sales.Write(line);
                        written++;

                        if (returns is not null && _random.NextDouble() < (product.Apparel ? terms.ApparelReturnRate : terms.HomeReturnRate))
                        {
                            returnRows += WriteReturns(returns, line, m, orderId, l, orderedAt, quantity, revenue, commission, product, terms);
                        }
                    }

                    orders++;
                }
            }
        }

        var result = new GeneratedLedger(
            salesPath, lines, new FileInfo(salesPath).Length, orders, customers.Sum(c => c.Count),
            null, 0, full ? returnsPath : null, returnRows, null, 0, null, 0);
        if (!full)
        {
            return result;
        }

        var costsPath = Path.Combine(directory, prefix + "costs.csv");
        var adSpendPath = Path.Combine(directory, prefix + "ad_spend.csv");
        var feesPath = Path.Combine(directory, prefix + "fees.csv");
        return result with
        {
            CostsPath = costsPath,
            CostRows = WriteCosts(costsPath),
            AdSpendPath = adSpendPath,
            AdSpendRows = WriteAdSpend(adSpendPath, paidOrders),
            FeesPath = feesPath,
            FeeRows = WriteFees(feesPath, revenueByMonth),
        };
    }

    private static StreamWriter Open(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 1 << 20 })
        {
            NewLine = "\n",
        };

    private static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static StringBuilder AppendMoney(StringBuilder line, decimal value) =>
        line.Append(value.ToString("0.00", CultureInfo.InvariantCulture));

    private static double[] Cumulative(double[] weights)
    {
        var result = new double[weights.Length];
        double sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            result[i] = sum;
        }

        return result;
    }

    private static string OrderId(int marketplace, long n) => marketplace switch
    {
        // A srid-like 16-digit hex id (a bijective scramble of the counter), a posting number, a numeric order, a store order.
        0 => unchecked((ulong)n * 0x9E3779B97F4A7C15UL).ToString("x16", CultureInfo.InvariantCulture),
        1 => string.Create(CultureInfo.InvariantCulture, $"{171_000_000L + (n * 13):D10}-0001-1"),
        2 => (412_000_000L + (n * 7)).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"S-{100_000 + n}"),
    };

    private Product[] BuildCatalog()
    {
        string[] apparel = ["TSHIRT", "HOODIE", "SOCKS", "PAJAMA", "ROBE", "DRESS", "JEANS", "SHIRT"];
        string[] home = ["TOWEL", "BEDSET", "PLAID", "CUSHION", "MUG", "CANDLE", "RUNNER", "CURTAIN"];
        var products = new Product[600];
        for (var i = 0; i < products.Length; i++)
        {
            var isApparel = i % 2 == 0;
            var family = isApparel ? apparel[(i / 2) % apparel.Length] : home[(i / 2) % home.Length];
            var bulk = _random.Next(3);
            var listPrice = bulk switch
            {
                0 => 390m + (_random.Next(0, 14) * 100m),
                1 => 1490m + (_random.Next(0, 30) * 100m),
                _ => 2990m + (_random.Next(0, 50) * 100m),
            };
            var cost = Money(listPrice * (decimal)(0.30 + (_random.NextDouble() * 0.15)));

            // Popularity falls off with rank; each marketplace's buyers like some items more than others.
            var popularity = 1.0 / Math.Pow(i + 1, 0.8);
            var weights = Marketplaces.Select(_ => popularity * (0.3 + (1.4 * _random.NextDouble()))).ToArray();
            products[i] = new Product(
                string.Create(CultureInfo.InvariantCulture, $"{family}-{i + 1:D4}"),
                isApparel,
                bulk,
                listPrice,
                i % 97 == 50 ? null : cost,
                i % 10 == 3 ? Money(cost * 1.12m) : null,
                weights);
        }

        return products;
    }

    /// <summary>Seasonality (winter peak), busier weekends, and sale days.</summary>
    private static double DayWeight(DateOnly day)
    {
        var season = 1 + (0.25 * Math.Cos(2 * Math.PI * (day.DayOfYear - 15) / 365.0));
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.15 : 1.0;
        return season * weekend * (SaleDay(day) ? 2.2 : 1.0);
    }

    /// <summary>11.11 and Black Friday weekend.</summary>
    private static bool SaleDay(DateOnly day) =>
        (day.Month == 11 && day.Day == 11) || (day.Month == 11 && day.Day >= 24 && day.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The buyer of a new order: on Ozon and the own store a buyer id, new (with a channel) or returning (mostly organic);
    /// elsewhere no id. Returns the id (empty when none) and the channel index.
    /// </summary>
    private (string CustomerId, int Channel) Buyer(int marketplace, List<byte> customers)
    {
        var channels = Channels[marketplace];
        if (marketplace is 0 or 2)
        {
            return (string.Empty, Pick(channels.Select(c => c.Weight).ToArray()));
        }

        var prefix = marketplace == 1 ? "OZ-" : "C-";
        var repeatChance = marketplace == 1 ? 0.30 : 0.38;
        if (customers.Count > 50 && _random.NextDouble() < repeatChance)
        {
            // Recent buyers come back more often than old ones.
            var back = (int)Math.Min(customers.Count - 1, -Math.Log(1 - _random.NextDouble()) * customers.Count / 3);
            var index = customers.Count - 1 - back;
            var acquired = customers[index];
            var channel = _random.NextDouble() < 0.8 ? 0 : acquired;
            return (string.Create(CultureInfo.InvariantCulture, $"{prefix}{index + 1:D8}"), channel);
        }

        var newChannel = Pick(channels.Select(c => c.Weight).ToArray());
        customers.Add((byte)newChannel);
        return (string.Create(CultureInfo.InvariantCulture, $"{prefix}{customers.Count:D8}"), newChannel);
    }

    private int WriteReturns(
        StreamWriter returns, StringBuilder line, int marketplace, string orderId, int lineId, DateTimeOffset orderedAt,
        int quantity, decimal revenue, decimal commission, Product product, Terms terms)
    {
        var units = quantity == 1 || _random.NextDouble() < 0.45 ? quantity : 1 + _random.Next(quantity - 1);
        var parts = units >= 2 && _random.NextDouble() < 0.3 ? new[] { 1, units - 1 } : new[] { units };
        var day = DateOnly.FromDateTime(orderedAt.DateTime).AddDays(3 + (int)Math.Min(-Math.Log(1 - _random.NextDouble()) * 7, 35));
        var returnedSoFar = 0;
        var rows = 0;
        foreach (var part in parts)
        {
            if (day > _last)
            {
                // Not back yet: nothing after the last day exists.
                break;
            }

            var reason = product.Apparel ? ApparelReasons[_random.Next(ApparelReasons.Length)] : HomeReasons[_random.Next(HomeReasons.Length)];
            var refund = Money(revenue * (returnedSoFar + part) / quantity) - Money(revenue * returnedSoFar / quantity);
            var commissionRefund = Money(commission * (returnedSoFar + part) / quantity) - Money(commission * returnedSoFar / quantity);
            var returnLogistics = Money(((terms.ReturnLogisticsPerUnit * part) + terms.ReturnPickup) * (decimal)Factor(0.95, 1.05));
            var returnedAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(9 + _random.Next(13), _random.Next(60), _random.Next(60))), _offset);
            line.Clear();
            line.Append(Marketplaces[marketplace]).Append(',').Append(orderId).Append(',').Append(lineId).Append(',')
                .Append("R-").Append(orderId).Append('-').Append(lineId).Append('-').Append(rows + 1).Append(',')
                .Append(returnedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)).Append(',')
                .Append(part).Append(',');
            AppendMoney(line, refund).Append(',');
            AppendMoney(line, commissionRefund).Append(',');
            AppendMoney(line, returnLogistics).Append(',')
                .Append(reason is "size" or "changed_mind" ? "true" : "false").Append(',').Append(reason).Append('\n');
            returns.Write(line);
            rows++;
            returnedSoFar += part;
            day = day.AddDays(2 + _random.Next(10));
        }

        return rows;
    }

    private int WriteCosts(string path)
    {
        using var costs = Open(path);
        costs.Write("sku,valid_from,unit_cost\n");
        var rows = 0;
        var midYear = _first.AddDays((_last.DayNumber - _first.DayNumber) / 2);
        foreach (var product in _products)
        {
            if (product.Cost is not { } cost)
            {
                continue;
            }

            costs.Write(string.Create(CultureInfo.InvariantCulture, $"{product.Sku},{_first.AddMonths(-6):yyyy-MM-dd},{cost:0.00}\n"));
            rows++;
            if (product.RaisedCost is { } raised)
            {
                costs.Write(string.Create(CultureInfo.InvariantCulture, $"{product.Sku},{midYear:yyyy-MM-dd},{raised:0.00}\n"));
                rows++;
            }
        }

        return rows;
    }

    /// <summary>One row a day per paid channel and marketplace: what the orders it brought cost, with noise.</summary>
    private int WriteAdSpend(string path, Dictionary<(int Day, int Marketplace, int Channel), int> paidOrders)
    {
        using var spend = Open(path);
        spend.Write("date,marketplace,channel,amount\n");
        var rows = 0;
        foreach (var ((d, m, c), count) in paidOrders.OrderBy(p => p.Key))
        {
            var amount = Money((decimal)(count * Channels[m][c].CostPerOrder * Factor(0.8, 1.2)));
            spend.Write(string.Create(CultureInfo.InvariantCulture, $"{_first.AddDays(d):yyyy-MM-dd},{Marketplaces[m]},{Channels[m][c].Channel},{amount:0.00}\n"));
            rows++;
        }

        return rows;
    }

    /// <summary>Daily storage on Wildberries, weekly on Ozon, random acceptance and penalties, monthly subscriptions and placement.</summary>
    private int WriteFees(string path, Dictionary<(int Month, int Marketplace), decimal> revenueByMonth)
    {
        using var fees = Open(path);
        fees.Write("date,marketplace,kind,amount\n");
        var rows = 0;
        void Fee(DateOnly day, int marketplace, string kind, double amount)
        {
            fees.Write(string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},{Marketplaces[marketplace]},{kind},{Money((decimal)amount):0.00}\n"));
            rows++;
        }

        for (var day = _first; day <= _last; day = day.AddDays(1))
        {
            var stock = day.Month is 10 or 11 or 12 ? 1.4 : 1.0;
            Fee(day, 0, "storage", 9_500 * stock * Factor(0.9, 1.1));
            if (day.DayOfWeek == DayOfWeek.Sunday)
            {
                Fee(day, 1, "storage", 31_000 * stock * Factor(0.9, 1.1));
            }

            if (_random.NextDouble() < 0.15)
            {
                Fee(day, 0, "acceptance", 4_000 + (_random.NextDouble() * 20_000));
            }

            if (_random.NextDouble() < 0.10)
            {
                Fee(day, 1, "acceptance", 2_000 + (_random.NextDouble() * 8_000));
            }

            if (_random.NextDouble() < 0.04)
            {
                Fee(day, _random.Next(2), "penalty", 500 + (_random.Next(50) * 100));
            }

            if (day.Day == 1)
            {
                Fee(day, 2, "subscription", 2_490);
                Fee(day, 3, "subscription", 1_490);
            }

            if (day.AddDays(1).Day == 1
                && revenueByMonth.TryGetValue(((day.Year * 12) + day.Month, 2), out var ymRevenue))
            {
                Fee(day, 2, "placement", (double)(ymRevenue * 0.015m));
            }
        }

        return rows;
    }

    private double Factor(double low, double high) => low + (_random.NextDouble() * (high - low));

    private int Pick(double[] weights)
    {
        var roll = _random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length - 1; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private int PickCumulative(double[] cumulative)
    {
        var roll = _random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, roll);
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private sealed record Product(
        string Sku, bool Apparel, int Bulk, decimal ListPrice, decimal? Cost, decimal? RaisedCost, double[] Weights);

    private sealed record Terms(
        decimal ApparelCommission,
        decimal HomeCommission,
        decimal[] Logistics,
        decimal OrderDelivery,
        decimal AcquiringRate,
        double OtherFeeChance,
        double ApparelReturnRate,
        double HomeReturnRate,
        decimal ReturnLogisticsPerUnit,
        decimal ReturnPickup,
        double PriceFactor);
}
