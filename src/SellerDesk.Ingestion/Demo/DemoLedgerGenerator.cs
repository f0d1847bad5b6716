using System.Globalization;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Demo;

/// <summary>
/// The one ledger generator of SellerDesk: the demo seller (<see cref="DemoSeller"/>) and the benchmark's 1M- and
/// 10M-line ledgers (bench/SellerDesk.Bench) are both this simulation, so they cannot drift apart. It simulates the
/// seller day by day: plans the day's orders on every marketplace, hands their lines and (later) returns to the
/// sink, then the day's marketplace attribution, ad spend and fees. It streams: every row goes to the sink as it is
/// made and nothing of the ledger is kept (only the buyers who may come back, the open month's placement turnover and
/// the price list). <see cref="DemoLedgerOptions.Scale"/> multiplies the orders, ad spend and fees of every day, and
/// <see cref="DemoLedgerOptions.Skus"/> widens the catalog; the same options always give the same rows in the same
/// order. One instance generates one ledger.
/// </summary>
public sealed class DemoLedgerGenerator
{
    // Orders a day at the start of the year, before growth and seasonality.
    private const double WildberriesOrdersPerDay = 17;
    private const double OzonOrdersPerDay = 9.5;
    private const double YandexMarketOrdersPerDay = 4;

    // New own-store customers a day by channel (blogger_anna comes in waves after her posts).
    private const double OwnOrganicPerDay = 0.45;
    private const double OwnVkPerDay = 0.55;
    private const double OwnDirectPerDay = 0.32;
    private const double OwnReferralPerDay = 0.22;
    private const double BloggerFirstDayCustomers = 6;
    private const double BloggerDecay = 0.62;
    private const int BloggerWaveDays = 10;

    // Shares of marketplace orders the marketplaces' statistics attribute to campaigns and tracked links.
    private const double WbSearchShare = 0.30;
    private const double WbCatalogShare = 0.06;
    private const double WbLinkBloggerShare = 0.04;
    private const double OzonPromoShare = 0.28;
    private const double OzonVkShare = 0.07;
    private const double OzonLinkBloggerShare = 0.05;
    private const double YmBoostShare = 0.32;

    // What the seller pays per expected new customer. Sized against the first-order margins each
    // channel brings, so that the channel report shows every verdict (see the class remarks of DemoSeller).
    private const double WbSearchCac = 320;
    private const double WbCatalogCac = 2600;
    private const double LinkBloggerCac = 420;
    private const double OzonPromoCac = 380;
    private const double OzonVkCac = 1500;
    private const double YmBoostCac = 420;
    private const double OwnVkCac = 900;
    private const double OwnDirectCac = 3500;
    private const double BloggerCac = 2800;
    private const decimal ReferralBonus = 500m;

    // Share of Ozon / Yandex Market orders that carry a buyer id, and of those, how many are from a returning buyer.
    private const double OzonIdentifiedShare = 0.22;
    private const double OzonReturningShare = 0.30;
    private const double YmIdentifiedShare = 0.40;
    private const double YmReturningShare = 0.25;

    // The Ozon vk_ads campaign stops bringing buyers this many days before the last day, yet keeps spending.
    private const int OzonVkSilentDays = 62;

    private static readonly double[] SeasonByMonth = [0.85, 0.9, 1.0, 0.95, 0.9, 0.85, 0.85, 0.9, 1.0, 1.1, 1.35, 1.55];

    private static readonly double[] OrdersByHour =
    [
        2.0, 1.2, 0.6, 0.3, 0.2, 0.3, 0.6, 1.0, 1.5, 2.0, 2.5, 2.8,
        3.0, 3.0, 2.8, 2.7, 2.7, 2.8, 3.0, 3.3, 3.6, 3.8, 3.4, 2.6,
    ];

    private static readonly double[] QuantityWeights = [0.88, 0.10, 0.02];
    private static readonly double[] MultipackQuantityWeights = [0.60, 0.28, 0.12];

    private readonly int _days;
    private readonly double _scale;
    private readonly double _ozonIdentifiedShare;
    private readonly double _ymIdentifiedShare;
    private readonly DateOnly _first;
    private readonly DateOnly _last;
    private readonly DateOnly _midYear;
    private readonly DateOnly _ozonVkStops;
    private readonly TimeZoneInfo _zone;
    private readonly DemoRandom _random;
    private readonly ILedgerSink _sink;
    private readonly IReadOnlyList<DemoProduct> _products;
    private readonly ProductPicker _picker;

    // The day's attribution counts: handed to the sink at the end of each day.
    private readonly Dictionary<(string Marketplace, string Channel, string Sku), int> _attribution = [];

    private readonly Dictionary<DateOnly, List<OwnCustomer>> _repeats = [];
    private readonly Dictionary<DateOnly, decimal> _bloggerPosts = [];
    private readonly HashSet<DateOnly> _wbAcceptance = [];
    private readonly HashSet<DateOnly> _ozonAcceptance = [];
    private readonly HashSet<DateOnly> _wbPenalties = [];
    private readonly HashSet<DateOnly> _ozonPenalties = [];
    private readonly Dictionary<(string Sku, string Marketplace, int Month), decimal> _prices = [];
    private readonly List<long> _ozonBuyers = [];
    private readonly List<long> _ymBuyers = [];

    private int _plannedOrders;
    private int _wbOrders;
    private int _ozonOrders;
    private int _ymOrders;
    private int _ownOrders;
    private int _ownCustomers;
    private int _returnCount;
    private decimal _ymMonthRevenue;
    private long _salesLines;
    private bool _done;

    /// <summary>A generator of the ledger <paramref name="options"/> describe, handing every row to <paramref name="sink"/>.</summary>
    public DemoLedgerGenerator(DemoLedgerOptions options, ILedgerSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options.Zone);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Scale);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BuyerIdShare);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Skus, DemoSeller.CatalogSkus);
        _days = options.Days;
        _scale = options.Scale;
        _ozonIdentifiedShare = Math.Min(1, OzonIdentifiedShare * options.BuyerIdShare);
        _ymIdentifiedShare = Math.Min(1, YmIdentifiedShare * options.BuyerIdShare);
        _last = options.LastDay;
        _first = options.LastDay.AddDays(1 - options.Days);
        _midYear = FirstOfMonth(_first.AddMonths(6));
        _ozonVkStops = options.LastDay.AddDays(-OzonVkSilentDays);
        _zone = options.Zone;
        _random = new DemoRandom(options.Seed);
        _sink = sink;
        _products = DemoCatalog.Catalog(options.Skus);
        _picker = new ProductPicker(_products);
    }

    /// <summary>Generates the whole ledger into the sink (once per instance) and says how much it made.</summary>
    public DemoLedgerStats Run()
    {
        if (_done)
        {
            throw new InvalidOperationException("A generator makes one ledger; create another one for the next.");
        }

        _done = true;
        AddCosts();
        PlanBloggerPosts();
        PlanOccasionalFees();

        for (var day = _first; day <= _last; day = day.AddDays(1))
        {
            var rates = Rates(day);
            var planned = new List<PlannedOrder>();
            PlanWildberries(rates, planned);
            PlanOzon(day, rates, planned);
            PlanYandexMarket(rates, planned);
            var referrals = PlanOwnStore(day, rates, planned);
            planned.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
            foreach (var order in planned)
            {
                Write(day, order);
            }

            FlushAttribution(day);
            AddSpend(day, rates, referrals);
            AddFees(day);
        }

        return new DemoLedgerStats(
            _salesLines,
            _plannedOrders,
            _returnCount,
            _ozonBuyers.Count + _ymBuyers.Count + _ownCustomers);
    }

    /// <summary>The day's attribution rows, in ordinal order of marketplace, channel and SKU.</summary>
    private void FlushAttribution(DateOnly day)
    {
        foreach (var ((marketplace, channel, sku), orders) in _attribution
                     .OrderBy(a => a.Key.Marketplace, StringComparer.Ordinal)
                     .ThenBy(a => a.Key.Channel, StringComparer.Ordinal)
                     .ThenBy(a => a.Key.Sku, StringComparer.Ordinal))
        {
            _sink.AddAttribution(new AttributionRow(day, marketplace, channel, sku, orders));
        }

        _attribution.Clear();
    }

    private static DateOnly FirstOfMonth(DateOnly date) => new(date.Year, date.Month, 1);

    private static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static decimal Money(double value) => Money((decimal)value);

    private void AddCosts()
    {
        var listed = FirstOfMonth(_first.AddMonths(-3));
        foreach (var product in _products)
        {
            if (product.Cost is { } cost)
            {
                _sink.AddCost(new UnitCost(product.Sku, listed, cost));
            }

            // The supplier raised these prices in the middle of the year.
            if (product.RaisedCost is { } raised)
            {
                _sink.AddCost(new UnitCost(product.Sku, _midYear.AddDays(9), raised));
            }
        }
    }

    private void PlanBloggerPosts()
    {
        var expected = 0d;
        for (var i = 0; i <= BloggerWaveDays; i++)
        {
            expected += BloggerFirstDayCustomers * Math.Pow(BloggerDecay, i);
        }

        for (var day = _first.AddDays(_random.Between(3, 10)); day <= _last; day = day.AddDays(_random.Between(12, 19)))
        {
            var fee = Math.Round(expected * _scale * BloggerCac * _random.Uniform(0.85, 1.15) / 1000) * 1000;
            _bloggerPosts[day] = (decimal)fee;
        }
    }

    private void PlanOccasionalFees()
    {
        for (var day = _first.AddDays(_random.Between(5, 20)); day <= _last; day = day.AddDays(_random.Between(10, 30)))
        {
            _wbAcceptance.Add(day);
        }

        for (var day = _first.AddDays(_random.Between(10, 30)); day <= _last; day = day.AddDays(_random.Between(20, 45)))
        {
            _ozonAcceptance.Add(day);
        }

        // Penalties fall in the period after its first 20 days; a shorter period has none.
        if (_days <= 20)
        {
            return;
        }

        for (var i = 0; i < 3; i++)
        {
            _wbPenalties.Add(_first.AddDays(_random.Between(20, _days - 1)));
        }

        _ozonPenalties.Add(_first.AddDays(_random.Between(20, _days - 1)));
    }

    /// <summary>How busy the day is against an average day: growth, season, weekday and sales events.</summary>
    private double Demand(DateOnly day)
    {
        var growth = Growth(day);
        var weekday = day.DayOfWeek switch
        {
            DayOfWeek.Sunday => 1.1,
            DayOfWeek.Saturday or DayOfWeek.Monday => 1.05,
            _ => 0.97,
        };
        var gifts = (day.Month == 2 && day.Day is >= 10 and <= 13) || (day.Month == 3 && day.Day is >= 4 and <= 7)
            ? 1.3
            : 1.0;
        var sale = IsSaleDay(day) ? 1.7 : 1.0;
        return growth * SeasonByMonth[day.Month - 1] * weekday * gifts * sale;
    }

    /// <summary>The seller grows over the period: from 0.8 of an average day on the first day to 1.2 on the last.</summary>
    private double Growth(DateOnly day) => 0.8 + (0.4 * (day.DayNumber - _first.DayNumber) / Math.Max(1, _days - 1));

    /// <summary>11.11 and the Black Friday weekend: more orders, 15% off.</summary>
    private static bool IsSaleDay(DateOnly day)
    {
        if (day.Month != 11)
        {
            return false;
        }

        if (day.Day == 11)
        {
            return true;
        }

        var blackFriday = new DateOnly(day.Year, 11, 30);
        while (blackFriday.DayOfWeek != DayOfWeek.Friday)
        {
            blackFriday = blackFriday.AddDays(-1);
        }

        return day >= blackFriday && day <= blackFriday.AddDays(2);
    }

    private DayRates Rates(DateOnly day)
    {
        var demand = Demand(day) * _scale;
        var blogger = 0d;
        for (var i = 0; i <= BloggerWaveDays; i++)
        {
            if (_bloggerPosts.ContainsKey(day.AddDays(-i)))
            {
                blogger += BloggerFirstDayCustomers * _scale * Math.Pow(BloggerDecay, i);
            }
        }

        return new DayRates(
            WildberriesOrdersPerDay * demand,
            OzonOrdersPerDay * demand,
            YandexMarketOrdersPerDay * demand,
            OwnOrganicPerDay * demand,
            OwnVkPerDay * demand,
            OwnDirectPerDay * demand,
            OwnReferralPerDay * demand,
            blogger);
    }

    private void PlanWildberries(DayRates rates, List<PlannedOrder> planned)
    {
        var count = _random.Poisson(rates.Wildberries);
        for (var i = 0; i < count; i++)
        {
            // Wildberries gives sellers no buyer identity.
            var roll = _random.NextDouble();
            var channel = roll < WbSearchShare ? DemoCatalog.WbSearch
                : roll < WbSearchShare + WbCatalogShare ? DemoCatalog.WbCatalog
                : roll < WbSearchShare + WbCatalogShare + WbLinkBloggerShare ? DemoCatalog.LinkBlogger
                : DemoCatalog.Organic;
            planned.Add(Plan(DemoCatalog.WildberriesTerms, channel, null));
        }
    }

    private void PlanOzon(DateOnly day, DayRates rates, List<PlannedOrder> planned)
    {
        var vkBringsBuyers = day < _ozonVkStops;
        var count = _random.Poisson(rates.Ozon * (vkBringsBuyers ? 1 : 1 - OzonVkShare));
        for (var i = 0; i < count; i++)
        {
            var roll = _random.NextDouble() * (vkBringsBuyers ? 1 : 1 - OzonVkShare);
            var vk = vkBringsBuyers ? OzonVkShare : 0;
            var channel = roll < OzonPromoShare ? DemoCatalog.OzonPromo
                : roll < OzonPromoShare + vk ? DemoCatalog.VkAds
                : roll < OzonPromoShare + vk + OzonLinkBloggerShare ? DemoCatalog.LinkBlogger
                : DemoCatalog.Organic;
            var buyer = Buyer(_ozonBuyers, _ozonIdentifiedShare, OzonReturningShare, 30_000_000, 97);
            planned.Add(Plan(DemoCatalog.OzonTerms, channel, buyer));
        }
    }

    private void PlanYandexMarket(DayRates rates, List<PlannedOrder> planned)
    {
        var count = _random.Poisson(rates.YandexMarket);
        for (var i = 0; i < count; i++)
        {
            var channel = _random.Chance(YmBoostShare) ? DemoCatalog.YmBoost : DemoCatalog.Organic;
            var buyer = Buyer(_ymBuyers, _ymIdentifiedShare, YmReturningShare, 610_000_000, 89);
            planned.Add(Plan(DemoCatalog.YandexMarketTerms, channel, buyer));
        }
    }

    /// <summary>Null (no buyer id), a returning buyer from <paramref name="pool"/>, or a new one added to it.</summary>
    private string? Buyer(List<long> pool, double identifiedShare, double returningShare, long idBase, int idStep)
    {
        if (!_random.Chance(identifiedShare))
        {
            return null;
        }

        if (pool.Count > 0 && _random.Chance(returningShare))
        {
            return pool[_random.Between(0, pool.Count - 1)].ToString(CultureInfo.InvariantCulture);
        }

        // Increasing ids with a random gap look issued by a real system and never collide.
        var id = idBase + ((long)pool.Count * idStep) + _random.Between(0, idStep - 1);
        pool.Add(id);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Plans the own store's orders of the day; returns how many new customers came by referral.</summary>
    private int PlanOwnStore(DateOnly day, DayRates rates, List<PlannedOrder> planned)
    {
        NewOwnCustomers(day, DemoCatalog.Organic, rates.OwnOrganic, planned);
        NewOwnCustomers(day, DemoCatalog.VkAds, rates.OwnVk, planned);
        NewOwnCustomers(day, DemoCatalog.YandexDirect, rates.OwnDirect, planned);
        var referrals = NewOwnCustomers(day, DemoCatalog.Referral, rates.OwnReferral, planned);
        NewOwnCustomers(day, DemoCatalog.Blogger, rates.Blogger, planned);

        if (_repeats.Remove(day, out var returning))
        {
            foreach (var customer in returning)
            {
                // Repeat orders mostly come straight to the store or through a friend's referral link.
                var roll = _random.NextDouble();
                var channel = roll < 0.62 ? DemoCatalog.Organic : roll < 0.9 ? DemoCatalog.Referral : DemoCatalog.VkAds;
                customer.Orders++;
                planned.Add(Plan(DemoCatalog.OwnStoreTerms, channel, customer.Id));
                ScheduleRepeat(day, customer);
            }
        }

        return referrals;
    }

    private int NewOwnCustomers(DateOnly day, string channel, double rate, List<PlannedOrder> planned)
    {
        var count = _random.Poisson(rate);
        for (var i = 0; i < count; i++)
        {
            var customer = new OwnCustomer(
                string.Create(CultureInfo.InvariantCulture, $"C-{20001 + _ownCustomers++}"),
                channel);
            planned.Add(Plan(DemoCatalog.OwnStoreTerms, channel, customer.Id));
            ScheduleRepeat(day, customer);
        }

        return count;
    }

    /// <summary>Whether and when an own-store customer orders again: loyal buyers come back within weeks or months.</summary>
    private void ScheduleRepeat(DateOnly day, OwnCustomer customer)
    {
        var chance = customer.Orders > 1
            ? (customer.AcquisitionChannel == DemoCatalog.Blogger ? 0.6 : 0.5)
            : customer.AcquisitionChannel switch
            {
                DemoCatalog.Blogger => 0.72,
                DemoCatalog.Referral => 0.55,
                DemoCatalog.Organic => 0.5,
                DemoCatalog.VkAds => 0.4,
                _ => 0.22,
            };
        if (!_random.Chance(chance))
        {
            return;
        }

        var gap = 14 + (int)Math.Min(_random.Exponential(38), 200);
        var next = day.AddDays(gap);
        if (next > _last)
        {
            return;
        }

        if (!_repeats.TryGetValue(next, out var list))
        {
            list = [];
            _repeats[next] = list;
        }

        list.Add(customer);
    }

    private PlannedOrder Plan(MarketplaceTerms terms, string channel, string? customerId)
    {
        var hour = _random.Pick(OrdersByHour);
        var time = new TimeOnly(hour, _random.Between(0, 59), _random.Between(0, 59));
        var lineCount = !_random.Chance(terms.SecondLineChance) ? 1
            : _random.Chance(terms.ThirdLineChance / terms.SecondLineChance) ? 3
            : 2;
        return new PlannedOrder(terms, channel, customerId, time, _plannedOrders++, lineCount);
    }

    private void Write(DateOnly day, PlannedOrder order)
    {
        var terms = order.Terms;
        var orderId = NextOrderId(terms.Code);
        var orderedAt = At(day, order.Time);
        var promo = IsSaleDay(day);
        Span<int> picked = stackalloc int[order.LineCount];

        // Marketplace orders name no channel (the connectors pull them as organic): the marketplace's statistics say
        // how many orders of a SKU a campaign drove that day. The order counts for its first SKU in ordinal order, so
        // section 3.1 always finds it a candidate and the statistics never claim more orders than the ledger has.
        var marketplaceOrder = terms.Code != DemoCatalog.OwnStore;
        var lineChannel = marketplaceOrder ? DemoCatalog.Organic : order.Channel;
        string? attributedSku = null;

        for (var line = 1; line <= order.LineCount; line++)
        {
            var index = _picker.Pick(terms.Code, day.Month, picked[..(line - 1)], _random.NextDouble());
            picked[line - 1] = index;
            var product = _products[index];
            var quantity = 1 + _random.Pick(product.SoldInMultiples ? MultipackQuantityWeights : QuantityWeights);
            var unitPrice = Price(product, terms, day);
            if (promo)
            {
                unitPrice = Math.Round(unitPrice * 0.85m, 0, MidpointRounding.AwayFromZero);
            }

            var revenue = unitPrice * quantity;
            var commissionRate = terms.Commission(product.Kind)
                + (terms.Code == DemoCatalog.Wildberries && day >= _midYear ? 0.01m : 0m);
            var commission = Money(revenue * commissionRate);
            var logistics = Money(terms.LogisticsPerUnit(product.Bulk) * quantity * _random.Factor(0.92, 1.08));
            if (line == 1 && terms.OrderDelivery > 0)
            {
                logistics += Money(terms.OrderDelivery * _random.Factor(0.85, 1.15));
            }

            var acquiring = Money(revenue * terms.AcquiringRate);
            var otherFees = _random.Chance(terms.OtherFeeChance) ? Money(_random.Uniform(12, 45)) : 0m;
            var sale = new SaleLine(
                terms.Code,
                orderId,
                line.ToString(CultureInfo.InvariantCulture),
                orderedAt,
                order.CustomerId,
                lineChannel,
                product.Sku,
                quantity,
                revenue,
                commission,
                logistics,
                acquiring,
                otherFees);
            _sink.AddSale(sale);
            _salesLines++;
            if (attributedSku is null || string.CompareOrdinal(product.Sku, attributedSku) < 0)
            {
                attributedSku = product.Sku;
            }

            if (terms.Code == DemoCatalog.YandexMarket)
            {
                _ymMonthRevenue += revenue;
            }

            MaybeReturn(day, sale, product, terms);
        }

        if (marketplaceOrder && order.Channel != DemoCatalog.Organic && attributedSku is not null)
        {
            var key = (terms.Code, order.Channel, attributedSku);
            _attribution[key] = _attribution.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>A price list per marketplace that moves a little every month, in "..90" roubles.</summary>
    private decimal Price(DemoProduct product, MarketplaceTerms terms, DateOnly day)
    {
        var key = (product.Sku, terms.Code, (day.Year * 12) + day.Month);
        if (!_prices.TryGetValue(key, out var price))
        {
            var raw = product.ListPrice * terms.PriceFactor * _random.Factor(0.96, 1.04);
            price = (Math.Round(raw / 100m, 0, MidpointRounding.AwayFromZero) * 100m) - 10m;
            _prices[key] = price;
        }

        return price;
    }

    private void MaybeReturn(DateOnly day, SaleLine sale, DemoProduct product, MarketplaceTerms terms)
    {
        if (!_random.Chance(terms.ReturnRate(product.Kind)))
        {
            return;
        }

        var quantity = sale.Quantity;
        var units = quantity == 1 || !_random.Chance(0.55) ? quantity : _random.Between(1, quantity - 1);
        var firstPart = units >= 2 && _random.Chance(0.35) ? _random.Between(1, units - 1) : units;
        var reason = Reason(product.Kind);
        var returnedOn = day.AddDays(3 + (int)Math.Min(_random.Exponential(7), 35));
        var returnedSoFar = 0;
        foreach (var part in firstPart == units ? [units] : new[] { firstPart, units - firstPart })
        {
            if (returnedOn > _last)
            {
                // Not back yet: nothing after the last day exists.
                return;
            }

            var restockable = reason is "size" or "changed_mind";
            var refund = Share(sale.Revenue, returnedSoFar, part, quantity);
            var commissionRefund = Share(sale.Commission, returnedSoFar, part, quantity);
            var returnLogistics = Money(((terms.ReturnLogisticsPerUnit * part) + terms.ReturnPickup) * _random.Factor(0.95, 1.05));
            var time = new TimeOnly(_random.Between(9, 21), _random.Between(0, 59), _random.Between(0, 59));
            _sink.AddReturn(new ReturnEvent(
                sale.Marketplace,
                sale.OrderId,
                sale.LineId,
                string.Create(CultureInfo.InvariantCulture, $"RET-{++_returnCount:D7}"),
                At(returnedOn, time),
                part,
                refund,
                commissionRefund,
                returnLogistics,
                restockable,
                reason));

            returnedSoFar += part;
            returnedOn = returnedOn.AddDays(_random.Between(2, 12));
            reason = Reason(product.Kind);
        }
    }

    /// <summary>The part of a line amount for units returnedSoFar+1..returnedSoFar+part, so that parts add up exactly.</summary>
    private static decimal Share(decimal amount, int returnedSoFar, int part, int quantity) =>
        Money(amount * (returnedSoFar + part) / quantity) - Money(amount * returnedSoFar / quantity);

    private string Reason(ProductKind kind)
    {
        var roll = _random.NextDouble();
        return kind == ProductKind.Apparel
            ? roll < 0.45 ? "size" : roll < 0.75 ? "changed_mind" : "defect"
            : roll < 0.55 ? "changed_mind" : roll < 0.85 ? "defect" : "damaged";
    }

    private string NextOrderId(string marketplace)
    {
        switch (marketplace)
        {
            case DemoCatalog.Wildberries:
                // A srid-like 32-digit hex id: a bijective scramble of the counter (unique) and random noise.
                var scrambled = unchecked((ulong)(++_wbOrders) * 0x9E3779B97F4A7C15UL);
                return string.Create(CultureInfo.InvariantCulture, $"{scrambled:x16}{_random.NextLong():x16}");
            case DemoCatalog.Ozon:
                // Posting number: order number, shipment, posting.
                var ozonOrder = 171_000_000L + ((long)_ozonOrders++ * 13) + _random.Between(0, 12);
                return string.Create(CultureInfo.InvariantCulture, $"{ozonOrder:D10}-0001-1");
            case DemoCatalog.YandexMarket:
                var ymOrder = 412_000_000L + ((long)_ymOrders++ * 7) + _random.Between(0, 6);
                return ymOrder.ToString(CultureInfo.InvariantCulture);
            default:
                return string.Create(CultureInfo.InvariantCulture, $"S-{10001 + _ownOrders++}");
        }
    }

    private DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        if (_zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }

    private void AddSpend(DateOnly day, DayRates rates, int referrals)
    {
        Spend(day, DemoCatalog.Wildberries, DemoCatalog.WbSearch, rates.Wildberries * WbSearchShare * WbSearchCac);
        Spend(day, DemoCatalog.Wildberries, DemoCatalog.WbCatalog, rates.Wildberries * WbCatalogShare * WbCatalogCac);
        Spend(day, DemoCatalog.Ozon, DemoCatalog.OzonPromo, rates.Ozon * OzonPromoShare * OzonPromoCac);

        // Maria is paid for a week of posts with her tracked links on Mondays, per marketplace her links lead to.
        if (day.DayOfWeek == DayOfWeek.Monday)
        {
            Spend(day, DemoCatalog.Wildberries, DemoCatalog.LinkBlogger, rates.Wildberries * WbLinkBloggerShare * LinkBloggerCac * 7);
            Spend(day, DemoCatalog.Ozon, DemoCatalog.LinkBlogger, rates.Ozon * OzonLinkBloggerShare * LinkBloggerCac * 7);
        }

        // Keeps spending after it stops bringing buyers: nobody checked the campaign.
        Spend(day, DemoCatalog.Ozon, DemoCatalog.VkAds, rates.Ozon * OzonVkShare * OzonVkCac);

        // Yandex Market boosts are topped up twice a week, for the days until the next top-up.
        if (day.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Thursday)
        {
            var days = day.DayOfWeek == DayOfWeek.Monday ? 3 : 4;
            Spend(day, DemoCatalog.YandexMarket, DemoCatalog.YmBoost, rates.YandexMarket * YmBoostShare * YmBoostCac * days);
        }

        Spend(day, DemoCatalog.OwnStore, DemoCatalog.VkAds, rates.OwnVk * OwnVkCac);
        Spend(day, DemoCatalog.OwnStore, DemoCatalog.YandexDirect, rates.OwnDirect * OwnDirectCac);
        if (_bloggerPosts.TryGetValue(day, out var fee))
        {
            _sink.AddAdSpend(new AdSpend(day, DemoCatalog.OwnStore, DemoCatalog.Blogger, fee));
        }

        // The referral program pays a bonus for every new customer it brings, on the day of the first order.
        if (referrals > 0)
        {
            _sink.AddAdSpend(new AdSpend(day, DemoCatalog.OwnStore, DemoCatalog.Referral, referrals * ReferralBonus));
        }
    }

    private void Spend(DateOnly day, string marketplace, string channel, double expected) =>
        _sink.AddAdSpend(new AdSpend(day, marketplace, channel, Money(expected * _random.Uniform(0.85, 1.15))));

    private void AddFees(DateOnly day)
    {
        var growth = Growth(day);

        // More stock in the warehouses before the winter peak.
        var stock = day.Month is 10 or 11 or 12 ? 1.4 : 1.0;
        if (day.DayOfWeek == DayOfWeek.Monday)
        {
            Fee(day, DemoCatalog.Wildberries, "storage", 2400 * _scale * growth * stock * _random.Uniform(0.9, 1.1));
        }

        if (day.DayOfWeek == DayOfWeek.Sunday)
        {
            Fee(day, DemoCatalog.Ozon, "storage", 850 * _scale * growth * stock * _random.Uniform(0.9, 1.1));
        }

        if (_wbAcceptance.Contains(day))
        {
            Fee(day, DemoCatalog.Wildberries, "acceptance", _scale * _random.Uniform(1200, 6500));
        }

        if (_ozonAcceptance.Contains(day))
        {
            Fee(day, DemoCatalog.Ozon, "acceptance", _scale * _random.Uniform(600, 2400));
        }

        if (_wbPenalties.Contains(day))
        {
            // Penalties grow with the seller, though more slowly than its turnover.
            Fee(day, DemoCatalog.Wildberries, "penalty", Math.Round(Math.Sqrt(_scale) * _random.Uniform(500, 3000) / 100) * 100);
        }

        if (_ozonPenalties.Contains(day))
        {
            Fee(day, DemoCatalog.Ozon, "penalty", Math.Round(Math.Sqrt(_scale) * _random.Uniform(300, 1500) / 100) * 100);
        }

        if (day.Day == 1)
        {
            Fee(day, DemoCatalog.YandexMarket, "subscription", day >= _midYear ? 2490 : 1990);
            Fee(day, DemoCatalog.OwnStore, "subscription", 1490);
        }

        // Placement is billed at the end of the month on that month's turnover.
        if (day.AddDays(1).Day == 1)
        {
            if (_ymMonthRevenue > 0)
            {
                _sink.AddFee(new PeriodFee(day, DemoCatalog.YandexMarket, "placement", Money(_ymMonthRevenue * 0.015m)));
            }

            _ymMonthRevenue = 0;
        }
    }

    private void Fee(DateOnly day, string marketplace, string kind, double amount) =>
        _sink.AddFee(new PeriodFee(day, marketplace, kind, Money(amount)));

    private readonly record struct DayRates(
        double Wildberries,
        double Ozon,
        double YandexMarket,
        double OwnOrganic,
        double OwnVk,
        double OwnDirect,
        double OwnReferral,
        double Blogger);

    private sealed record PlannedOrder(
        MarketplaceTerms Terms,
        string Channel,
        string? CustomerId,
        TimeOnly Time,
        int Sequence,
        int LineCount);

    private sealed class OwnCustomer(string id, string acquisitionChannel)
    {
        public string Id { get; } = id;

        public string AcquisitionChannel { get; } = acquisitionChannel;

        public int Orders { get; set; } = 1;
    }
}
