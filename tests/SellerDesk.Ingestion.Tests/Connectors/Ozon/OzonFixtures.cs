using SellerDesk.Ingestion.Tests.Connectors.Fakes;
using static SellerDesk.Ingestion.Tests.Connectors.Fakes.FakeOzonData;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>A small Ozon account checked by hand (expected figures in <c>OzonMappingTests</c> and docs/connectors/ozon.md).</summary>
internal static class OzonFixtures
{
    public static readonly DateOnly From = new(2026, 3, 1);
    public static readonly DateOnly To = new(2026, 3, 5);

    public static readonly FakeOzonProduct Mug = new("111", "MUG-01", 1, 1000.00m, 170.00m);
    public static readonly FakeOzonProduct Tee = new("222", "TEE-02", 2, 1500.00m, 570.00m);
    public static readonly FakeOzonProduct Cap = new("333", "CAP-03", 2, 800.00m, 240.00m);
    public static readonly FakeOzonProduct Bag = new("444", "BAG-04", 1, 2000.00m, 0m);
    public static readonly FakeOzonProduct Socks = new("555", "SOCKS-05", 1, 500.00m, 75.00m);

    /// <summary>Ozon's payout: the sum of the operations' amounts.</summary>
    public const decimal HandCheckedOzonPayout = 1944.50m;

    /// <summary>The ledger's payout: Ozon's, minus the 350.00 compensation (a gap), plus the 360.00 of posting P5 not yet settled.</summary>
    public const decimal HandCheckedLedgerPayout = 1954.50m;

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>
    /// P1 FBO delivered (two products, sale and acquiring operations); P2 FBO ordered at 21:30 UTC on Mar 1 (Mar 2 in
    /// Moscow), delivered, one of two units sent back opened by the buyer; P3 FBS with a buyer id, not picked up
    /// (Cancellation, logistics both ways); P4 still on its way; P5 FBS delivered and not yet settled (no operation: its
    /// financial data's services are the logistics); storage twice on Mar 2, acceptance on Mar 3, a compensation credit.
    /// </summary>
    public static FakeOzonData HandChecked { get; } = new(
        Fbo:
        [
            Posting("0101-0001-1", "delivered", Utc(1, 7, 15), [Mug, Tee]),
            Posting("0102-0002-1", "delivered", Utc(1, 21, 30), [Cap], new Dictionary<string, decimal> { ["marketplace_service_item_direct_flow_trans"] = -100m }),
            Posting("0104-0004-1", "delivering", Utc(3, 10), [Mug]),
        ],
        Fbs:
        [
            Posting("0103-0003-1", "cancelled", Utc(2, 8), [Bag], customerId: 55501, fbs: true),
            Posting(
                "0105-0005-1",
                "delivered",
                Utc(3, 11),
                [Socks],
                new Dictionary<string, decimal> { ["marketplace_service_item_direct_flow_trans"] = -40m, ["marketplace_service_item_deliv_to_customer"] = -25m },
                fbs: true),
        ],
        Returns:
        [
            Return(9001, "0102-0002-1", "ClientReturn", Cap, 1, Utc(4, 10), isOpened: true),
            Return(9002, "0103-0003-1", "Cancellation", Bag, 1, Utc(4, 15)),
        ],
        Operations:
        [
            Operation(
                501, "OperationAgentDeliveredToCustomer", Utc(3, 9), "0101-0001-1", accruals: 4000m, commission: -740m,
                services: [("MarketplaceServiceItemDirectFlowLogistic", -120m), ("MarketplaceServiceItemDelivToCustomer", -200m)]),
            Operation(502, "MarketplaceRedistributionOfAcquiringOperation", Utc(3, 9), "0101-0001-1", amount: -60m),
            Operation(
                503, "OperationAgentDeliveredToCustomer", Utc(2, 12), "0102-0002-1", accruals: 1600m, commission: -240m,
                services: [("MarketplaceServiceItemDirectFlowLogistic", -100m)]),
            Operation(
                504, "ClientReturnAgentOperation", Utc(4, 10), "0102-0002-1", accruals: -800m, commission: 120m,
                services: [("MarketplaceServiceItemReturnFlowLogistic", -55m)]),
            Operation(
                505, "OperationItemReturn", Utc(4, 15), "0103-0003-1",
                services: [("MarketplaceServiceItemDirectFlowLogistic", -90m), ("MarketplaceServiceItemReturnNotDelivToCustomer", -70m)]),
            Operation(506, "OperationMarketplaceServiceStorage", Utc(2, 1), null, amount: -300.50m),
            Operation(507, "OperationMarketplaceServiceStorage", Utc(2, 20, 30), null, amount: -100.00m),
            Operation(508, "OperationMarketplaceServiceSupplyAcceptance", Utc(3, 6), null, amount: -1250.00m),
            Operation(509, "MarketplaceSellerCompensationOperation", Utc(4, 9), null, amount: 350.00m),
        ]);
}
