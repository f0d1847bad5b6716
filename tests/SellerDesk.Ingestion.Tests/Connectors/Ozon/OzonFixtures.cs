using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Testing.Marketplaces.FakeOzonData;

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
    public static readonly FakeOzonProduct Lamp = new("666", "LAMP-06", 1, 900.00m, 100.00m);

    /// <summary>Ozon's payout: every accrual's money (P1 2880 + P2 525 + P3 -160 + P6 800 + the days' -1974.50).</summary>
    public const decimal HandCheckedOzonPayout = 2070.50m;

    /// <summary>The ledger's payout: Ozon's, minus P6 and the compensation (gaps), plus P5 carried though not accrued.</summary>
    public const decimal HandCheckedLedgerPayout = 1345.50m;

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    private static DateOnly March(int day) => new(2026, 3, day);

    /// <summary>
    /// P1 FBO delivered (two products; sale, trunk, last mile and acquiring of the posting accrued on Mar 3); P2 FBO
    /// ordered at 21:30 UTC on Mar 1 (Mar 2 in Moscow), delivered, one of two units sent back opened by the buyer (refund
    /// and return leg accrued); P3 FBS with a buyer id, not picked up (Cancellation, logistics both ways accrued); P4
    /// still on its way; P5 FBS delivered and not yet accrued; P6 ordered in February, its sale accrued on Mar 2 (found
    /// through the day's accruals). Not of a posting: storage and short-term placement and acquiring per item on Mar 2,
    /// acceptance on Mar 3, a compensation credit and clicks on Mar 4, a fine on Mar 5.
    /// </summary>
    public static FakeOzonData HandChecked { get; } = new(
        Fbo:
        [
            Posting("0101-0001-1", "delivered", Utc(1, 7, 15), [Mug, Tee]),
            Posting("0102-0002-1", "delivered", Utc(1, 21, 30), [Cap]),
            Posting("0104-0004-1", "delivering", Utc(3, 10), [Mug]),
            Posting("0099-0009-1", "delivered", new DateTimeOffset(2026, 2, 20, 9, 0, 0, TimeSpan.Zero), [Lamp]),
        ],
        Fbs:
        [
            Posting("0103-0003-1", "cancelled", Utc(2, 8), [Bag], customerId: 55501, fbs: true),
            Posting("0105-0005-1", "delivered", Utc(3, 11), [Socks], fbs: true),
        ],
        Returns:
        [
            Return(9001, "0102-0002-1", "ClientReturn", Cap, 1, Utc(4, 10), isOpened: true),
            Return(9002, "0103-0003-1", "Cancellation", Bag, 1, Utc(4, 15)),
        ],
        PostingAccruals:
        [
            new("0101-0001-1",
            [
                Sale(Mug, March(3)), Sale(Tee, March(3)), Charge(Logistic, -120m, March(3)), Charge(LastMileCourier, -200m, March(3)),
                Charge(Acquiring, -60m, March(3)),
            ]),
            new("0102-0002-1",
            [
                Sale(Cap, March(2)), Charge(Logistic, -100m, March(2), "333"), Refund(Cap, 1, 120m, March(4)),
                Charge(ReturnFlowLogistic, -55m, March(4), "333"),
            ]),
            new("0103-0003-1", [Charge(Logistic, -90m, March(4), "444"), Charge(ReturnFlowLogistic, -70m, March(4), "444")]),
            new("0099-0009-1", [Sale(Lamp, March(2))]),
        ],
        DayAccruals:
        [
            NonItem(7001, March(2), Placements, -300.50m, "storage-20260302"),
            Container(7002, March(2), TemporaryPlacement, -100.00m),
            Item(7003, March(2), "0102-0002", ("333", Acquiring, -24.00m)),
            NonItem(7004, March(3), SupplyInbound, -1250.00m, "supply-15"),
            NonItem(7005, March(4), Compensation, 350.00m),
            NonItem(7006, March(4), PayPerClick, -150.00m, "advertising-contract"),
            NonItem(7007, March(5), DefectFineShipmentDelayRate, -500.00m),
        ]);
}
