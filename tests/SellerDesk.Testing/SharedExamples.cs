namespace SellerDesk.Testing;

/// <summary>
/// The spec's worked examples. Tests read the repository's own copy (<c>tests/examples/</c>), so a clone without the
/// contract folder beside it runs every test; <see cref="ContractFolder"/> is the contract's original
/// (<c>../shared/examples/</c>) when it is there, which <c>ExampleCopiesTests</c> checks the copy against.
/// </summary>
public static class SharedExamples
{
    /// <summary>The repository's copy of the examples folder (<c>tests/examples</c>).</summary>
    public static string Folder { get; } = FindRequired(Path.Combine("tests", "examples"));

    /// <summary>The folder of the tiny example in the repository (<c>tests/examples/tiny</c>).</summary>
    public static string TinyFolder { get; } = Path.Combine(Folder, "tiny");

    /// <summary>The contract's examples folder (<c>../shared/examples</c> beside the repository), or null when absent.</summary>
    public static string? ContractFolder { get; } = Find(Path.Combine("shared", "examples"));

    public static string Tiny(string file) => Path.Combine(TinyFolder, file);

    /// <summary>examples/tiny/expected.json, parsed.</summary>
    public static System.Text.Json.JsonElement TinyExpected() => Parse("expected.json");

    /// <summary>examples/tiny/expected-extended.json, parsed.</summary>
    public static System.Text.Json.JsonElement TinyExpectedExtended() => Parse("expected-extended.json");

    /// <summary>
    /// What the report API answers for the tiny example's request: expected.json's channels with the fields metrics.md
    /// 3.1 and 4.6 add (<c>attributed_customers</c>, 0 here, as the example has no attribution rows; <c>revenue</c>,
    /// <c>drr</c>, <c>roas</c> from expected-extended.json's <c>channels_extra</c>), its marketplaces with
    /// <c>attribution_unmatched</c> (0), the marketplaces response's <c>concentration</c>, and its cohorts.
    /// </summary>
    public static System.Text.Json.JsonElement TinyApiExpected()
    {
        var plain = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Tiny("expected.json")))!.AsObject();
        var extended = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Tiny("expected-extended.json")))!.AsObject();
        var extra = extended["channels_extra"]!.AsArray()
            .ToDictionary(r => ((string)r!["marketplace"]!, (string)r!["channel"]!), r => r!.AsObject());
        foreach (var row in plain["channels"]!.AsArray().Select(r => r!.AsObject()))
        {
            row["attributed_customers"] = 0;
            var added = extra[((string)row["marketplace"]!, (string)row["channel"]!)];
            foreach (var field in new[] { "revenue", "drr", "roas" })
            {
                row[field] = added[field]?.DeepClone();
            }
        }

        foreach (var row in plain["marketplaces"]!.AsArray().Select(r => r!.AsObject()))
        {
            row["attribution_unmatched"] = 0;
        }

        plain["concentration"] = extended["concentration"]!.DeepClone();
        return System.Text.Json.JsonDocument.Parse(plain.ToJsonString()).RootElement.Clone();
    }

    private static System.Text.Json.JsonElement Parse(string file) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tiny(file))).RootElement.Clone();

    private static string FindRequired(string relative) =>
        Find(relative) ?? throw new DirectoryNotFoundException($"Could not find {relative} above {AppContext.BaseDirectory}.");

    private static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
