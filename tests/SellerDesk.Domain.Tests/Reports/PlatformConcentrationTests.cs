using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class PlatformConcentrationTests
{
    private static MarketplaceRow Row(string marketplace, decimal? share) =>
        new(marketplace, 0, 0, 0, 0, 0, 0, 0, null, null, 0, null, null, share, 0, 0, 0, 0);

    [Fact]
    public void Hhi_sums_the_squares_of_the_unrounded_shares()
    {
        var concentration = PlatformConcentration.Of([Row("a", 1m / 3), Row("b", 2m / 3)]);

        concentration.Hhi.Should().Be((1m / 3 * (1m / 3)) + (2m / 3 * (2m / 3)));
        concentration.Rounded().Hhi.Should().Be(0.5556m);
        concentration.TopShare.Should().Be(2m / 3);
        concentration.TopMarketplace.Should().Be("b");
        concentration.DependsOnOnePlatform.Should().BeTrue();
    }

    [Fact]
    public void A_negative_share_still_counts_squared()
    {
        var concentration = PlatformConcentration.Of([Row("ozon", 1.25m), Row("wildberries", -0.25m)]);

        concentration.Hhi.Should().Be(1.625m);
        concentration.TopMarketplace.Should().Be("ozon");
    }

    [Fact]
    public void A_tie_for_the_top_share_goes_to_the_alphabetically_first_marketplace()
    {
        var concentration = PlatformConcentration.Of([Row("wildberries", 0.4m), Row("ozon", 0.4m), Row("own_store", 0.2m)]);

        concentration.TopMarketplace.Should().Be("ozon");
        concentration.TopShare.Should().Be(0.4m);
        concentration.DependsOnOnePlatform.Should().BeFalse();
    }

    [Fact]
    public void Without_shares_everything_is_null()
    {
        PlatformConcentration.Of([Row("ozon", null), Row("wildberries", null)]).Should().Be(new PlatformConcentration(null, null, null));
        PlatformConcentration.Of([]).Should().Be(new PlatformConcentration(null, null, null));
    }
}
