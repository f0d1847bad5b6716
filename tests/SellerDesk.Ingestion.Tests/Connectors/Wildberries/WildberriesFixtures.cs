using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>A small report checked by hand (expected figures in <c>WildberriesMappingTests</c> and the docs).</summary>
internal static class WildberriesFixtures
{
    public static readonly DateOnly From = new(2026, 3, 1);
    public static readonly DateOnly To = new(2026, 3, 7);

    private static FakeWbReportLine Sale(long rrdId, string srid, long nmId, string sku) => new()
    {
        RrdId = rrdId,
        Srid = srid,
        NmId = nmId,
        SaName = sku,
        DocTypeName = "Продажа",
        SupplierOperName = "Продажа",
    };

    private static FakeWbReportLine Other(long rrdId, string operation, string rrDt, string srid = "", long nmId = 0) => new()
    {
        RrdId = rrdId,
        Srid = srid,
        NmId = nmId,
        SupplierOperName = operation,
        RrDt = rrDt,
        SaleDt = rrDt,
    };

    /// <summary>
    /// Order A (srid-a): one mug sold, delivered, returned with return logistics. Order B (srid-b): two tees, WB
    /// logistics without a direction text, a penalty and an additional payment. Order C (srid-c): WB's own discount
    /// makes the amount for pay exceed the retail amount (the v5 example figures). srid-d: cancelled, logistics
    /// only. Storage on two days, acceptance, a deduction. Three ad charges over two days.
    /// </summary>
    public static FakeWildberriesReport HandChecked { get; } = new(
        [
            Sale(1, "srid-a", 111, "MUG-01") with
            {
                Quantity = 1, RetailPrice = 1200m, RetailAmount = 1000m, PpvzForPay = 820.50m, AcquiringFee = 15.00m,
                OrderDt = "2026-03-01T10:15:00", SaleDt = "2026-03-02T12:00:00", RrDt = "2026-03-02",
            },
            Other(2, "Логистика", "2026-03-02", "srid-a", 111) with
            {
                BonusTypeName = "К клиенту при продаже", DeliveryAmount = 1, DeliveryRub = 60.00m,
            },
            Sale(3, "srid-b", 222, "TEE-02") with
            {
                Quantity = 2, RetailPrice = 3000m, RetailAmount = 2400m, PpvzForPay = 2050.00m, AcquiringFee = 36.00m,
                OrderDt = "2026-03-01T23:30:00Z", SaleDt = "2026-03-02T15:00:00Z", RrDt = "2026-03-02",
            },
            Other(4, "Логистика", "2026-03-02", "srid-b", 222) with { DeliveryRub = 110.00m },
            new FakeWbReportLine
            {
                RrdId = 5, Srid = "srid-a", NmId = 111, SaName = "MUG-01", DocTypeName = "Возврат", SupplierOperName = "Возврат",
                Quantity = 1, RetailPrice = 1200m, RetailAmount = 1000m, PpvzForPay = 820.50m, AcquiringFee = 15.00m,
                OrderDt = "2026-03-01T10:15:00", SaleDt = "2026-03-04T09:00:00", RrDt = "2026-03-04",
            },
            Other(6, "Логистика", "2026-03-04", "srid-a", 111) with
            {
                BonusTypeName = "От клиента при возврате", ReturnAmount = 1, DeliveryRub = 45.00m,
            },
            Other(7, "Штраф", "2026-03-04", "srid-b", 222) with { Penalty = 300m, BonusTypeName = "Штраф МП. Подмена товара" },
            Other(8, "Доплаты", "2026-03-04", "srid-b", 222) with { AdditionalPayment = 25.00m },
            Sale(9, "srid-c", 333, "CAP-03") with
            {
                Quantity = 1, RetailPrice = 1249m, RetailAmount = 367m, PpvzForPay = 376.99m, AcquiringFee = 14.89m,
                OrderDt = "2026-03-02T08:00:00", SaleDt = "2026-03-03T11:00:00", RrDt = "2026-03-03",
            },
            Other(10, "Логистика", "2026-03-03", "srid-d", 444) with
            {
                BonusTypeName = "К клиенту при отмене", DeliveryAmount = 1, DeliveryRub = 55.00m,
            },
            Other(11, "Хранение", "2026-03-02") with { StorageFee = 123.45m },
            Other(12, "Хранение", "2026-03-03") with { StorageFee = 100.00m },
            Other(13, "Платная приемка", "2026-03-03") with { Acceptance = 500m },
            Other(14, "Удержание", "2026-03-04") with { Deduction = 250m, BonusTypeName = "Списание за отзыв" },
            Other(15, "Хранение", "2026-03-02") with { StorageFee = 76.55m },
        ],
        [
            new FakeWbAdCharge { UpdNum = 1, AdvertId = 501, UpdTime = "2026-03-02T10:00:00+03:00", UpdSum = 700m, CampName = "Поиск" },
            new FakeWbAdCharge { UpdNum = 2, AdvertId = 502, UpdTime = "2026-03-02T18:00:00", UpdSum = 300.50m, CampName = "Каталог" },
            new FakeWbAdCharge { UpdNum = 3, AdvertId = 501, UpdTime = "2026-03-03T09:00:00", UpdSum = 450m, CampName = "Поиск" },
        ]);

    /// <summary>The report's amount to pay the seller for <see cref="HandChecked"/>, worked out by hand.</summary>
    public const decimal HandCheckedPayout = 831.99m;
}
