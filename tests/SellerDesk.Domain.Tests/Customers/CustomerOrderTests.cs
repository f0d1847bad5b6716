using SellerDesk.Domain.Customers;
using SellerDesk.Domain.Ledger;
using static SellerDesk.Domain.Tests.Reports.ReportTestData;

namespace SellerDesk.Domain.Tests.Customers;

public sealed class CustomerOrderTests
{
    private static Dictionary<string, CustomerOrder> Build(IEnumerable<SaleLine> lines, IEnumerable<AttributionRow>? rows = null)
    {
        var orders = LedgerOrder.FromLines(lines, Moscow);
        return CustomerOrder.Build(orders, ChannelAttribution.Attribute(orders, rows ?? [], DateOnly.MaxValue)).ToDictionary(o => o.OrderId);
    }

    [Fact]
    public void A_customers_first_order_is_the_earliest_and_sets_cohort_and_acquisition_channel()
    {
        var orders = Build([Order("B", "2026-02-15", 10m, "c1", "organic"), Order("A", "2026-01-10", 20m, "c1", "vk_ads")]);

        orders["A"].IsFirstOrder.Should().BeTrue();
        orders["B"].IsFirstOrder.Should().BeFalse();
        orders.Values.Should().OnlyContain(o => o.FirstOrderDate == D("2026-01-10") && o.AcquisitionChannel == "vk_ads");
        orders["B"].Channel.Should().Be("organic", "a repeat order keeps its own channel");
    }

    [Fact]
    public void Orders_at_the_same_moment_are_ordered_by_the_smaller_order_id()
    {
        var orders = Build([Order("O2", "2026-01-10", 1m, "c1", "b"), Order("O10", "2026-01-10", 2m, "c1", "a")]);

        orders["O10"].IsFirstOrder.Should().BeTrue("\"O10\" < \"O2\" ordinally");
        orders["O2"].AcquisitionChannel.Should().Be("a");
    }

    [Fact]
    public void The_same_instant_in_two_offsets_is_one_moment()
    {
        // 12:00 in Moscow is 09:00 UTC: order Z is at that same instant, so the smaller id decides.
        var utc = Order("A2", "2026-01-10", 1m, "c1", "utc_channel") with { OrderedAt = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero) };
        var orders = Build([Order("A1", "2026-01-10", 1m, "c1", "moscow_channel"), utc]);

        orders["A1"].IsFirstOrder.Should().BeTrue();
    }

    [Fact]
    public void An_order_without_a_buyer_id_is_a_customer_of_its_own_and_not_identified()
    {
        var orders = Build([Order("W1", "2026-01-10", 1m, marketplace: "wildberries"), Order("W2", "2026-01-11", 1m, marketplace: "wildberries")]);

        orders.Values.Should().OnlyContain(o => o.IsFirstOrder && !o.Identified);
        orders.Values.Select(o => o.CustomerKey).Should().BeEquivalentTo("order:W1", "order:W2");
    }

    [Fact]
    public void The_same_buyer_id_on_two_marketplaces_is_two_customers()
    {
        var orders = Build([Order("A", "2026-01-10", 1m, "c1", marketplace: "ozon"), Order("B", "2026-01-11", 1m, "c1", marketplace: "own_store")]);

        orders.Values.Should().OnlyContain(o => o.IsFirstOrder && o.Identified);
    }

    [Fact]
    public void A_customers_first_order_in_each_month_is_marked_for_retention()
    {
        var orders = Build(
        [
            Order("A", "2026-01-10", 1m, "c1"),
            Order("B", "2026-01-20", 1m, "c1"),
            Order("C", "2026-03-01", 1m, "c1"),
            Order("D", "2026-03-02", 1m, "c1"),
        ]);

        orders.Values.OrderBy(o => o.OrderId).Select(o => o.FirstInMonth).Should().Equal(true, false, true, false);
    }

    [Fact]
    public void An_attributed_first_order_gives_the_customer_an_attributed_acquisition_channel()
    {
        var orders = Build(
            [Order("W1", "2026-01-10", 1m, "k1", marketplace: "wildberries"), Order("W2", "2026-02-10", 1m, "k1", marketplace: "wildberries")],
            [new AttributionRow(D("2026-01-10"), "wildberries", "wb_ads", "SKU-1", 1)]);

        orders["W1"].Should().Match<CustomerOrder>(o => o.Channel == "wb_ads" && o.Attributed && o.AcquisitionAttributed);
        orders["W2"].Should().Match<CustomerOrder>(o => o.Channel == "organic" && !o.Attributed && o.AcquisitionChannel == "wb_ads" && o.AcquisitionAttributed);
    }
}
