using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Ledger;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Customers;

/// <summary>metrics.md 3.1, rule by rule, on orders made by hand.</summary>
public sealed class ChannelAttributionTests
{
    private static LedgerOrder Wb(string id, string date, string time = "12:00", string channel = "organic", params string[] skus) =>
        new("wildberries", id, At(date, time), D(date), null, channel, skus.Length == 0 ? ["MUG-01"] : skus);

    private static AttributionRow Row(string date, string channel, int orders, string sku = "MUG-01", string marketplace = "wildberries") =>
        new(D(date), marketplace, channel, sku, orders);

    private static AttributionResult Attribute(IEnumerable<LedgerOrder> orders, params AttributionRow[] rows) =>
        ChannelAttribution.Attribute(orders.ToList(), rows, DateOnly.MaxValue);

    [Fact]
    public void A_row_takes_the_earliest_candidates_of_its_day_and_sku()
    {
        List<LedgerOrder> orders = [Wb("W3", "2026-01-10", "18:00"), Wb("W1", "2026-01-10", "09:00"), Wb("W2", "2026-01-10", "12:00")];

        var result = Attribute(orders, Row("2026-01-10", "wb_ads", 2));

        orders.Select(result.EffectiveChannel).Should().Equal("organic", "wb_ads", "wb_ads");
        result.Claims.Single().Taken.Should().Be(2);
    }

    [Fact]
    public void Orders_at_the_same_instant_are_taken_by_the_smaller_order_id()
    {
        List<LedgerOrder> orders = [Wb("W2", "2026-01-10"), Wb("W10", "2026-01-10")];

        var result = Attribute(orders, Row("2026-01-10", "wb_ads", 1));

        result.IsAttributed("wildberries", "W10").Should().BeTrue("\"W10\" < \"W2\" ordinally");
        result.IsAttributed("wildberries", "W2").Should().BeFalse();
    }

    [Fact]
    public void A_row_that_claims_more_orders_than_remain_takes_fewer_and_the_rest_is_unmatched()
    {
        var result = Attribute([Wb("W1", "2026-01-10")], Row("2026-01-10", "wb_ads", 3));

        var claim = result.Claims.Single();
        claim.Claimed.Should().Be(3);
        claim.Taken.Should().Be(1);
        claim.Unmatched.Should().Be(2);
    }

    [Fact]
    public void Rows_of_one_group_take_their_candidates_in_order_of_channel_code()
    {
        List<LedgerOrder> orders = [Wb("W1", "2026-01-10", "09:00"), Wb("W2", "2026-01-10", "10:00"), Wb("W3", "2026-01-10", "11:00")];

        var result = Attribute(orders, Row("2026-01-10", "wb_search", 2), Row("2026-01-10", "blogger_anna", 2));

        orders.Select(result.EffectiveChannel).Should().Equal("blogger_anna", "blogger_anna", "wb_search");
        result.Claims.Select(c => (c.Row.Channel, c.Taken)).Should().Equal(("blogger_anna", 2), ("wb_search", 1));
    }

    [Fact]
    public void An_order_with_two_attributed_skus_goes_to_the_row_of_the_sku_that_comes_first()
    {
        List<LedgerOrder> orders = [Wb("W1", "2026-01-10", "09:00", "organic", "MUG-01", "CAP-03"), Wb("W2", "2026-01-10", "10:00", "organic", "MUG-01")];

        var result = Attribute(orders, Row("2026-01-10", "wb_ads", 1, "MUG-01"), Row("2026-01-10", "blogger_anna", 1, "CAP-03"));

        result.EffectiveChannel(orders[0]).Should().Be("blogger_anna", "CAP-03 comes before MUG-01, and the order is then taken");
        result.EffectiveChannel(orders[1]).Should().Be("wb_ads", "the MUG-01 row takes the next candidate");
        result.Claims.Should().OnlyContain(c => c.Taken == 1);
    }

    [Fact]
    public void An_order_taken_by_one_sku_is_no_candidate_for_another_and_its_row_may_come_up_short()
    {
        List<LedgerOrder> orders = [Wb("W1", "2026-01-10", "09:00", "organic", "CAP-03", "MUG-01")];

        var result = Attribute(orders, Row("2026-01-10", "blogger_anna", 1, "CAP-03"), Row("2026-01-10", "wb_ads", 1, "MUG-01"));

        result.Claims.Select(c => (c.Row.Sku, c.Taken)).Should().Equal(("CAP-03", 1), ("MUG-01", 0));
    }

    [Fact]
    public void An_order_with_a_non_organic_ledger_channel_keeps_it_and_is_no_candidate()
    {
        List<LedgerOrder> orders = [Wb("W1", "2026-01-10", "09:00", "vk_ads"), Wb("W2", "2026-01-10", "10:00")];

        var result = Attribute(orders, Row("2026-01-10", "wb_ads", 2));

        result.EffectiveChannel(orders[0]).Should().Be("vk_ads");
        result.IsAttributed("wildberries", "W1").Should().BeFalse();
        result.EffectiveChannel(orders[1]).Should().Be("wb_ads");
        result.Claims.Single().Taken.Should().Be(1);
    }

    [Fact]
    public void Candidates_are_orders_of_the_rows_marketplace_local_date_and_sku_only()
    {
        // 20:30 UTC on January 10 is 23:30 in Moscow, still January 10; 21:30 UTC is already January 11 there.
        var late = LedgerOrder.FromLines(
        [
            Order("W3", "2026-01-10", 1m, marketplace: "wildberries", sku: "MUG-01") with { OrderedAt = new DateTimeOffset(2026, 1, 10, 20, 30, 0, TimeSpan.Zero) },
            Order("W4", "2026-01-10", 1m, marketplace: "wildberries", sku: "MUG-01") with { OrderedAt = new DateTimeOffset(2026, 1, 10, 21, 30, 0, TimeSpan.Zero) },
        ], Moscow);
        List<LedgerOrder> orders =
        [
            Wb("W1", "2026-01-11"),
            Wb("W2", "2026-01-10", "12:00", "organic", "TEE-02"),
            new("ozon", "O1", At("2026-01-10"), D("2026-01-10"), null, "organic", ["MUG-01"]),
            .. late,
        ];

        var result = Attribute(orders, Row("2026-01-10", "wb_ads", 5));

        result.AttributedOrders.Should().BeEquivalentTo([("wildberries", "W3")]);
    }

    [Fact]
    public void Groups_are_taken_by_date_before_sku()
    {
        // A row of an earlier date with a later SKU comes first; it cannot take orders of other dates anyway.
        List<LedgerOrder> orders = [Wb("W1", "2026-01-09", "12:00", "organic", "TEE-02"), Wb("W2", "2026-01-10", "12:00", "organic", "CAP-03")];

        var result = Attribute(orders, Row("2026-01-10", "a_ads", 1, "CAP-03"), Row("2026-01-09", "b_ads", 1, "TEE-02"));

        result.Claims.Select(c => c.Row.Date).Should().Equal(D("2026-01-09"), D("2026-01-10"));
        orders.Select(result.EffectiveChannel).Should().Equal("b_ads", "a_ads");
    }

    [Fact]
    public void Every_order_no_row_took_is_organic()
    {
        List<LedgerOrder> orders = [Wb("W1", "2026-01-10"), Wb("W2", "2026-01-12")];

        var result = Attribute(orders, Row("2026-01-10", "wb_ads", 0));

        orders.Select(result.EffectiveChannel).Should().Equal("organic", "organic");
        result.Claims.Single().Unmatched.Should().Be(0);
    }

    [Fact]
    public void Rows_and_orders_dated_after_as_of_do_not_exist()
    {
        List<LedgerOrder> orders = [Wb("W1", "2026-01-10"), Wb("W2", "2026-01-12")];

        var result = ChannelAttribution.Attribute(orders, [Row("2026-01-10", "wb_ads", 1), Row("2026-01-12", "wb_ads", 1)], D("2026-01-11"));

        result.Claims.Should().ContainSingle().Which.Row.Date.Should().Be(D("2026-01-10"));
        result.IsAttributed("wildberries", "W2").Should().BeFalse();
    }

    [Fact]
    public void A_row_for_the_organic_channel_or_a_negative_count_is_refused()
    {
        var organic = () => Attribute([Wb("W1", "2026-01-10")], Row("2026-01-10", "organic", 1));
        var negative = () => Attribute([Wb("W1", "2026-01-10")], Row("2026-01-10", "wb_ads", -1));

        organic.Should().Throw<ArgumentException>();
        negative.Should().Throw<ArgumentException>();
    }
}
