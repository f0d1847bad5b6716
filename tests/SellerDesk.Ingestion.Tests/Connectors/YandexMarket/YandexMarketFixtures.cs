using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;

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

    /// <summary>Payout of the hand-checked campaign: 2492.00 + 715.00 - 100.00 - 25.00.</summary>
    public const decimal HandCheckedPayout = 3082.00m;

    /// <summary>Delivered, two SKUs, a Yandex discount subsidy and cashback, five commission types; no buyer id.</summary>
    public static readonly FakeYmOrder Delivered = new(
        1001,
        "2026-03-01T10:15:00+03:00",
        "2026-03-03T18:00:00+03:00",
        "DELIVERED",
        [
            new FakeYmItem("Кружка", 101, "MUG-01", 2, [new("BUYER", 900m, 1800m), new("MARKETPLACE", 50m, 100m)]),
            new FakeYmItem("Футболка", 102, "TEE-02", 1, [new("BUYER", 1000m, 1000m), new("CASHBACK", 100m, 100m)]),
        ],
        [
            new FakeYmPayment("p1", "2026-03-02", "PAYMENT", "BUYER", 2800m),
            new FakeYmPayment("p2", "2026-03-02", "PAYMENT", "MARKETPLACE", 100m),
            new FakeYmPayment("p3", "2026-03-02", "PAYMENT", "CASHBACK", 100m),
        ],
        [
            new("FEE", 300m), new("DELIVERY_TO_CUSTOMER", 90m), new("PAYMENT_TRANSFER", 28m), new("AGENCY", 30m), new("AUCTION_PROMOTION", 60m),
        ]);

    /// <summary>DBS order at 23:30 Moscow (20:30 UTC) with a buyer id; one of three caps comes back defective.</summary>
    public static readonly FakeYmOrder PartlyReturned = new(
        1002,
        "2026-03-01T23:30:00+03:00",
        "2026-03-04T09:00:00+03:00",
        "PARTIALLY_RETURNED",
        [new FakeYmItem("Кепка", 103, "CAP-03", 3, [new("BUYER", 500m, 1500m)])],
        [new FakeYmPayment("p4", "2026-03-02", "PAYMENT", "BUYER", 1500m), new FakeYmPayment("r4", "2026-03-04", "REFUND", "BUYER", 500m)],
        [new("FEE", 150m), new("DELIVERY_TO_CUSTOMER", 80m), new("PAYMENT_TRANSFER", 15m), new("RETURN_PROCESSING", 40m)],
        Buyer: new FakeYmBuyer("777"));

    /// <summary>Not picked up: no payment, delivery and return processing charged (creation time without offset).</summary>
    public static readonly FakeYmOrder NotPickedUp = new(
        1003,
        "2026-03-02T08:00:00",
        "2026-03-05T12:00:00+03:00",
        "CANCELLED_IN_DELIVERY",
        [new FakeYmItem("Кружка", 101, "MUG-01", 1, [new("BUYER", 950m, 950m)])],
        [],
        [new("DELIVERY_TO_CUSTOMER", 70m), new("RETURN_PROCESSING", 30m)],
        PaymentType: "POSTPAID");

    /// <summary>Cancelled before shipment with a charge: a period fee, no sale.</summary>
    public static readonly FakeYmOrder Cancelled = new(
        1004,
        "2026-03-03T12:00:00+03:00",
        "2026-03-03T13:00:00+03:00",
        "CANCELLED_BEFORE_PROCESSING",
        [new FakeYmItem("Футболка", 102, "TEE-02", 1, [new("BUYER", 1000m, 1000m)])],
        [],
        [new("DELIVERY_TO_CUSTOMER", 25m)]);

    /// <summary>A test order placed from the seller's cabinet.</summary>
    public static readonly FakeYmOrder TestOrder = new(
        1005,
        "2026-03-04T11:00:00+03:00",
        "2026-03-04T11:00:00+03:00",
        "DELIVERED",
        [new FakeYmItem("Кружка", 101, "MUG-01", 1, [new("BUYER", 10m, 10m)])],
        [new FakeYmPayment("p5", "2026-03-04", "PAYMENT", "BUYER", 10m)],
        [new("FEE", 1m)],
        Fake: true);

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
        [new FakeYmReturnItem(101, "MUG-01", 1)]);

    public static readonly FakeYandexMarketData HandChecked = new(
        [Delivered, PartlyReturned, NotPickedUp, Cancelled, TestOrder],
        [DefectiveCap, Unredeemed]);

    public static SourceRow OrderRow(FakeYmOrder order) => new(
        YandexMarketConnector.OrdersFeed,
        order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        order.CreatedOn,
        FakeYandexMarket.Serialize(order));

    public static SourceRow ReturnRow(FakeYmReturn item) => new(
        YandexMarketConnector.ReturnsFeed,
        item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        item.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        item.CreatedOn,
        FakeYandexMarket.Serialize(item));

    /// <summary>Source rows of a whole campaign, as a complete pull stores them.</summary>
    public static List<SourceRow> Rows(FakeYandexMarketData data) =>
        [.. data.Orders.Select(OrderRow), .. data.Returns.Select(ReturnRow)];
}
