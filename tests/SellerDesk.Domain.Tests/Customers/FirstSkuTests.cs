using SellerDesk.Domain.Customers;

namespace SellerDesk.Domain.Tests.Customers;

public sealed class FirstSkuTests
{
    [Fact]
    public void The_sku_with_the_most_revenue_in_the_first_order_leads_it() =>
        FirstSku.Of([("TEE-02", 900m), ("MUG-01", 1000m)]).Should().Be("MUG-01");

    [Fact]
    public void Lines_of_one_sku_count_together() =>
        FirstSku.Of([("MUG-01", 600m), ("TEE-02", 900m), ("MUG-01", 600m)]).Should().Be("MUG-01");

    [Fact]
    public void A_tie_goes_to_the_sku_that_sorts_first_ordinally() =>
        FirstSku.Of([("mug-01", 500m), ("MUG-01", 500m), ("TEE-02", 500m)]).Should().Be("MUG-01");

    [Fact]
    public void A_first_order_has_a_line() =>
        FluentActions.Invoking(() => FirstSku.Of([])).Should().Throw<ArgumentException>();
}
