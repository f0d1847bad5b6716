using System.Globalization;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>
/// A hand-checked campaign (every figure worked out in docs/connectors/yandex_market.md, "Worked example"), and
/// helpers that build source rows the way the connector stores them.
/// </summary>
internal static class YandexMarketFixtures
{
    public static readonly DateOnly From = new(2026, 3, 1);
    public static readonly DateOnly To = new(2026, 3, 5);
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    /// <summary>Payout of the hand-checked campaign: 2492.00 + 685.00 - 100.00 - 25.00 - 290.00 - 45.50 - 120.00.</summary>
    public const decimal HandCheckedPayout = 2596.50m;

    /// <summary>Delivered, two SKUs, Yandex's discount and cashback as subsidies, five commission types; no buyer id.</summary>
    public static readonly FakeYmOrder Delivered = new(
        1001,
        "2026-03-01T10:15:00+03:00",
        "2026-03-03T18:00:00+03:00",
        "DELIVERED",
        [
            new FakeYmItem("Кружка", 101, "MUG-01", 2, [new("BUYER", 900m, 1800m), new("MARKETPLACE", 50m, 100m)]),
            new FakeYmItem("Футболка", 102, "TEE-02", 1, [new("BUYER", 1000m, 1000m), new("CASHBACK", 100m, 100m)]),
        ],
        [new FakeYmPayment("p1", "2026-03-02", "PAYMENT", "BUYER", 2800m)],
        [
            new("FEE", 300m), new("DELIVERY_TO_CUSTOMER", 90m), new("PAYMENT_TRANSFER", 28m), new("AGENCY", 30m), new("AUCTION_PROMOTION", 60m),
        ],
        Subsidies: [new("ACCRUAL", "SUBSIDY", 100m), new("ACCRUAL", "YANDEX_CASHBACK", 100m)]);

    /// <summary>The same order as Yandex wrote it before November 2024: its share as payments from MARKETPLACE and CASHBACK.</summary>
    public static readonly FakeYmOrder DeliveredLegacy = Delivered with
    {
        Payments =
        [
            new FakeYmPayment("p1", "2026-03-02", "PAYMENT", "BUYER", 2800m),
            new FakeYmPayment("p2", "2026-03-02", "PAYMENT", "MARKETPLACE", 100m),
            new FakeYmPayment("p3", "2026-03-02", "PAYMENT", "CASHBACK", 100m),
        ],
        Subsidies = null,
    };

    /// <summary>DBS order at 23:30 Moscow (20:30 UTC) with a buyer id; one of three caps comes back defective.</summary>
    public static readonly FakeYmOrder PartlyReturned = new(
        1002,
        "2026-03-01T23:30:00+03:00",
        "2026-03-04T09:00:00+03:00",
        "PARTIALLY_RETURNED",
        [new FakeYmItem("Кепка", 103, "CAP-03", 3, [new("BUYER", 500m, 1500m)])],
        [new FakeYmPayment("p4", "2026-03-02", "PAYMENT", "BUYER", 1500m), new FakeYmPayment("r4", "2026-03-04", "REFUND", "BUYER", 500m)],
        [new("FEE", 150m), new("DELIVERY_TO_CUSTOMER", 80m), new("PAYMENT_TRANSFER", 15m), new("RETURN_PROCESSING", 40m)],
        Buyer: new FakeYmBuyer("777"),
        Subsidies: []);

    /// <summary>Not picked up: no payment, delivery and return processing charged (creation time without offset).</summary>
    public static readonly FakeYmOrder NotPickedUp = new(
        1003,
        "2026-03-02T08:00:00",
        "2026-03-05T12:00:00+03:00",
        "CANCELLED_IN_DELIVERY",
        [new FakeYmItem("Кружка", 101, "MUG-01", 1, [new("BUYER", 950m, 950m)])],
        [],
        [new("DELIVERY_TO_CUSTOMER", 70m), new("RETURN_PROCESSING", 30m)],
        PaymentType: "POSTPAID",
        Subsidies: []);

    /// <summary>Cancelled before shipment with a charge: a period fee, no sale.</summary>
    public static readonly FakeYmOrder Cancelled = new(
        1004,
        "2026-03-03T12:00:00+03:00",
        "2026-03-03T13:00:00+03:00",
        "CANCELLED_BEFORE_PROCESSING",
        [new FakeYmItem("Футболка", 102, "TEE-02", 1, [new("BUYER", 1000m, 1000m)])],
        [],
        [new("DELIVERY_TO_CUSTOMER", 25m)],
        Subsidies: []);

    /// <summary>A test order placed from the seller's cabinet.</summary>
    public static readonly FakeYmOrder TestOrder = new(
        1005,
        "2026-03-04T11:00:00+03:00",
        "2026-03-04T11:00:00+03:00",
        "DELIVERED",
        [new FakeYmItem("Кружка", 101, "MUG-01", 1, [new("BUYER", 10m, 10m)])],
        [new FakeYmPayment("p5", "2026-03-04", "PAYMENT", "BUYER", 10m)],
        [new("FEE", 1m)],
        Fake: true,
        Subsidies: []);

    /// <summary>A kettle with Yandex's 200 discount, returned whole: the buyer's 1800 refunded, the 200 deducted.</summary>
    public static readonly FakeYmOrder SubsidisedReturned = new(
        1006,
        "2026-03-02T14:00:00+03:00",
        "2026-03-05T10:00:00+03:00",
        "RETURNED",
        [new FakeYmItem("Чайник", 106, "KETTLE-06", 1, [new("BUYER", 1800m, 1800m), new("MARKETPLACE", 200m, 200m)])],
        [new FakeYmPayment("p6", "2026-03-03", "PAYMENT", "BUYER", 1800m), new FakeYmPayment("r6", "2026-03-05", "REFUND", "BUYER", 1800m)],
        [new("FEE", 180m), new("DELIVERY_TO_CUSTOMER", 60m), new("RETURN_PROCESSING", 50m)],
        Subsidies: [new("ACCRUAL", "SUBSIDY", 200m), new("DEDUCTION", "SUBSIDY", 200m)]);

    public static readonly FakeYmReturn DefectiveCap = new(
        5001,
        1002,
        "2026-03-04T09:00:00+03:00",
        "2026-03-04T10:00:00+03:00",
        "RETURN",
        [new FakeYmReturnItem(103, "CAP-03", 1, [new FakeYmDecision("BAD_QUALITY", Comment: "трещина на козырьке")])],
        new FakeYmAmount(500m));

    public static readonly FakeYmReturn Unredeemed = new(
        5002,
        1003,
        "2026-03-05T12:00:00+03:00",
        "2026-03-05T12:00:00+03:00",
        "UNREDEEMED",
        [new FakeYmReturnItem(101, "MUG-01", 1)],
        RefundStatus: "UNKNOWN");

    public static readonly FakeYmReturn KettleBack = new(
        5003,
        1006,
        "2026-03-04T12:00:00+03:00",
        "2026-03-05T10:00:00+03:00",
        "RETURN",
        [new FakeYmReturnItem(106, "KETTLE-06", 1, [new FakeYmDecision("DO_NOT_FIT")])],
        new FakeYmAmount(1800m));

    /// <summary>The buyer asked to return the T-shirt of order 1001, then cancelled: nothing refunded, nothing back.</summary>
    public static readonly FakeYmReturn CancelledByBuyer = new(
        5004,
        1001,
        "2026-03-03T20:00:00+03:00",
        "2026-03-04T08:00:00+03:00",
        "RETURN",
        [new FakeYmReturnItem(102, "TEE-02", 1, [new FakeYmDecision("DO_NOT_FIT")])],
        new FakeYmAmount(1000m),
        RefundStatus: "CANCELLED");

    /// <summary>Paid storage of the mugs on March 2.</summary>
    public static readonly FakeYmService MugStorage = new("paid_storage_after_01-06-22", new DateOnly(2026, 3, 2), 45.50m, ShopSku: "MUG-01", ServiceName: "Хранение", Warehouse: "Софьино");

    /// <summary>Acceptance of a supply on March 3.</summary>
    public static readonly FakeYmService Acceptance = new("goods_acceptance", new DateOnly(2026, 3, 3), 120m, ShopSku: "CAP-03", ServiceName: "Приёмка");

    /// <summary>Warehouse processing of order 1002, in the services report only.</summary>
    public static readonly FakeYmService CapProcessing = new("warehouse_processing", new DateOnly(2026, 3, 1), 30m, OrderId: 1002, ShopSku: "CAP-03", ServiceName: "Обработка заказа");

    public static readonly FakeYandexMarketData HandChecked = new(
        [Delivered, PartlyReturned, NotPickedUp, Cancelled, TestOrder, SubsidisedReturned],
        [DefectiveCap, Unredeemed, KettleBack, CancelledByBuyer])
    {
        Services = [MugStorage, Acceptance, CapProcessing],
    };

    public static SourceRow OrderRow(FakeYmOrder order) => new(
        YandexMarketConnector.OrdersFeed,
        order.Id.ToString(CultureInfo.InvariantCulture),
        order.Id.ToString(CultureInfo.InvariantCulture),
        order.CreatedOn,
        FakeYandexMarket.Serialize(order));

    public static SourceRow ReturnRow(FakeYmReturn item) => new(
        YandexMarketConnector.ReturnsFeed,
        item.Id.ToString(CultureInfo.InvariantCulture),
        item.OrderId.ToString(CultureInfo.InvariantCulture),
        item.CreatedOn,
        FakeYandexMarket.Serialize(item));

    /// <summary>Source rows of the orders and returns of a campaign, as a complete pull stores them (services come from a pull).</summary>
    public static List<SourceRow> Rows(FakeYandexMarketData data) =>
        [.. data.Orders.Select(OrderRow), .. data.Returns.Select(ReturnRow)];
}
