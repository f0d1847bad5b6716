using SellerDesk.Testing;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// The tests read the repository's copy of the spec's examples (tests/examples). Where the contract's own folder
/// (../shared/examples) sits beside the repository, the copy must still equal it byte for byte, so a changed
/// contract cannot go unnoticed; in a clone without it there is nothing to compare and the copy stands alone.
/// </summary>
public sealed class ExampleCopiesTests
{
    [Fact]
    public void The_repository_copy_holds_every_file_the_example_tests_read()
    {
        foreach (var file in new[] { "sales.csv", "returns.csv", "ad_spend.csv", "fees.csv", "costs.csv", "expected.json", "expected-extended.json" })
        {
            File.Exists(SharedExamples.Tiny(file)).Should().BeTrue($"tests/examples/tiny/{file} is read by the tests");
        }
    }

    [Fact]
    public void The_repository_copy_equals_the_contract_examples_when_they_are_beside_the_repository()
    {
        if (SharedExamples.ContractFolder is not { } contract)
        {
            return; // a user's clone: no contract folder beside it, the copy is all there is
        }

        var ours = Files(SharedExamples.Folder);
        var theirs = Files(contract);
        ours.Keys.Should().BeEquivalentTo(theirs.Keys, "every contract example file is copied and nothing else is added");
        foreach (var (name, path) in theirs)
        {
            File.ReadAllBytes(ours[name]).Should().Equal(File.ReadAllBytes(path), $"tests/examples/{name} must equal the contract's copy");
        }
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(root, p).Replace('\\', '/'), p => p, StringComparer.Ordinal);
}
