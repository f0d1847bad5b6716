using System.Globalization;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Ingestion.Tests.Connectors.YandexMarket.YandexMarketFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>Mapping Yandex Market orders, returns and service charges to ledger records, and reconciling the payout with the ledger's.</summary>
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
        commissions,
        Subsidies: []);

    /// <summary>The ledger payout plus what the gaps account for: what reconciliation compares with Yandex's payout.</summary>
    private static decimal Explained(YandexMarketMapping mapping) => DerivedPayout.Of(mapping.Ledger) + mapping.UnmappedPayout;

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
                3, Revenue: 1500m, Commission: 150m, Logistics: 110m, Acquiring: 15m, OtherFees: 0m),
            new SaleLine("yandex_market", "1003", "MUG-01", new DateTimeOffset(2026, 3, 2, 8, 0, 0, Msk), null, "organic", "MUG-01",
                1, Revenue: 950m, Commission: 0m, Logistics: 70m, Acquiring: 0m, OtherFees: 0m),
            new SaleLine("yandex_market", "1006", "KETTLE-06", new DateTimeOffset(2026, 3, 2, 14, 0, 0, Msk), null, "organic", "KETTLE-06",
                1, Revenue: 2000m, Commission: 180m, Logistics: 60m, Acquiring: 0m, OtherFees: 0m));
        ledger.Returns.Should().Equal(
            new ReturnEvent("yandex_market", "1002", "CAP-03", "5001", new DateTimeOffset(2026, 3, 4, 9, 0, 0, Msk), 1,
                Refund: 500m, CommissionRefund: 0m, ReturnLogistics: 40m, Restockable: false, Reason: "RETURN: BAD_QUALITY"),
            new ReturnEvent("yandex_market", "1003", "MUG-01", "5002", new DateTimeOffset(2026, 3, 5, 12, 0, 0, Msk), 1,
                Refund: 950m, CommissionRefund: 0m, ReturnLogistics: 30m, Restockable: true, Reason: "UNREDEEMED"),
            new ReturnEvent("yandex_market", "1006", "KETTLE-06", "5003", new DateTimeOffset(2026, 3, 4, 12, 0, 0, Msk), 1,
                Refund: 2000m, CommissionRefund: 0m, ReturnLogistics: 50m, Restockable: true, Reason: "RETURN: DO_NOT_FIT"));
        ledger.Fees.Should().Equal(
            new PeriodFee(new DateOnly(2026, 3, 2), "yandex_market", "storage", 45.50m),
            new PeriodFee(new DateOnly(2026, 3, 3), "yandex_market", "acceptance", 120m),
            new PeriodFee(new DateOnly(2026, 3, 3), "yandex_market", "logistics", 25m));
        ledger.AdSpend.Should().BeEmpty();
        ym.Connector.Map(rows, Moscow).Should().BeEquivalentTo(ledger);
    }

    [Fact]
    public async Task The_payout_of_the_hand_checked_campaign_is_the_one_worked_out_by_hand_and_the_ledger_agrees()
    {
        await using var ym = await YandexMarketHarness.StartAsync(HandChecked);
        var rows = await ym.FetchAsync(From, To);

        ym.Connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout);
        DerivedPayout.Of(ym.Connector.Map(rows, Moscow)).Should().Be(HandCheckedPayout);
        DerivedPayout.Of(ym.Connector.Map(rows, Moscow)).Should().Be(HandCheckedPayout);
        HandChecked.Payout.Should().Be(HandCheckedPayout);
    }

    [Fact]
    public void Revenue_is_the_buyer_price_plus_the_subsidies_Yandex_accrues_for_its_discount_and_cashback()
    {
        var mapping = MapOrders(Delivered);

        mapping.Ledger.Sales.Single(s => s.LineId == "MUG-01").Revenue.Should().Be(1800m + 100m, "BUYER 1800 plus the SUBSIDY accrual of its discount");
        mapping.Ledger.Sales.Single(s => s.LineId == "TEE-02").Revenue.Should().Be(1000m + 100m, "BUYER 1000 plus the YANDEX_CASHBACK accrual");
        mapping.Gaps.Should().BeEmpty();
        Connector.MarketplacePayout([OrderRow(Delivered)]).Should().Be(2800m + 200m - 508m);
    }

    [Fact]
    public void An_order_stored_before_subsidies_existed_maps_to_the_same_ledger_from_its_payment_sources()
    {
        var legacy = MapOrders(DeliveredLegacy);

        legacy.Ledger.Should().BeEquivalentTo(MapOrders(Delivered).Ledger);
        legacy.Gaps.Should().BeEmpty();
        Connector.MarketplacePayout([OrderRow(DeliveredLegacy)]).Should().Be(2492m);
    }

    [Fact]
    public void A_discount_the_items_list_but_Yandex_has_not_accrued_yet_is_not_revenue()
    {
        var unsettled = Delivered with { Subsidies = [] };

        var mapping = MapOrders(unsettled);

        mapping.Ledger.Sales.Sum(s => s.Revenue).Should().Be(2800m, "only the buyer's money until Yandex accrues its share");
        mapping.Gaps.Should().BeEmpty();
        Connector.MarketplacePayout([OrderRow(unsettled)]).Should().Be(Explained(mapping));
    }

    [Fact]
    public void Payments_from_the_deprecated_sources_are_not_counted_again_when_the_order_lists_subsidies()
    {
        var both = Delivered with { Payments = DeliveredLegacy.Payments };

        var mapping = MapOrders(both);

        Connector.MarketplacePayout([OrderRow(both)]).Should().Be(2492m, "MARKETPLACE and CASHBACK payments are the subsidies again");
        mapping.Gaps.Should().BeEmpty();
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
    [InlineData("01.03.2026 23:30:00", "2026-03-01T20:30:00Z")]
    [InlineData("2026-03-01", "2026-02-28T21:00:00Z")]
    [InlineData("01-03-2026", "2026-02-28T21:00:00Z")]
    public void Every_documented_shape_of_a_creation_time_is_read_as_Moscow_time(string creationDate, string utc)
    {
        var sale = MapOrders(Simple(14, "DELIVERED", []) with { CreationDate = creationDate }).Ledger.Sales.Should().ContainSingle().Subject;

        sale.OrderedAt.Should().Be(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture));
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

    [Theory]
    [InlineData("CANCELLED")]
    [InlineData("REJECTED")]
    public void A_customer_return_whose_refund_was_cancelled_or_rejected_refunded_nothing_and_is_left_out(string refundStatus)
    {
        var rows = new[] { OrderRow(Delivered), ReturnRow(CancelledByBuyer with { RefundStatus = refundStatus }) };

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Ledger.Returns.Should().BeEmpty();
        mapping.Ledger.Sales.Sum(s => s.Revenue).Should().Be(3000m);
        mapping.Gaps.Should().BeEmpty();
        Connector.MarketplacePayout(rows).Should().Be(DerivedPayout.Of(mapping.Ledger)).And.Be(2492m);
    }

    [Fact]
    public void A_customer_return_still_in_progress_counts_as_a_return()
    {
        var inProgress = CancelledByBuyer with { RefundStatus = "REFUND_IN_PROGRESS" };

        var mapping = YandexMarketConnector.MapDetailed([OrderRow(Delivered), ReturnRow(inProgress)]);

        mapping.Ledger.Returns.Should().ContainSingle().Which.LineId.Should().Be("TEE-02");
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g => g.OrderKey == "1001" && g.PayoutEffect == 1000m,
            "Yandex has not refunded the buyer's 1000 yet: the ledger is ahead of the money by exactly that");
    }

    [Fact]
    public void A_whole_line_return_of_a_subsidised_item_nets_the_line_to_zero_including_the_deducted_subsidy()
    {
        var rows = new[] { OrderRow(SubsidisedReturned), ReturnRow(KettleBack) };

        var mapping = YandexMarketConnector.MapDetailed(rows);

        var sale = mapping.Ledger.Sales.Should().ContainSingle().Subject;
        var back = mapping.Ledger.Returns.Should().ContainSingle().Subject;
        sale.Revenue.Should().Be(2000m);
        back.Refund.Should().Be(sale.Revenue, "the buyer's 1800 and Yandex's deducted 200");
        mapping.Gaps.Should().BeEmpty();
        Connector.MarketplacePayout(rows).Should().Be(DerivedPayout.Of(mapping.Ledger)).And.Be(-290m);
    }

    [Fact]
    public void A_partial_return_of_a_subsidised_line_takes_back_the_buyer_refund_and_the_deducted_share()
    {
        var order = new FakeYmOrder(
            1007, "2026-03-02T10:00:00+03:00", "2026-03-05T10:00:00+03:00", "PARTIALLY_RETURNED",
            [new FakeYmItem("Стакан", 107, "GLASS-07", 4, [new("BUYER", 90m, 360m), new("MARKETPLACE", 10m, 40m)])],
            [new FakeYmPayment("p7", "2026-03-03", "PAYMENT", "BUYER", 360m), new FakeYmPayment("r7", "2026-03-05", "REFUND", "BUYER", 90m)],
            [new("FEE", 40m)],
            Subsidies: [new("ACCRUAL", "SUBSIDY", 40m), new("DEDUCTION", "SUBSIDY", 10m)]);
        var back = new FakeYmReturn(5007, 1007, "2026-03-04T10:00:00+03:00", "2026-03-05T10:00:00+03:00", "RETURN",
            [new FakeYmReturnItem(107, "GLASS-07", 1, [new FakeYmDecision("DO_NOT_FIT")])], new FakeYmAmount(90m));

        var mapping = YandexMarketConnector.MapDetailed([OrderRow(order), ReturnRow(back)]);

        mapping.Ledger.Sales.Should().ContainSingle().Which.Revenue.Should().Be(400m);
        mapping.Ledger.Returns.Should().ContainSingle().Which.Refund.Should().Be(100m, "90 to the buyer and 10 of Yandex's discount taken back");
        mapping.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void A_return_whose_order_was_not_pulled_is_left_out_with_a_gap_that_names_the_order_and_moves_no_payout()
    {
        var orphan = DefectiveCap with { Id = 5003, OrderId = 999 };

        var mapping = YandexMarketConnector.MapDetailed([OrderRow(Delivered), ReturnRow(orphan)]);

        mapping.Ledger.Returns.Should().BeEmpty();
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.Reason.Contains("order 999") && g.PayoutEffect == 0m && g.SourceIds.SequenceEqual(new[] { "5003" }) && g.OrderKey == "999");
    }

    [Fact]
    public void A_return_of_more_units_than_were_sold_is_left_out_with_a_gap()
    {
        var tooMany = DefectiveCap with { Items = [new FakeYmReturnItem(103, "CAP-03", 4)] };
        var rows = new[] { OrderRow(PartlyReturned), ReturnRow(tooMany) };

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Ledger.Returns.Should().BeEmpty();
        mapping.Gaps.Should().Contain(g => g.Reason.Contains("4 unit(s) of CAP-03 back but only 3 sold"));
        mapping.UnmappedPayout.Should().Be(-500m, "the refund Yandex took back has no return in the ledger");
        Connector.MarketplacePayout(rows).Should().Be(Explained(mapping));
    }

    [Fact]
    public void An_order_not_paid_yet_is_a_sale_and_its_unpaid_money_is_a_gap_on_that_order()
    {
        var unpaid = Simple(11, "PROCESSING", [new("FEE", 50m)], price: 400m) with { Payments = [] };
        var rows = new[] { OrderRow(unpaid) };

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Ledger.Sales.Should().ContainSingle().Which.Revenue.Should().Be(400m);
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g => g.PayoutEffect == -400m && g.OrderKey == "11");
        Connector.MarketplacePayout(rows).Should().Be(-50m).And.Be(Explained(mapping));
    }

    [Fact]
    public void Test_orders_are_left_out_of_the_ledger_and_of_the_payout()
    {
        var rows = new[] { OrderRow(TestOrder) };

        YandexMarketConnector.MapDetailed(rows).Ledger.Sales.Should().BeEmpty();
        Connector.MarketplacePayout(rows).Should().Be(0m);
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
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g => g.SourceIds.SequenceEqual(new[] { "13" }) && g.OrderKey == "13");
    }

    [Fact]
    public void The_delivery_Yandex_lists_as_an_item_is_income_of_the_products_and_not_a_line()
    {
        var dbs = Simple(15, "DELIVERED", []) with
        {
            Items =
            [
                new FakeYmItem("Товар", 200, "SKU-X", 1, [new("BUYER", 1000m, 1000m)]),
                new FakeYmItem("Доставка", null, null, 1, [new("BUYER", 199m, 199m)]),
            ],
            Payments = [new FakeYmPayment("p15", "2026-03-03", "PAYMENT", "BUYER", 1199m)],
        };

        var mapping = MapOrders(dbs);

        mapping.Ledger.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s => s.LineId == "SKU-X" && s.Revenue == 1199m);
        mapping.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void The_gaps_travel_on_the_derived_ledger_each_with_its_order()
    {
        var unpaid = Simple(11, "PROCESSING", [new("FEE", 50m)], price: 400m) with { Payments = [] };
        var rows = new[] { OrderRow(unpaid), ReturnRow(DefectiveCap with { Id = 5003, OrderId = 999 }) };

        var ledger = Connector.Map(rows, Moscow);

        ledger.Gaps.Should().BeEquivalentTo(YandexMarketConnector.MapDetailed(rows).Gaps);
        ledger.Gaps.Select(g => g.OrderKey).Should().BeEquivalentTo(["11", "999"]);
    }

    [Fact]
    public void Charges_of_the_services_report_are_period_fees_of_their_date_or_fees_of_their_order()
    {
        var storage = Service("paid_storage_after_01-06-22", "2026-03-02", """{"shopSku":"MUG-01","serviceDate":"02.03.2026","paidStorage":"45,50"}""");
        var shelf = Service("shelf", "2026-03-02", """{"campaignName":"Весна","serviceDate":"02.03.2026","servicePrice":500}""");
        var processing = Service("warehouse_processing", "2026-03-01", """{"orderId":1002,"serviceDateTime":"2026-03-01T12:00:00+03:00","servicePrice":30}""", "1002");
        var rows = new[] { OrderRow(PartlyReturned), ReturnRow(DefectiveCap), storage, shelf, processing };

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Ledger.Fees.Should().Equal(
            new PeriodFee(new DateOnly(2026, 3, 2), "yandex_market", "promotion", 500m),
            new PeriodFee(new DateOnly(2026, 3, 2), "yandex_market", "storage", 45.50m));
        mapping.Ledger.Sales.Should().ContainSingle().Which.Logistics.Should().Be(80m + 30m);
        mapping.Gaps.Should().BeEmpty();
        Connector.MarketplacePayout(rows).Should().Be(DerivedPayout.Of(mapping.Ledger)).And.Be(1500m - 500m - 285m - 30m - 45.50m - 500m);
    }

    [Fact]
    public void A_charge_of_an_order_that_was_not_pulled_is_a_gap_naming_the_order()
    {
        var processing = Service("warehouse_processing", "2026-03-01", """{"orderId":4242,"serviceDateTime":"2026-03-01T12:00:00+03:00","servicePrice":30}""", "4242");

        var mapping = YandexMarketConnector.MapDetailed([processing]);

        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g => g.OrderKey == "4242" && g.PayoutEffect == -30m);
        Connector.MarketplacePayout([processing]).Should().Be(-30m).And.Be(Explained(mapping));
    }

    [Fact]
    public async Task A_generated_settled_campaign_reconciles_to_the_kopeck_without_gaps()
    {
        var data = FakeYandexMarketData.Generate(new DateOnly(2026, 1, 5), days: 21, ordersPerDay: 25, seed: 5);
        await using var ym = await YandexMarketHarness.StartAsync(data);
        var rows = await ym.FetchAsync(new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 25));

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Gaps.Should().BeEmpty();
        mapping.Ledger.Returns.Should().Contain(r => r.Reason == "UNREDEEMED").And.Contain(r => r.Reason!.StartsWith("RETURN", StringComparison.Ordinal));
        mapping.Ledger.Returns.Should().Contain(r => !r.Restockable);
        mapping.Ledger.Returns.Select(r => r.ReturnId).Should().NotIntersectWith(
            data.Returns.Where(r => r.RefundStatus is "CANCELLED" or "REJECTED").Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
        mapping.Ledger.Sales.Should().Contain(s => s.CustomerId != null).And.Contain(s => s.CustomerId == null);
        mapping.Ledger.Fees.Select(f => f.Kind).Distinct().Should().BeEquivalentTo(["storage", "acceptance", "promotion"]);
        Connector.MarketplacePayout(rows).Should().Be(data.Payout);
        DerivedPayout.Of(Connector.Map(rows, Moscow)).Should().Be(data.Payout);
        foreach (var sale in mapping.Ledger.Sales)
        {
            (sale.Commission >= 0m && sale.Logistics >= 0m && sale.Acquiring >= 0m && sale.OtherFees >= 0m).Should().BeTrue();
        }
    }

    [Fact]
    public async Task A_generated_campaign_written_before_subsidies_existed_reconciles_to_the_kopeck_too()
    {
        var data = FakeYandexMarketData.Generate(new DateOnly(2024, 9, 2), days: 14, ordersPerDay: 20, seed: 9, legacy: true);
        await using var ym = await YandexMarketHarness.StartAsync(data);
        var rows = await ym.FetchAsync(new DateOnly(2024, 9, 2), new DateOnly(2024, 9, 15));

        var mapping = YandexMarketConnector.MapDetailed(rows);

        mapping.Gaps.Should().BeEmpty();
        Connector.MarketplacePayout(rows).Should().Be(data.Payout).And.Be(DerivedPayout.Of(mapping.Ledger));
    }

    [Fact]
    public async Task Reconciliation_per_order_names_exactly_the_order_whose_ledger_rows_were_altered()
    {
        var data = FakeYandexMarketData.Generate(new DateOnly(2026, 1, 5), days: 7, ordersPerDay: 10, seed: 3);
        await using var ym = await YandexMarketHarness.StartAsync(data);
        var rows = await ym.FetchAsync(new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 11));
        var mapping = YandexMarketConnector.MapDetailed(rows);
        var victim = mapping.Ledger.Sales[17];
        var tampered = mapping.Ledger with
        {
            Sales = [.. mapping.Ledger.Sales.Select(s => s == victim ? s with { Revenue = s.Revenue - 12.34m } : s)],
        };

        var differing = new List<(string Order, decimal Difference)>();
        foreach (var order in rows.Where(r => r.OrderKey is not null).GroupBy(r => r.OrderKey!))
        {
            var marketplace = Connector.MarketplacePayout([.. order]) ?? 0m;
            var ledger = DerivedPayout.Of(tampered with
            {
                Sales = [.. tampered.Sales.Where(s => s.OrderId == order.Key)],
                Returns = [.. tampered.Returns.Where(r => r.OrderId == order.Key)],
                Fees = [],
            });
            var difference = marketplace - ledger - mapping.Gaps.Where(g => g.OrderKey == order.Key).Sum(g => g.PayoutEffect);
            if (difference != 0m)
            {
                differing.Add((order.Key, difference));
            }
        }

        differing.Should().Equal((victim.OrderId, 12.34m));
        (Connector.MarketplacePayout(rows) - DerivedPayout.Of(tampered) - mapping.UnmappedPayout).Should().Be(12.34m, "the run as a whole differs by it");
    }

    [Fact]
    public void The_marketplace_payout_says_nothing_without_orders_or_charges()
    {
        Connector.MarketplacePayout([]).Should().BeNull();
        Connector.MarketplacePayout([ReturnRow(DefectiveCap)]).Should().BeNull();
    }

    private static SourceRow Service(string sheet, string date, string row, string? orderKey = null) => new(
        YandexMarketConnector.ServicesFeed,
        sheet + ":" + date + ":" + (orderKey ?? "-"),
        orderKey,
        DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        $$"""{"sheet":"{{sheet}}","row":{{row}}}""");

}
