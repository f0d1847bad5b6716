using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Ozon;
using static SellerDesk.Testing.Marketplaces.FakeOzonData;
using static SellerDesk.Ingestion.Tests.Connectors.Ozon.OzonFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>Mapping pulled Ozon rows to ledger records, rule by rule, and reconciling Ozon's accrued payout with the ledger's.</summary>
public sealed class OzonMappingTests
{
    private static readonly TimeZoneInfo Moscow = OzonHarness.Moscow;
    private static readonly TimeSpan Msk = TimeSpan.FromHours(3);
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day2 = new(2026, 3, 2);

    [Fact]
    public async Task The_hand_checked_account_maps_to_exactly_the_expected_ledger_records()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        var rows = await ozon.FetchAsync(From, To);

        var ledger = ozon.Connector.Map(rows, Moscow);

        ledger.Sales.Should().Equal(
            new SaleLine("ozon", "0101-0001-1", "111", new DateTimeOffset(2026, 3, 1, 10, 15, 0, Msk), null, "organic", "MUG-01",
                1, Revenue: 1000.00m, Commission: 170.00m, Logistics: 80.00m, Acquiring: 15.00m, OtherFees: 0m),
            new SaleLine("ozon", "0101-0001-1", "222", new DateTimeOffset(2026, 3, 1, 10, 15, 0, Msk), null, "organic", "TEE-02",
                2, Revenue: 3000.00m, Commission: 570.00m, Logistics: 240.00m, Acquiring: 45.00m, OtherFees: 0m),
            new SaleLine("ozon", "0102-0002-1", "333", new DateTimeOffset(2026, 3, 2, 0, 30, 0, Msk), null, "organic", "CAP-03",
                2, Revenue: 1600.00m, Commission: 240.00m, Logistics: 100.00m, Acquiring: 0m, OtherFees: 0m),
            new SaleLine("ozon", "0103-0003-1", "444", new DateTimeOffset(2026, 3, 2, 11, 0, 0, Msk), "55501", "organic", "BAG-04",
                1, Revenue: 2000.00m, Commission: 0m, Logistics: 90.00m, Acquiring: 0m, OtherFees: 0m),
            new SaleLine("ozon", "0105-0005-1", "555", new DateTimeOffset(2026, 3, 3, 14, 0, 0, Msk), null, "organic", "SOCKS-05",
                1, Revenue: 500.00m, Commission: 75.00m, Logistics: 0m, Acquiring: 0m, OtherFees: 0m));
        ledger.Sales.Should().OnlyContain(s => s.OrderedAt.Offset == Msk);
        ledger.Returns.Should().Equal(
            new ReturnEvent("ozon", "0102-0002-1", "333", "9001", new DateTimeOffset(2026, 3, 4, 13, 0, 0, Msk), 1,
                Refund: 800.00m, CommissionRefund: 120.00m, ReturnLogistics: 55.00m, Restockable: false, Reason: "ClientReturn: Не подошел размер"),
            new ReturnEvent("ozon", "0103-0003-1", "444", "9002", new DateTimeOffset(2026, 3, 4, 18, 0, 0, Msk), 1,
                Refund: 2000.00m, CommissionRefund: 0m, ReturnLogistics: 70.00m, Restockable: true, Reason: "Cancellation: Покупатель не забрал"));
        ledger.Fees.Should().Equal(
            new PeriodFee(new DateOnly(2026, 3, 2), "ozon", "acquiring", 24.00m),
            new PeriodFee(new DateOnly(2026, 3, 2), "ozon", "storage", 400.50m),
            new PeriodFee(new DateOnly(2026, 3, 3), "ozon", "acceptance", 1250.00m),
            new PeriodFee(new DateOnly(2026, 3, 4), "ozon", "promotion", 150.00m),
            new PeriodFee(new DateOnly(2026, 3, 5), "ozon", "penalty", 500.00m));
        ledger.AdSpend.Should().BeEmpty();
        ledger.Gaps.Select(g => (g.OrderKey, g.PayoutEffect, string.Join(",", g.SourceIds))).Should().BeEquivalentTo(new (string?, decimal, string)[]
        {
            ("0099-0009-1", 800.00m, "0099-0009-1"),
            ("0105-0005-1", -425.00m, "0105-0005-1"),
            (null, 350.00m, "2026-03-04"),
        });
        ledger.Gaps.Single(g => g.OrderKey == "0099-0009-1").Reason.Should().Contain("not among the rows");
        ledger.Gaps.Single(g => g.OrderKey == "0105-0005-1").Reason.Should().Contain("Ozon has not accrued 425.00 of it yet");
        ledger.Gaps.Single(g => g.OrderKey == null).Reason.Should().Be("other on 2026-03-04 nets to a credit of 350.00");
    }

    [Fact]
    public async Task Ozon_payout_is_its_accrued_money_and_equals_the_ledger_payout_plus_the_gaps_for_every_order_and_every_date()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        var rows = await ozon.FetchAsync(From, To);

        var ozonPayout = ozon.Connector.MarketplacePayout(rows);
        var ledger = ozon.Connector.Map(rows, Moscow);

        ozonPayout.Should().Be(HandCheckedOzonPayout).And.Be(HandChecked.AccruedTotal);
        DerivedPayout.Of(ledger).Should().Be(HandCheckedLedgerPayout);
        (DerivedPayout.Of(ledger) + ledger.Gaps.Sum(g => g.PayoutEffect)).Should().Be(ozonPayout);
        foreach (var order in rows.Where(r => r.OrderKey is not null).GroupBy(r => r.OrderKey!))
        {
            var mapped = ozon.Connector.Map([.. order], Moscow);
            var marketplace = ozon.Connector.MarketplacePayout([.. order]) ?? 0m;
            (DerivedPayout.Of(mapped) + mapped.Gaps.Sum(g => g.PayoutEffect)).Should().Be(marketplace, "order {0} closes on its own", order.Key);
            mapped.Gaps.Where(g => g.OrderKey != order.Key).Should().BeEmpty();
        }

        foreach (var day in rows.Where(r => r.OrderKey is null))
        {
            var mapped = ozon.Connector.Map([day], Moscow);
            (DerivedPayout.Of(mapped) + mapped.Gaps.Sum(g => g.PayoutEffect)).Should().Be(ozon.Connector.MarketplacePayout([day]));
            mapped.Fees.Where(f => f.Date != day.BusinessDate).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Utc_times_land_on_the_dates_of_the_zone_given_to_the_mapping_while_accruals_keep_Ozons_own_dates()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        var rows = await ozon.FetchAsync(From, To);
        var yekaterinburg = TimeZoneInfo.FindSystemTimeZoneById("Asia/Yekaterinburg");

        var utc = ozon.Connector.Map(rows, TimeZoneInfo.Utc);
        var east = ozon.Connector.Map(rows, yekaterinburg);

        utc.Sales.Single(s => s.OrderId == "0102-0002-1").OrderedAt.Should().Be(new DateTimeOffset(2026, 3, 1, 21, 30, 0, TimeSpan.Zero));
        utc.Sales.Single(s => s.OrderId == "0102-0002-1").OrderedAt.Offset.Should().Be(TimeSpan.Zero);
        east.Sales.Single(s => s.OrderId == "0102-0002-1").OrderedAt.Offset.Should().Be(TimeSpan.FromHours(5));
        east.Returns.Single(r => r.ReturnId == "9001").ReturnedAt.Should().Be(new DateTimeOffset(2026, 3, 4, 15, 0, 0, TimeSpan.FromHours(5)));
        east.Fees.Should().Equal(utc.Fees).And.Contain(new PeriodFee(new DateOnly(2026, 3, 2), "ozon", "storage", 400.50m));
    }

    [Fact]
    public async Task Source_rows_keep_Ozon_ids_and_payloads_with_their_business_dates()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);

        var rows = await ozon.FetchAsync(From, To);

        rows.Select(r => (r.Feed, r.SourceId, r.OrderKey, r.BusinessDate)).Should().BeEquivalentTo(new (string, string, string?, DateOnly)[]
        {
            ("ozon.fbo", "0101-0001-1", "0101-0001-1", new(2026, 3, 1)),
            ("ozon.fbo", "0102-0002-1", "0102-0002-1", new(2026, 3, 2)),
            ("ozon.fbo", "0104-0004-1", "0104-0004-1", new(2026, 3, 3)),
            ("ozon.fbs", "0103-0003-1", "0103-0003-1", new(2026, 3, 2)),
            ("ozon.fbs", "0105-0005-1", "0105-0005-1", new(2026, 3, 3)),
            ("ozon.returns", "9001", "0102-0002-1", new(2026, 3, 4)),
            ("ozon.returns", "9002", "0103-0003-1", new(2026, 3, 4)),
            ("ozon.accruals.day", "2026-03-01", null, new(2026, 3, 1)),
            ("ozon.accruals.day", "2026-03-02", null, new(2026, 3, 2)),
            ("ozon.accruals.day", "2026-03-03", null, new(2026, 3, 3)),
            ("ozon.accruals.day", "2026-03-04", null, new(2026, 3, 4)),
            ("ozon.accruals.day", "2026-03-05", null, new(2026, 3, 5)),
            ("ozon.accruals.posting", "0101-0001-1", "0101-0001-1", new(2026, 3, 3)),
            ("ozon.accruals.posting", "0102-0002-1", "0102-0002-1", new(2026, 3, 2)),
            ("ozon.accruals.posting", "0104-0004-1", "0104-0004-1", new(2026, 3, 3)),
            ("ozon.accruals.posting", "0103-0003-1", "0103-0003-1", new(2026, 3, 4)),
            ("ozon.accruals.posting", "0105-0005-1", "0105-0005-1", new(2026, 3, 3)),
            ("ozon.accruals.posting", "0099-0009-1", "0099-0009-1", new(2026, 3, 2)),
        });
        rows.Single(r => r.SourceId == "0103-0003-1" && r.Feed == "ozon.fbs").Payload.Should().Contain("\"delivery_method\"", "fields the mapping does not read are kept");
        rows.Single(r => r.SourceId == "0105-0005-1" && r.Feed == "ozon.accruals.posting").Payload.Should().Be(
            """{"posting_number":"0105-0005-1","accruals":[],"accrual_types":[]}""", "a posting Ozon lists nothing for is stored as such");
        var day = rows.Single(r => r.SourceId == "2026-03-02").Payload;
        day.Should().Contain("\"accrual_id\":7001").And.Contain("\"accrual_id\":7003").And.NotContain("\"accrued_category\":\"POSTING\"");
        day.Should().Contain("""{"id":46,"name":"Placements","description":"Размещение товаров на складах Ozon"}""");
    }

    [Fact]
    public void Accrual_types_are_read_by_their_catalogue_name_never_by_id()
    {
        var renumbered = Catalogue.Select(t => t with { Id = t.Id + 5000 }).ToList();
        var posting = Posting("0201-0001-1", "delivered", At, [Mug]);
        var original = new[] { Sale(Mug, Day2), Charge(Logistic, -70m, Day2), Charge(Acquiring, -15m, Day2) };
        var moved = original.Select(a => a with { TypeId = a.TypeId + 5000 }).ToList();

        var byOriginalIds = OzonMapper.Map([OzonRows.Posting(posting), OzonRows.Accruals("0201-0001-1", original)], Moscow);
        var byNewIds = OzonMapper.Map([OzonRows.Posting(posting), OzonRows.Accruals("0201-0001-1", moved, renumbered)], Moscow);
        var unnamed = OzonMapper.Map([OzonRows.Posting(posting), OzonRows.Accruals("0201-0001-1", moved)], Moscow);

        byOriginalIds.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s =>
            s.Revenue == 1000m && s.Commission == 170m && s.Logistics == 70m && s.Acquiring == 15m && s.OtherFees == 0m);
        byNewIds.Sales.Should().Equal(byOriginalIds.Sales);
        unnamed.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s =>
            s.Revenue == 1000m && s.Commission == 0m && s.Logistics == 0m && s.OtherFees == 255m, "types the catalogue does not name are other fees");
    }

    [Fact]
    public void Catalogue_names_sort_into_the_ledger_kinds_and_a_name_SellerDesk_does_not_know_is_none()
    {
        OzonAccrualKinds.OfName("SaleCommission").Should().Be(OzonAccrualKind.Commission);
        OzonAccrualKinds.OfName("Logistic").Should().Be(OzonAccrualKind.Logistics);
        OzonAccrualKinds.OfName("LastMileCourier").Should().Be(OzonAccrualKind.Logistics);
        OzonAccrualKinds.OfName("ReturnFlowLogistic").Should().Be(OzonAccrualKind.ReturnLogistics);
        OzonAccrualKinds.OfName("PickUpPointReturnAcceptance").Should().Be(OzonAccrualKind.ReturnLogistics);
        OzonAccrualKinds.OfName("Acquiring").Should().Be(OzonAccrualKind.Acquiring);
        OzonAccrualKinds.OfName("Placements").Should().Be(OzonAccrualKind.Storage);
        OzonAccrualKinds.OfName("SupplyInbound").Should().Be(OzonAccrualKind.Acceptance);
        OzonAccrualKinds.OfName("DefectFineShipmentDelayRate").Should().Be(OzonAccrualKind.Penalty);
        OzonAccrualKinds.OfName("PayPerClick").Should().Be(OzonAccrualKind.Promotion);
        OzonAccrualKinds.OfName("PremiumSubscription").Should().Be(OzonAccrualKind.Other);
        OzonAccrualKinds.OfName("EcoPackagingFee").Should().BeNull();
        Catalogue.Should().OnlyContain(t => OzonAccrualKinds.OfName(t.Name) != null, "every type of the copied catalogue has its place");
        OzonAccrualKinds.PeriodKind(OzonAccrualKind.ReturnLogistics).Should().Be("logistics");
    }

    [Fact]
    public void A_day_whose_fees_net_to_a_credit_is_a_gap_not_a_dropped_fee()
    {
        var rows = new List<SourceRow>
        {
            OzonRows.Day(Day2, [NonItem(1, Day2, PremiumSubscription, -100m), NonItem(2, Day2, Compensation, 350m), NonItem(3, Day2, Placements, -80m)]),
        };

        var ledger = OzonMapper.Map(rows, Moscow);

        ledger.Fees.Should().Equal(new PeriodFee(Day2, "ozon", "storage", 80m));
        ledger.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.PayoutEffect == 250m && g.OrderKey == null && g.SourceIds.SequenceEqual(new[] { "2026-03-02" }) && g.Reason == "other on 2026-03-02 nets to a credit of 250.00");
        (DerivedPayout.Of(ledger) + 250m).Should().Be(OzonMapper.Payout(rows)).And.Be(170m);
    }

    [Fact]
    public void An_accrual_whose_total_disagrees_with_its_fees_leaves_the_difference_as_a_gap()
    {
        var rows = new List<SourceRow> { OzonRows.Day(Day2, [NonItem(1, Day2, Placements, -100m, total: -112.40m)]) };

        var ledger = OzonMapper.Map(rows, Moscow);

        OzonMapper.Payout(rows).Should().Be(-112.40m, "Ozon's own figure is total_amount");
        ledger.Fees.Should().Equal(new PeriodFee(Day2, "ozon", "storage", 100m));
        ledger.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g => g.PayoutEffect == -12.40m && g.Reason.Contains("the difference has no type"));
    }

    [Fact]
    public void Accruals_of_a_posting_that_is_no_sale_are_one_gap_of_its_order()
    {
        var rows = new List<SourceRow>
        {
            OzonRows.Posting(Posting("0301-0001-1", "cancelled", At, [Mug])),
            OzonRows.Accruals("0301-0001-1", [Charge(Cancellation, -35m, Day2, "111")]),
            OzonRows.Posting(Posting("0302-0002-1", "awaiting_deliver", At, [Mug])),
            OzonRows.Accruals("0302-0002-1", []),
        };

        var ledger = OzonMapper.Map(rows, Moscow);

        ledger.Sales.Should().BeEmpty();
        ledger.Fees.Should().BeEmpty();
        ledger.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.OrderKey == "0301-0001-1" && g.PayoutEffect == -35m && g.Reason.Contains("is cancelled, not a sale"));
        OzonMapper.Payout(rows).Should().Be(-35m);
    }

    [Fact]
    public void Units_Ozon_has_not_accrued_are_carried_at_the_posting_price_and_taken_out_of_the_payout_by_a_gap()
    {
        var two = Cap with { Quantity = 2 };
        var rows = new List<SourceRow>
        {
            OzonRows.Posting(Posting("0401-0001-1", "delivered", At, [two])),
            OzonRows.Accruals("0401-0001-1", [Sale(Cap with { Quantity = 1, Commission = 120m }, Day2), Charge(Logistic, -50m, Day2, "333")]),
            OzonRows.Return(Return(801, "0401-0001-1", "PartialReturn", Cap, 1, At.AddDays(3))),
        };

        var ledger = OzonMapper.Map(rows, Moscow);

        ledger.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s =>
            s.Quantity == 2 && s.Revenue == 1600m && s.Commission == 240m && s.Logistics == 50m);
        ledger.Returns.Should().ContainSingle().Which.Should().Match<ReturnEvent>(r => r.Refund == 800m && r.CommissionRefund == 120m);
        ledger.Gaps.Should().BeEmpty("the unit carried at the posting's price comes back unrefunded by Ozon: it nets to nothing");
        DerivedPayout.Of(ledger).Should().Be(OzonMapper.Payout(rows)).And.Be(630m);
    }

    [Fact]
    public void A_return_Ozon_has_not_refunded_yet_is_carried_at_its_price_and_taken_out_of_the_payout_by_a_gap()
    {
        var rows = new List<SourceRow>
        {
            OzonRows.Posting(Posting("0501-0001-1", "delivered", At, [Mug])),
            OzonRows.Accruals("0501-0001-1", [Sale(Mug, Day2)]),
            OzonRows.Return(Return(811, "0501-0001-1", "ClientReturn", Mug, 1, At.AddDays(3))),
        };

        var ledger = OzonMapper.Map(rows, Moscow);

        ledger.Returns.Should().ContainSingle().Which.Should().Match<ReturnEvent>(r => r.Refund == 1000m && r.CommissionRefund == 170m);
        ledger.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.OrderKey == "0501-0001-1" && g.PayoutEffect == 830m && g.SourceIds.SequenceEqual(new[] { "0501-0001-1", "811" }));
        (DerivedPayout.Of(ledger) + 830m).Should().Be(OzonMapper.Payout(rows)).And.Be(830m);
    }

    [Fact]
    public void A_refund_Ozon_accrued_with_no_return_listed_is_a_gap_of_its_order()
    {
        var rows = new List<SourceRow>
        {
            OzonRows.Posting(Posting("0601-0001-1", "delivered", At, [Mug])),
            OzonRows.Accruals("0601-0001-1", [Sale(Mug, Day2), Refund(Mug, 1, 170m, Day2.AddDays(2)), Charge(ReturnFlowLogistic, -45m, Day2.AddDays(2), "111")]),
        };

        var ledger = OzonMapper.Map(rows, Moscow);

        ledger.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s => s.Revenue == 1000m && s.Logistics == 45m);
        ledger.Returns.Should().BeEmpty();
        ledger.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.OrderKey == "0601-0001-1" && g.PayoutEffect == -830m && g.Reason.Contains("with no return listed"));
        (DerivedPayout.Of(ledger) - 830m).Should().Be(OzonMapper.Payout(rows));
    }

    [Fact]
    public void A_return_of_more_units_than_were_sold_is_left_out_with_its_reason_and_the_rest_is_kept()
    {
        var rows = new List<SourceRow>
        {
            OzonRows.Posting(Posting("0701-0001-1", "delivered", At, [Mug])),
            OzonRows.Accruals("0701-0001-1", [Sale(Mug, Day2), Refund(Mug, 1, 170m, Day2.AddDays(2))]),
            OzonRows.Return(Return(801, "0701-0001-1", "ClientReturn", Mug, 1, At.AddDays(3))),
            OzonRows.Return(Return(802, "0701-0001-1", "ClientReturn", Mug, 1, At.AddDays(4))),
        };

        var ledger = OzonMapper.Map(rows, Moscow);

        ledger.Returns.Should().ContainSingle().Which.Should().Match<ReturnEvent>(r =>
            r.ReturnId == "801" && r.Refund == 1000m && r.CommissionRefund == 170m && r.Restockable);
        ledger.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.SourceIds.SequenceEqual(new[] { "802" }) && g.OrderKey == "0701-0001-1" && g.PayoutEffect == 0m);
        DerivedPayout.Of(ledger).Should().Be(OzonMapper.Payout(rows)).And.Be(0m);
    }

    [Fact]
    public void Buyer_ids_come_only_from_FBS_customer_ids_and_a_zero_id_is_no_buyer()
    {
        var rows = new List<SourceRow>
        {
            OzonRows.Posting(Posting("0801-0001-1", "delivered", At, [Mug], customerId: 77, fbs: true), fbs: true),
            OzonRows.Posting(Posting("0802-0002-1", "delivered", At, [Mug], customerId: 0, fbs: true), fbs: true),
            OzonRows.Posting(Posting("0803-0003-1", "delivered", At, [Mug], fbs: true), fbs: true),
            OzonRows.Posting(Posting("0804-0004-1", "delivered", At, [Mug])),
        };

        var sales = OzonMapper.Map(rows, Moscow).Sales;

        sales.Select(s => s.CustomerId).Should().Equal("77", null, null, null);
    }

    [Fact]
    public void A_row_handed_over_twice_counts_once_and_a_restated_copy_replaces_the_first()
    {
        var first = OzonRows.Day(Day2, [NonItem(901, Day2, Placements, -100m)]);
        var restated = OzonRows.Day(Day2, [NonItem(901, Day2, Placements, -140m)]);
        var rows = new List<SourceRow> { first, first, restated };

        OzonMapper.Map(rows, Moscow).Fees.Should().Equal(new PeriodFee(Day2, "ozon", "storage", 140m));
        OzonMapper.Payout(rows).Should().Be(-140m);
    }

    [Fact]
    public void A_posting_charge_spread_over_lines_keeps_every_kopeck()
    {
        OzonMapper.Spread(100.00m, [1m, 1m, 1m]).Should().Equal(33.33m, 33.33m, 33.34m);
        OzonMapper.Spread(0.01m, [5m, 5m]).Should().Equal(0.01m, 0m);
        OzonMapper.Spread(10m, [0m, 0m]).Should().Equal(0m, 10m);
    }

    [Fact]
    public void Service_names_of_the_retired_shapes_are_sorted_into_logistics_return_legs_acquiring_and_other_charges()
    {
        OzonMapper.ServiceKind("MarketplaceServiceItemDirectFlowLogistic").Should().Be(OzonAccrualKind.Logistics);
        OzonMapper.ServiceKind("marketplace_service_item_deliv_to_customer").Should().Be(OzonAccrualKind.Logistics);
        OzonMapper.ServiceKind("marketplace_service_item_fulfillment").Should().Be(OzonAccrualKind.Logistics);
        OzonMapper.ServiceKind("MarketplaceServiceItemReturnFlowLogistic").Should().Be(OzonAccrualKind.ReturnLogistics);
        OzonMapper.ServiceKind("marketplace_service_item_return_not_deliv_to_customer").Should().Be(OzonAccrualKind.ReturnLogistics);
        OzonMapper.ServiceKind("MarketplaceRedistributionOfAcquiringOperation").Should().Be(OzonAccrualKind.Acquiring);
        OzonMapper.ServiceKind("MarketplaceServiceItemInstallment").Should().Be(OzonAccrualKind.Other);
    }

    [Fact]
    public void A_realistic_month_reconciles_to_the_kopeck_and_keeps_the_ledger_rules()
    {
        var start = new DateOnly(2026, 2, 1);
        var data = Generate(start, days: 28, postingsPerDay: 30, seed: 11);
        var rows = OzonRows.All(data, start, start.AddDays(27));

        var ledger = OzonMapper.Map(rows, Moscow);

        ledger.Gaps.Should().BeEmpty();
        ledger.Sales.Should().HaveCountGreaterThan(600);
        ledger.Returns.Should().Contain(r => r.Reason!.StartsWith("ClientReturn", StringComparison.Ordinal) && !r.Restockable)
            .And.Contain(r => r.Reason!.StartsWith("Cancellation", StringComparison.Ordinal) && r.Restockable)
            .And.Contain(r => r.Reason!.StartsWith("FullReturn", StringComparison.Ordinal));
        ledger.Sales.Should().Contain(s => s.CustomerId != null);
        ledger.Fees.Select(f => f.Kind).Distinct().Should().BeEquivalentTo("storage", "acceptance", "penalty", "promotion", "acquiring");
        var payout = OzonMapper.Payout(rows);
        payout.Should().Be(data.AccruedTotal);
        DerivedPayout.Of(ledger).Should().Be(payout!.Value);
        foreach (var line in ledger.Sales)
        {
            line.Quantity.Should().BePositive();
            new[] { line.Revenue, line.Commission, line.Logistics, line.Acquiring, line.OtherFees }.Should().OnlyContain(m => m >= 0m);
            ledger.Returns.Where(r => r.OrderId == line.OrderId && r.LineId == line.LineId).Sum(r => r.Quantity).Should().BeLessThanOrEqualTo(line.Quantity);
        }
    }

    [Fact]
    public void Stored_postings_of_the_retired_lists_map_to_the_same_sales_lines_as_the_current_shape()
    {
        var current = Posting("0901-0001-1", "delivered", At, [Mug]);
        var accruals = OzonRows.Accruals("0901-0001-1", [Sale(Mug, Day2), Charge(Logistic, -60m, Day2)]);

        var now = OzonMapper.Map([OzonRows.Posting(current), accruals], Moscow);
        var before = OzonMapper.Map([OzonRows.LegacyPosting("0901-0001-1", "delivered", At, Mug), accruals], Moscow);
        var unsettled = OzonMapper.Map([OzonRows.LegacyPosting("0901-0001-1", "delivered", At, Mug, new Dictionary<string, decimal>
        {
            ["marketplace_service_item_direct_flow_trans"] = -40m,
        })], Moscow);

        before.Sales.Should().Equal(now.Sales).And.ContainSingle().Which.Should().Match<SaleLine>(s =>
            s.OrderId == "0901-0001-1" && s.LineId == "111" && s.Revenue == 1000m && s.Commission == 170m && s.Logistics == 60m);
        unsettled.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s => s.Revenue == 1000m && s.Commission == 170m && s.Logistics == 40m);
        unsettled.Gaps.Should().BeEmpty("no accruals were asked for it, so there is nothing it could be missing from");
    }

    [Fact]
    public void Stored_operations_of_the_retired_finance_list_keep_their_figures_until_accruals_supersede_them_and_never_count_twice()
    {
        var posting = OzonRows.LegacyPosting("1001-0001-1", "delivered", At, Mug);
        var sale = OzonRows.LegacyOperation(
            501, "OperationAgentDeliveredToCustomer", At.AddDays(1), "1001-0001-1", accruals: 1000m, commission: -170m,
            services: [("MarketplaceServiceItemDirectFlowLogistic", -60m)]);
        var storage = OzonRows.LegacyOperation(502, "OperationMarketplaceServiceStorage", new DateTimeOffset(2026, 3, 2, 4, 0, 0, TimeSpan.Zero), null, amount: -90m);
        var stored = new List<SourceRow> { posting, sale, storage };

        var old = OzonMapper.Map(stored, Moscow);
        var accrued = OzonMapper.Map(
            [.. stored, OzonRows.Accruals("1001-0001-1", [Sale(Mug, Day2), Charge(Logistic, -65m, Day2)]), OzonRows.Day(Day2, [NonItem(1, Day2, Placements, -95m)])],
            Moscow);

        old.Sales.Should().ContainSingle().Which.Should().Match<SaleLine>(s => s.Revenue == 1000m && s.Commission == 170m && s.Logistics == 60m);
        old.Fees.Should().Equal(new PeriodFee(Day2, "ozon", "storage", 90m));
        OzonMapper.Payout(stored).Should().Be(DerivedPayout.Of(old)).And.Be(680m);
        accrued.Sales.Should().ContainSingle().Which.Logistics.Should().Be(65m);
        accrued.Fees.Should().Equal(new PeriodFee(Day2, "ozon", "storage", 95m));
        OzonMapper.Payout([.. stored, OzonRows.Accruals("1001-0001-1", [Sale(Mug, Day2), Charge(Logistic, -65m, Day2)]), OzonRows.Day(Day2, [NonItem(1, Day2, Placements, -95m)])])
            .Should().Be(DerivedPayout.Of(accrued)).And.Be(670m, "the accruals replace the operations, they do not add to them");
    }
}
