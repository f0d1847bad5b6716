using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Tests.Connectors.Common;

/// <summary>The one ledger builder every connector's mapping fills (docs/decisions/0020-connector-contract.md).</summary>
public sealed class LedgerBuilderTests
{
    private static readonly DateOnly Day = new(2026, 3, 4);

    [Fact]
    public void Charges_and_credits_of_one_kind_on_one_day_net_to_one_period_fee()
    {
        var builder = new LedgerBuilder("wildberries");
        builder.Fee(Day, "storage", 120m, "1");
        builder.Fee(Day, "storage", -20m, "2");
        builder.Fee(Day, "penalty", 50m, "3");

        var ledger = builder.Build();

        ledger.Fees.Should().Equal(new PeriodFee(Day, "wildberries", "penalty", 50m), new PeriodFee(Day, "wildberries", "storage", 100m));
        ledger.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void A_day_whose_fees_net_to_a_credit_is_no_fee_but_a_gap_of_that_credit_naming_its_rows_once()
    {
        var builder = new LedgerBuilder("ozon");
        builder.Fee(Day, "other", 100m, "b");
        builder.Fee(Day, "other", -450m, "a");
        builder.Fee(Day, "other", 0m, "zero");
        builder.Fee(Day, "other", 0m, "b");

        var ledger = builder.Build();

        ledger.Fees.Should().BeEmpty();
        var gap = ledger.Gaps.Should().ContainSingle().Subject;
        gap.Reason.Should().Be("other on 2026-03-04 nets to a credit of 350.00");
        gap.PayoutEffect.Should().Be(350m);
        gap.OrderKey.Should().BeNull();
        gap.SourceIds.Should().Equal("a", "b");
        // The marketplace paid 350 more than the ledger's fees say: the gap carries exactly that.
        (Payout.Of([], [], ledger.Fees) + ledger.Gaps.Sum(g => g.PayoutEffect)).Should().Be(350m);
    }

    [Fact]
    public void A_day_whose_fees_net_to_zero_leaves_neither_a_fee_nor_a_gap()
    {
        var builder = new LedgerBuilder("yandex_market");
        builder.Fee(Day, "placement", 70m, "1");
        builder.Fee(Day, "placement", -70m, "2");

        var ledger = builder.Build();

        ledger.Fees.Should().BeEmpty();
        ledger.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void Records_come_out_in_order_whatever_order_the_mapping_added_them()
    {
        var at = new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.FromHours(3));
        var builder = new LedgerBuilder("sandbox");
        builder.Sales.Add(Sale("B", "2"));
        builder.Sales.Add(Sale("A", "9"));
        builder.Sales.Add(Sale("B", "1"));
        builder.Returns.Add(Return("B", "r2", "1"));
        builder.Returns.Add(Return("B", "r1", "2"));
        builder.Returns.Add(Return("B", "r1", "1"));

        var ledger = builder.Build();

        ledger.Sales.Select(s => (s.OrderId, s.LineId)).Should().Equal(("A", "9"), ("B", "1"), ("B", "2"));
        ledger.Returns.Select(r => (r.ReturnId, r.LineId)).Should().Equal(("r1", "1"), ("r1", "2"), ("r2", "1"));

        SaleLine Sale(string order, string line) => new("sandbox", order, line, at, null, "organic", "SKU", 1, 100m, 10m, 5m, 1m, 0m);
        ReturnEvent Return(string order, string id, string line) => new("sandbox", order, line, id, at, 1, 100m, 10m, 5m, true, null);
    }

    [Fact]
    public void Gaps_taken_part_way_are_handed_over_once_and_the_rest_come_with_the_ledger()
    {
        var builder = new LedgerBuilder("wildberries");
        builder.Gap("first", 10m, "order-1", "7", "7");
        var taken = builder.TakeGaps();
        builder.Gap("second", -5m, null, "8");

        var ledger = builder.Build();

        taken.Should().ContainSingle().Which.Should().Match<MappingGap>(g => g.OrderKey == "order-1" && g.SourceIds.Count == 1);
        ledger.Gaps.Should().ContainSingle().Which.Reason.Should().Be("second");
    }

    [Fact]
    public void Credentials_are_read_trimmed_and_a_blank_one_is_missing()
    {
        var credentials = new Dictionary<string, string> { ["token"] = "  abc ", ["blank"] = "   " };

        Credentials.Read(credentials, "token").Should().Be("abc");
        Credentials.Read(credentials, "blank").Should().BeNull();
        Credentials.Read(credentials, "absent").Should().BeNull();
    }

    [Fact]
    public void Moscow_time_is_three_hours_ahead_of_UTC_in_winter_and_summer()
    {
        MoscowTime.Zone.GetUtcOffset(new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc)).Should().Be(TimeSpan.FromHours(3));
        MoscowTime.Zone.GetUtcOffset(new DateTime(2026, 7, 15, 12, 0, 0, DateTimeKind.Utc)).Should().Be(TimeSpan.FromHours(3));
    }

    [Fact]
    public void Attribution_of_one_day_campaign_and_sku_adds_up_sorted_with_every_source_row_named()
    {
        var builder = new LedgerBuilder("wildberries");
        builder.Attribution(Day.AddDays(1), "wb_search_1", "MUG-01", 1, "s3", "wb.adv");
        builder.Attribution(Day, "wb_search_1", "MUG-01", 2, "s2", "wb.adv");
        builder.Attribution(Day, "wb_search_1", "MUG-01", 3, "s1", "wb.adv");
        builder.Attribution(Day, "wb_catalog_2", "MUG-01", 0, "s4", "wb.adv");

        var ledger = builder.Build();

        ledger.Attribution.Should().Equal(
            new AttributionRow(Day, "wildberries", "wb_catalog_2", "MUG-01", 0),
            new AttributionRow(Day, "wildberries", "wb_search_1", "MUG-01", 5),
            new AttributionRow(Day.AddDays(1), "wildberries", "wb_search_1", "MUG-01", 1));
        ledger.AttributionOrigins.Select(o => o!.SourceIds).Should().Equal("s4", "s1,s2", "s3");
        ledger.AttributionOrigins.Should().OnlyContain(o => o!.Feed == "wb.adv");
        ledger.Gaps.Should().BeEmpty();
    }

    [Fact]
    public void A_negative_count_of_attributed_orders_is_no_row_but_a_gap_of_no_money_naming_its_row()
    {
        var builder = new LedgerBuilder("ozon");
        builder.Attribution(Day, "ozon_promo_1", "TEA-02", -1, "r9");

        var ledger = builder.Build();

        ledger.Attribution.Should().BeEmpty();
        var gap = ledger.Gaps.Should().ContainSingle().Subject;
        gap.PayoutEffect.Should().Be(0m);
        gap.SourceIds.Should().Equal("r9");
    }
}
