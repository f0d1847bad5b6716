using System.Globalization;
using System.Text.Json.Nodes;

namespace SellerDesk.Ingestion.Tests.Connectors.Fakes;

/// <summary>One item the fake serves: its key (posting number, return id, operation id), the time its list filters on, its JSON.</summary>
public sealed record FakeOzonItem(string Key, DateTimeOffset At, string Json);

/// <summary>A product of a posting as the builders take it.</summary>
public sealed record FakeOzonProduct(string Sku, string OfferId, int Quantity, decimal Price, decimal Commission);

/// <summary>
/// What <see cref="FakeOzon"/> serves, with builders that write postings, returns and finance operations in Ozon's
/// documented JSON (money of postings as strings like <c>"1390.000000"</c>, finance as numbers, charges negative),
/// and <see cref="Generate"/>, a realistic month whose finance operations agree with its postings to the kopeck.
/// </summary>
public sealed record FakeOzonData(
    IReadOnlyList<FakeOzonItem> Fbo, IReadOnlyList<FakeOzonItem> Fbs, IReadOnlyList<FakeOzonItem> Returns, IReadOnlyList<FakeOzonItem> Operations)
{
    public static FakeOzonData Empty { get; } = new([], [], [], []);

    /// <summary>The sum of every operation's <c>amount</c>: Ozon's payout over all of it.</summary>
    public decimal OperationsTotal => Operations.Sum(o => (decimal)JsonNode.Parse(o.Json)!["amount"]!);

    // ---- builders ------------------------------------------------------------------------------------------------

    public static FakeOzonItem Posting(
        string number,
        string status,
        DateTimeOffset inProcessAt,
        IReadOnlyList<FakeOzonProduct> products,
        IReadOnlyDictionary<string, decimal>? postingServices = null,
        long? customerId = null,
        bool fbs = false)
    {
        var productList = new JsonArray();
        var financial = new JsonArray();
        foreach (var p in products)
        {
            productList.Add(new JsonObject
            {
                ["sku"] = long.Parse(p.Sku, CultureInfo.InvariantCulture),
                ["name"] = "Товар " + p.OfferId,
                ["quantity"] = p.Quantity,
                ["offer_id"] = p.OfferId,
                ["price"] = p.Price.ToString("0.000000", CultureInfo.InvariantCulture),
                ["currency_code"] = "RUB",
            });
            var total = p.Price * p.Quantity;
            financial.Add(new JsonObject
            {
                ["commission_amount"] = p.Commission,
                ["commission_percent"] = total == 0m ? 0m : Math.Round(p.Commission * 100m / total, 0),
                ["payout"] = total - p.Commission,
                ["product_id"] = long.Parse(p.Sku, CultureInfo.InvariantCulture),
                ["old_price"] = p.Price,
                ["price"] = p.Price,
                ["total_discount_value"] = 0m,
                ["total_discount_percent"] = 0m,
                ["actions"] = new JsonArray(),
                ["picking"] = null,
                ["quantity"] = p.Quantity,
                ["client_price"] = "",
                ["item_services"] = Services(null),
            });
        }

        var posting = new JsonObject
        {
            ["order_id"] = long.Parse(number.Split('-')[0], CultureInfo.InvariantCulture) * 10,
            ["order_number"] = number[..number.LastIndexOf('-')],
            ["posting_number"] = number,
            ["status"] = status,
            ["cancel_reason_id"] = 0,
            ["created_at"] = Iso(inProcessAt.AddMinutes(-1)),
            ["in_process_at"] = Iso(inProcessAt),
            ["products"] = productList,
            ["financial_data"] = new JsonObject
            {
                ["products"] = financial,
                ["posting_services"] = Services(postingServices),
                ["cluster_from"] = "Москва, МО и Дальние регионы",
                ["cluster_to"] = "Санкт-Петербург и СЗО",
            },
        };
        if (fbs)
        {
            posting["customer"] = customerId is null ? null : new JsonObject { ["customer_id"] = customerId.Value, ["name"] = "" };
            posting["delivery_method"] = new JsonObject { ["id"] = 21321684811000, ["name"] = "Ozon Логистика самостоятельно" };
        }
        else
        {
            posting["analytics_data"] = null;
            posting["additional_data"] = new JsonArray();
        }

        return new FakeOzonItem(number, inProcessAt, posting.ToJsonString());
    }

    public static FakeOzonItem Return(
        long id, string postingNumber, string type, FakeOzonProduct product, int quantity, DateTimeOffset returnDate, bool isOpened = false, string? reason = null)
    {
        var json = new JsonObject
        {
            ["id"] = id,
            ["company_id"] = 836201,
            ["return_reason_name"] = reason ?? (type == "ClientReturn" ? "Не подошел размер" : "Покупатель не забрал"),
            ["type"] = type,
            ["schema"] = "Fbo",
            ["order_id"] = long.Parse(postingNumber.Split('-')[0], CultureInfo.InvariantCulture) * 10,
            ["order_number"] = postingNumber[..postingNumber.LastIndexOf('-')],
            ["posting_number"] = postingNumber,
            ["product"] = new JsonObject
            {
                ["sku"] = long.Parse(product.Sku, CultureInfo.InvariantCulture),
                ["offer_id"] = product.OfferId,
                ["name"] = "Товар " + product.OfferId,
                ["price"] = new JsonObject { ["currency_code"] = "RUB", ["price"] = product.Price },
                ["price_without_commission"] = new JsonObject { ["currency_code"] = "RUB", ["price"] = product.Price },
                ["commission_percent"] = 0,
                ["quantity"] = quantity,
            },
            ["logistic"] = new JsonObject
            {
                ["technical_return_moment"] = Iso(returnDate.AddHours(-6)),
                ["final_moment"] = Iso(returnDate.AddHours(2)),
                ["return_date"] = Iso(returnDate),
                ["barcode"] = "ii" + id.ToString(CultureInfo.InvariantCulture),
            },
            ["visual"] = new JsonObject
            {
                ["status"] = new JsonObject { ["id"] = 34, ["display_name"] = "Получен продавцом", ["sys_name"] = "ReturnedToSeller" },
                ["change_moment"] = Iso(returnDate.AddHours(2)),
            },
            ["additional_info"] = new JsonObject { ["is_opened"] = isOpened, ["is_super_econom"] = false },
        };
        return new FakeOzonItem(id.ToString(CultureInfo.InvariantCulture), returnDate, json.ToJsonString());
    }

    public static FakeOzonItem Operation(
        long id,
        string type,
        DateTimeOffset date,
        string? postingNumber,
        decimal accruals = 0m,
        decimal commission = 0m,
        decimal delivery = 0m,
        decimal returnDelivery = 0m,
        IReadOnlyList<(string Name, decimal Price)>? services = null,
        decimal? amount = null,
        IReadOnlyList<FakeOzonProduct>? items = null)
    {
        var list = new JsonArray();
        foreach (var (name, price) in services ?? [])
        {
            list.Add(new JsonObject { ["name"] = name, ["price"] = price });
        }

        var itemList = new JsonArray();
        foreach (var item in items ?? [])
        {
            itemList.Add(new JsonObject { ["name"] = "Товар " + item.OfferId, ["sku"] = long.Parse(item.Sku, CultureInfo.InvariantCulture) });
        }

        var total = amount ?? accruals + commission + delivery + returnDelivery + (services ?? []).Sum(s => s.Price);
        var json = new JsonObject
        {
            ["operation_id"] = id,
            ["operation_type"] = type,
            ["operation_date"] = date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["operation_type_name"] = type,
            ["delivery_charge"] = delivery,
            ["return_delivery_charge"] = returnDelivery,
            ["accruals_for_sale"] = accruals,
            ["sale_commission"] = commission,
            ["amount"] = total,
            ["type"] = postingNumber is null ? "services" : "orders",
            ["posting"] = new JsonObject
            {
                ["delivery_schema"] = postingNumber is null ? "" : "FBO",
                ["order_date"] = "",
                ["posting_number"] = postingNumber ?? "",
                ["warehouse_id"] = 0,
            },
            ["items"] = itemList,
            ["services"] = list,
        };
        return new FakeOzonItem(id.ToString(CultureInfo.InvariantCulture), date, json.ToJsonString());
    }

    // ---- restatements --------------------------------------------------------------------------------------------

    /// <summary>A copy with the operation <paramref name="operationId"/> edited (a restatement).</summary>
    public FakeOzonData WithOperation(string operationId, Action<JsonObject> edit) =>
        this with { Operations = Edit(Operations, operationId, edit) };

    /// <summary>A copy with the posting <paramref name="postingNumber"/> (FBO or FBS) edited.</summary>
    public FakeOzonData WithPosting(string postingNumber, Action<JsonObject> edit) =>
        this with { Fbo = Edit(Fbo, postingNumber, edit), Fbs = Edit(Fbs, postingNumber, edit) };

    // ---- a realistic month ---------------------------------------------------------------------------------------

    private static readonly (string Sku, string Offer, decimal Price, decimal Rate)[] Catalog =
    [
        ("1487305520", "MUG-WHITE-350", 690.00m, 0.17m),
        ("1487305533", "TEE-BLK-M", 1390.00m, 0.19m),
        ("1487305547", "TEE-BLK-L", 1390.00m, 0.19m),
        ("1509841201", "CAP-NAVY", 899.00m, 0.15m),
        ("1509841219", "BAG-CANVAS", 2450.00m, 0.12m),
        ("1620077415", "SOCKS-3P", 459.00m, 0.21m),
        ("1620077430", "HOODIE-GRY-XL", 4290.00m, 0.14m),
    ];

    /// <summary>
    /// <paramref name="days"/> days from <paramref name="start"/> (Moscow dates) of FBO and FBS postings: most delivered
    /// (sale, logistics and acquiring operations), some returned by the buyer (return and return-leg operations), some
    /// not picked up (Cancellation / FullReturn, logistics both ways), some still on their way (no operation yet); daily
    /// storage, acceptance and a fine without a posting. Orders stop five days before the end so every operation of
    /// every posting falls inside the days.
    /// </summary>
    public static FakeOzonData Generate(DateOnly start, int days, int postingsPerDay, int seed = 1)
    {
        var random = new Random(seed);
        var fbo = new List<FakeOzonItem>();
        var fbs = new List<FakeOzonItem>();
        var returns = new List<FakeOzonItem>();
        var operations = new List<FakeOzonItem>();
        var operationId = 20_000_000_000L;
        var returnId = 100_000_000L;
        var startUtc = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(3)).ToUniversalTime();

        for (var day = 0; day < days - 5; day++)
        {
            for (var n = 0; n < postingsPerDay; n++)
            {
                var orderNumber = string.Create(CultureInfo.InvariantCulture, $"{(31_000_000 + (day * 1_000) + n) * 10 + 7}-{random.Next(1000, 9999)}");
                var number = orderNumber + "-1";

                // Spread over the Moscow day, including the UTC evening that is already the next Moscow day.
                var inProcessAt = startUtc.AddDays(day).AddMinutes(random.Next(0, 24 * 60));
                var products = new List<FakeOzonProduct>();
                foreach (var pick in Enumerable.Range(0, random.Next(0, 10) < 7 ? 1 : random.Next(2, 4)).Select(_ => Catalog[random.Next(Catalog.Length)]).DistinctBy(c => c.Sku))
                {
                    var quantity = random.Next(0, 10) < 8 ? 1 : 2;
                    products.Add(new FakeOzonProduct(pick.Sku, pick.Offer, quantity, pick.Price, Math.Round(pick.Price * quantity * pick.Rate, 2, MidpointRounding.AwayFromZero)));
                }

                var revenue = products.Sum(p => p.Price * p.Quantity);
                var direct = Math.Round(63.00m + (products.Sum(p => p.Quantity) * 21.50m), 2);
                var lastMile = Math.Round(revenue * 0.055m, 2, MidpointRounding.AwayFromZero);
                var acquiring = Math.Round(revenue * 0.015m, 2, MidpointRounding.AwayFromZero);
                var roll = random.Next(0, 100);
                var isFbs = random.Next(0, 10) < 3;
                var deliveredAt = inProcessAt.AddDays(random.Next(1, 3)).AddHours(random.Next(1, 8));
                string status;
                var services = new Dictionary<string, decimal>();
                var goods = products.Select(p => p with { }).ToList();
                if (roll < 7)
                {
                    // Still on its way: nothing settled yet.
                    status = "delivering";
                }
                else if (roll < 15)
                {
                    // Not picked up: the whole posting comes back; logistics both ways, no sale, no commission.
                    status = "cancelled";
                    goods = [.. products.Select(p => p with { Commission = 0m })];
                    var back = Math.Round(direct * 0.8m, 2, MidpointRounding.AwayFromZero);
                    services["marketplace_service_item_direct_flow_trans"] = -direct;
                    services["marketplace_service_item_return_not_deliv_to_customer"] = -back;
                    var type = random.Next(0, 2) == 0 ? "Cancellation" : "FullReturn";
                    foreach (var product in goods)
                    {
                        returns.Add(Return(++returnId, number, type, product, product.Quantity, deliveredAt.AddDays(2)));
                    }

                    operations.Add(Operation(
                        ++operationId, "OperationItemReturn", deliveredAt.AddDays(2), number,
                        services: [("MarketplaceServiceItemDirectFlowLogistic", -direct), ("MarketplaceServiceItemReturnNotDelivToCustomer", -back)]));
                }
                else
                {
                    status = "delivered";
                    services["marketplace_service_item_direct_flow_trans"] = -direct;
                    services["marketplace_service_item_deliv_to_customer"] = -lastMile;
                    operations.Add(Operation(
                        ++operationId, "OperationAgentDeliveredToCustomer", deliveredAt, number,
                        accruals: revenue, commission: -products.Sum(p => p.Commission),
                        services: [("MarketplaceServiceItemDirectFlowLogistic", -direct), ("MarketplaceServiceItemDelivToCustomer", -lastMile)],
                        items: products));
                    operations.Add(Operation(++operationId, "MarketplaceRedistributionOfAcquiringOperation", deliveredAt, number, amount: -acquiring));
                    if (roll >= 88)
                    {
                        // The buyer sends one unit of the first product back.
                        var product = products[0];
                        var returnedAt = deliveredAt.AddDays(random.Next(1, 3));
                        var commissionBack = Math.Round(product.Commission / product.Quantity, 2, MidpointRounding.AwayFromZero);
                        var leg = Math.Round(45.00m + (product.Price * 0.01m), 2, MidpointRounding.AwayFromZero);
                        services["marketplace_service_item_return_flow_trans"] = -leg;
                        returns.Add(Return(++returnId, number, "ClientReturn", product, 1, returnedAt, isOpened: random.Next(0, 3) == 0));
                        operations.Add(Operation(
                            ++operationId, "ClientReturnAgentOperation", returnedAt, number,
                            accruals: -product.Price, commission: commissionBack, services: [("MarketplaceServiceItemReturnFlowLogistic", -leg)],
                            items: [product]));
                    }
                }

                var customer = isFbs && random.Next(0, 4) == 0 ? 70_000_000L + random.Next(0, 50) : (long?)null;
                (isFbs ? fbs : fbo).Add(Posting(number, status, inProcessAt, goods, services, customer, isFbs));
            }
        }

        for (var day = 0; day < days; day++)
        {
            var at = startUtc.AddDays(day).AddHours(4);
            operations.Add(Operation(
                ++operationId, "OperationMarketplaceServiceStorage", at, null, amount: -(150.00m + random.Next(0, 30_000) / 100m)));
            if (day % 7 == 2)
            {
                operations.Add(Operation(++operationId, "OperationMarketplaceServiceSupplyAcceptance", at.AddHours(3), null, amount: -1250.00m));
            }
        }

        operations.Add(Operation(++operationId, "MarketplaceServiceItemFineForDefect", startUtc.AddDays(days / 2).AddHours(9), null, amount: -500.00m));
        return new FakeOzonData(fbo, fbs, returns, operations);
    }

    private static JsonObject Services(IReadOnlyDictionary<string, decimal>? values)
    {
        string[] names =
        [
            "marketplace_service_item_fulfillment", "marketplace_service_item_pickup", "marketplace_service_item_dropoff_pvz",
            "marketplace_service_item_dropoff_sc", "marketplace_service_item_dropoff_ff", "marketplace_service_item_direct_flow_trans",
            "marketplace_service_item_return_flow_trans", "marketplace_service_item_deliv_to_customer",
            "marketplace_service_item_return_not_deliv_to_customer", "marketplace_service_item_return_part_goods_customer",
            "marketplace_service_item_return_after_deliv_to_customer",
        ];
        var services = new JsonObject();
        foreach (var name in names)
        {
            services[name] = values is not null && values.TryGetValue(name, out var value) ? value : 0m;
        }

        return services;
    }

    private static List<FakeOzonItem> Edit(IReadOnlyList<FakeOzonItem> items, string key, Action<JsonObject> edit) =>
        [.. items.Select(i =>
        {
            if (i.Key != key)
            {
                return i;
            }

            var json = JsonNode.Parse(i.Json)!.AsObject();
            edit(json);
            return i with { Json = json.ToJsonString() };
        })];

    private static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
