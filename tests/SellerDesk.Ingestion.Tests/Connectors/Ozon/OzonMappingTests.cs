using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;
using static SellerDesk.Ingestion.Tests.Connectors.Fakes.FakeOzonData;
using static SellerDesk.Ingestion.Tests.Connectors.Ozon.OzonFixtures;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>Mapping pulled Ozon rows to ledger records, rule by rule, and reconciling Ozon's payout with the ledger's.</summary>
public sealed class OzonMappingTests
{
    private static readonly TimeZoneInfo Moscow = OzonHarness.Moscow;
    private static readonly TimeSpan Msk = TimeSpan.FromHours(3);

    [Fact]
    public async Task The_hand_checked_account_maps_to_exactly_the_expected_ledger_records()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        var rows = await ozon.FetchAsync(From, To);

        var mapping = OzonConnector.MapDetailed(rows, Moscow);
        var ledger = mapping.Ledger;

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
                1, Revenue: 500.00m, Commission: 75.00m, Logistics: 65.00m, Acquiring: 0m, OtherFees: 0m));
        ledger.Sales.Should().OnlyContain(s => s.OrderedAt.Offset == Msk);
        ledger.Returns.Should().Equal(
            new ReturnEvent("ozon", "0102-0002-1", "333", "9001", new DateTimeOffset(2026, 3, 4, 13, 0, 0, Msk), 1,
                Refund: 800.00m, CommissionRefund: 120.00m, ReturnLogistics: 55.00m, Restockable: false, Reason: "ClientReturn: Не подошел размер"),
            new ReturnEvent("ozon", "0103-0003-1", "444", "9002", new DateTimeOffset(2026, 3, 4, 18, 0, 0, Msk), 1,
                Refund: 2000.00m, CommissionRefund: 0m, ReturnLogistics: 70.00m, Restockable: true, Reason: "Cancellation: Покупатель не забрал"));
        ledger.Fees.Should().Equal(
            new PeriodFee(new DateOnly(2026, 3, 2), "ozon", "storage", 400.50m),
            new PeriodFee(new DateOnly(2026, 3, 3), "ozon", "acceptance", 1250.00m));
        ledger.AdSpend.Should().BeEmpty();
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.PayoutEffect == 350.00m && g.SourceIds.SequenceEqual(new[] { "509" }) && g.Reason.Contains("belongs to no posting"));
        ozon.Connector.Map(rows, Moscow).Should().BeEquivalentTo(ledger);
    }

    [Fact]
    public async Task Ozon_payout_is_the_sum_of_operation_amounts_and_differs_from_the_ledger_only_by_the_gap_and_the_unsettled_posting()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        var rows = await ozon.FetchAsync(From, To);

        var ozonPayout = ozon.Connector.MarketplacePayout(rows);
        var mapped = ozon.Connector.Map(rows, Moscow);
        decimal? ledgerPayout = Payout.Of(mapped.Sales, mapped.Returns, mapped.Fees);

        ozonPayout.Should().Be(HandCheckedOzonPayout).And.Be(HandChecked.OperationsTotal);
        ledgerPayout.Should().Be(HandCheckedLedgerPayout);
        var unsettled = 500.00m - 75.00m - 65.00m;
        (ledgerPayout!.Value + OzonConnector.MapDetailed(rows, Moscow).UnmappedPayout - unsettled).Should().Be(ozonPayout!.Value);
    }

    [Fact]
    public async Task Utc_times_land_on_the_dates_of_the_zone_given_to_the_mapping()
    {
        await using var ozon = await OzonHarness.StartAsync(HandChecked);
        var rows = await ozon.FetchAsync(From, To);
        var yekaterinburg = TimeZoneInfo.FindSystemTimeZoneById("Asia/Yekaterinburg");

        var utc = ozon.Connector.Map(rows, TimeZoneInfo.Utc);
        var east = ozon.Connector.Map(rows, yekaterinburg);

        utc.Sales.Single(s => s.OrderId == "0102-0002-1").OrderedAt.Should().Be(new DateTimeOffset(2026, 3, 1, 21, 30, 0, TimeSpan.Zero));
        utc.Sales.Single(s => s.OrderId == "0102-0002-1").OrderedAt.Offset.Should().Be(TimeSpan.Zero);
        east.Sales.Single(s => s.OrderId == "0102-0002-1").OrderedAt.Offset.Should().Be(TimeSpan.FromHours(5));
        east.Fees.Should().Equal(
            new PeriodFee(new DateOnly(2026, 3, 2), "ozon", "storage", 300.50m),
            new PeriodFee(new DateOnly(2026, 3, 3), "ozon", "acceptance", 1250.00m),
            new PeriodFee(new DateOnly(2026, 3, 3), "ozon", "storage", 100.00m));
    }

    [Fact]
    public async Task Source_rows_keep_Ozon_ids_and_payloads_with_Moscow_business_dates()
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
            ("ozon.finance", "501", "0101-0001-1", new(2026, 3, 3)),
            ("ozon.finance", "502", "0101-0001-1", new(2026, 3, 3)),
            ("ozon.finance", "503", "0102-0002-1", new(2026, 3, 2)),
            ("ozon.finance", "504", "0102-0002-1", new(2026, 3, 4)),
            ("ozon.finance", "505", "0103-0003-1", new(2026, 3, 4)),
            ("ozon.finance", "506", null, new(2026, 3, 2)),
            ("ozon.finance", "507", null, new(2026, 3, 2)),
            ("ozon.finance", "508", null, new(2026, 3, 3)),
            ("ozon.finance", "509", null, new(2026, 3, 4)),
        });
        rows.Single(r => r.SourceId == "0103-0003-1").Payload.Should().Contain("\"delivery_method\"", "fields the mapping does not read are kept");
    }

    [Fact]
    public void Without_finance_operations_a_posting_takes_its_logistics_from_its_financial_data_and_there_is_no_payout_to_reconcile()
    {
        var rows = Rows(
            Posting("0201-0001-1", "delivered", new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), [Mug, Tee],
                new Dictionary<string, decimal> { ["marketplace_service_item_direct_flow_trans"] = -120m, ["marketplace_service_item_deliv_to_customer"] = -80m }));
        var connector = Offline();

        var ledger = connector.Map(rows, Moscow);

        ledger.Sales.Select(s => (s.LineId, s.Revenue, s.Commission, s.Logistics)).Should().Equal(
            ("111", 1000.00m, 170.00m, 50.00m),
            ("222", 3000.00m, 570.00m, 150.00m));
        connector.MarketplacePayout(rows).Should().BeNull();
    }

    [Fact]
    public void Only_delivered_postings_or_postings_with_a_return_become_sales_and_charges_of_the_others_become_period_fees()
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var rows = Rows(
            Posting("0301-0001-1", "awaiting_deliver", at, [Mug]),
            Posting("0302-0002-1", "cancelled", at, [Mug]),
            Operation(701, "OperationMarketplaceServiceItemDropoffPVZ", at.AddDays(1), "0301-0001-1", amount: -35m),
            Operation(702, "OperationAgentDeliveredToCustomer", at.AddDays(1), "0399-0009-1", accruals: 900m, commission: -100m));

        var mapping = OzonConnector.MapDetailed(rows, Moscow);

        mapping.Ledger.Sales.Should().BeEmpty();
        mapping.Ledger.Fees.Should().Equal(new PeriodFee(new DateOnly(2026, 3, 2), "ozon", "logistics", 35m));
        mapping.Gaps.Should().ContainSingle().Which.Should().Match<MappingGap>(g =>
            g.PayoutEffect == 800m && g.Reason.Contains("not among the rows"));
    }

    [Fact]
    public void A_return_of_more_units_than_were_sold_is_left_out_with_its_reason_and_the_rest_is_kept()
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var rows = Rows(
            Posting("0401-0001-1", "delivered", at, [Mug]),
            Return(801, "0401-0001-1", "ClientReturn", Mug, 1, at.AddDays(3)),
            Return(802, "0401-0001-1", "ClientReturn", Mug, 1, at.AddDays(4)));

        var mapping = OzonConnector.MapDetailed(rows, Moscow);

        mapping.Ledger.Returns.Should().ContainSingle().Which.Should().Match<ReturnEvent>(r =>
            r.ReturnId == "801" && r.Refund == 1000m && r.CommissionRefund == 170m && r.Restockable);
        mapping.Gaps.Should().ContainSingle().Which.SourceIds.Should().Equal("802");
    }

    [Fact]
    public void Buyer_ids_come_only_from_FBS_customer_ids_and_a_zero_id_is_no_buyer()
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var rows = Rows(
            Posting("0501-0001-1", "delivered", at, [Mug], customerId: 77, fbs: true),
            Posting("0502-0002-1", "delivered", at, [Mug], customerId: 0, fbs: true),
            Posting("0503-0003-1", "delivered", at, [Mug], fbs: true),
            Posting("0504-0004-1", "delivered", at, [Mug]));

        var sales = OzonConnector.MapDetailed(rows, Moscow).Ledger.Sales;

        sales.Select(s => s.CustomerId).Should().Equal("77", null, null, null);
    }

    [Fact]
    public void A_row_handed_over_twice_counts_once_and_a_restated_copy_replaces_the_first()
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var first = Operation(901, "OperationMarketplaceServiceStorage", at, null, amount: -100m);
        var restated = Operation(901, "OperationMarketplaceServiceStorage", at, null, amount: -140m);
        var rows = Rows(first, first, restated);
        var connector = Offline();

        connector.Map(rows, Moscow).Fees.Should().Equal(new PeriodFee(new DateOnly(2026, 3, 1), "ozon", "storage", 140m));
        connector.MarketplacePayout(rows).Should().Be(-140m);
    }

    [Fact]
    public void A_posting_charge_spread_over_lines_keeps_every_kopeck()
    {
        OzonMapper.Spread(100.00m, [1m, 1m, 1m]).Should().Equal(33.33m, 33.33m, 33.34m);
        OzonMapper.Spread(0.01m, [5m, 5m]).Should().Equal(0.01m, 0m);
        OzonMapper.Spread(10m, [0m, 0m]).Should().Equal(0m, 10m);
    }

    [Fact]
    public void Service_names_are_sorted_into_logistics_return_legs_acquiring_and_other_charges()
    {
        OzonMapper.ServiceKind("MarketplaceServiceItemDirectFlowLogistic").Should().Be(OzonMapper.ChargeKind.Logistics);
        OzonMapper.ServiceKind("marketplace_service_item_deliv_to_customer").Should().Be(OzonMapper.ChargeKind.Logistics);
        OzonMapper.ServiceKind("marketplace_service_item_fulfillment").Should().Be(OzonMapper.ChargeKind.Logistics);
        OzonMapper.ServiceKind("MarketplaceServiceItemReturnFlowLogistic").Should().Be(OzonMapper.ChargeKind.ReturnLogistics);
        OzonMapper.ServiceKind("marketplace_service_item_return_not_deliv_to_customer").Should().Be(OzonMapper.ChargeKind.ReturnLogistics);
        OzonMapper.ServiceKind("MarketplaceRedistributionOfAcquiringOperation").Should().Be(OzonMapper.ChargeKind.Acquiring);
        OzonMapper.ServiceKind("MarketplaceServiceItemInstallment").Should().Be(OzonMapper.ChargeKind.Other);
    }

    [Fact]
    public void A_realistic_month_reconciles_to_the_kopeck_and_keeps_the_ledger_rules()
    {
        var start = new DateOnly(2026, 2, 1);
        var data = Generate(start, days: 28, postingsPerDay: 30, seed: 11);
        var rows = Rows([.. data.Fbo, .. data.Fbs], [.. data.Returns], [.. data.Operations]);

        var mapping = OzonConnector.MapDetailed(rows, Moscow);
        var ledger = mapping.Ledger;

        mapping.Gaps.Should().BeEmpty();
        ledger.Sales.Should().HaveCountGreaterThan(600);
        ledger.Returns.Should().Contain(r => r.Reason!.StartsWith("ClientReturn", StringComparison.Ordinal) && !r.Restockable)
            .And.Contain(r => r.Reason!.StartsWith("Cancellation", StringComparison.Ordinal) && r.Restockable)
            .And.Contain(r => r.Reason!.StartsWith("FullReturn", StringComparison.Ordinal));
        ledger.Sales.Should().Contain(s => s.CustomerId != null).And.Contain(s => s.Acquiring > 0m);
        ledger.Fees.Select(f => f.Kind).Distinct().Should().BeEquivalentTo("storage", "acceptance", "penalty");
        var payout = OzonMapper.Payout(rows);
        payout.Should().Be(data.OperationsTotal);
        OzonMapper.LedgerPayout(ledger).Should().Be(payout!.Value);
        foreach (var line in ledger.Sales)
        {
            line.Quantity.Should().BePositive();
            new[] { line.Revenue, line.Commission, line.Logistics, line.Acquiring, line.OtherFees }.Should().OnlyContain(m => m >= 0m);
            ledger.Returns.Where(r => r.OrderId == line.OrderId && r.LineId == line.LineId).Sum(r => r.Quantity).Should().BeLessThanOrEqualTo(line.Quantity);
        }
    }

    /// <summary>A connector for mapping only: it is never asked to fetch.</summary>
    private static OzonConnector Offline() => new(new ResilientHttpSender(new HttpClient(), TimeProvider.System));

    private static List<SourceRow> Rows(params FakeOzonItem[] items) => Rows(
        [.. items.Where(i => i.Json.Contains("\"posting_number\":\"" + i.Key + "\"", StringComparison.Ordinal) && i.Json.Contains("\"products\"", StringComparison.Ordinal))],
        [.. items.Where(i => i.Json.Contains("\"return_reason_name\"", StringComparison.Ordinal))],
        [.. items.Where(i => i.Json.Contains("\"operation_id\"", StringComparison.Ordinal))]);

    /// <summary>Source rows as the connector makes them (dates in Moscow), without HTTP.</summary>
    private static List<SourceRow> Rows(List<FakeOzonItem> postings, List<FakeOzonItem> returns, List<FakeOzonItem> operations)
    {
        DateOnly Date(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Moscow).DateTime);
        var rows = new List<SourceRow>();
        rows.AddRange(postings.Select(p => new SourceRow(
            p.Json.Contains("\"customer\"", StringComparison.Ordinal) ? "ozon.fbs" : "ozon.fbo", p.Key, p.Key, Date(p.At), p.Json)));
        foreach (var r in returns)
        {
            var posting = System.Text.Json.Nodes.JsonNode.Parse(r.Json)!["posting_number"]!.GetValue<string>();
            rows.Add(new SourceRow("ozon.returns", r.Key, posting, Date(r.At), r.Json));
        }

        foreach (var o in operations)
        {
            var posting = System.Text.Json.Nodes.JsonNode.Parse(o.Json)!["posting"]!["posting_number"]!.GetValue<string>();
            rows.Add(new SourceRow("ozon.finance", o.Key, posting.Length == 0 ? null : posting, Date(o.At), o.Json));
        }

        return rows;
    }
}
