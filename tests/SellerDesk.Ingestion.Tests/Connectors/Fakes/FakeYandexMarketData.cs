using System.Globalization;
using System.Text.Json.Serialization;

namespace SellerDesk.Ingestion.Tests.Connectors.Fakes;

/// <summary>A price of an item as <c>stats/orders</c> gives it: <c>BUYER</c>, <c>MARKETPLACE</c> (subsidy) or <c>CASHBACK</c>.</summary>
public sealed record FakeYmPrice(string Type, decimal CostPerItem, decimal Total);

public sealed record FakeYmItem(string OfferName, long MarketSku, string ShopSku, int Count, IReadOnlyList<FakeYmPrice> Prices)
{
    [JsonIgnore]
    public decimal Revenue => Prices.Sum(p => p.Total);

    public decimal Total(string type) => Prices.Where(p => p.Type == type).Sum(p => p.Total);
}

public sealed record FakeYmCommission(string Type, decimal Actual)
{
    public decimal Predicted => Actual;
}

public sealed record FakeYmPaymentOrder(string Id, string Date);

public sealed record FakeYmPayment(string Id, string Date, string Type, string Source, decimal Total, FakeYmPaymentOrder? PaymentOrder = null);

public sealed record FakeYmBuyer(string Id, string Type = "PERSON");

/// <summary>An order of <c>POST /v2/campaigns/{id}/stats/orders</c>, serialized in the documented camelCase JSON.</summary>
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
    string Currency = "RUR")
{
    /// <summary>The Moscow date the order was created (the date the report filters on).</summary>
    [JsonIgnore]
    public DateOnly CreatedOn => FakeYandexMarketData.DateOf(CreationDate);

    /// <summary>The Moscow date of the last status change (the date <c>updateFrom</c>/<c>updateTo</c> filter on).</summary>
    [JsonIgnore]
    public DateOnly UpdatedOn => FakeYandexMarketData.DateOf(StatusUpdateDate);

    [JsonIgnore]
    public decimal Revenue => Items.Sum(i => i.Revenue);

    /// <summary>Payments less refunds less commissions: what the order is worth to the seller's balance.</summary>
    [JsonIgnore]
    public decimal Payout => Payments.Sum(p => p.Type == "REFUND" ? -p.Total : p.Total) - Commissions.Sum(c => c.Actual);
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
    public DateOnly CreatedOn => DateOnly.ParseExact(CreationDate[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// What a fake Yandex Market serves: orders and returns, hand-made or generated (<see cref="Generate"/>) so that the
/// payments of every order are its items' prices less the refunds of its returns, as a settled campaign's are.
/// </summary>
public sealed record FakeYandexMarketData(IReadOnlyList<FakeYmOrder> Orders, IReadOnlyList<FakeYmReturn> Returns)
{
    public static FakeYandexMarketData Empty { get; } = new([], []);

    private static readonly string[] Reasons = ["DO_NOT_FIT", "BAD_QUALITY", "WRONG_ITEM", "DO_NOT_FIT", "DAMAGE_DELIVERY"];

    /// <summary>The payout of every order (payments less refunds less commissions), test orders left out.</summary>
    public decimal Payout => Orders.Where(o => !o.Fake).Sum(o => o.Payout);

    /// <summary>A copy with the orders matching <paramref name="which"/> changed (a restatement between two pulls).</summary>
    public FakeYandexMarketData Restate(Func<FakeYmOrder, bool> which, Func<FakeYmOrder, FakeYmOrder> change) =>
        this with { Orders = [.. Orders.Select(o => which(o) ? change(o) : o)] };

    /// <summary>
    /// A realistic, settled campaign: <paramref name="days"/> days from <paramref name="start"/>, about
    /// <paramref name="ordersPerDay"/> orders a day of 1-3 SKUs, with subsidies and cashback, every commission type
    /// the mapping knows, some DBS buyers (some of them repeat), customer returns (whole and partial, with refunds),
    /// orders not picked up (UNREDEEMED, no payment) and orders cancelled before shipment. Returns fall inside the days.
    /// </summary>
    public static FakeYandexMarketData Generate(DateOnly start, int days, int ordersPerDay, int seed = 1)
    {
        var random = new Random(seed);
        var orders = new List<FakeYmOrder>();
        var returns = new List<FakeYmReturn>();
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
                var fullPayments = Payments(orderId, date, items);
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

                if (roll < 0.70 || returnOn == date)
                {
                    orders.Add(new FakeYmOrder(orderId, created, returnAt, "DELIVERED", items, fullPayments, commissions, buyerId));
                }
                else if (roll < 0.80)
                {
                    // Returned whole by the buyer: everything refunded, the fee kept, return processing charged.
                    returnId++;
                    commissions.Add(new FakeYmCommission("RETURN_PROCESSING", 75m));
                    var refunds = Payments(orderId, returnOn, items, refund: true);
                    orders.Add(new FakeYmOrder(orderId, created, returnAt, "RETURNED", items, [.. fullPayments, .. refunds], commissions, buyerId));
                    returns.Add(new FakeYmReturn(
                        returnId, orderId, returnAt, returnAt, "RETURN",
                        [.. items.Select(i => new FakeYmReturnItem(i.MarketSku, i.ShopSku, i.Count, [new FakeYmDecision(Reasons[random.Next(Reasons.Length)])]))],
                        new FakeYmAmount(revenue)));
                }
                else if (roll < 0.86)
                {
                    // One unit of the first item comes back.
                    returnId++;
                    var item = items[0];
                    var unit = Math.Round(item.Revenue / item.Count, 2, MidpointRounding.AwayFromZero);
                    var refund = item.Count == 1 ? item.Revenue : unit;
                    var status = items.Count == 1 && item.Count == 1 ? "RETURNED" : "PARTIALLY_RETURNED";
                    orders.Add(new FakeYmOrder(
                        orderId, created, returnAt, status, items,
                        [.. fullPayments, new FakeYmPayment($"r{orderId}", Day(returnOn), "REFUND", "BUYER", refund)],
                        commissions, buyerId));
                    returns.Add(new FakeYmReturn(
                        returnId, orderId, returnAt, returnAt, "RETURN",
                        [new FakeYmReturnItem(item.MarketSku, item.ShopSku, 1, [new FakeYmDecision(Reasons[random.Next(Reasons.Length)])])],
                        new FakeYmAmount(refund)));
                }
                else if (roll < 0.93)
                {
                    // Not picked up: never paid, delivery and return processing charged, goods back to stock.
                    returnId++;
                    List<FakeYmCommission> charged = [new("DELIVERY_TO_CUSTOMER", 60m + (15m * units)), new("RETURN_PROCESSING", 45m)];
                    orders.Add(new FakeYmOrder(orderId, created, returnAt, "CANCELLED_IN_DELIVERY", items, [], charged, buyerId, PaymentType: "POSTPAID"));
                    returns.Add(new FakeYmReturn(
                        returnId, orderId, returnAt, returnAt, "UNREDEEMED",
                        [.. items.Select(i => new FakeYmReturnItem(i.MarketSku, i.ShopSku, i.Count))]));
                }
                else
                {
                    orders.Add(new FakeYmOrder(orderId, created, created, "CANCELLED_BEFORE_PROCESSING", items, [], [], buyerId));
                }
            }
        }

        return new FakeYandexMarketData(orders, returns);
    }

    /// <summary>One payment (or refund) per price source of the items, as Yandex lists them.</summary>
    public static List<FakeYmPayment> Payments(long orderId, DateOnly on, IReadOnlyList<FakeYmItem> items, bool refund = false)
    {
        var payments = new List<FakeYmPayment>();
        foreach (var type in new[] { "BUYER", "MARKETPLACE", "CASHBACK" })
        {
            var total = items.Sum(i => i.Total(type));
            if (total != 0m)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{(refund ? "r" : "p")}{orderId}-{type}");
                payments.Add(new FakeYmPayment(
                    id, Day(on.AddDays(1)), refund ? "REFUND" : "PAYMENT", type, total, new FakeYmPaymentOrder("po-" + id, Day(on.AddDays(1)))));
            }
        }

        return payments;
    }

    /// <summary>A Moscow time as Yandex writes it: <c>2026-03-01T10:15:00+03:00</c>.</summary>
    public static string Moscow(DateOnly date, int minuteOfDay) =>
        date.ToDateTime(TimeOnly.MinValue).AddMinutes(minuteOfDay).ToString("yyyy-MM-dd'T'HH:mm:ss'+03:00'", CultureInfo.InvariantCulture);

    /// <summary>The date a Yandex time starts with (<c>yyyy-MM-dd...</c> or the older <c>dd-MM-yyyy...</c>).</summary>
    public static DateOnly DateOf(string time) =>
        DateOnly.ParseExact(time[..10], ["yyyy-MM-dd", "dd-MM-yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
