using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>The fields of an order of <c>stats/orders</c> that the mapping reads; the rest stays in the payload.</summary>
internal sealed record YmOrder(
    string Id,
    string? CreationDate,
    string? Status,
    bool Fake,
    string? BuyerId,
    IReadOnlyList<YmItem> Items,
    IReadOnlyList<YmPayment> Payments,
    IReadOnlyList<YmCommission> Commissions);

/// <summary>One item of an order: its SKU, units and what was paid for it, by price type.</summary>
internal sealed record YmItem(string? ShopSku, string? MarketSku, int Count, decimal Buyer, decimal Marketplace, decimal Cashback)
{
    /// <summary>What the seller gets for the item: the buyer's price plus Yandex's subsidies (discount and cashback).</summary>
    public decimal Revenue => Buyer + Marketplace + Cashback;
}

/// <summary>A money movement of an order: <c>PAYMENT</c> to the seller or <c>REFUND</c> taken back.</summary>
internal sealed record YmPayment(string? Type, string? Source, decimal Total)
{
    public decimal Signed => string.Equals(Type, "REFUND", StringComparison.OrdinalIgnoreCase) ? -Total : Total;
}

/// <summary>A charge of an order (<c>FEE</c>, <c>DELIVERY_TO_CUSTOMER</c>, ...), as it finally stands (<c>actual</c>).</summary>
internal sealed record YmCommission(string Type, decimal Actual);

/// <summary>The fields of a return the mapping reads.</summary>
internal sealed record YmReturn(
    string Id,
    string OrderId,
    string? ReturnType,
    string? CreationDate,
    string? UpdateDate,
    decimal? Amount,
    IReadOnlyList<YmReturnItem> Items);

/// <summary>One item of a return: SKU, units and the buyer's reason (from the first decision that gives one).</summary>
internal sealed record YmReturnItem(string? ShopSku, string? MarketSku, int Count, string? ReasonType);

/// <summary>Reads order and return payloads: numbers may come as JSON numbers or numeric strings; missing money is 0.</summary>
internal static class YandexMarketJson
{
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

    /// <summary>The order, or null when it has no id.</summary>
    public static YmOrder? ReadOrder(JsonElement order)
    {
        if (order.ValueKind != JsonValueKind.Object || Text(order, "id") is not { } id)
        {
            return null;
        }

        var items = new List<YmItem>();
        foreach (var item in Array(order, "items"))
        {
            var count = Int(item, "count") ?? 0;
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

            items.Add(new YmItem(Text(item, "shopSku"), Text(item, "marketSku"), count, buyer, marketplace, cashback));
        }

        var payments = Array(order, "payments")
            .Select(p => new YmPayment(Text(p, "type"), Text(p, "source"), Money(p, "total") ?? 0m))
            .ToList();
        var commissions = Array(order, "commissions")
            .Select(c => new YmCommission(Text(c, "type")?.ToUpperInvariant() ?? "UNKNOWN", Money(c, "actual") ?? 0m))
            .ToList();
        var buyerId = order.TryGetProperty("buyer", out var buyerElement) && buyerElement.ValueKind == JsonValueKind.Object
            ? Text(buyerElement, "id")
            : null;
        var fake = order.TryGetProperty("fake", out var fakeElement) && fakeElement.ValueKind == JsonValueKind.True;
        return new YmOrder(id, Text(order, "creationDate"), Text(order, "status"), fake, buyerId, items, payments, commissions);
    }

    /// <summary>The return, or null when it has no id or no order id.</summary>
    public static YmReturn? ReadReturn(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || Text(element, "id") is not { } id || Text(element, "orderId") is not { } orderId)
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
            id, orderId, Text(element, "returnType"), Text(element, "creationDate"), Text(element, "updateDate"), amount, items);
    }

    /// <summary>A property as text: a string (trimmed, empty is null) or a number's digits.</summary>
    public static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
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

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static decimal? Money(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDecimal(),
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Null => null,
            _ => throw new FormatException($"'{name}' is not an amount"),
        };
    }

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
