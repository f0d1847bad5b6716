using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;
using static SellerDesk.Ingestion.Tests.Connectors.YandexMarket.YandexMarketFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>Mapping Yandex Market orders and returns to ledger records, and reconciling the payout with the ledger's.</summary>
public sealed class YandexMarketMappingTests
{
    private static readonly TimeSpan Msk = TimeSpan.FromHours(3);

    // Mapping and payout make no request: a connector over a client that is never used.
    private static readonly YandexMarketConnector Connector = new(new ResilientHttpSender(new HttpClient(), TimeProvider.System));

    private static YandexMarketMapping MapOrders(params FakeYmOrder[] orders) =>
        YandexMarketConnector.MapDetailed([.. orders.Select(OrderRow)]);

    private static FakeYmOrder Simple(long id, string status, IReadOnlyList<FakeYmCommission> commissions, decimal price = 1000m, int count = 1) => new(
        id,
        "2026-03-02T12:00:00+03:00",
        "2026-03-03T12:00:00+03:00",
        status,
        [new FakeYmItem("Товар", 200, "SKU-X", count, [new("BUYER", price, price * count)])],
        [new FakeYmPayment("p" + id, "2026-03-03", "PAYMENT", "BUYER", price * count)],
        commissions);

    [Fact]
    public async Task The_hand_checked_campaign_maps_to_exactly_the_expected_ledger_records()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        var rows = await ym.FetchAsync(From, To);

        var mapping = YandexMarketConnector.MapDetailed(rows);
        var ledger = mapping.Ledger;

        mapping.Gaps.Should().BeEmpty();
        ledger.Sales.Should().Equal(
            new SaleLine("yandex_market", "1001", "MUG-01", new DateTimeOffset(2026, 3, 1, 10, 15, 0, Msk), null, "organic", "MUG-01",
                2, Revenue: 1900m, Commission: 190m, Logistics: 57m, Acquiring: 36.73m, OtherFees: 38m),
            new SaleLine("yandex_market", "1001", "TEE-02", new DateTimeOffset(2026, 3, 1, 10, 15, 0, Msk), null, "organic", "TEE-02",
                1, Revenue: 1100m, Commission: 110m, Logistics: 33m, Acquiring: 21.27m, OtherFees: 22m),
            new SaleLine("yandex_market", "1002", "CAP-03", new DateTimeOffset(2026, 3, 1, 23, 30, 0, Msk), "777", "organic", "CAP-03",
                3, Revenue: 1500m, Commission: 150m, Logistics: 80m, Acquiring: 15m, OtherFees: 0m),
            new SaleLine("yandex_market", "1003", "MUG-01", new DateTimeOffset(2026, 3, 2, 8, 0, 0, Msk), null, "organic", "MUG-01",
                1, Revenue: 950m, Commission: 0m, Logistics: 70m, Acquiring: 0m, OtherFees: 0m));
        ledger.Returns.Should().Equal(
            new ReturnEvent("yandex_market", "1002", "CAP-03", "5001", new DateTimeOffset(2026, 3, 4, 9, 0, 0, Msk), 1,
                Refund: 500m, CommissionRefund: 0m, ReturnLogistics: 40m, Restockable: false, Reason: "RETURN: BAD_QUALITY"),
            new ReturnEvent("yandex_market", "1003", "MUG-01", "5002", new DateTimeOffset(2026, 3, 5, 12, 0, 0, Msk), 1,
                Refund: 950m, CommissionRefund: 0m, ReturnLogistics: 30m, Restockable: true, Reason: "UNREDEEMED"));
        ledger.Fees.Should().Equal(new PeriodFee(new DateOnly(2026, 3, 3), "yandex_market", "logistics", 25m));
        ledger.AdSpend.Should().BeEmpty();
        ym.Connector.Map(rows, Moscow).Should().BeEquivalentTo(ledger);
    }

    [Fact]
    public async Task The_payout_of_the_hand_checked_campaign_is_the_one_worked_out_by_hand_and_the_ledger_agrees()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        var rows = await ym.FetchAsync(From, To);

        ym.Connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout);
        LedgerPayoutOf(ym.Connector.Map(rows, Moscow)).Should().Be(HandCheckedPayout);
        LedgerPayoutOf(ym.Connector.Map(rows, Moscow)).Should().Be(HandCheckedPayout);
        HandChecked.Payout.Should().Be(HandCheckedPayout);
    }

    [Fact]
    public void Revenue_is_the_buyer_price_plus_the_Yandex_discount_subsidy_and_the_cashback_it_compensates()
    {
        var sales = MapOrders(Delivered).Ledger.Sales;

        sales.Single(s => s.LineId == "MUG-01").Revenue.Should().Be(1800m + 100m, "BUYER 1800 plus MARKETPLACE 100");
        sales.Single(s => s.LineId == "TEE-02").Revenue.Should().Be(1000m + 100m, "BUYER 1000 plus CASHBACK 100");
    }

    [Theory]
    [InlineData("FEE", 100, 0, 0, 0)]
    [InlineData("DELIVERY_TO_CUSTOMER", 0, 100, 0, 0)]
    [InlineData("EXPRESS_DELIVERY_TO_CUSTOMER", 0, 100, 0, 0)]
    [InlineData("MIDDLE_MILE", 0, 100, 0, 0)]
    [InlineData("SORTING", 0, 100, 0, 0)]
    [InlineData("PAYMENT_TRANSFER", 0, 0, 100, 0)]
    [InlineData("AGENCY", 0, 0, 100, 0)]
    [InlineData("AUCTION_PROMOTION", 0, 0, 0, 100)]
    [InlineData("LOYALTY_PARTICIPATION_FEE", 0, 0, 0, 100)]
    [InlineData("SOMETHING_NEW", 0, 0, 0, 100)]
    [InlineData("RETURN_PROCESSING", 0, 100, 0, 0)]
    public void Each_commission_type_lands_in_its_ledger_fee(string type, int commission, int logistics, int acquiring, int other)
    {
        var sale = MapOrders(Simple(7, "DELIVERED", [new(type, 100m)])).Ledger.Sales.Should().ContainSingle().Subject;

        (sale.Commission, sale.Logistics, sale.Acquiring, sale.OtherFees)
            .Should().Be(((decimal)commission, (decimal)logistics, (decimal)acquiring, (decimal)other));
    }

    [Fact]
    public void Return_processing_charges_go_to_the_return_when_the_order_has_one()
    {
        var order = Simple(8, "RETURNED", [new("FEE", 100m), new("RETURN_PROCESSING", 40m), new("RETURNED_ORDERS_STORAGE", 5m)]);
        var back = new FakeYmReturn(61, 8, "2026-03-04T10:00:00+03:00", "2026-03-04T10:00:00+03:00", "RETURN",
            [new FakeYmReturnItem(200, "SKU-X", 1)], new FakeYmAmount(1000m));

        var ledger = YandexMarketConnector.MapDetailed([OrderRow(order), ReturnRow(back)]).Ledger;

        ledger.Sales.Should().ContainSingle().Which.Logistics.Should().Be(0m);
        ledger.Returns.Should().ContainSingle().Which.Should().Match<ReturnEvent>(r =>
            r.ReturnLogistics == 45m && r.Refund == 1000m && r.CommissionRefund == 0m && r.Restockable && r.Reason == "RETURN");
    }

    [Fact]
    public void Commissions_of_an_order_are_spread_over_its_lines_by_revenue_to_the_kopeck()
    {
        var order = Simple(9, "DELIVERED", [new("FEE", 100m)]) with
        {
            Items =
            [
                new FakeYmItem("a", 1, "A", 1, [new("BUYER", 100m, 100m)]),
                new FakeYmItem("b", 2, "B", 1, [new("BUYER", 100m, 100m)]),
                new FakeYmItem("c", 3, "C", 1, [new("BUYER", 100m, 100m)]),
            ],
            Payments = [new FakeYmPayment("p9", "2026-03-03", "PAYMENT", "BUYER", 300m)],
        };

        var mapping = MapOrders(order);

        mapping.Ledger.Sales.Select(s => s.Commission).Should().Equal(33.33m, 33.33m, 33.34m);
        mapping.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void The_customer_is_the_buyer_id_when_Yandex_gives_one_and_otherwise_none()
    {
        var sales = MapOrders(Delivered, PartlyReturned).Ledger.Sales;

        sales.Where(s => s.OrderId == "1002").Should().OnlyContain(s => s.CustomerId == "777", "DBS orders carry buyer.id");
        sales.Where(s => s.OrderId == "1001").Should().OnlyContain(s => s.CustomerId == null, "FBY/FBS orders carry no buyer");
    }

    [Fact]
    public void Moscow_times_keep_their_instant_and_a_time_without_offset_is_Moscow_time()
    {
        var sales = MapOrders(PartlyReturned, NotPickedUp).Ledger.Sales;

        sales.Single(s => s.OrderId == "1002").OrderedAt.UtcDateTime.Should().Be(new DateTime(2026, 3, 1, 20, 30, 0, DateTimeKind.Utc));
        sales.Single(s => s.OrderId == "1003").OrderedAt.Should().Be(new DateTimeOffset(2026, 3, 2, 8, 0, 0, Msk));
        OrderRow(PartlyReturned).BusinessDate.Should().Be(new DateOnly(2026, 3, 1), "23:30 in Moscow is still March 1 there");
    }

    [Theory]
    [InlineData("2026-03-01T23:30:00+03:00", "2026-03-01T20:30:00Z")]
    [InlineData("2026-03-01T20:30:00Z", "2026-03-01T20:30:00Z")]
    [InlineData("2026-03-01T23:30:00", "2026-03-01T20:30:00Z")]
    [InlineData("2026-03-01T23:30:00.250+03:00", "2026-03-01T20:30:00.250Z")]
    [InlineData("01-03-2026 23:30:00", "2026-03-01T20:30:00Z")]
    [InlineData("2026-03-01", "2026-02-28T21:00:00Z")]
    [InlineData("01-03-2026", "2026-02-28T21:00:00Z")]
    public void Every_documented_shape_of_a_creation_time_is_read_as_Moscow_time(string creationDate, string utc)
    {
        var sale = MapOrders(Simple(14, "DELIVERED", []) with { CreationDate = creationDate }).Ledger.Sales.Should().ContainSingle().Subject;

        sale.OrderedAt.Should().Be(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_workspace_zone_moves_no_instant_and_an_order_late_in_Moscow_falls_on_the_next_local_day_further_east()
    {
        var rows = Rows(HandChecked);
        var yekaterinburg = TimeZoneInfo.FindSystemTimeZoneById("Asia/Yekaterinburg");

        var local = Connector.Map(rows, yekaterinburg);

        local.Should().BeEquivalentTo(Connector.Map(rows, Moscow));
        var late = local.Sales.Single(s => s.OrderId == "1002");
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(late.OrderedAt, yekaterinburg).DateTime).Should().Be(new DateOnly(2026, 3, 2));
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(late.OrderedAt, Moscow).DateTime).Should().Be(new DateOnly(2026, 3, 1));
    }

    [Fact]
    public void An_order_cancelled_before_shipment_is_no_sale_and_its_charges_are_period_fees_of_its_date()
    {
        var mapping = MapOrders(Cancelled, Cancelled with { Id = 1104, Commissions = [new("FEE", 10m), new("PAYMENT_TRANSFER", 2m)] });

        mapping.Ledger.Sales.Should().BeEmpty();
        mapping.Ledger.Fees.Should().Equal(
            new PeriodFee(new DateOnly(2026, 3, 3), "yandex_market", "acquiring", 2m),
            new PeriodFee(new DateOnly(2026, 3, 3), "yandex_market", "commission", 10m),
            new PeriodFee(new DateOnly(2026, 3, 3), "yandex_market", "logistics", 25m));
        mapping.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void A_customer_return_of_several_items_spreads_the_refunded_amount_over_them_by_value()
    {
        var order = Simple(10, "RETURNED", []) with
        {
            Items =
            [
                new FakeYmItem("a", 1, "A", 1, [new("BUYER", 300m, 300m)]),
                new FakeYmItem("b", 2, "B", 2, [new("BUYER", 350m, 700m)]),
            ],
            Payments = [new FakeYmPayment("p", "2026-03-03", "PAYMENT", "BUYER", 1000m), new FakeYmPayment("r", "2026-03-05", "REFUND", "BUYER", 900m)],
        };
        var back = new FakeYmReturn(62, 10, "2026-03-05T10:00:00+03:00", "2026-03-05T10:00:00+03:00", "RETURN",
            [new FakeYmReturnItem(1, "A", 1, [new FakeYmDecision("DO_NOT_FIT")]), new FakeYmReturnItem(2, "B", 2, [new FakeYmDecision("DO_NOT_FIT")])],
            new FakeYmAmount(900m));

        var mapping = YandexMarketConnector.MapDetailed([OrderRow(order), ReturnRow(back)]);

        mapping.Ledger.Returns.Select(r => (r.LineId, r.Quantity, r.Refund, r.Restockable))
            .Should().Equal(("A", 1, 270m, true), ("B", 2, 630m, true));
        mapping.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void A_return_whose_order_was_not_pulled_is_left_out_with_a_gap_and_moves_no_payout()
    {
        var orphan = DefectiveCap with { Id = 5003, OrderId = 999 };

        var mapping = YandexMarketConnector.MapDetailed([OrderRow(Delivered), ReturnRow(orphan)]);

        mapping.Ledger.Returns.Should().BeEmpty();
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.Reason.Contains("order 999") && g.PayoutEffect == 0m && g.SourceIds.SequenceEqual(new[] { "5003" }));
    }

    [Fact]
    public void A_return_of_more_units_than_were_sold_is_left_out_with_a_gap()
    {
        var tooMany = DefectiveCap with { Items = [new FakeYmReturnItem(103, "CAP-03", 4)] };

        var mapping = YandexMarketConnector.MapDetailed([OrderRow(PartlyReturned), ReturnRow(tooMany)]);

        mapping.Ledger.Returns.Should().BeEmpty();
        mapping.Gaps.Should().Contain(g => g.Reason.Contains("4 unit(s) of CAP-03 back but only 3 sold"));
        var rows = new[] { OrderRow(PartlyReturned), ReturnRow(tooMany) };
        YandexMarketConnector.MapDetailed(rows).UnmappedPayout.Should().Be(-500m, "the refund Yandex took back has no return in the ledger");
        Connector.MarketplacePayout(rows)
            .Should().Be(LedgerPayoutOf(YandexMarketConnector.MapDetailed(rows).Ledger) - 500m);
    }

    [Fact]
    public void An_order_not_paid_yet_is_a_sale_and_its_unpaid_money_is_a_gap_that_explains_the_payout_difference()
    {
        var unpaid = Simple(11, "PROCESSING", [new("FEE", 50m)], price: 400m) with { Payments = [] };
        var rows = new[] { OrderRow(unpaid) };

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Ledger.Sales.Should().ContainSingle().Which.Revenue.Should().Be(400m);
        mapping.Gaps.Should().ContainSingle().Which.PayoutEffect.Should().Be(-400m);
        var payout = YandexMarketMapperPayout(rows);
        payout.Should().Be(-50m);
        payout.Should().Be(LedgerPayoutOf(mapping.Ledger) + mapping.UnmappedPayout);
    }

    [Fact]
    public void Test_orders_are_left_out_of_the_ledger_and_of_the_payout()
    {
        var rows = new[] { OrderRow(TestOrder) };

        YandexMarketConnector.MapDetailed(rows).Ledger.Sales.Should().BeEmpty();
        YandexMarketMapperPayout(rows).Should().Be(0m);
    }

    [Fact]
    public void A_credit_larger_than_the_charge_it_reverses_is_income_of_the_line_not_a_negative_fee()
    {
        var order = Simple(12, "DELIVERED", [new("FEE", 100m), new("AUCTION_PROMOTION", -30m)]);

        var mapping = MapOrders(order);

        mapping.Ledger.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s =>
            s.Revenue == 1030m && s.OtherFees == 0m && s.Commission == 100m);
        mapping.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void The_same_row_handed_over_twice_counts_once_and_the_last_copy_wins()
    {
        var restated = Delivered with { Commissions = [new("FEE", 10m)] };

        var ledger = YandexMarketConnector.MapDetailed([OrderRow(Delivered), OrderRow(restated)]).Ledger;

        ledger.Sales.Should().HaveCount(2);
        ledger.Sales.Sum(s => s.Commission).Should().Be(10m);
    }

    [Fact]
    public void An_unreadable_payload_is_a_gap_not_a_crash()
    {
        var broken = new SourceRow(YandexMarketConnector.OrdersFeed, "13", "13", From, """{"id": 13, "items": [{"count": "two"}]}""");

        var mapping = YandexMarketConnector.MapDetailed([broken]);

        mapping.Ledger.Sales.Should().BeEmpty();
        mapping.Gaps.Should().ContainSingle().Which.SourceIds.Should().Equal("13");
    }

    [Fact]
    public void A_generated_settled_campaign_reconciles_to_the_kopeck_without_gaps()
    {
        var data = FakeYandexMarketData.Generate(new DateOnly(2026, 1, 5), days: 21, ordersPerDay: 25, seed: 5);
        var rows = Rows(data);

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Gaps.Should().BeEmpty();
        mapping.Ledger.Returns.Should().Contain(r => r.Reason == "UNREDEEMED").And.Contain(r => r.Reason!.StartsWith("RETURN", StringComparison.Ordinal));
        mapping.Ledger.Returns.Should().Contain(r => !r.Restockable);
        mapping.Ledger.Sales.Should().Contain(s => s.CustomerId != null).And.Contain(s => s.CustomerId == null);
        YandexMarketMapperPayout(rows).Should().Be(data.Payout);
        LedgerPayoutOf(Connector.Map(rows, Moscow)).Should().Be(data.Payout);
        foreach (var sale in mapping.Ledger.Sales)
        {
            (sale.Commission >= 0m && sale.Logistics >= 0m && sale.Acquiring >= 0m && sale.OtherFees >= 0m).Should().BeTrue();
        }
    }

    [Fact]
    public void The_marketplace_payout_says_nothing_without_orders()
    {
        Connector.MarketplacePayout([]).Should().BeNull();
    }

    private static decimal? YandexMarketMapperPayout(IReadOnlyList<SourceRow> rows) => Connector.MarketplacePayout(rows);

    private static decimal LedgerPayoutOf(DerivedLedger ledger) => Payout.Of(ledger.Sales, ledger.Returns, ledger.Fees);
}
