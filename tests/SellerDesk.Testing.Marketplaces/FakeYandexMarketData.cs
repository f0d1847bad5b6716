using System.Globalization;
using System.Text.Json.Serialization;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>A price of an item as <c>stats/orders</c> gives it: <c>BUYER</c>, <c>MARKETPLACE</c> (Yandex's discount) or <c>CASHBACK</c>.</summary>
public sealed record FakeYmPrice(string Type, decimal CostPerItem, decimal Total);

public sealed record FakeYmItem(string OfferName, long? MarketSku, string? ShopSku, int Count, IReadOnlyList<FakeYmPrice> Prices)
{
    [JsonIgnore]
    public decimal Revenue => Prices.Sum(p => p.Total);

    public decimal Total(string type) => Prices.Where(p => p.Type == type).Sum(p => p.Total);

    /// <summary>Yandex's share of the item's price as the item lists it.</summary>
    [JsonIgnore]
    public decimal YandexShare => Total("MARKETPLACE") + Total("CASHBACK");
}

public sealed record FakeYmCommission(string Type, decimal Actual)
{
    public decimal Predicted => Actual;
}

public sealed record FakeYmPaymentOrder(string Id, string Date);

public sealed record FakeYmPayment(string Id, string Date, string Type, string Source, decimal Total, FakeYmPaymentOrder? PaymentOrder = null);

/// <summary>Yandex's share of an order (<c>SUBSIDY</c>, <c>YANDEX_CASHBACK</c>, <c>DELIVERY</c>): <c>ACCRUAL</c>, or <c>DEDUCTION</c> on a return.</summary>
public sealed record FakeYmSubsidy(string OperationType, string Type, decimal Amount);

public sealed record FakeYmBuyer(string Id, string Type = "PERSON");

/// <summary>
/// An order of <c>POST /v2/campaigns/{id}/stats/orders</c>, serialized in the documented camelCase JSON. Without
/// <see cref="Subsidies"/> (null) it is an order as Yandex wrote them before November 2024: its share in payments
/// from the sources <c>MARKETPLACE</c> and <c>CASHBACK</c>.
/// </summary>
public sealed record FakeYmOrder(
    long Id,
    string CreationDate,
    string StatusUpdateDate,
    string Status,
    IReadOnlyList<FakeYmItem> Items,
    IReadOnlyList<FakeYmPayment> Payments,
    IReadOnlyList<FakeYmCommission> Commissions,
    FakeYmBuyer? Buyer = null,
    bool Fake = false,
    string PaymentType = "PREPAID",
    string Currency = "RUR",
    IReadOnlyList<FakeYmSubsidy>? Subsidies = null)
{
    /// <summary>The Moscow date the order was created (the date the report filters on).</summary>
    [JsonIgnore]
    public DateOnly CreatedOn => FakeYandexMarketData.DateOf(CreationDate);

    /// <summary>The Moscow date of the last status change (the date <c>updateFrom</c>/<c>updateTo</c> filter on).</summary>
    [JsonIgnore]
    public DateOnly UpdatedOn => FakeYandexMarketData.DateOf(StatusUpdateDate);

    [JsonIgnore]
    public decimal Revenue => Items.Sum(i => i.Revenue);

    /// <summary>
    /// What the order is worth to the seller's balance: payments less refunds, plus subsidies less deductions (the
    /// payment sources of Yandex's share are not counted again once there are subsidies), less commissions.
    /// </summary>
    [JsonIgnore]
    public decimal Payout =>
        Payments.Where(p => Subsidies is null || p.Source is not ("MARKETPLACE" or "CASHBACK")).Sum(p => p.Type == "REFUND" ? -p.Total : p.Total)
        + (Subsidies?.Sum(s => s.OperationType == "DEDUCTION" ? -s.Amount : s.Amount) ?? 0m)
        - Commissions.Sum(c => c.Actual);
}

public sealed record FakeYmAmount(decimal Value, string CurrencyId = "RUR");

public sealed record FakeYmDecision(string ReasonType, string DecisionType = "REFUND_MONEY", string? Comment = null);

public sealed record FakeYmReturnItem(long MarketSku, string ShopSku, int Count, IReadOnlyList<FakeYmDecision>? Decisions = null);

/// <summary>A return of <c>GET /v2/campaigns/{id}/returns</c>: <c>UNREDEEMED</c> (not picked up) or <c>RETURN</c>.</summary>
public sealed record FakeYmReturn(
    long Id,
    long OrderId,
    string CreationDate,
    string UpdateDate,
    string ReturnType,
    IReadOnlyList<FakeYmReturnItem> Items,
    FakeYmAmount? Amount = null,
    string RefundStatus = "REFUNDED")
{
    [JsonIgnore]
    public DateOnly CreatedOn => FakeYandexMarketData.DateOf(CreationDate);

    /// <summary>The Moscow date of the last change: the date <c>fromDate</c>/<c>toDate</c> filter on.</summary>
    [JsonIgnore]
    public DateOnly UpdatedOn => FakeYandexMarketData.DateOf(UpdateDate);
}

/// <summary>
/// A charge of the services report that the orders report does not carry: storage, acceptance, promotion, or an
/// order's warehouse processing. <see cref="FakeYandexMarket"/> writes it in the columns of its sheet.
/// </summary>
public sealed record FakeYmService(string Sheet, DateOnly Date, decimal Amount, long? OrderId = null, string? ShopSku = null, string? ServiceName = null, string? Warehouse = null);

/// <summary>An order or return exactly as JSON text (partial rows as in YM's documentation samples), with the dates the fake filters it by.</summary>
public sealed record FakeYmRaw(DateOnly FilterDate, string Json);

/// <summary>
/// What a fake Yandex Market serves: orders, returns and the charges of the services report, hand-made or generated
/// (<see cref="Generate"/>) so that the payments and subsidies of every order are its items' prices less the refunds
/// and deductions of its returns, as a settled campaign's are.
/// </summary>
public sealed record FakeYandexMarketData(IReadOnlyList<FakeYmOrder> Orders, IReadOnlyList<FakeYmReturn> Returns)
{
    public const long DefaultBusinessId = 77_000_555;

    public static FakeYandexMarketData Empty { get; } = new([], []);

    private static readonly string[] Reasons = ["DO_NOT_FIT", "BAD_QUALITY", "WRONG_ITEM", "DO_NOT_FIT", "DAMAGE_DELIVERY"];

    /// <summary>Charges of the services report outside the orders report.</summary>
    public IReadOnlyList<FakeYmService> Services { get; init; } = [];

    /// <summary>Orders served as they are (creation date to filter by, JSON).</summary>
    public IReadOnlyList<FakeYmRaw> RawOrders { get; init; } = [];

    /// <summary>Returns served as they are (update date to filter by, JSON).</summary>
    public IReadOnlyList<FakeYmRaw> RawReturns { get; init; } = [];

    /// <summary>Services report sheets served as they are (sheet name, JSON text of the file).</summary>
    public IReadOnlyDictionary<string, string> RawSheets { get; init; } = new Dictionary<string, string>();

    public long BusinessId { get; init; } = DefaultBusinessId;

    /// <summary>The payout of every order (payments and subsidies less refunds, deductions and commissions; test orders left out) less the services charged.</summary>
    public decimal Payout => Orders.Where(o => !o.Fake).Sum(o => o.Payout) - Services.Sum(s => s.Amount);

    /// <summary>A copy with the orders matching <paramref name="which"/> changed (a restatement between two pulls).</summary>
    public FakeYandexMarketData Restate(Func<FakeYmOrder, bool> which, Func<FakeYmOrder, FakeYmOrder> change) =>
        this with { Orders = [.. Orders.Select(o => which(o) ? change(o) : o)] };

    /// <summary>
    /// A realistic, settled campaign: <paramref name="days"/> days from <paramref name="start"/>, about
    /// <paramref name="ordersPerDay"/> orders a day of 1-3 SKUs, with Yandex's discounts and cashback as subsidies,
    /// every commission type the mapping knows, some DBS buyers (some of them repeat), customer returns (whole and
    /// partial, with refunds and deductions; some cancelled or rejected, refunding nothing), orders not picked up
    /// (UNREDEEMED, no payment), orders cancelled before shipment, and the services report's storage, acceptance,
    /// promotion and warehouse processing. Returns fall inside the days. <paramref name="legacy"/> writes the orders as
    /// Yandex did before <c>subsidies[]</c>.
    /// </summary>
    public static FakeYandexMarketData Generate(DateOnly start, int days, int ordersPerDay, int seed = 1, bool legacy = false)
    {
        var random = new Random(seed);
        var orders = new List<FakeYmOrder>();
        var returns = new List<FakeYmReturn>();
        var services = new List<FakeYmService>();
        var last = start.AddDays(days - 1);
        var orderId = 52_000_000L;
        var returnId = 910_000L;
        for (var day = 0; day < days; day++)
        {
            var date = start.AddDays(day);
            for (var k = 0; k < ordersPerDay; k++)
            {
                orderId++;
                var minute = (7 * 60) + (k * (16 * 60) / ordersPerDay) + random.Next(0, 20);
                var created = Moscow(date, minute);
                var items = new List<FakeYmItem>();
                var skus = Enumerable.Range(1, 8).OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                foreach (var sku in skus)
                {
                    var count = random.Next(1, 3);
                    var price = random.Next(300, 5000) + (random.Next(0, 100) / 100m);
                    var subsidy = random.NextDouble() < 0.3 ? Math.Round(price * 0.05m, 2) : 0m;
                    var cashback = random.NextDouble() < 0.2 ? 50m : 0m;
                    var buyer = price - subsidy - cashback;
                    var prices = new List<FakeYmPrice> { new("BUYER", buyer, buyer * count) };
                    if (subsidy > 0m)
                    {
                        prices.Add(new FakeYmPrice("MARKETPLACE", subsidy, subsidy * count));
                    }

                    if (cashback > 0m)
                    {
                        prices.Add(new FakeYmPrice("CASHBACK", cashback, cashback * count));
                    }

                    items.Add(new FakeYmItem($"Товар {sku}", 100_000 + sku, $"SKU-{sku:00}", count, prices));
                }

                var revenue = items.Sum(i => i.Revenue);
                var units = items.Sum(i => i.Count);
                var buyerId = random.NextDouble() < 0.3 ? new FakeYmBuyer($"buyer-{random.Next(1, 40)}") : null;
                var roll = random.NextDouble();
                var returnOn = date.AddDays(random.Next(2, 6));
                if (returnOn > last)
                {
                    returnOn = last;
                }

                var returnAt = Moscow(returnOn, 20 * 60 + random.Next(0, 200));
                var paid = Paid(orderId, date, items, legacy);
                var commissions = new List<FakeYmCommission>
                {
                    new("FEE", Math.Round(revenue * 0.09m, 2)),
                    new("DELIVERY_TO_CUSTOMER", 60m + (15m * units)),
                    new("PAYMENT_TRANSFER", Math.Round(items.Sum(i => i.Total("BUYER")) * 0.01m, 2)),
                    new("AGENCY", Math.Round(revenue * 0.015m, 2)),
                };
                if (random.NextDouble() < 0.2)
                {
                    commissions.Add(new FakeYmCommission("AUCTION_PROMOTION", Math.Round(revenue * 0.03m, 2)));
                }

                if (random.NextDouble() < 0.1 && roll < 0.86)
                {
                    // FBY warehouse processing of an order that was shipped: in the services report only.
                    services.Add(new FakeYmService("warehouse_processing", date, 25m * units, orderId, items[0].ShopSku, "Обработка заказа на складе"));
                }

                if (roll < 0.66 || returnOn == date)
                {
                    orders.Add(new FakeYmOrder(orderId, created, returnAt, "DELIVERED", items, paid.Payments, commissions, buyerId, Subsidies: paid.Subsidies));
                }
                else if (roll < 0.70)
                {
                    // A customer return the buyer cancelled (or the pick-up point rejected): nothing refunded, nothing back.
                    returnId++;
                    orders.Add(new FakeYmOrder(orderId, created, returnAt, "DELIVERED", items, paid.Payments, commissions, buyerId, Subsidies: paid.Subsidies));
                    returns.Add(new FakeYmReturn(
                        returnId, orderId, returnAt, returnAt, "RETURN",
                        [new FakeYmReturnItem(items[0].MarketSku!.Value, items[0].ShopSku!, 1, [new FakeYmDecision("DO_NOT_FIT")])],
                        new FakeYmAmount(items[0].Total("BUYER") / items[0].Count),
                        RefundStatus: random.NextDouble() < 0.5 ? "CANCELLED" : "REJECTED"));
                }
                else if (roll < 0.80)
                {
                    // Returned whole by the buyer: everything refunded and deducted, the fee kept, return processing charged.
                    returnId++;
                    commissions.Add(new FakeYmCommission("RETURN_PROCESSING", 75m));
                    var back = Paid(orderId, returnOn, items, legacy, refund: true);
                    orders.Add(new FakeYmOrder(
                        orderId, created, returnAt, "RETURNED", items, [.. paid.Payments, .. back.Payments], commissions, buyerId,
                        Subsidies: legacy ? null : [.. paid.Subsidies!, .. back.Subsidies!]));
                    returns.Add(new FakeYmReturn(
                        returnId, orderId, returnAt, returnAt, "RETURN",
                        [.. items.Select(i => new FakeYmReturnItem(i.MarketSku!.Value, i.ShopSku!, i.Count, [new FakeYmDecision(Reasons[random.Next(Reasons.Length)])]))],
                        new FakeYmAmount(items.Sum(i => i.Total("BUYER")))));
                }
                else if (roll < 0.86)
                {
                    // One unit of the first item comes back: its buyer price refunded, Yandex's share of it taken back
                    // (deducted from the subsidies, or in a legacy order refunded from the MARKETPLACE source).
                    returnId++;
                    var item = items[0];
                    var buyerUnit = Math.Round(item.Total("BUYER") / item.Count, 2, MidpointRounding.AwayFromZero);
                    var yandexUnit = Math.Round(item.YandexShare / item.Count, 2, MidpointRounding.AwayFromZero);
                    var status = items.Count == 1 && item.Count == 1 ? "RETURNED" : "PARTIALLY_RETURNED";
                    List<FakeYmPayment> payments = [.. paid.Payments, new FakeYmPayment($"r{orderId}", Day(returnOn), "REFUND", "BUYER", buyerUnit)];
                    List<FakeYmSubsidy>? subsidies = legacy ? null : [.. paid.Subsidies!];
                    if (yandexUnit > 0m && legacy)
                    {
                        payments.Add(new FakeYmPayment($"r{orderId}-y", Day(returnOn), "REFUND", "MARKETPLACE", yandexUnit));
                    }
                    else if (yandexUnit > 0m)
                    {
                        subsidies!.Add(new FakeYmSubsidy("DEDUCTION", "SUBSIDY", yandexUnit));
                    }

                    orders.Add(new FakeYmOrder(orderId, created, returnAt, status, items, payments, commissions, buyerId, Subsidies: subsidies));
                    returns.Add(new FakeYmReturn(
                        returnId, orderId, returnAt, returnAt, "RETURN",
                        [new FakeYmReturnItem(item.MarketSku!.Value, item.ShopSku!, 1, [new FakeYmDecision(Reasons[random.Next(Reasons.Length)])])],
                        new FakeYmAmount(buyerUnit)));
                }
                else if (roll < 0.93)
                {
                    // Not picked up: never paid, no subsidy accrued, delivery and return processing charged, goods back to stock.
                    returnId++;
                    List<FakeYmCommission> charged = [new("DELIVERY_TO_CUSTOMER", 60m + (15m * units)), new("RETURN_PROCESSING", 45m)];
                    orders.Add(new FakeYmOrder(
                        orderId, created, returnAt, "CANCELLED_IN_DELIVERY", items, [], charged, buyerId, PaymentType: "POSTPAID", Subsidies: legacy ? null : []));
                    returns.Add(new FakeYmReturn(
                        returnId, orderId, returnAt, returnAt, "UNREDEEMED",
                        [.. items.Select(i => new FakeYmReturnItem(i.MarketSku!.Value, i.ShopSku!, i.Count))],
                        RefundStatus: "UNKNOWN"));
                }
                else
                {
                    orders.Add(new FakeYmOrder(orderId, created, created, "CANCELLED_BEFORE_PROCESSING", items, [], [], buyerId, Subsidies: legacy ? null : []));
                }
            }

            foreach (var sku in new[] { "SKU-01", "SKU-04", "SKU-07" })
            {
                services.Add(new FakeYmService("paid_storage_after_01-06-22", date, 30m + random.Next(0, 3000) / 100m, ShopSku: sku, ServiceName: "Хранение", Warehouse: "Софьино"));
            }

            if (day % 7 == 2)
            {
                services.Add(new FakeYmService("goods_acceptance", date, 150m + random.Next(0, 50), ShopSku: "SKU-02", ServiceName: "Приёмка"));
            }

            if (day % 5 == 1)
            {
                services.Add(new FakeYmService("shelf", date, 500m, ServiceName: "Полки"));
            }
        }

        return new FakeYandexMarketData(orders, returns) { Services = services };
    }

    /// <summary>
    /// What an order brings in (or, with <paramref name="refund"/>, gives back): the buyer's money as payments from the
    /// source <c>BUYER</c>, Yandex's share as subsidies; in a <paramref name="legacy"/> order one payment per source.
    /// </summary>
    public static (List<FakeYmPayment> Payments, List<FakeYmSubsidy>? Subsidies) Paid(long orderId, DateOnly on, IReadOnlyList<FakeYmItem> items, bool legacy = false, bool refund = false)
    {
        var payments = new List<FakeYmPayment>();
        foreach (var type in legacy ? new[] { "BUYER", "MARKETPLACE", "CASHBACK" } : ["BUYER"])
        {
            var total = items.Sum(i => i.Total(type));
            if (total != 0m)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{(refund ? "r" : "p")}{orderId}-{type}");
                payments.Add(new FakeYmPayment(
                    id, Day(on.AddDays(1)), refund ? "REFUND" : "PAYMENT", type, total, new FakeYmPaymentOrder("po-" + id, Day(on.AddDays(1)))));
            }
        }

        if (legacy)
        {
            return (payments, null);
        }

        var operation = refund ? "DEDUCTION" : "ACCRUAL";
        var subsidies = new List<FakeYmSubsidy>();
        var discount = items.Sum(i => i.Total("MARKETPLACE"));
        var cashback = items.Sum(i => i.Total("CASHBACK"));
        if (discount != 0m)
        {
            subsidies.Add(new FakeYmSubsidy(operation, "SUBSIDY", discount));
        }

        if (cashback != 0m)
        {
            subsidies.Add(new FakeYmSubsidy(operation, "YANDEX_CASHBACK", cashback));
        }

        return (payments, subsidies);
    }

    /// <summary>A Moscow time as Yandex writes it: <c>2026-03-01T10:15:00+03:00</c>.</summary>
    public static string Moscow(DateOnly date, int minuteOfDay) =>
        date.ToDateTime(TimeOnly.MinValue).AddMinutes(minuteOfDay).ToString("yyyy-MM-dd'T'HH:mm:ss'+03:00'", CultureInfo.InvariantCulture);

    /// <summary>The date a Yandex time starts with (<c>yyyy-MM-dd...</c>, the older <c>dd-MM-yyyy...</c> or the reports' <c>dd.MM.yyyy...</c>).</summary>
    public static DateOnly DateOf(string time) =>
        DateOnly.ParseExact(time[..10], ["yyyy-MM-dd", "dd-MM-yyyy", "dd.MM.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
