using SellerDesk.Domain.Scenarios;
using SellerDesk.Web.Features.Scenarios;

namespace SellerDesk.Integration.Tests.Scenarios;

/// <summary>The what-if page's address form of adjustments, and the checks the page and the API share.</summary>
public sealed class ScenarioInputTests
{
    [Fact]
    public void Adjustments_survive_the_address_exactly_in_order()
    {
        ScenarioAdjustment[] adjustments =
        [
            new("wildberries", CommissionPp: 3m),
            new(),
            new("ozon", "blogger_anna", -12.5m, 0.75m, 20m, 0.3m, -50m),
        ];

        var text = ScenarioInput.Format(adjustments);

        text.Should().Be("mp:wildberries,comm:3~*~mp:ozon,ch:blogger_anna,price:-12.5,comm:0.75,log:20,ret:0.3,ad:-50");
        ScenarioInput.TryParse(text, out var parsed).Should().BeTrue();
        parsed.Should().Equal(adjustments);
        ScenarioInput.TryParse(null, out var none).Should().BeTrue();
        none.Should().BeEmpty();
    }

    [Theory]
    [InlineData("comm")]
    [InlineData("comm:x")]
    [InlineData("size:3")]
    [InlineData("ret:2")]
    [InlineData("mp:Wild Berries")]
    [InlineData("price:-101")]
    public void An_address_that_is_not_a_valid_scenario_is_refused(string text)
    {
        ScenarioInput.TryParse(text, out var parsed).Should().BeFalse();
        parsed.Should().BeEmpty();
    }

    [Fact]
    public void The_presets_are_the_four_shocks_of_the_issue()
    {
        ScenarioInput.Presets.Select(p => (p.Code, p.Adjustments.Single())).Should().Equal(
            ("wb_commission", new ScenarioAdjustment("wildberries", CommissionPp: 3m)),
            ("logistics", new ScenarioAdjustment(LogisticsPct: 20m)),
            ("no_returns", new ScenarioAdjustment(ReturnsScale: 0m)),
            ("price_war", new ScenarioAdjustment(PricePct: -10m)));
        ScenarioInput.Presets.Should().OnlyContain(p => ScenarioInput.Check(p.Adjustments) == null);
    }

    [Fact]
    public void More_adjustments_than_allowed_are_refused()
    {
        ScenarioInput.Check([.. Enumerable.Repeat(new ScenarioAdjustment(), ScenarioInput.MaxAdjustments + 1)]).Should().NotBeNull();
        ScenarioInput.Check([.. Enumerable.Repeat(new ScenarioAdjustment(), ScenarioInput.MaxAdjustments)]).Should().BeNull();
    }
}
