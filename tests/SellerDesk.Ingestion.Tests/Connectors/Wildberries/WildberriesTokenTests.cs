using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>What a Wildberries token's claims say: the seller account and the categories.</summary>
public sealed class WildberriesTokenTests
{
    [Fact]
    public async Task A_WB_style_token_tells_its_seller_account_and_its_categories()
    {
        await using var fake = await FakeWildberries.StartAsync();
        var financeOnly = fake.IssueToken(WildberriesTokenCategory.Finance);
        var otherSeller = fake.IssueToken("9a9a9a9a-0000-4000-8000-000000000001", WildberriesTokenCategory.Promotion);

        var token = WildberriesToken.TryRead(financeOnly)!;

        token.Should().BeEquivalentTo(new { SellerId = "5d8f7a6e-0c1b-4e2a-9f3d-2b7c6a1e0f11", SupplierId = 4_000_001L, IsSandbox = false });
        token.Has(WildberriesTokenCategory.Finance).Should().BeTrue();
        token.Has(WildberriesTokenCategory.Promotion).Should().BeFalse();
        token.ExpiresAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1_893_456_000));
        WildberriesToken.TryRead(FakeWildberries.DefaultToken)!.SellerId.Should().Be(token.SellerId, "two tokens of one seller account");
        WildberriesToken.TryRead(otherSeller)!.SellerId.Should().NotBe(token.SellerId);
    }

    [Theory]
    [InlineData("""{"sid":"5d8f7a6e-seller","oid":4000001}""", "sid:5d8f7a6e-seller")]
    [InlineData("""{"sid":123456}""", "sid:123456")]
    [InlineData("""{"oid":4000001,"s":8192}""", "oid:4000001")]
    [InlineData("""{"oid":"4000002"}""", "oid:4000002")]
    [InlineData("""{"s":8192}""", null)]
    public void The_account_a_token_names_is_its_sid_else_its_oid_read_by_the_one_claims_reader(string claims, string? account)
    {
        var token = "eyJhbGciOiJFUzI1NiJ9." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(claims)) + ".c2ln";

        WildberriesToken.AccountOf(token).Should().Be(account);
        WildberriesToken.TryRead(token)!.Account.Should().Be(account);
    }

    [Theory]
    [InlineData("wb-old-token-0a1b2c3d4e")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.W10.c2ln")]
    [InlineData("")]
    public void A_token_that_is_not_a_JWT_with_claims_says_nothing(string text)
    {
        WildberriesToken.TryRead(text).Should().BeNull();
        WildberriesToken.AccountOf(text).Should().BeNull("a token that is not a readable JWT is not compared");
    }
}
