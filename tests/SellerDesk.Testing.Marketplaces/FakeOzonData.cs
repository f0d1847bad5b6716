using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>One item the fake serves: its key (posting number, return id), the time its list filters on, its JSON.</summary>
public sealed record FakeOzonItem(string Key, DateTimeOffset At, string Json);

/// <summary>A product of a posting as the builders take it.</summary>
public sealed record FakeOzonProduct(string Sku, string OfferId, int Quantity, decimal Price, decimal Commission);

/// <summary>An entry of Ozon's accrual type catalogue.</summary>
public sealed record FakeOzonType(long Id, string Name, string Description);

/// <summary>
/// One accrual of a posting as <c>/v1/finance/accrual/postings</c> lists it: <paramref name="Amount"/> is
/// <c>accrued.amount</c> (charges negative); a goods line has a <paramref name="SellerPrice"/> per unit (negative for
/// units returned).
/// </summary>
public sealed record FakeOzonAccrual(long TypeId, decimal Amount, DateOnly Date, string? Sku = null, int Quantity = 0, decimal? SellerPrice = null)
{
    /// <summary>What it moves the seller's balance by.</summary>
    public decimal Money => Amount + (SellerPrice is { } price ? price * Math.Max(1, Quantity) : 0m);
}

/// <summary>The accruals Ozon lists for one posting.</summary>
public sealed record FakeOzonPostingAccruals(string PostingNumber, IReadOnlyList<FakeOzonAccrual> Accruals);

/// <summary>An accrual of <c>/v1/finance/accrual/by-day</c> that belongs to no posting (ITEM, NON_ITEM, UNSPECIFIED), as JSON.</summary>
public sealed record FakeOzonDayAccrual(long Id, DateOnly Date, string Json)
{
    /// <summary>Its <c>total_amount</c>.</summary>
    public decimal Total => FakeOzonData.Amount(JsonNode.Parse(Json)!["total_amount"]);
}

/// <summary>
/// What <see cref="FakeOzon"/> serves, in the shapes of Ozon's method reference as public clients copy it: postings of the
/// cursor lists (prices as <c>{amount, currency}</c>, commission as <c>{amount, currency, percent}</c>), returns, the
/// accrual type catalogue, each posting's accruals, and the accruals of a day that belong to no posting (the day list's
/// posting accruals are made from the postings' own, so the two always agree). Builders write each shape;
/// <see cref="Generate"/> makes a realistic month whose accruals agree with its postings to the kopeck.
/// </summary>
public sealed record FakeOzonData(
    IReadOnlyList<FakeOzonItem> Fbo,
    IReadOnlyList<FakeOzonItem> Fbs,
    IReadOnlyList<FakeOzonItem> Returns,
    IReadOnlyList<FakeOzonPostingAccruals> PostingAccruals,
    IReadOnlyList<FakeOzonDayAccrual> DayAccruals)
{
    // Ids, names and descriptions as in Ozon's catalogue of accrual types (a subset, as public clients copy it).
    public const long Acquiring = 1;
    public const long Cancellation = 6;
    public const long Compensation = 10;
    public const long Fulfillment = 21;
    public const long LastMileCourier = 29;
    public const long Logistic = 32;
    public const long PayPerClick = 41;
    public const long PickUpPointReturnAcceptance = 45;
    public const long Placements = 46;
    public const long PremiumSubscription = 52;
    public const long ReturnFlowLogistic = 59;
    public const long SaleCommission = 69;
    public const long SupplyInbound = 77;
    public const long TemporaryPlacement = 78;
    public const long DefectFineShipmentDelayRate = 94;
    public const long DeliveryToHandoverPlaceByOzon = 98;

    public static IReadOnlyList<FakeOzonType> Catalogue { get; } =
    [
        new(1, "Acquiring", "Эквайринг"),
        new(2, "BackwardShipment", "Обратная магистраль"),
        new(6, "Cancellation", "Обработка отменённых и невостребованных товаров"),
        new(9, "ClientReturn", "Обработка возвратов"),
        new(10, "Compensation", "Компенсация"),
        new(12, "CrossDock", "Кросс-докинг"),
        new(14, "DefectRate", "Обработка операционных ошибок продавца"),
        new(16, "Drop-Off", "Обработка отправления Drop-off"),
        new(21, "Fulfillment", "Сборка заказа"),
        new(22, "Installment", "Рассрочка"),
        new(28, "LastMile", "Последняя миля"),
        new(29, "LastMileCourier", "Доставка до места выдачи"),
        new(30, "LastMilePickUpPoint", "Выдача товара"),
        new(32, "Logistic", "Логистика"),
        new(33, "Marketing", "Рекламные услуги"),
        new(41, "PayPerClick", "Оплата за клик"),
        new(45, "PickUpPointReturnAcceptance", "Обработка возвратов, отмен и невыкупов партнёрами"),
        new(46, "Placements", "Размещение товаров на складах Ozon"),
        new(49, "PremiumCashbackPromotion", "Услуга продвижения Premium"),
        new(52, "PremiumSubscription", "Подписка Premium"),
        new(54, "Promotion", "Продвижение товара"),
        new(59, "ReturnFlowLogistic", "Обратная логистика"),
        new(69, "SaleCommission", "Вознаграждение за продажу"),
        new(73, "Shipment", "Магистраль"),
        new(75, "Stencil", "Трафареты"),
        new(77, "SupplyInbound", "Обработка товара"),
        new(78, "TemporaryPlacement", "Краткосрочное размещение возврата FBS"),
        new(89, "DefectFineModeration", "Запрещённый контент"),
        new(94, "DefectFineShipmentDelayRate", "Отгрузка в нерекомендованный слот"),
        new(98, "DeliveryToHandoverPlaceByOzon", "Доставка до места выдачи силами Ozon"),
    ];

    public static FakeOzonData Empty { get; } = new([], [], [], [], []);

    /// <summary>JSON written as Ozon writes it: UTF-8 text, Cyrillic unescaped.</summary>
    public static JsonSerializerOptions Relaxed { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The catalogue it serves; add a type to play one Ozon adds later.</summary>
    public IReadOnlyList<FakeOzonType> Types { get; init; } = Catalogue;

    /// <summary>Ozon's payout over all of it: every posting accrual's money plus every other accrual's total.</summary>
    public decimal AccruedTotal => PostingAccruals.Sum(p => p.Accruals.Sum(a => a.Money)) + DayAccruals.Sum(d => d.Total);

    /// <summary>The accruals listed for <paramref name="postingNumber"/> (none when Ozon lists nothing).</summary>
    public IReadOnlyList<FakeOzonAccrual> AccrualsOf(string postingNumber) =>
        PostingAccruals.FirstOrDefault(p => p.PostingNumber == postingNumber)?.Accruals ?? [];

    // ---- builders ------------------------------------------------------------------------------------------------

    /// <summary>A posting of <c>/v3/posting/fbo/list</c> or (with <paramref name="fbs"/>) <c>/v4/posting/fbs/list</c>.</summary>
    public static FakeOzonItem Posting(
        string number, string status, DateTimeOffset inProcessAt, IReadOnlyList<FakeOzonProduct> products, long? customerId = null, bool fbs = false)
    {
        var productList = new JsonArray();
        var financial = new JsonArray();
        foreach (var p in products)
        {
            productList.Add(new JsonObject
            {
                ["sku"] = long.Parse(p.Sku, CultureInfo.InvariantCulture),
                ["name"] = "Товар " + p.OfferId,
                ["offer_id"] = p.OfferId,
                ["price"] = Money(p.Price),
                ["quantity"] = p.Quantity,
                ["is_marketplace_buyout"] = false,
            });
            var total = p.Price * p.Quantity;
            financial.Add(new JsonObject
            {
                ["product_id"] = long.Parse(p.Sku, CultureInfo.InvariantCulture),
                ["commission"] = new JsonObject
                {
                    ["amount"] = p.Commission,
                    ["percent"] = total == 0m ? 0m : Math.Round(p.Commission * 100m / total, 0),
                    ["currency"] = "RUB",
                },
                ["payout"] = total - p.Commission,
                ["old_price"] = p.Price,
                ["price"] = p.Price,
                ["total_discount_value"] = 0m,
                ["actions"] = new JsonArray(),
                ["quantity"] = p.Quantity,
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
            posting["cancellation"] = new JsonObject { ["cancellation_type"] = "", ["cancellation_initiator"] = "" };
            posting["additional_data"] = new JsonArray();
        }

        return new FakeOzonItem(number, inProcessAt, posting.ToJsonString(FakeOzonData.Relaxed));
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
        return new FakeOzonItem(id.ToString(CultureInfo.InvariantCulture), returnDate, json.ToJsonString(FakeOzonData.Relaxed));
    }

    /// <summary>The sale of a product as Ozon accrues it: a <c>SaleCommission</c> line with the seller's price per unit.</summary>
    public static FakeOzonAccrual Sale(FakeOzonProduct product, DateOnly date) =>
        new(SaleCommission, -product.Commission, date, product.Sku, product.Quantity, product.Price);

    /// <summary>Units of a product sent back, as Ozon accrues them: negative seller's price, the commission refunded.</summary>
    public static FakeOzonAccrual Refund(FakeOzonProduct product, int quantity, decimal commissionBack, DateOnly date) =>
        new(SaleCommission, commissionBack, date, product.Sku, quantity, -product.Price);

    /// <summary>A charge (or, positive, a credit) of a type on a posting, for one sku or (null) the whole posting.</summary>
    public static FakeOzonAccrual Charge(long typeId, decimal amount, DateOnly date, string? sku = null) => new(typeId, amount, date, sku, sku is null ? 0 : 1);

    /// <summary>A NON_ITEM accrual: a charge of the whole account (storage, ads, a fine, a subscription, a compensation).</summary>
    public static FakeOzonDayAccrual NonItem(long id, DateOnly date, long typeId, decimal amount, string? unit = null, decimal? total = null) =>
        Day(id, date, "NON_ITEM", unit ?? "", total ?? amount, a => a["non_item_fee"] = Fee(typeId, amount));

    /// <summary>An ITEM accrual: fees per sku of an order or supply (<paramref name="unit"/>), e.g. acquiring.</summary>
    public static FakeOzonDayAccrual Item(long id, DateOnly date, string unit, params (string Sku, long TypeId, decimal Amount)[] fees) =>
        Day(id, date, "ITEM", unit, fees.Sum(f => f.Amount), a => a["item_fees"] = new JsonObject
        {
            ["fees"] = new JsonArray([.. fees.GroupBy(f => f.Sku).Select(g => (JsonNode)new JsonObject
            {
                ["sku"] = long.Parse(g.Key, CultureInfo.InvariantCulture),
                ["quantity"] = 1,
                ["fees"] = new JsonArray([.. g.Select(f => (JsonNode)Fee(f.TypeId, f.Amount))]),
            })]),
        });

    /// <summary>An UNSPECIFIED accrual with container fees (short-term placement of returns).</summary>
    public static FakeOzonDayAccrual Container(long id, DateOnly date, long typeId, decimal amount) =>
        Day(id, date, "UNSPECIFIED", "", amount, a => a["container_fees"] = new JsonObject { ["fees"] = new JsonArray(Fee(typeId, amount)) });

    // ---- restatements --------------------------------------------------------------------------------------------

    /// <summary>A copy with the posting <paramref name="postingNumber"/> (FBO or FBS) edited.</summary>
    public FakeOzonData WithPosting(string postingNumber, Action<JsonObject> edit) =>
        this with { Fbo = Edit(Fbo, postingNumber, edit), Fbs = Edit(Fbs, postingNumber, edit) };

    /// <summary>A copy with the return <paramref name="id"/> edited.</summary>
    public FakeOzonData WithReturn(string id, Action<JsonObject> edit) => this with { Returns = Edit(Returns, id, edit) };

    /// <summary>A copy whose posting <paramref name="postingNumber"/> lists <paramref name="accruals"/> instead.</summary>
    public FakeOzonData WithAccruals(string postingNumber, IReadOnlyList<FakeOzonAccrual> accruals) => this with
    {
        PostingAccruals = [.. PostingAccruals.Where(p => p.PostingNumber != postingNumber), new FakeOzonPostingAccruals(postingNumber, accruals)],
    };

    /// <summary>A copy without the day accruals <paramref name="dropped"/> and with <paramref name="added"/> (new or re-issued).</summary>
    public FakeOzonData WithDayAccruals(IReadOnlyCollection<long> dropped, params FakeOzonDayAccrual[] added) => this with
    {
        DayAccruals = [.. DayAccruals.Where(d => !dropped.Contains(d.Id)), .. added],
    };

    // ---- a realistic month ---------------------------------------------------------------------------------------

    private static readonly (string Sku, string Offer, decimal Price, decimal Rate)[] Products =
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
    /// (sale, trunk and last mile accrued; acquiring per item of the order), some returned by the buyer (refund and return
    /// leg), some not picked up (Cancellation / FullReturn, logistics both ways), some still on their way (nothing
    /// accrued); daily storage and clicks, weekly acceptance, returns placed short-term, a fine. Orders stop five days
    /// before the end so every accrual of every posting falls inside the days.
    /// </summary>
    public static FakeOzonData Generate(DateOnly start, int days, int postingsPerDay, int seed = 1)
    {
        var random = new Random(seed);
        var fbo = new List<FakeOzonItem>();
        var fbs = new List<FakeOzonItem>();
        var returns = new List<FakeOzonItem>();
        var accruals = new List<FakeOzonPostingAccruals>();
        var dayAccruals = new List<FakeOzonDayAccrual>();
        var dayId = 64_000_000_000L;
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
                foreach (var pick in Enumerable.Range(0, random.Next(0, 10) < 7 ? 1 : random.Next(2, 4)).Select(_ => Products[random.Next(Products.Length)]).DistinctBy(c => c.Sku))
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
                var delivered = Moscow(deliveredAt);
                var first = products[0].Sku;
                string status;
                var goods = products;
                var lines = new List<FakeOzonAccrual>();
                if (roll < 7)
                {
                    // Still on its way: nothing accrued yet.
                    status = "delivering";
                }
                else if (roll < 15)
                {
                    // Not picked up: the whole posting comes back; logistics both ways, no sale, no commission.
                    status = "cancelled";
                    goods = [.. products.Select(p => p with { Commission = 0m })];
                    var back = Math.Round(direct * 0.8m, 2, MidpointRounding.AwayFromZero);
                    var type = random.Next(0, 2) == 0 ? "Cancellation" : "FullReturn";
                    var cameBack = deliveredAt.AddDays(2);
                    foreach (var product in goods)
                    {
                        returns.Add(Return(++returnId, number, type, product, product.Quantity, cameBack));
                    }

                    lines.Add(Charge(Logistic, -direct, Moscow(cameBack), first));
                    lines.Add(Charge(ReturnFlowLogistic, -back, Moscow(cameBack), first));
                }
                else
                {
                    status = "delivered";
                    lines.AddRange(products.Select(p => Sale(p, delivered)));
                    lines.Add(Charge(Logistic, -direct, delivered, first));
                    lines.Add(Charge(DeliveryToHandoverPlaceByOzon, -lastMile, delivered));
                    dayAccruals.Add(Item(++dayId, delivered, orderNumber, (first, Acquiring, -acquiring)));
                    if (roll >= 88)
                    {
                        // The buyer sends one unit of the first product back.
                        var product = products[0];
                        var returnedAt = deliveredAt.AddDays(random.Next(1, 3));
                        var commissionBack = Math.Round(product.Commission / product.Quantity, 2, MidpointRounding.AwayFromZero);
                        var leg = Math.Round(45.00m + (product.Price * 0.01m), 2, MidpointRounding.AwayFromZero);
                        returns.Add(Return(++returnId, number, "ClientReturn", product, 1, returnedAt, isOpened: random.Next(0, 3) == 0));
                        lines.Add(Refund(product, 1, commissionBack, Moscow(returnedAt)));
                        lines.Add(Charge(ReturnFlowLogistic, -leg, Moscow(returnedAt), product.Sku));
                    }
                }

                if (lines.Count > 0)
                {
                    accruals.Add(new FakeOzonPostingAccruals(number, lines));
                }

                var customer = isFbs && random.Next(0, 4) == 0 ? 70_000_000L + random.Next(0, 50) : (long?)null;
                (isFbs ? fbs : fbo).Add(Posting(number, status, inProcessAt, goods, customer, isFbs));
            }
        }

        for (var day = 0; day < days; day++)
        {
            var date = start.AddDays(day);
            dayAccruals.Add(NonItem(++dayId, date, Placements, -(150.00m + random.Next(0, 30_000) / 100m), "storage-" + date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
            dayAccruals.Add(NonItem(++dayId, date, PayPerClick, -(300.00m + random.Next(0, 50_000) / 100m), "advertising-contract"));
            if (day % 7 == 2)
            {
                dayAccruals.Add(NonItem(++dayId, date, SupplyInbound, -1250.00m, "supply-" + day.ToString(CultureInfo.InvariantCulture)));
            }

            if (day % 5 == 4)
            {
                dayAccruals.Add(Container(++dayId, date, TemporaryPlacement, -(20.00m + random.Next(0, 4_000) / 100m)));
            }
        }

        dayAccruals.Add(NonItem(++dayId, start.AddDays(days / 2), DefectFineShipmentDelayRate, -500.00m));
        return new FakeOzonData(fbo, fbs, returns, accruals, dayAccruals);
    }

    // ---- JSON ----------------------------------------------------------------------------------------------------

    /// <summary>Money as Ozon's accrual methods write it: <c>{"amount": "-84.99", "currency": "RUB"}</c>.</summary>
    public static JsonObject Money(decimal amount) => new() { ["amount"] = amount.ToString("0.##", CultureInfo.InvariantCulture), ["currency"] = "RUB" };

    /// <summary>The amount of a <see cref="Money"/> object.</summary>
    public static decimal Amount(JsonNode? money) =>
        decimal.Parse(money!["amount"]!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The accrual line JSON of <c>/v1/finance/accrual/postings</c>.</summary>
    public static JsonObject Json(FakeOzonAccrual a) => new()
    {
        ["accrual_date"] = a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["accrued"] = Money(a.Amount),
        ["quantity"] = a.Quantity,
        ["seller_price"] = a.SellerPrice is { } price ? Money(price) : null,
        ["sku"] = a.Sku is null ? 0 : long.Parse(a.Sku, CultureInfo.InvariantCulture),
        ["type_id"] = a.TypeId,
    };

    /// <summary>
    /// The day list's POSTING accrual of a posting's accruals on one date: its sale lines as the commission block,
    /// its other lines as delivery services, <c>total_amount</c> their money.
    /// </summary>
    public static JsonObject DayPostingAccrual(long id, string postingNumber, string schema, DateOnly date, IReadOnlyList<FakeOzonAccrual> lines)
    {
        var products = new JsonArray();
        foreach (var group in lines.GroupBy(l => l.Sku ?? "0"))
        {
            var product = new JsonObject { ["sku"] = long.Parse(group.Key, CultureInfo.InvariantCulture), ["quantity"] = group.Max(l => Math.Max(1, l.Quantity)) };
            var goods = group.Where(l => l.SellerPrice is not null).ToList();
            if (goods.Count > 0)
            {
                var saleAmount = goods.Sum(g => g.SellerPrice!.Value * Math.Max(1, g.Quantity));
                var commission = goods.Sum(g => g.Amount);
                product["commission"] = new JsonObject
                {
                    ["seller_price"] = Money(goods[0].SellerPrice!.Value),
                    ["sale_price"] = Money(goods[0].SellerPrice!.Value),
                    ["sale_commission"] = Money(commission),
                    ["commission"] = Money(commission),
                    ["commission_ratio"] = saleAmount == 0m ? "0" : Math.Round(-commission / saleAmount, 6).ToString(CultureInfo.InvariantCulture),
                    ["sale_amount"] = Money(saleAmount),
                    ["coinvestment"] = Money(0m),
                    ["bonus"] = Money(0m),
                };
            }

            var services = group.Where(l => l.SellerPrice is null).ToList();
            product["delivery"] = new JsonObject
            {
                ["total_accrued"] = Money(services.Sum(s => s.Amount)),
                ["services"] = new JsonArray([.. services.Select(s => (JsonNode)Fee(s.TypeId, s.Amount))]),
            };
            products.Add(product);
        }

        return new JsonObject
        {
            ["accrual_id"] = id,
            ["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["total_amount"] = Money(lines.Sum(l => l.Money)),
            ["unit_number"] = postingNumber,
            ["accrued_category"] = "POSTING",
            ["posting"] = new JsonObject { ["delivery_schema"] = schema, ["delivery_speed"] = 0, ["products"] = products },
            ["item_fees"] = null,
            ["non_item_fee"] = null,
            ["container_fees"] = null,
        };
    }

    public static DateOnly Moscow(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(TimeSpan.FromHours(3)).DateTime);

    private static JsonObject Fee(long typeId, decimal amount) => new() { ["type_id"] = typeId, ["accrued"] = Money(amount) };

    private static FakeOzonDayAccrual Day(long id, DateOnly date, string category, string unit, decimal total, Action<JsonObject> fill)
    {
        var json = new JsonObject
        {
            ["accrual_id"] = id,
            ["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["total_amount"] = Money(total),
            ["unit_number"] = unit,
            ["accrued_category"] = category,
            ["posting"] = null,
            ["item_fees"] = null,
            ["non_item_fee"] = null,
            ["container_fees"] = null,
        };
        fill(json);
        return new FakeOzonDayAccrual(id, date, json.ToJsonString(FakeOzonData.Relaxed));
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
            return i with { Json = json.ToJsonString(FakeOzonData.Relaxed) };
        })];

    private static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
