using System.Globalization;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;
using static SellerDesk.Ingestion.Tests.Connectors.Wildberries.WildberriesFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>Mapping pulled report lines to ledger records, and reconciling the report's payout with the ledger's.</summary>
public sealed class WildberriesMappingTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeSpan Msk = TimeSpan.FromHours(3);

    [Fact]
    public async Task The_hand_checked_report_maps_to_exactly_the_expected_ledger_records()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        var rows = await wb.FetchAsync(From, To);

        var mapping = wb.Connector.MapDetailed(rows);
        var ledger = mapping.Ledger;

        mapping.Gaps.Should().BeEmpty();
        ledger.Sales.Should().Equal(
            new SaleLine("wildberries", "srid-a", "111", new DateTimeOffset(2026, 3, 1, 10, 15, 0, Msk), null, "organic", "MUG-01",
                1, Revenue: 1000.00m, Commission: 164.50m, Logistics: 60.00m, Acquiring: 15.00m, OtherFees: 0m),
            new SaleLine("wildberries", "srid-b", "222", new DateTimeOffset(2026, 3, 1, 23, 30, 0, Msk), null, "organic", "TEE-02",
                2, Revenue: 2425.00m, Commission: 314.00m, Logistics: 110.00m, Acquiring: 36.00m, OtherFees: 300.00m),
            new SaleLine("wildberries", "srid-c", "333", new DateTimeOffset(2026, 3, 2, 8, 0, 0, Msk), null, "organic", "CAP-03",
                1, Revenue: 391.88m, Commission: 0m, Logistics: 0m, Acquiring: 14.89m, OtherFees: 0m));
        ledger.Sales.Should().OnlyContain(s => s.OrderedAt.Offset == Msk);
        ledger.Returns.Should().Equal(
            new ReturnEvent("wildberries", "srid-a", "111", "5", new DateTimeOffset(2026, 3, 4, 9, 0, 0, Msk), 1,
                Refund: 1000.00m, CommissionRefund: 179.50m, ReturnLogistics: 45.00m, Restockable: true, Reason: null));
        ledger.Fees.Should().Equal(
            new PeriodFee(new DateOnly(2026, 3, 2), "wildberries", "storage", 200.00m),
            new PeriodFee(new DateOnly(2026, 3, 3), "wildberries", "acceptance", 500.00m),
            new PeriodFee(new DateOnly(2026, 3, 3), "wildberries", "logistics", 55.00m),
            new PeriodFee(new DateOnly(2026, 3, 3), "wildberries", "storage", 100.00m),
            new PeriodFee(new DateOnly(2026, 3, 4), "wildberries", "deduction", 250.00m));
        ledger.AdSpend.Should().Equal(
            new AdSpend(new DateOnly(2026, 3, 2), "wildberries", "wb_adv_501", 700.00m),
            new AdSpend(new DateOnly(2026, 3, 2), "wildberries", "wb_adv_502", 300.50m),
            new AdSpend(new DateOnly(2026, 3, 3), "wildberries", "wb_adv_501", 450.00m));
        ledger.ChannelNames.Should().Equal(new Dictionary<string, string> { ["wb_adv_501"] = "Поиск", ["wb_adv_502"] = "Каталог" });
        wb.Connector.Map(rows, Moscow).Should().BeEquivalentTo(ledger);
    }

    [Fact]
    public async Task The_report_payout_of_the_hand_checked_report_is_the_one_worked_out_by_hand_and_the_ledger_agrees()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        var rows = await wb.FetchAsync(From, To);

        var payout = wb.Connector.MarketplacePayout(rows);

        payout.Should().Be(HandCheckedPayout);
        DerivedPayout.Of(wb.Connector.Map(rows, Moscow)).Should().Be(HandCheckedPayout);
    }

    [Fact]
    public async Task The_report_payout_equals_the_ledger_payout_to_the_kopeck_on_a_realistic_report()
    {
        var from = new DateOnly(2026, 2, 1);
        var report = FakeWildberriesReport.Generate(from, days: 28, ordersPerDay: 40, seed: 7);
        await using var wb = await WildberriesHarness.StartAsync(report, new WildberriesOptions { ReportLimit = 1_000 });
        var rows = await wb.FetchAsync(from, from.AddDays(27));

        var mapping = wb.Connector.MapDetailed(rows);

        rows.Count(r => r.Feed == WildberriesConnector.RealizationFeed).Should().Be(report.Lines.Count);
        mapping.Gaps.Should().BeEmpty();
        var ledger = mapping.Ledger;
        ledger.Sales.Should().HaveCountGreaterThan(900);
        ledger.Returns.Should().HaveCountGreaterThan(50);
        ledger.Sales.Should().Contain(s => s.OtherFees > 0).And.Contain(s => s.Commission == 0m, "WB's own discount shows up");
        ledger.Fees.Select(f => f.Kind).Distinct().Should().BeEquivalentTo("storage", "acceptance", "deduction", "logistics");
        wb.Connector.MarketplacePayout(rows).Should().Be(DerivedPayout.Of(ledger));
        LedgerRulesHold(ledger);
    }

    [Fact]
    public async Task Dropping_one_row_from_the_ledger_side_makes_the_payouts_differ_by_exactly_that_row()
    {
        var from = new DateOnly(2026, 2, 1);
        var report = FakeWildberriesReport.Generate(from, days: 7, ordersPerDay: 10, seed: 3);
        await using var wb = await WildberriesHarness.StartAsync(report);
        var rows = await wb.FetchAsync(from, from.AddDays(6));
        var logistics = report.Lines.First(l => l.SupplierOperName == "Логистика" && l.DeliveryRub > 0);

        var ledger = wb.Connector.Map([.. rows.Where(r => r.SourceId != logistics.RrdId.ToString(CultureInfo.InvariantCulture))], Moscow);

        var difference = wb.Connector.MarketplacePayout(rows) - DerivedPayout.Of(ledger);
        difference.Should().Be(-logistics.DeliveryRub);
    }

    [Fact]
    public async Task A_restated_report_maps_to_the_updated_figures_under_the_same_source_ids()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        var before = await wb.FetchAsync(From, To);
        wb.Fake.Report = HandChecked
            .Restate(l => l.RrdId == 1, l => l with { PpvzForPay = 800.00m })
            .Restate(l => l.RrdId == 2, l => l with { DeliveryRub = 75.00m })
            .Restate(l => l.RrdId == 11, l => l with { StorageFee = 150.00m });

        var after = await wb.FetchAsync(From, To);

        after.Select(r => (r.Feed, r.SourceId)).Should().Equal(before.Select(r => (r.Feed, r.SourceId)));
        after.Where((r, i) => r.Payload != before[i].Payload).Select(r => r.SourceId).Should().Equal("1", "2", "11");
        var ledger = wb.Connector.Map(after, Moscow);
        ledger.Sales.Single(s => s.OrderId == "srid-a").Should().Match<SaleLine>(s =>
            s.Revenue == 1000m && s.Commission == 185.00m && s.Logistics == 75.00m);
        ledger.Fees.Single(f => f.Kind == "storage" && f.Date == new DateOnly(2026, 3, 2)).Amount.Should().Be(226.55m);
        wb.Connector.MarketplacePayout(after).Should().Be(HandCheckedPayout - 20.50m - 15.00m - 26.55m)
            .And.Be(DerivedPayout.Of(ledger));
    }

    [Fact]
    public async Task A_restatement_that_drops_a_line_and_reissues_another_under_a_new_rrdId_is_served_and_mapped_with_each_line_once()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        wb.Fake.Report = HandChecked.Without(l => l.RrdId == 12).Reissue(2, 1002, l => l with { DeliveryRub = 65.00m });

        var rows = await wb.FetchAsync(From, To);

        rows.Where(r => r.Feed == WildberriesConnector.RealizationFeed).Select(r => r.SourceId).Should().NotContain(["2", "12"]).And.Contain("1002");
        var ledger = wb.Connector.Map(rows, Moscow);
        ledger.Sales.Single(s => s.OrderId == "srid-a").Logistics.Should().Be(65.00m, "the re-issued line counts once, with its new figure");
        ledger.Fees.Should().NotContain(f => f.Kind == "storage" && f.Date == new DateOnly(2026, 3, 3), "the dropped storage line is gone");
        wb.Connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout - 5.00m + 100.00m).And.Be(DerivedPayout.Of(ledger));
    }

    [Fact]
    public async Task A_return_whose_sale_is_not_among_the_rows_is_skipped_and_counted_not_thrown()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        var rows = (await wb.FetchAsync(From, To)).Where(r => r.SourceId != "1").ToList();

        var mapping = wb.Connector.MapDetailed(rows);

        mapping.SkippedRows.Should().Be(1);
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.Reason == "return 5: order srid-a has no sale among the rows" && g.PayoutEffect == -820.50m);
        mapping.Ledger.Returns.Should().BeEmpty();
        mapping.Ledger.Sales.Should().NotContain(s => s.OrderId == "srid-a");
        mapping.Ledger.Fees.Where(f => f.Kind == "logistics").Select(f => (f.Date, f.Amount)).Should().Equal(
            (new DateOnly(2026, 3, 2), 60.00m), (new DateOnly(2026, 3, 3), 55.00m), (new DateOnly(2026, 3, 4), 45.00m));
        (DerivedPayout.Of(mapping.Ledger) + mapping.UnmappedPayout).Should().Be(wb.Connector.MarketplacePayout(rows));
    }

    [Fact]
    public async Task A_return_of_more_units_than_were_sold_is_skipped_with_its_reason()
    {
        var report = new FakeWildberriesReport(HandChecked.Lines.Append(HandChecked.Lines.Single(l => l.RrdId == 5) with
        {
            RrdId = 16,
            SaleDt = "2026-03-05T10:00:00",
            RrDt = "2026-03-05",
        }));
        await using var wb = await WildberriesHarness.StartAsync(report);
        var rows = await wb.FetchAsync(From, To);

        var mapping = wb.Connector.MapDetailed(rows);

        mapping.Ledger.Returns.Should().ContainSingle().Which.ReturnId.Should().Be("5");
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.Reason == "return 16 of order srid-a: 1 unit(s) back but only 0 sold and not yet returned"
            && g.SourceIds.Single() == "16");
        (DerivedPayout.Of(mapping.Ledger) + mapping.UnmappedPayout).Should().Be(wb.Connector.MarketplacePayout(rows));
    }

    [Fact]
    public async Task An_additional_payment_on_no_order_is_a_gap_that_explains_the_payout_difference()
    {
        var report = new FakeWildberriesReport(HandChecked.Lines.Append(new FakeWbReportLine
        {
            RrdId = 16,
            SupplierOperName = "Доплаты",
            BonusTypeName = "Компенсация ущерба",
            AdditionalPayment = 99.90m,
            RrDt = "2026-03-05",
        }));
        await using var wb = await WildberriesHarness.StartAsync(report);
        var rows = await wb.FetchAsync(From, To);

        var mapping = wb.Connector.MapDetailed(rows);

        mapping.Gaps.Should().ContainSingle().Which.PayoutEffect.Should().Be(99.90m);
        wb.Connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout + 99.90m);
        DerivedPayout.Of(mapping.Ledger).Should().Be(HandCheckedPayout);
    }

    [Fact]
    public void Logistics_without_a_direction_after_a_return_goes_to_the_return_and_credits_never_make_a_fee_negative()
    {
        var lines = new[]
        {
            HandChecked.Lines.Single(l => l.RrdId == 1),
            HandChecked.Lines.Single(l => l.RrdId == 5),
            new FakeWbReportLine { RrdId = 20, Srid = "srid-a", NmId = 111, SupplierOperName = "Логистика", DeliveryRub = 40m, RrDt = "2026-03-04" },
            new FakeWbReportLine { RrdId = 21, Srid = "srid-a", NmId = 111, SupplierOperName = "Штраф", Penalty = -70m, RrDt = "2026-03-04" },
        };
        var connector = new WildberriesConnector(new Ingestion.Connectors.Http.ResilientHttpSender(new HttpClient(), TimeProvider.System));
        var rows = lines.Select(Row).ToList();

        var mapping = connector.MapDetailed(rows);

        mapping.Gaps.Should().BeEmpty();
        mapping.Ledger.Returns.Single().ReturnLogistics.Should().Be(40m);
        mapping.Ledger.Sales.Single().Should().Match<SaleLine>(s => s.OtherFees == 0m && s.Revenue == 1070m);
        DerivedPayout.Of(mapping.Ledger).Should().Be(connector.MarketplacePayout(rows));
    }

    [Fact]
    public async Task A_mapping_given_in_parts_of_whole_orders_equals_the_mapping_of_all_rows_at_once()
    {
        var report = FakeWildberriesReport.Generate(new DateOnly(2026, 2, 1), days: 12, ordersPerDay: 25, seed: 11);
        await using var wb = await WildberriesHarness.StartAsync(report);
        var rows = await wb.FetchAsync(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 12));
        rows.Should().Contain(r => r.Feed == WildberriesConnector.AdsFeed).And.Contain(r => r.OrderKey == null && r.Feed == WildberriesConnector.RealizationFeed);

        var whole = wb.Connector.Map(rows, Moscow);
        var wholePayout = wb.Connector.MarketplacePayout(rows);

        // Parts as the pull runner makes them: rows by order key (rows without one last), cut only between orders.
        var ordered = rows.OrderBy(r => r.OrderKey ?? "\uffff", StringComparer.Ordinal).ThenBy(r => r.SourceId, StringComparer.Ordinal).ToList();
        foreach (var partRows in new[] { 1, 7, 50, 10_000 })
        {
            var session = wb.Connector.StartMapping(Moscow);
            var part = new List<SourceRow>();
            var parts = 0;
            foreach (var row in ordered)
            {
                if (part.Count >= partRows && (row.OrderKey is null || row.OrderKey != part[^1].OrderKey))
                {
                    session.Add([.. part]);
                    part.Clear();
                    parts++;
                }

                part.Add(row);
            }

            session.Add(part);
            parts++;
            if (partRows < 10_000)
            {
                parts.Should().BeGreaterThan(10);
            }

            var inParts = session.Finish();
            inParts.Sales.Should().Equal(whole.Sales, $"parts of {partRows} rows");
            inParts.Returns.Should().Equal(whole.Returns);
            inParts.Fees.Should().Equal(whole.Fees);
            inParts.AdSpend.Should().Equal(whole.AdSpend);
            session.MarketplacePayout.Should().Be(wholePayout);
            DerivedPayout.Of(inParts).Should().Be(DerivedPayout.Of(whole));
        }
    }

    [Fact]
    public void A_mapping_of_no_report_row_has_no_payout_and_a_finished_one_takes_no_more_rows()
    {
        var connector = new WildberriesConnector(new SellerDesk.Ingestion.Connectors.Http.ResilientHttpSender(new HttpClient(), TimeProvider.System));
        var session = connector.StartMapping(Moscow);
        session.Add([]);

        session.MarketplacePayout.Should().BeNull();
        session.Finish().Sales.Should().BeEmpty();
        session.Invoking(s => s.Add([])).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task Rows_stored_before_the_switch_with_v5_payloads_map_to_the_same_ledger_and_payout_as_finance_API_rows()
    {
        await using var wb = await WildberriesHarness.StartAsync(HandChecked);
        var rows = (await wb.FetchAsync(From, To)).Where(r => r.Feed == WildberriesConnector.RealizationFeed).ToList();
        var stored = HandChecked.Lines.Select(l => Row(l) with { Payload = FakeWildberriesReport.LegacyV5Json(l) }).ToList();
        stored[0].Payload.Should().Contain("\"ppvz_for_pay\":820.50").And.Contain("\"rrd_id\":1");

        var fromV5 = wb.Connector.MapDetailed(stored);
        var fromV1 = wb.Connector.MapDetailed(rows);

        fromV5.Ledger.Sales.Should().Equal(fromV1.Ledger.Sales);
        fromV5.Ledger.Returns.Should().Equal(fromV1.Ledger.Returns);
        fromV5.Ledger.Fees.Should().Equal(fromV1.Ledger.Fees);
        fromV5.Gaps.Should().BeEmpty();
        wb.Connector.MarketplacePayout(stored).Should().Be(HandCheckedPayout).And.Be(wb.Connector.MarketplacePayout(rows));
        stored.Select(r => r.SourceId).Should().Equal(rows.Select(r => r.SourceId), "the same line keys before and after the switch");
    }

    [Fact]
    public void An_order_whose_sale_was_stored_from_v5_and_whose_return_came_from_the_finance_API_maps_as_one_order()
    {
        var connector = Connector();
        var rows = HandChecked.Lines.Select(l => l.RrdId < 5 ? Row(l) with { Payload = FakeWildberriesReport.LegacyV5Json(l) } : Row(l)).ToList();

        var mixed = connector.MapDetailed(rows);

        var allV1 = connector.MapDetailed([.. HandChecked.Lines.Select(Row)]);
        mixed.Ledger.Sales.Should().Equal(allV1.Ledger.Sales);
        mixed.Ledger.Returns.Should().ContainSingle().Which.Should().Match<ReturnEvent>(r => r.OrderId == "srid-a" && r.ReturnLogistics == 45.00m);
        DerivedPayout.Of(mixed.Ledger).Should().Be(connector.MarketplacePayout(rows)).And.Be(HandCheckedPayout);
    }

    [Fact]
    public void A_sale_cancelled_by_a_storno_and_issued_again_is_one_sale_with_the_corrected_figures()
    {
        var connector = Connector();
        var sale = HandChecked.Lines.Single(l => l.RrdId == 3);
        var lines = HandChecked.Lines.Concat(
        [
            sale with { RrdId = 30, SupplierOperName = "Сторно продаж", DocTypeName = "Возврат", RrDt = "2026-03-05", SaleDt = "2026-03-05T10:00:00" },
            sale with { RrdId = 31, SupplierOperName = "Корректная продажа", RetailAmount = 2300m, PpvzForPay = 1960.00m, AcquiringFee = 34.50m, RrDt = "2026-03-05" },
        ]).ToList();
        var rows = lines.Select(Row).ToList();

        var mapping = connector.MapDetailed(rows);

        mapping.Gaps.Should().BeEmpty();
        mapping.Ledger.Sales.Single(s => s.OrderId == "srid-b").Should().Be(new SaleLine(
            "wildberries", "srid-b", "222", new DateTimeOffset(2026, 3, 1, 23, 30, 0, Msk), null, "organic", "TEE-02", 2,
            Revenue: 2325.00m, Commission: 305.50m, Logistics: 110.00m, Acquiring: 34.50m, OtherFees: 300.00m));
        mapping.Ledger.Sales.Should().HaveCount(3, "the re-issued sale is not a second sale");
        connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout - 2050.00m + 1960.00m).And.Be(DerivedPayout.Of(mapping.Ledger));
    }

    [Fact]
    public void A_sale_cancelled_by_a_storno_with_no_corrected_line_leaves_no_sale_and_no_money()
    {
        var connector = Connector();
        var sale = HandChecked.Lines.Single(l => l.RrdId == 9);
        var rows = HandChecked.Lines.Append(sale with { RrdId = 40, SupplierOperName = "Сторно продаж", DocTypeName = "Возврат", RrDt = "2026-03-06" })
            .Select(Row).ToList();

        var mapping = connector.MapDetailed(rows);

        mapping.Ledger.Sales.Should().NotContain(s => s.OrderId == "srid-c");
        mapping.Gaps.Should().BeEmpty("the storno cancels the sale exactly");
        connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout - 376.99m).And.Be(DerivedPayout.Of(mapping.Ledger));
    }

    [Fact]
    public void A_return_cancelled_by_a_storno_is_no_return_and_the_sale_stands()
    {
        var connector = Connector();
        var returned = HandChecked.Lines.Single(l => l.RrdId == 5);
        var rows = HandChecked.Lines.Append(returned with { RrdId = 41, SupplierOperName = "Сторно возвратов", DocTypeName = "Продажа", RrDt = "2026-03-06" })
            .Select(Row).ToList();

        var mapping = connector.MapDetailed(rows);

        mapping.Ledger.Returns.Should().BeEmpty();
        mapping.Gaps.Should().BeEmpty();
        mapping.Ledger.Sales.Single(s => s.OrderId == "srid-a").Logistics.Should().Be(105.00m, "the return leg stays a cost of the sale");
        connector.MarketplacePayout(rows).Should().Be(HandCheckedPayout + 820.50m).And.Be(DerivedPayout.Of(mapping.Ledger));
    }

    [Fact]
    public async Task Gaps_carry_the_order_they_belong_to_and_travel_with_the_part_of_the_mapping_that_made_them()
    {
        var report = FakeWildberriesReport.Generate(new DateOnly(2026, 2, 1), days: 10, ordersPerDay: 20, seed: 5);
        await using var wb = await WildberriesHarness.StartAsync(report);
        var all = await wb.FetchAsync(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 10));
        var returned = report.Lines.Where(l => l.SupplierOperName == "Возврат").Select(l => l.Srid).Take(10).ToHashSet();
        var saleIds = report.Lines.Where(l => l.SupplierOperName == "Продажа" && returned.Contains(l.Srid))
            .Select(l => l.RrdId.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var rows = all.Where(r => !saleIds.Contains(r.SourceId)).ToList();
        var whole = wb.Connector.Map(rows, Moscow);
        whole.Gaps.Should().NotBeEmpty();

        var session = wb.Connector.StartMapping(Moscow);
        var taken = new List<MappingGap>();
        foreach (var part in rows.GroupBy(r => r.OrderKey ?? "\uffff").OrderBy(g => g.Key, StringComparer.Ordinal).Chunk(25))
        {
            session.Add([.. part.SelectMany(g => g)]);
            taken.AddRange(session.TakeOrders()!.Gaps);
        }

        taken.AddRange(session.Finish().Gaps);
        taken.Should().BeEquivalentTo(whole.Gaps, "each gap comes once, with the part that made it");
        whole.Gaps.Where(g => g.Reason.StartsWith("return ", StringComparison.Ordinal)).Should().NotBeEmpty()
            .And.OnlyContain(g => g.OrderKey != null && rows.Single(r => r.SourceId == g.SourceIds[0]).OrderKey == g.OrderKey);
        (DerivedPayout.Of(whole) + whole.Gaps.Sum(g => g.PayoutEffect)).Should().Be(wb.Connector.MarketplacePayout(rows));
    }

    [Fact]
    public void Ad_charges_that_cannot_be_mapped_are_gaps_with_their_source_ids_and_the_other_charges_land()
    {
        var connector = Connector();
        var day = new DateOnly(2026, 3, 2);
        var rows = new List<SourceRow>
        {
            new(WildberriesConnector.AdsFeed, "501@2026-03-02T10:00:00", null, day, """{"updNum":0,"updTime":"2026-03-02T10:00:00","updSum":24,"advertId":501}"""),
            new(WildberriesConnector.AdsFeed, "3366882@undated:107", null, day.AddDays(5), """{"updNum":0,"updTime":null,"updSum":107,"advertId":3366882,"paymentType":"Счет"}"""),
            new(WildberriesConnector.AdsFeed, "unreadable:0a1b2c3d4e5f6a7b", null, day, "[1,2]"),
            new(WildberriesConnector.AdsFeed, "77@undated:none", null, day, """{"updNum":0,"updTime":null,"advertId":77}"""),
        };

        var mapping = connector.MapDetailed(rows);

        mapping.Ledger.AdSpend.Should().Equal(
            new AdSpend(day, "wildberries", "wb_adv_501", 24m),
            new AdSpend(day.AddDays(5), "wildberries", "wb_adv_3366882", 107m));
        mapping.Gaps.Select(g => (g.SourceIds.Single(), g.PayoutEffect, g.OrderKey)).Should().Equal(
            ("unreadable:0a1b2c3d4e5f6a7b", 0m, (string?)null),
            ("77@undated:none", 0m, null));
        mapping.Gaps[1].Reason.Should().Be("ad charge 77@undated:none has no amount (updSum)");
    }

    [Fact]
    public void Loyalty_programme_amounts_on_a_line_are_named_in_a_gap_that_moves_no_payout()
    {
        var connector = Connector();
        var rows = HandChecked.Lines.Select(l => l.RrdId == 1 ? l with { CashbackAmount = 12.30m, CashbackCommissionChange = 4.10m } : l).Select(Row).ToList();

        var mapping = connector.MapDetailed(rows);

        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.OrderKey == "srid-a" && g.PayoutEffect == 0m && g.SourceIds.Single() == "1"
            && g.Reason.Contains("cashbackAmount 12.30") && g.Reason.Contains("cashbackCommissionChange 4.10"));
        DerivedPayout.Of(mapping.Ledger).Should().Be(HandCheckedPayout).And.Be(connector.MarketplacePayout(rows)!.Value);
    }

    private static WildberriesConnector Connector() =>
        new(new Ingestion.Connectors.Http.ResilientHttpSender(new HttpClient(), TimeProvider.System));

    private static SourceRow Row(FakeWbReportLine line) => new(
        WildberriesConnector.RealizationFeed,
        line.RrdId.ToString(CultureInfo.InvariantCulture),
        string.IsNullOrEmpty(line.Srid) ? null : line.Srid,
        line.ReportDate,
        System.Text.Json.JsonSerializer.Serialize(line, FakeWildberries.Json));

    /// <summary>What the ledger import demands of any set of records (metrics.md): it must accept what we derive.</summary>
    private static void LedgerRulesHold(DerivedLedger ledger)
    {
        ledger.Sales.Should().OnlyContain(s => s.Quantity >= 1 && s.Revenue >= 0 && s.Commission >= 0 && s.Logistics >= 0
            && s.Acquiring >= 0 && s.OtherFees >= 0 && s.CustomerId == null && s.Channel == "organic");
        ledger.Sales.Should().OnlyHaveUniqueItems(s => new { s.OrderId, s.LineId });
        ledger.Sales.GroupBy(s => s.OrderId).Should().OnlyContain(g => g.Select(s => s.OrderedAt).Distinct().Count() == 1);
        ledger.Returns.Should().OnlyContain(r => r.Quantity >= 1 && r.Refund >= 0 && r.CommissionRefund >= 0 && r.ReturnLogistics >= 0);
        ledger.Returns.Should().OnlyHaveUniqueItems(r => new { r.OrderId, r.ReturnId });
        foreach (var returned in ledger.Returns.GroupBy(r => (r.OrderId, r.LineId)))
        {
            var sold = ledger.Sales.Single(s => (s.OrderId, s.LineId) == returned.Key).Quantity;
            returned.Sum(r => r.Quantity).Should().BeLessThanOrEqualTo(sold);
        }

        ledger.Fees.Should().OnlyContain(f => f.Amount > 0).And.OnlyHaveUniqueItems(f => new { f.Date, f.Kind });
        ledger.AdSpend.Should().OnlyContain(a => a.Amount > 0 && a.Channel.StartsWith("wb_adv_", StringComparison.Ordinal))
            .And.OnlyHaveUniqueItems(a => new { a.Date, a.Channel });
    }

}
