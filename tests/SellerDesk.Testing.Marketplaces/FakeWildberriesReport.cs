using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>
/// One line of the realization report as the fake serves it: the finance API's camelCase names, money as strings
/// (<c>"forPay": "820.50"</c>), Moscow times without offset, dates that can be null and optional ids (<c>srid</c>,
/// <c>nmId</c>) that can be missing, as in WB's own samples. Only the fields the spec names and a few more; the real
/// report has many more, which the connector keeps untouched in the payload anyway. The C# names are the legacy v5 ones
/// (<c>PpvzForPay</c> is <c>forPay</c>, <c>DeliveryRub</c> is <c>deliveryService</c>, <c>RrDt</c> is <c>rrDate</c>...);
/// <see cref="FakeWildberriesReport.LegacyV5Json"/> writes a line as the switched-off v5 method did.
/// </summary>
public sealed record FakeWbReportLine
{
    [JsonPropertyName("reportId")]
    public long RealizationReportId { get; init; } = 777;

    [JsonPropertyName("rrdId")]
    public long RrdId { get; init; }

    /// <summary>The order key; null leaves the field out (period lines often have none).</summary>
    [JsonPropertyName("srid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Srid { get; init; } = "";

    /// <summary>WB's article; null leaves the field out.</summary>
    [JsonPropertyName("nmId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? NmId { get; init; }

    [JsonPropertyName("vendorCode")]
    public string SaName { get; init; } = "";

    [JsonPropertyName("docTypeName")]
    public string DocTypeName { get; init; } = "";

    [JsonPropertyName("sellerOperName")]
    public string SupplierOperName { get; init; } = "";

    [JsonPropertyName("bonusTypeName")]
    public string BonusTypeName { get; init; } = "";

    [JsonPropertyName("quantity")]
    public int Quantity { get; init; }

    [JsonPropertyName("retailPrice")]
    public decimal RetailPrice { get; init; }

    [JsonPropertyName("retailAmount")]
    public decimal RetailAmount { get; init; }

    [JsonPropertyName("retailPriceWithDisc")]
    public decimal RetailPriceWithDiscRub { get; init; }

    /// <summary>A percentage: a JSON number in the finance API, not a money string.</summary>
    [JsonPropertyName("commissionPercent")]
    public double CommissionPercent { get; init; }

    [JsonPropertyName("ppvzSalesCommission")]
    public decimal PpvzSalesCommission { get; init; }

    [JsonPropertyName("forPay")]
    public decimal PpvzForPay { get; init; }

    [JsonPropertyName("acquiringFee")]
    public decimal AcquiringFee { get; init; }

    [JsonPropertyName("deliveryAmount")]
    public int DeliveryAmount { get; init; }

    [JsonPropertyName("returnAmount")]
    public int ReturnAmount { get; init; }

    [JsonPropertyName("deliveryService")]
    public decimal DeliveryRub { get; init; }

    [JsonPropertyName("penalty")]
    public decimal Penalty { get; init; }

    [JsonPropertyName("additionalPayment")]
    public decimal AdditionalPayment { get; init; }

    [JsonPropertyName("deduction")]
    public decimal Deduction { get; init; }

    [JsonPropertyName("paidStorage")]
    public decimal StorageFee { get; init; }

    [JsonPropertyName("paidAcceptance")]
    public decimal Acceptance { get; init; }

    [JsonPropertyName("cashbackAmount")]
    public decimal CashbackAmount { get; init; }

    [JsonPropertyName("cashbackDiscount")]
    public decimal CashbackDiscount { get; init; }

    [JsonPropertyName("cashbackCommissionChange")]
    public decimal CashbackCommissionChange { get; init; }

    [JsonPropertyName("orderDt")]
    public string? OrderDt { get; init; } = "";

    [JsonPropertyName("saleDt")]
    public string? SaleDt { get; init; } = "";

    [JsonPropertyName("rrDate")]
    public string? RrDt { get; init; } = "";

    /// <summary>The report day (Moscow) the fake filters <c>dateFrom</c>/<c>dateTo</c> on: <c>rrDate</c>, else <c>saleDt</c>.</summary>
    [JsonIgnore]
    public DateOnly ReportDate => DateOnly.ParseExact(
        (string.IsNullOrEmpty(RrDt) ? SaleDt : RrDt)?[..10] ?? throw new InvalidOperationException($"Line {RrdId} has neither rrDate nor saleDt."),
        "yyyy-MM-dd",
        CultureInfo.InvariantCulture);
}

/// <summary>One charge of <c>/adv/v1/upd</c> (camelCase), as in WB's documentation sample.</summary>
public sealed record FakeWbAdCharge
{
    [JsonPropertyName("updNum")]
    public long UpdNum { get; init; }

    /// <summary>When the charge was made; null as in WB's own sample (then <see cref="ServeDate"/> says where the fake serves it).</summary>
    [JsonPropertyName("updTime")]
    public string? UpdTime { get; init; } = "";

    [JsonPropertyName("updSum")]
    public decimal UpdSum { get; init; }

    [JsonPropertyName("advertId")]
    public long AdvertId { get; init; }

    [JsonPropertyName("campName")]
    public string CampName { get; init; } = "";

    [JsonPropertyName("advertType")]
    public int AdvertType { get; init; } = 9;

    [JsonPropertyName("paymentType")]
    public string PaymentType { get; init; } = "Баланс";

    [JsonPropertyName("advertStatus")]
    public int AdvertStatus { get; init; } = 9;

    /// <summary>For an undated charge: the day whose ads calls return it.</summary>
    [JsonIgnore]
    public DateOnly? ServeDate { get; init; }

    [JsonIgnore]
    public DateOnly Date => UpdTime is { Length: >= 10 }
        ? DateOnly.ParseExact(UpdTime[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture)
        : ServeDate ?? throw new InvalidOperationException($"Charge of campaign {AdvertId} has neither updTime nor a serve date.");
}

/// <summary>A campaign of <c>/api/advert/v2/adverts</c>: id, <c>settings.name</c>, status, <c>timestamps.updated</c>.</summary>
public sealed record FakeWbCampaign(long Id, string Name, int Status = 9, string Updated = "2026-11-01T10:00:00+03:00");

/// <summary>
/// One nm entry of <c>/adv/v3/fullstats</c>: campaign, day, app type and nmId with WB's figures; <see cref="Orders"/>
/// is WB's own attribution of orders to the campaign.
/// </summary>
public sealed record FakeWbStatistic(long AdvertId, DateOnly Date, long NmId, int Orders, decimal Sum, int AppType = 32)
{
    public string Name { get; init; } = "товар";

    public int Views { get; init; } = 500;

    public int Clicks { get; init; } = 40;

    public int Atbs { get; init; } = 5;

    public int Shks { get; init; }

    public decimal SumPrice { get; init; }

    public int Canceled { get; init; }
}

/// <summary>
/// What the fake Wildberries serves: realization report lines (kept ordered by <c>rrd_id</c>) and ad charges.
/// Immutable: restate a report by serving a changed copy (<see cref="FakeWildberries.Report"/>).
/// </summary>
public sealed class FakeWildberriesReport
{
    public FakeWildberriesReport(
        IEnumerable<FakeWbReportLine> lines,
        IEnumerable<FakeWbAdCharge>? adCharges = null,
        IEnumerable<FakeWbCampaign>? campaigns = null,
        IEnumerable<FakeWbStatistic>? statistics = null)
    {
        Lines = [.. lines.OrderBy(l => l.RrdId)];
        AdCharges = [.. adCharges ?? []];
        Campaigns = [.. campaigns ?? []];
        Statistics = [.. statistics ?? []];
    }

    /// <summary>The campaigns <c>/api/advert/v2/adverts</c> lists.</summary>
    public IReadOnlyList<FakeWbCampaign> Campaigns { get; }

    /// <summary>What <c>/adv/v3/fullstats</c> reports, one entry per campaign, day, app type and nmId.</summary>
    public IReadOnlyList<FakeWbStatistic> Statistics { get; }

    /// <summary>A copy with <paramref name="campaigns"/> added to the campaign list.</summary>
    public FakeWildberriesReport WithCampaigns(params FakeWbCampaign[] campaigns) => new(Lines, AdCharges, Campaigns.Concat(campaigns), Statistics);

    /// <summary>A copy with <paramref name="statistics"/> added to the campaign statistics.</summary>
    public FakeWildberriesReport WithStatistics(params FakeWbStatistic[] statistics) => new(Lines, AdCharges, Campaigns, Statistics.Concat(statistics));

    /// <summary>A copy whose statistics are <paramref name="statistics"/> (a restatement of the campaign statistics).</summary>
    public FakeWildberriesReport RestateStatistics(IEnumerable<FakeWbStatistic> statistics) => new(Lines, AdCharges, Campaigns, statistics);

    public IReadOnlyList<FakeWbReportLine> Lines { get; }

    /// <summary>Each line's JSON (UTF-8), made once, so a 200 000-line report costs the fake little to serve.</summary>
    internal IReadOnlyList<byte[]> LineJson => _lineJson ??= [.. Lines.Select(l => JsonSerializer.SerializeToUtf8Bytes(l, FakeWildberries.Json))];

    private byte[][]? _lineJson;

    public IReadOnlyList<FakeWbAdCharge> AdCharges { get; }

    public static FakeWildberriesReport Empty { get; } = new([]);

    /// <summary>A copy with the lines <paramref name="which"/> picks changed by <paramref name="change"/> (a restatement).</summary>
    public FakeWildberriesReport Restate(Func<FakeWbReportLine, bool> which, Func<FakeWbReportLine, FakeWbReportLine> change) =>
        new(Lines.Select(l => which(l) ? change(l) : l), AdCharges, Campaigns, Statistics);

    /// <summary>A copy without the lines <paramref name="which"/> picks.</summary>
    public FakeWildberriesReport Without(Func<FakeWbReportLine, bool> which) => new(Lines.Where(l => !which(l)), AdCharges, Campaigns, Statistics);

    /// <summary>A copy with <paramref name="lines"/> added (storno and corrected lines of a restatement, partial rows).</summary>
    public FakeWildberriesReport With(params FakeWbReportLine[] lines) => new(Lines.Concat(lines), AdCharges, Campaigns, Statistics);

    /// <summary>A copy with <paramref name="charges"/> added to the ad charges.</summary>
    public FakeWildberriesReport WithAds(params FakeWbAdCharge[] charges) => new(Lines, AdCharges.Concat(charges), Campaigns, Statistics);

    /// <summary>
    /// A copy where the line <paramref name="rrdId"/> is re-issued under <paramref name="newRrdId"/> (changed by
    /// <paramref name="change"/> if given) and no longer served under its old id.
    /// </summary>
    public FakeWildberriesReport Reissue(long rrdId, long newRrdId, Func<FakeWbReportLine, FakeWbReportLine>? change = null) =>
        new(Lines.Select(l => l.RrdId == rrdId ? (change?.Invoke(l) ?? l) with { RrdId = newRrdId } : l), AdCharges, Campaigns, Statistics);

    /// <summary>
    /// A line as the switched-off v5 method wrote it (<c>rrd_id</c>, <c>ppvz_for_pay</c>, money as JSON numbers): the
    /// payload that rows pulled before the switch keep in storage.
    /// </summary>
    public static string LegacyV5Json(FakeWbReportLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var v1 = JsonSerializer.SerializeToNode(line, FakeWildberries.Json)!.AsObject();
        var v5 = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, value) in v1)
        {
            var legacy = V5Names.GetValueOrDefault(name, name);
            v5[legacy] = value is System.Text.Json.Nodes.JsonValue text && MoneyFields.Contains(name) && text.TryGetValue<string>(out var amount)
                ? System.Text.Json.Nodes.JsonValue.Create(decimal.Parse(amount, CultureInfo.InvariantCulture))
                : value?.DeepClone();
        }

        return v5.ToJsonString(FakeWildberries.Json);
    }

    private static readonly Dictionary<string, string> V5Names = new(StringComparer.Ordinal)
    {
        ["reportId"] = "realizationreport_id", ["rrdId"] = "rrd_id", ["nmId"] = "nm_id", ["vendorCode"] = "sa_name",
        ["docTypeName"] = "doc_type_name", ["sellerOperName"] = "supplier_oper_name", ["bonusTypeName"] = "bonus_type_name",
        ["retailPrice"] = "retail_price", ["retailAmount"] = "retail_amount", ["retailPriceWithDisc"] = "retail_price_withdisc_rub",
        ["commissionPercent"] = "commission_percent", ["ppvzSalesCommission"] = "ppvz_sales_commission", ["forPay"] = "ppvz_for_pay",
        ["acquiringFee"] = "acquiring_fee", ["deliveryAmount"] = "delivery_amount", ["returnAmount"] = "return_amount",
        ["deliveryService"] = "delivery_rub", ["additionalPayment"] = "additional_payment", ["paidStorage"] = "storage_fee",
        ["paidAcceptance"] = "acceptance", ["cashbackAmount"] = "cashback_amount", ["cashbackDiscount"] = "cashback_discount",
        ["cashbackCommissionChange"] = "cashback_commission_change", ["orderDt"] = "order_dt", ["saleDt"] = "sale_dt", ["rrDate"] = "rr_dt",
    };

    private static readonly HashSet<string> MoneyFields = new(StringComparer.Ordinal)
    {
        "retailPrice", "retailAmount", "retailPriceWithDisc", "ppvzSalesCommission", "forPay", "acquiringFee", "deliveryService",
        "penalty", "additionalPayment", "deduction", "paidStorage", "paidAcceptance", "cashbackAmount", "cashbackDiscount",
        "cashbackCommissionChange",
    };

    /// <summary>
    /// A realistic report, the same for the same arguments: each day <paramref name="ordersPerDay"/> orders of five
    /// products sold with their delivery logistics (some at a price above WB's retail amount after WB's own discount),
    /// about one in seven returned a day or two later with return logistics, some penalised, some with additional
    /// payments, some cancelled (logistics both ways, no sale); daily storage, acceptance every third day,
    /// deductions every fifth; two ad campaigns charging daily.
    /// </summary>
    public static FakeWildberriesReport Generate(DateOnly from, int days, int ordersPerDay, int seed = 1)
    {
        var random = new Random(seed);
        var pending = new List<(DateOnly Day, int Order, FakeWbReportLine Line)>();
        var ads = new List<FakeWbAdCharge>();
        var sequence = 0;
        var updNum = 9000L;
        for (var day = 0; day < days; day++)
        {
            var date = from.AddDays(day);
            for (var i = 0; i < ordersPerDay; i++)
            {
                AddOrder(random, date, from.AddDays(days - 1), seed, day, i, pending, ref sequence);
            }

            pending.Add((date, sequence++, Period(date, "Хранение") with { StorageFee = Money(random, 150, 900) }));
            if (day % 3 == 0)
            {
                pending.Add((date, sequence++, Period(date, "Платная приемка") with { Acceptance = Money(random, 300, 2000) }));
            }

            if (day % 5 == 4)
            {
                pending.Add((date, sequence++, Period(date, "Удержание") with { Deduction = Money(random, 100, 1500) }));
            }

            foreach (var advertId in new[] { 501L, 502L })
            {
                ads.Add(new FakeWbAdCharge
                {
                    UpdNum = ++updNum,
                    UpdTime = Stamp(date, 6 + random.Next(16), random.Next(60)),
                    UpdSum = Money(random, 200, 3000),
                    AdvertId = advertId,
                    CampName = advertId == 501 ? "Поиск: кружки" : "Каталог: футболки",
                });
            }
        }

        var rrdId = 1_000_000L;
        var lines = pending
            .OrderBy(p => p.Day)
            .ThenBy(p => p.Order)
            .Select(p => p.Line with { RrdId = rrdId += 1 + (p.Order % 3) });
        return new FakeWildberriesReport(lines, ads);
    }

    private static readonly (long NmId, string SaName, decimal Price)[] Catalog =
    [
        (111_001, "MUG-01", 890m),
        (111_002, "TEE-02", 1_490m),
        (111_003, "CAP-03", 690m),
        (111_004, "BAG-04", 2_350m),
        (111_005, "SOCK-05", 390m),
    ];

    private static void AddOrder(
        Random random, DateOnly date, DateOnly last, int seed, int day, int index,
        List<(DateOnly, int, FakeWbReportLine)> pending, ref int sequence)
    {
        var (nmId, saName, price) = Catalog[random.Next(Catalog.Length)];
        var srid = string.Create(CultureInfo.InvariantCulture, $"{seed:x}{day:x3}{index:x4}.{random.Next(1 << 24):x6}");
        var ordered = date.AddDays(-random.Next(3));
        var orderDt = Stamp(ordered, random.Next(24), random.Next(60));
        var quantity = random.Next(10) == 0 ? 2 : 1;
        var baseLine = new FakeWbReportLine { Srid = srid, NmId = nmId, SaName = saName, OrderDt = orderDt };

        if (random.Next(20) == 0)
        {
            // Cancelled: WB charges the trip to the pickup point and back, and nothing is sold.
            pending.Add((date, sequence++, Logistics(baseLine, date, "К клиенту при отмене", toBuyer: true, Money(random, 40, 120))));
            pending.Add((date, sequence++, Logistics(baseLine, date, "От клиента при отмене", toBuyer: false, Money(random, 40, 120))));
            return;
        }

        var retailPrice = price * quantity;
        var retailAmount = decimal.Round(retailPrice * (1 - (random.Next(0, 30) / 100m)), 2);
        var acquiring = decimal.Round(retailAmount * 0.015m, 2);
        var commissionPercent = 12 + random.Next(14);
        var commission = decimal.Round(retailAmount * commissionPercent / 100m, 2);
        var forPay = random.Next(8) == 0
            ? retailAmount + Money(random, 5, 40) // WB funds its own discount: more than the retail amount reaches the seller
            : retailAmount - commission - acquiring;
        var sale = baseLine with
        {
            DocTypeName = "Продажа",
            SupplierOperName = "Продажа",
            Quantity = quantity,
            RetailPrice = retailPrice,
            RetailPriceWithDiscRub = decimal.Round(retailAmount / quantity, 2),
            RetailAmount = retailAmount,
            CommissionPercent = commissionPercent,
            PpvzSalesCommission = commission,
            PpvzForPay = forPay,
            AcquiringFee = acquiring,
            SaleDt = Stamp(date, 8 + random.Next(12), random.Next(60)),
            RrDt = Day(date),
        };
        pending.Add((date, sequence++, sale));
        pending.Add((date, sequence++, Logistics(baseLine, date, "К клиенту при продаже", toBuyer: true, Money(random, 45, 160))));

        if (random.Next(20) == 0)
        {
            pending.Add((date, sequence++, baseLine with
            {
                SupplierOperName = "Штраф",
                BonusTypeName = "Штраф МП. Невыполненный заказ",
                Penalty = Money(random, 100, 600),
                RrDt = Day(date),
                SaleDt = Day(date),
            }));
        }

        if (random.Next(30) == 0)
        {
            pending.Add((date, sequence++, baseLine with
            {
                SupplierOperName = "Доплаты",
                AdditionalPayment = Money(random, 10, 80),
                RrDt = Day(date),
                SaleDt = Day(date),
            }));
        }

        var returnDate = date.AddDays(1 + random.Next(2));
        if (random.Next(7) == 0 && returnDate <= last)
        {
            pending.Add((returnDate, sequence++, sale with
            {
                DocTypeName = "Возврат",
                SupplierOperName = "Возврат",
                Quantity = 1,
                RetailPrice = price,
                RetailAmount = decimal.Round(retailAmount / quantity, 2),
                PpvzForPay = decimal.Round(forPay / quantity, 2),
                AcquiringFee = decimal.Round(acquiring / quantity, 2),
                SaleDt = Stamp(returnDate, 8 + random.Next(12), random.Next(60)),
                RrDt = Day(returnDate),
            }));
            pending.Add((returnDate, sequence++, Logistics(baseLine, returnDate, "От клиента при возврате", toBuyer: false, Money(random, 45, 160))));
        }
    }

    private static FakeWbReportLine Logistics(FakeWbReportLine order, DateOnly date, string direction, bool toBuyer, decimal amount) =>
        order with
        {
            SupplierOperName = "Логистика",
            BonusTypeName = direction,
            DeliveryAmount = toBuyer ? 1 : 0,
            ReturnAmount = toBuyer ? 0 : 1,
            DeliveryRub = amount,
            SaleDt = Day(date),
            RrDt = Day(date),
        };

    private static FakeWbReportLine Period(DateOnly date, string operation) => new()
    {
        SupplierOperName = operation,
        SaleDt = Day(date),
        RrDt = Day(date),
    };

    private static decimal Money(Random random, int min, int max) => random.Next(min * 100, max * 100) / 100m;

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Stamp(DateOnly date, int hour, int minute) =>
        date.ToDateTime(new TimeOnly(hour, minute)).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
