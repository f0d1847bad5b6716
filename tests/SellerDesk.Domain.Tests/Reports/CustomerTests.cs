using static SellerDesk.Domain.Tests.Reports.ReportTestData;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class CustomerTests
{
    [Fact]
    public void A_customers_first_order_is_the_earliest_and_sets_cohort_and_acquisition_channel()
    {
        var customers = Customer.FromOrders(
            [Order("B", "2026-02-15", 10m, "c1", "organic"), Order("A", "2026-01-10", 20m, "c1", "vk_ads")],
            D("2026-03-31"));

        var customer = customers.Should().ContainSingle().Subject;
        customer.FirstOrder.OrderId.Should().Be("A");
        customer.AcquisitionChannel.Should().Be("vk_ads");
        customer.Cohort.Should().Be(new YearMonth(2026, 1));
        customer.MarginToDate.Should().Be(30m);
    }

    [Fact]
    public void Orders_at_the_same_moment_are_ordered_by_the_smaller_order_id()
    {
        var customers = Customer.FromOrders(
            [Order("O2", "2026-01-10", 1m, "c1", "b"), Order("O10", "2026-01-10", 2m, "c1", "a")],
            D("2026-03-31"));

        customers.Single().FirstOrder.OrderId.Should().Be("O10");
    }

    [Fact]
    public void An_order_without_a_buyer_id_is_a_customer_of_its_own_and_not_identified()
    {
        var customers = Customer.FromOrders(
            [Order("W1", "2026-01-10", 1m, marketplace: "wildberries"), Order("W2", "2026-01-11", 1m, marketplace: "wildberries")],
            D("2026-03-31"));

        customers.Should().HaveCount(2).And.OnlyContain(c => !c.Identified);
        customers.Select(c => c.Key).Should().BeEquivalentTo("order:W1", "order:W2");
    }

    [Fact]
    public void The_same_buyer_id_on_two_marketplaces_is_two_customers()
    {
        var customers = Customer.FromOrders(
            [Order("A", "2026-01-10", 1m, "c1", marketplace: "ozon"), Order("B", "2026-01-11", 1m, "c1", marketplace: "own_store")],
            D("2026-03-31"));

        customers.Should().HaveCount(2);
    }

    [Fact]
    public void Orders_after_as_of_do_not_exist()
    {
        var customers = Customer.FromOrders(
            [Order("A", "2026-01-10", 1m, "c1"), Order("B", "2026-04-01", 5m, "c1")],
            D("2026-03-31"));

        customers.Single().Orders.Should().ContainSingle();
    }
}
