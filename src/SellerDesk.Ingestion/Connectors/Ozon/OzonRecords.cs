using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>A named charge or credit: an Ozon service (<c>MarketplaceServiceItemDirectFlowLogistic</c>) and its signed amount.</summary>
internal sealed record OzonService(string Name, decimal Amount);

/// <summary>One product of a posting (<c>products[]</c>) with its <c>financial_data.products[]</c> entry, if any.</summary>
internal sealed record OzonPostingProduct(
    string Sku, string? OfferId, int Quantity, decimal Price, decimal? Commission, decimal? Payout, IReadOnlyList<OzonService> ItemServices);

/// <summary>The fields of an FBO or FBS posting that the mapping reads.</summary>
internal sealed record OzonPosting(
    string PostingNumber,
    string Status,
    DateTimeOffset? OrderedAt,
    string? CustomerId,
    IReadOnlyList<OzonPostingProduct> Products,
    IReadOnlyList<OzonService> PostingServices);

/// <summary>The fields of a <c>/v1/returns/list</c> row that the mapping reads.</summary>
internal sealed record OzonReturn(
    string Id,
    string PostingNumber,
    string Type,
    string? Sku,
    int Quantity,
    decimal? Price,
    DateTimeOffset? ReturnedAt,
    bool IsOpened,
    string? ReasonName);

/// <summary>The fields of a <c>/v3/finance/transaction/list</c> operation that the mapping reads. Charges are negative.</summary>
internal sealed record OzonOperation(
    string OperationId,
    string Type,
    DateTimeOffset? Date,
    string? PostingNumber,
    decimal Accruals,
    decimal SaleCommission,
    decimal DeliveryCharge,
    decimal ReturnDeliveryCharge,
    decimal Amount,
    IReadOnlyList<OzonService> Services);

/// <summary>Reads Ozon JSON leniently: numbers may come as JSON numbers or strings (<c>"price": "1390.000000"</c>).</summary>
internal static class OzonJson
{
    public static OzonPosting ReadPosting(JsonElement p)
    {
        var number = Text(p, "posting_number");
        if (string.IsNullOrWhiteSpace(number))
        {
            throw new FormatException("a posting without posting_number");
        }

        var financial = Object(p, "financial_data");
        var financialProducts = financial is { } f && f.TryGetProperty("products", out var fp) && fp.ValueKind == JsonValueKind.Array
            ? [.. fp.EnumerateArray()]
            : new List<JsonElement>();
        var used = new bool[financialProducts.Count];
        var products = new List<OzonPostingProduct>();
        if (p.TryGetProperty("products", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var product in list.EnumerateArray())
            {
                var sku = Text(product, "sku") ?? throw new FormatException($"a product of posting {number} without sku");
                var fin = MatchFinancial(financialProducts, used, sku, index++);
                products.Add(new OzonPostingProduct(
                    sku.Trim(),
                    Text(product, "offer_id")?.Trim(),
                    (int)(Decimal(product, "quantity") ?? 1m),
                    Decimal(product, "price") ?? (fin is { } fpr ? Decimal(fpr, "price") : null) ?? 0m,
                    fin is { } c ? Decimal(c, "commission_amount") : null,
                    fin is { } pay ? Decimal(pay, "payout") : null,
                    fin is { } s ? Services(s, "item_services") : []));
            }
        }

        var customer = Object(p, "customer");
        var customerId = customer is { } cu ? Text(cu, "customer_id") : null;
        if (customerId is not null && (string.IsNullOrWhiteSpace(customerId) || customerId.Trim() == "0"))
        {
            customerId = null;
        }

        return new OzonPosting(
            number.Trim(),
            Text(p, "status")?.Trim() ?? string.Empty,
            Time(p, "in_process_at") ?? Time(p, "created_at"),
            customerId?.Trim(),
            products,
            financial is { } fd ? Services(fd, "posting_services") : []);
    }

    public static OzonReturn ReadReturn(JsonElement r)
    {
        var id = Text(r, "id");
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new FormatException("a return without id");
        }

        var product = Object(r, "product");
        decimal? price = null;
        if (product is { } pr && pr.TryGetProperty("price", out var pv))
        {
            price = pv.ValueKind == JsonValueKind.Object ? Decimal(pv, "price") : AsDecimal(pv);
        }

        var logistic = Object(r, "logistic");
        var visual = Object(r, "visual");
        var info = Object(r, "additional_info");
        return new OzonReturn(
            id.Trim(),
            Text(r, "posting_number")?.Trim() ?? string.Empty,
            Text(r, "type")?.Trim() ?? string.Empty,
            product is { } ps ? Text(ps, "sku")?.Trim() : null,
            product is { } pq ? (int)(Decimal(pq, "quantity") ?? 1m) : 1,
            price,
            (logistic is { } l ? Time(l, "return_date") ?? Time(l, "final_moment") : null)
                ?? (visual is { } v ? Time(v, "change_moment") : null)
                ?? Time(r, "returned_at"),
            info is { } i && i.TryGetProperty("is_opened", out var opened) && opened.ValueKind == JsonValueKind.True,
            Text(r, "return_reason_name"));
    }

    public static OzonOperation ReadOperation(JsonElement o)
    {
        var id = Text(o, "operation_id");
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new FormatException("an operation without operation_id");
        }

        var posting = Object(o, "posting");
        var postingNumber = posting is { } p ? Text(p, "posting_number")?.Trim() : null;
        var services = new List<OzonService>();
        if (o.TryGetProperty("services", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var service in list.EnumerateArray())
            {
                services.Add(new OzonService(Text(service, "name") ?? string.Empty, Decimal(service, "price") ?? 0m));
            }
        }

        return new OzonOperation(
            id.Trim(),
            Text(o, "operation_type")?.Trim() ?? string.Empty,
            Time(o, "operation_date"),
            string.IsNullOrEmpty(postingNumber) ? null : postingNumber,
            Decimal(o, "accruals_for_sale") ?? 0m,
            Decimal(o, "sale_commission") ?? 0m,
            Decimal(o, "delivery_charge") ?? 0m,
            Decimal(o, "return_delivery_charge") ?? 0m,
            Decimal(o, "amount") ?? 0m,
            services);
    }

    /// <summary>An Ozon time: ISO 8601 (<c>2026-02-03T10:15:00Z</c>) or <c>2026-02-03 10:15:00</c>; without an offset it is UTC.</summary>
    public static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(
            text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : null;
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : null;

    public static decimal? Decimal(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? AsDecimal(value) : null;

    public static DateTimeOffset? Time(JsonElement element, string name) => ParseTime(Text(element, name));

    private static decimal? AsDecimal(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    /// <summary>The financial entry of a product: the unused one whose <c>product_id</c> is the sku, else the one at its index.</summary>
    private static JsonElement? MatchFinancial(List<JsonElement> financial, bool[] used, string sku, int index)
    {
        for (var i = 0; i < financial.Count; i++)
        {
            if (!used[i] && string.Equals(Text(financial[i], "product_id")?.Trim(), sku.Trim(), StringComparison.Ordinal))
            {
                used[i] = true;
                return financial[i];
            }
        }

        if (index < financial.Count && !used[index] && Text(financial[index], "product_id") is null)
        {
            used[index] = true;
            return financial[index];
        }

        return null;
    }

    /// <summary>
    /// Services as an object of named amounts (<c>{"marketplace_service_item_fulfillment": -40.5, ...}</c>, the
    /// documented shape) or as a list of <c>{name, price}</c>.
    /// </summary>
    private static List<OzonService> Services(JsonElement element, string name)
    {
        var services = new List<OzonService>();
        if (!element.TryGetProperty(name, out var value))
        {
            return services;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (AsDecimal(property.Value) is { } amount && amount != 0m)
                {
                    services.Add(new OzonService(property.Name, amount));
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (Decimal(item, "price") is { } amount && amount != 0m)
                {
                    services.Add(new OzonService(Text(item, "name") ?? string.Empty, amount));
                }
            }
        }

        return services;
    }
}
