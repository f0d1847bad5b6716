using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>A named charge or credit: an Ozon service (<c>marketplace_service_item_fulfillment</c>) and its signed amount.</summary>
internal sealed record OzonService(string Name, decimal Amount);

/// <summary>One product of a posting (<c>products[]</c>) with its <c>financial_data.products[]</c> entry, if any.</summary>
internal sealed record OzonPostingProduct(
    string Sku, string? OfferId, int Quantity, decimal Price, decimal? Commission, IReadOnlyList<OzonService> ItemServices);

/// <summary>The fields of an FBO or FBS posting that the mapping reads (current and retired list shapes alike).</summary>
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

/// <summary>An entry of Ozon's accrual type catalogue (<c>/v1/finance/accrual/types</c>).</summary>
internal sealed record OzonAccrualType(long Id, string Name, string Description);

/// <summary>
/// One accrual of a posting (<c>/v1/finance/accrual/postings</c>): <see cref="Amount"/> is <c>accrued.amount</c>
/// (charges negative); a goods line also has <c>seller_price</c> (per unit; negative for units returned), whose value
/// <see cref="GoodsValue"/> is what the buyer's units are worth to the seller.
/// </summary>
internal sealed record OzonPostingAccrual(long? TypeId, decimal Amount, DateOnly? Date, decimal? SellerPrice, string? Sku, int Quantity)
{
    /// <summary>Units the line is about: <c>quantity</c>, at least 1.</summary>
    public int Units => Math.Max(1, Quantity);

    /// <summary><c>seller_price × quantity</c>: positive for units sold, negative for units returned, 0 for a fee line.</summary>
    public decimal GoodsValue => SellerPrice is { } price ? price * Units : 0m;

    /// <summary>What the line moves the seller's balance by: <see cref="Amount"/> plus <see cref="GoodsValue"/>.</summary>
    public decimal Money => Amount + GoodsValue;
}

/// <summary>A stored row of the posting accruals feed: the posting's accruals and the catalogue entries they name.</summary>
internal sealed record OzonPostingAccruals(string PostingNumber, IReadOnlyList<OzonPostingAccrual> Accruals, IReadOnlyDictionary<long, OzonAccrualType> Types);

/// <summary>A fee part of a day accrual: <c>item_fees</c>, <c>non_item_fee</c> or <c>container_fees</c> entry.</summary>
internal sealed record OzonDayFee(long? TypeId, decimal Amount, string? Sku);

/// <summary>
/// One accrual of <c>/v1/finance/accrual/by-day</c>: <c>accrual_id</c>, <c>accrued_category</c> (POSTING, ITEM,
/// NON_ITEM, UNSPECIFIED), <c>unit_number</c>, <c>total_amount</c> and its typed parts.
/// </summary>
internal sealed record OzonDayAccrual(string Id, string Category, string? UnitNumber, decimal? Total, IReadOnlyList<OzonDayFee> Parts)
{
    public const string PostingCategory = "POSTING";

    /// <summary>
    /// A posting's accrual naming its posting (its full record is that posting's own accruals); every other accrual
    /// is period money.
    /// </summary>
    public bool IsPosting => UnitNumber is not null && string.Equals(Category, PostingCategory, StringComparison.OrdinalIgnoreCase);

    /// <summary>Ozon's own figure: <c>total_amount</c>, or the sum of the parts when it gives none.</summary>
    public decimal Money => Total ?? Parts.Sum(p => p.Amount);
}

/// <summary>A stored row of the day accruals feed: a day's accruals that belong to no posting.</summary>
internal sealed record OzonDayAccruals(DateOnly Date, IReadOnlyList<OzonDayAccrual> Accruals, IReadOnlyDictionary<long, OzonAccrualType> Types);

/// <summary>
/// The fields of a <c>/v3/finance/transaction/list</c> operation, the retired finance method: only stored rows of
/// pulls before it was switched off are read (docs/connectors/ozon.md, "Rows of retired methods"). Charges are negative.
/// </summary>
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

/// <summary>
/// Reads Ozon JSON leniently: money may come as a JSON number, a numeric string (<c>"1390.000000"</c>) or an object
/// (<c>{"amount": "1390.00", "currency": "RUB"}</c>, <c>{"price": 1390, "currency_code": "RUB"}</c>).
/// </summary>
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
                var sku = Text(product, "sku") is { } s && s.Trim() is { Length: > 0 } trimmed && trimmed != "0" ? trimmed : null;
                var offerId = Text(product, "offer_id")?.Trim();
                var lineId = sku ?? (string.IsNullOrWhiteSpace(offerId) ? null : offerId)
                    ?? throw new FormatException($"a product of posting {number} with neither sku nor offer_id");
                var fin = MatchFinancial(financialProducts, used, lineId, index++);
                products.Add(new OzonPostingProduct(
                    lineId,
                    offerId,
                    (int)(Money(product, "quantity") ?? 1m),
                    Money(product, "price") ?? (fin is { } fpr ? Money(fpr, "price") : null) ?? 0m,
                    fin is { } c ? Money(c, "commission_amount") ?? Money(c, "commission") : null,
                    fin is { } s2 ? Services(s2, "item_services") : []));
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

    /// <summary>A return; without an <c>id</c> it takes <paramref name="storedId"/>, the id its row was stored under.</summary>
    public static OzonReturn ReadReturn(JsonElement r, string? storedId = null)
    {
        var id = Text(r, "id") is { } given && !string.IsNullOrWhiteSpace(given) ? given : storedId;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new FormatException("a return without id");
        }

        var product = Object(r, "product");
        var logistic = Object(r, "logistic");
        var visual = Object(r, "visual");
        var info = Object(r, "additional_info");
        return new OzonReturn(
            id.Trim(),
            Text(r, "posting_number")?.Trim() ?? string.Empty,
            Text(r, "type")?.Trim() ?? string.Empty,
            product is { } ps ? Text(ps, "sku")?.Trim() : null,
            product is { } pq ? (int)(Money(pq, "quantity") ?? 1m) : 1,
            product is { } pr ? Money(pr, "price") : null,
            ReturnTime(r, logistic, visual),
            info is { } i && i.TryGetProperty("is_opened", out var opened) && opened.ValueKind == JsonValueKind.True,
            Text(r, "return_reason_name"));
    }

    /// <summary>When a return came back: <c>logistic.return_date</c>, else <c>logistic.final_moment</c>, else <c>visual.change_moment</c>.</summary>
    public static DateTimeOffset? ReturnTime(JsonElement r, JsonElement? logistic = null, JsonElement? visual = null)
    {
        logistic ??= Object(r, "logistic");
        visual ??= Object(r, "visual");
        return (logistic is { } l ? Time(l, "return_date") ?? Time(l, "final_moment") : null)
            ?? (visual is { } v ? Time(v, "change_moment") : null)
            ?? Time(r, "returned_at");
    }

    /// <summary>A stored posting accruals row: <c>{posting_number, accruals[], accrual_types[]}</c>.</summary>
    public static OzonPostingAccruals ReadPostingAccruals(JsonElement row)
    {
        var number = Text(row, "posting_number");
        if (string.IsNullOrWhiteSpace(number))
        {
            throw new FormatException("posting accruals without posting_number");
        }

        var accruals = new List<OzonPostingAccrual>();
        foreach (var a in Array(row, "accruals").Where(a => a.ValueKind == JsonValueKind.Object))
        {
            accruals.Add(new OzonPostingAccrual(
                Long(a, "type_id"),
                Money(a, "accrued") ?? 0m,
                Date(Text(a, "accrual_date")),
                a.TryGetProperty("seller_price", out var price) && price.ValueKind != JsonValueKind.Null ? AsMoney(price) : null,
                Sku(a),
                (int)(Money(a, "quantity") ?? 0m)));
        }

        return new OzonPostingAccruals(number.Trim(), accruals, ReadTypes(row));
    }

    /// <summary>A stored day accruals row: <c>{date, accruals[], accrual_types[]}</c>.</summary>
    public static OzonDayAccruals ReadDayAccruals(JsonElement row)
    {
        var date = Date(Text(row, "date")) ?? throw new FormatException("day accruals without date");
        var accruals = new List<OzonDayAccrual>();
        foreach (var a in Array(row, "accruals").Where(a => a.ValueKind == JsonValueKind.Object))
        {
            accruals.Add(ReadDayAccrual(a));
        }

        return new OzonDayAccruals(date, accruals, ReadTypes(row));
    }

    /// <summary>
    /// One accrual of a by-day answer, read leniently: without <c>accrual_id</c> it is <c>(no id)</c>; a fee without
    /// <c>accrued</c> is left out of the parts (the <c>total_amount</c> still counts, and the difference shows as a gap).
    /// </summary>
    public static OzonDayAccrual ReadDayAccrual(JsonElement a)
    {
        var id = Text(a, "accrual_id")?.Trim() is { Length: > 0 } given ? given : "(no id)";
        var parts = new List<OzonDayFee>();
        if (Object(a, "item_fees") is { } items)
        {
            foreach (var entry in Array(items, "fees"))
            {
                var sku = Sku(entry);
                foreach (var fee in Array(entry, "fees"))
                {
                    AddFee(parts, fee, sku);
                }
            }
        }

        if (Object(a, "non_item_fee") is { } nonItem)
        {
            AddFee(parts, nonItem, null);
        }

        if (Object(a, "container_fees") is { } containers)
        {
            foreach (var entry in Array(containers, "fees"))
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("type_id", out _))
                {
                    AddFee(parts, entry, null);
                }
                else
                {
                    foreach (var fee in Array(entry, "fees"))
                    {
                        AddFee(parts, fee, null);
                    }
                }
            }
        }

        return new OzonDayAccrual(
            id,
            Text(a, "accrued_category")?.Trim() ?? string.Empty,
            Text(a, "unit_number")?.Trim() is { Length: > 0 } unit ? unit : null,
            Money(a, "total_amount"),
            parts);
    }

    /// <summary>The catalogue: <c>{accrual_types: [{id, name, description}]}</c> (an answer or the entries a row carries).</summary>
    public static Dictionary<long, OzonAccrualType> ReadTypes(JsonElement element)
    {
        var types = new Dictionary<long, OzonAccrualType>();
        foreach (var t in Array(element, "accrual_types"))
        {
            if (Long(t, "id") is { } id)
            {
                types[id] = new OzonAccrualType(id, Text(t, "name")?.Trim() ?? string.Empty, Text(t, "description")?.Trim() ?? string.Empty);
            }
        }

        return types;
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
        foreach (var service in Array(o, "services"))
        {
            services.Add(new OzonService(Text(service, "name") ?? string.Empty, Money(service, "price") ?? 0m));
        }

        return new OzonOperation(
            id.Trim(),
            Text(o, "operation_type")?.Trim() ?? string.Empty,
            Time(o, "operation_date"),
            string.IsNullOrEmpty(postingNumber) ? null : postingNumber,
            Money(o, "accruals_for_sale") ?? 0m,
            Money(o, "sale_commission") ?? 0m,
            Money(o, "delivery_charge") ?? 0m,
            Money(o, "return_delivery_charge") ?? 0m,
            Money(o, "amount") ?? 0m,
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

    /// <summary>
    /// An Ozon calendar date: <c>2026-03-02</c>, or the date written before a time (<c>2026-03-02T00:00:00Z</c>): a time
    /// suffix does not move the date Ozon means.
    /// </summary>
    public static DateOnly? Date(string? text) =>
        text is { Length: >= 10 } t && DateOnly.TryParseExact(t.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : null;

    /// <summary>Money (or a count) of a property: a number, a numeric string, or an object with <c>amount</c>, <c>price</c> or <c>value</c>.</summary>
    public static decimal? Money(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? AsMoney(value) : null;

    public static DateTimeOffset? Time(JsonElement element, string name) => ParseTime(Text(element, name));

    public static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    private static decimal? AsMoney(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        JsonValueKind.Object => Money(value, "amount") ?? Money(value, "price") ?? Money(value, "value"),
        _ => null,
    };

    private static long? Long(JsonElement element, string name) =>
        Text(element, name) is { } text && long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A line's sku as text; 0 or empty is none.</summary>
    private static string? Sku(JsonElement element) =>
        Text(element, "sku")?.Trim() is { Length: > 0 } sku && sku != "0" ? sku : null;

    private static void AddFee(List<OzonDayFee> parts, JsonElement fee, string? sku)
    {
        if (Money(fee, "accrued") is { } amount)
        {
            parts.Add(new OzonDayFee(Long(fee, "type_id"), amount, sku));
        }
    }

    /// <summary>The financial entry of a product: the unused one whose <c>product_id</c> is the sku, else the one at its index.</summary>
    private static JsonElement? MatchFinancial(List<JsonElement> financial, bool[] used, string sku, int index)
    {
        for (var i = 0; i < financial.Count; i++)
        {
            if (!used[i] && string.Equals(Text(financial[i], "product_id")?.Trim(), sku, StringComparison.Ordinal))
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
    /// Services as an object of named amounts (<c>{"marketplace_service_item_fulfillment": -40.5, ...}</c>) or as a list
    /// of <c>{name, price}</c>: the retired lists' <c>item_services</c> / <c>posting_services</c>.
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
                if (AsMoney(property.Value) is { } amount && amount != 0m)
                {
                    services.Add(new OzonService(property.Name, amount));
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (Money(item, "price") is { } amount && amount != 0m)
                {
                    services.Add(new OzonService(Text(item, "name") ?? string.Empty, amount));
                }
            }
        }

        return services;
    }
}
