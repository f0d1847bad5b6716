using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>
/// The fields of an order of <c>stats/orders</c> that the mapping reads; the rest stays in the payload.
/// <see cref="Subsidies"/> is null for a payload without a <c>subsidies</c> list: one stored before Yandex moved its
/// own share from the payment sources <c>MARKETPLACE</c>/<c>CASHBACK</c> to <c>subsidies[]</c> (a legacy payload).
/// </summary>
internal sealed record YmOrder(
    string? Id,
    string? CreationDate,
    string? StatusUpdateDate,
    string? Status,
    bool Fake,
    string? BuyerId,
    IReadOnlyList<YmItem> Items,
    IReadOnlyList<YmPayment> Payments,
    IReadOnlyList<YmCommission> Commissions,
    IReadOnlyList<YmSubsidy>? Subsidies)
{
    /// <summary>A payload from before <c>subsidies[]</c>: Yandex's share is in the payments and the item prices.</summary>
    public bool Legacy => Subsidies is null;

    /// <summary>
    /// Money of the order to the seller before charges: payments less refunds, plus Yandex's subsidies less what it
    /// deducted. With <c>subsidies[]</c> present, payments from the deprecated sources <c>MARKETPLACE</c> and
    /// <c>CASHBACK</c> are the same money again and are not counted.
    /// </summary>
    public decimal Money =>
        Payments.Where(p => Legacy || !p.IsYandexShare).Sum(p => p.Signed) + (Subsidies?.Sum(s => s.Signed) ?? 0m);

    /// <summary>What the order adds to the seller's balance with Yandex: <see cref="Money"/> less every charge.</summary>
    public decimal Payout => Money - Commissions.Sum(c => c.Actual);

    /// <summary>What Yandex took back of its share on returns: <c>DEDUCTION</c> subsidies, or in a legacy payload the refunds from its sources.</summary>
    public decimal YandexShareTakenBack => Legacy
        ? Payments.Where(p => p.IsYandexShare && p.IsRefund).Sum(p => p.Total)
        : Subsidies!.Where(s => s.IsDeduction).Sum(s => s.Amount);

    /// <summary>What Yandex accrued of its share (<c>ACCRUAL</c> subsidies); 0 in a legacy payload (its share is in the item prices).</summary>
    public decimal YandexShareAccrued => Subsidies?.Where(s => !s.IsDeduction).Sum(s => s.Amount) ?? 0m;
}

/// <summary>One item of an order: its SKU, units and what was paid for it, by price type.</summary>
internal sealed record YmItem(string? ShopSku, string? MarketSku, string? OfferName, int Count, decimal Buyer, decimal Marketplace, decimal Cashback)
{
    /// <summary>Yandex's share of the item's price as the item lists it: its discount (<c>MARKETPLACE</c>) and Plus points (<c>CASHBACK</c>).</summary>
    public decimal YandexShare => Marketplace + Cashback;

    /// <summary>
    /// The delivery Yandex lists as an item of its own (<c>offerName</c> "Доставка", no SKU): not a product line; what
    /// the buyer paid for it is income of the order's products.
    /// </summary>
    public bool IsDelivery => ShopSku is null && MarketSku is null
        && OfferName is { } name && (name.Equals("Доставка", StringComparison.OrdinalIgnoreCase) || name.Equals("Delivery", StringComparison.OrdinalIgnoreCase));
}

/// <summary>A money movement of an order: <c>PAYMENT</c> to the seller or <c>REFUND</c> taken back, from a source.</summary>
internal sealed record YmPayment(string? Type, string? Source, decimal Total)
{
    public bool IsRefund => string.Equals(Type, "REFUND", StringComparison.OrdinalIgnoreCase);

    public decimal Signed => IsRefund ? -Total : Total;

    /// <summary>The deprecated sources of Yandex's own share (<c>MARKETPLACE</c>, <c>CASHBACK</c>), now <c>subsidies[]</c>.</summary>
    public bool IsYandexShare => string.Equals(Source, "MARKETPLACE", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Source, "CASHBACK", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A subsidy of an order: Yandex's share (<c>SUBSIDY</c>, <c>YANDEX_CASHBACK</c>, <c>DELIVERY</c>), <c>ACCRUAL</c> or <c>DEDUCTION</c>.</summary>
internal sealed record YmSubsidy(string? OperationType, string? Type, decimal Amount)
{
    public bool IsDeduction => string.Equals(OperationType, "DEDUCTION", StringComparison.OrdinalIgnoreCase);

    public decimal Signed => IsDeduction ? -Amount : Amount;
}

/// <summary>A charge of an order (<c>FEE</c>, <c>DELIVERY_TO_CUSTOMER</c>, ...), as it finally stands (<c>actual</c>, else <c>predicted</c>).</summary>
internal sealed record YmCommission(string Type, decimal Actual);

/// <summary>The fields of a return the mapping reads.</summary>
internal sealed record YmReturn(
    string? Id,
    string? OrderId,
    string? ReturnType,
    string? RefundStatus,
    string? CreationDate,
    string? UpdateDate,
    decimal? Amount,
    IReadOnlyList<YmReturnItem> Items)
{
    /// <summary>Refund statuses of a customer return that refunded nothing and brought nothing back.</summary>
    public static readonly IReadOnlySet<string> VoidRefundStatuses = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CANCELLED", "REJECTED" };

    public bool IsUnredeemed => string.Equals(ReturnType, YandexMarketMapper.Unredeemed, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the return counts: a customer return (<c>RETURN</c>) whose refund was cancelled by the buyer or rejected
    /// (moderation, pick-up point) does not; <c>refundStatus</c> means nothing for an <c>UNREDEEMED</c> one (YM's spec).
    /// </summary>
    public bool Counts => IsUnredeemed || RefundStatus is null || !VoidRefundStatuses.Contains(RefundStatus);
}

/// <summary>One item of a return: SKU, units and the buyer's reason (from the first decision that gives one).</summary>
internal sealed record YmReturnItem(string? ShopSku, string? MarketSku, int Count, string? ReasonType);

/// <summary>Reads order and return payloads: numbers may come as JSON numbers or numeric strings; missing money is 0.</summary>
internal static class YandexMarketJson
{
    /// <summary>The order, or null when the payload is not an order of the documented shape (an id may be missing).</summary>
    public static YmOrder? TryReadOrder(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return ReadOrder(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The return, or null when the payload is not a return of the documented shape (ids may be missing).</summary>
    public static YmReturn? TryReadReturn(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return ReadReturn(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The order, or null when it is not a JSON object.</summary>
    public static YmOrder? ReadOrder(JsonElement order)
    {
        if (order.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var items = new List<YmItem>();
        foreach (var item in Array(order, "items"))
        {
            var count = Int(item, "count") ?? 1;
            decimal buyer = 0m, marketplace = 0m, cashback = 0m;
            foreach (var price in Array(item, "prices"))
            {
                var total = Money(price, "total") ?? ((Money(price, "costPerItem") ?? 0m) * count);
                switch (Text(price, "type")?.ToUpperInvariant())
                {
                    case "BUYER":
                        buyer += total;
                        break;
                    case "MARKETPLACE":
                        marketplace += total;
                        break;
                    case "CASHBACK":
                        cashback += total;
                        break;
                    default:
                        break;
                }
            }

            items.Add(new YmItem(Text(item, "shopSku"), Text(item, "marketSku"), Text(item, "offerName"), count, buyer, marketplace, cashback));
        }

        var payments = Array(order, "payments")
            .Select(p => new YmPayment(Text(p, "type"), Text(p, "source"), Money(p, "total") ?? 0m))
            .ToList();
        var commissions = Array(order, "commissions")
            .Select(c => new YmCommission(Text(c, "type")?.ToUpperInvariant() ?? "UNKNOWN", Money(c, "actual") ?? Money(c, "predicted") ?? 0m))
            .ToList();
        List<YmSubsidy>? subsidies = null;
        if (order.TryGetProperty("subsidies", out var subsidiesElement) && subsidiesElement.ValueKind == JsonValueKind.Array)
        {
            subsidies = [.. Array(order, "subsidies").Select(s => new YmSubsidy(Text(s, "operationType"), Text(s, "type"), Money(s, "amount") ?? 0m))];
        }

        var buyerId = order.TryGetProperty("buyer", out var buyerElement) && buyerElement.ValueKind == JsonValueKind.Object
            ? Text(buyerElement, "id")
            : null;
        var fake = order.TryGetProperty("fake", out var fakeElement) && fakeElement.ValueKind == JsonValueKind.True;
        return new YmOrder(
            Text(order, "id"), Text(order, "creationDate"), Text(order, "statusUpdateDate"), Text(order, "status"), fake, buyerId,
            items, payments, commissions, subsidies);
    }

    /// <summary>The return, or null when it is not a JSON object.</summary>
    public static YmReturn? ReadReturn(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        decimal? amount = element.TryGetProperty("amount", out var amountElement) && amountElement.ValueKind == JsonValueKind.Object
            ? Money(amountElement, "value")
            : null;
        var items = new List<YmReturnItem>();
        foreach (var item in Array(element, "items"))
        {
            var reason = Text(item, "reasonType")
                ?? Array(item, "decisions").Select(d => Text(d, "reasonType")).FirstOrDefault(r => r is not null);
            items.Add(new YmReturnItem(Text(item, "shopSku"), Text(item, "marketSku"), Int(item, "count") ?? 1, reason));
        }

        return new YmReturn(
            Text(element, "id"), Text(element, "orderId"), Text(element, "returnType"), Text(element, "refundStatus"),
            Text(element, "creationDate"), Text(element, "updateDate"), amount, items);
    }

    /// <summary>A property as text: a string (trimmed, empty is null) or a number's digits.</summary>
    public static string? Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()?.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>
    /// An amount: a JSON number or a numeric string (a decimal comma and spaces between thousands are read too, as
    /// Yandex's reports write them); null when missing or null; <see cref="FormatException"/> when it is no amount.
    /// </summary>
    public static decimal? Money(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return value.GetDecimal();
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var text = value.GetString()!.Trim().Replace("\u00a0", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
                if (text.Length == 0 || text is "-" or "—")
                {
                    return null;
                }

                if (decimal.TryParse(text.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                throw new FormatException($"'{name}' is not an amount");
            default:
                throw new FormatException($"'{name}' is not an amount");
        }
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static int? Int(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Null => null,
            _ => throw new FormatException($"'{name}' is not a whole number"),
        };
    }
}
