using SellerDesk.Data.Ledger;

namespace SellerDesk.Ingestion.Tests.Files;

public sealed class LedgerFileKindTests
{
    [Theory]
    [InlineData("sales", LedgerFileKind.Sales)]
    [InlineData("returns", LedgerFileKind.Returns)]
    [InlineData("ad_spend", LedgerFileKind.AdSpend)]
    [InlineData("fees", LedgerFileKind.Fees)]
    [InlineData("costs", LedgerFileKind.Costs)]
    [InlineData("attribution", LedgerFileKind.Attribution)]
    [InlineData("Sales", LedgerFileKind.Sales)]
    public void Parses_the_api_path_names(string name, LedgerFileKind kind)
    {
        LedgerFileKinds.TryParse(name, out var parsed).Should().BeTrue();
        parsed.Should().Be(kind);
        LedgerFileKinds.Parse(kind.ToPathName()).Should().Be(kind);
    }

    [Theory]
    [InlineData("adspend")]
    [InlineData("AdSpend")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_other_names(string? name)
    {
        LedgerFileKinds.TryParse(name, out _).Should().BeFalse();
    }

    [Fact]
    public void A_problem_renders_as_a_sentence_with_line_and_column()
    {
        new ImportProblem(14, "quantity", "'two' is not a whole number").ToString()
            .Should().Be("line 14, column quantity: 'two' is not a whole number");
        new ImportProblem(1, null, "the file is empty").ToString().Should().Be("line 1: the file is empty");
        (new ImportProblem(3, "quantity", "'0' is not a positive whole number") { Kind = LedgerFileKind.Returns }).ToString()
            .Should().Be("returns item 3, column quantity: '0' is not a positive whole number");
    }
}
