namespace SellerDesk.Testing;

/// <summary>Paths into ../shared beside the repository (the spec's worked examples).</summary>
public static class SharedExamples
{
    /// <summary>The folder of ../shared/examples/tiny/, found by walking up from the test binaries.</summary>
    public static string TinyFolder { get; } = Find(Path.Combine("shared", "examples", "tiny"));

    public static string Tiny(string file) => Path.Combine(TinyFolder, file);

    /// <summary>examples/tiny/expected.json, parsed.</summary>
    public static System.Text.Json.JsonElement TinyExpected() =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tiny("expected.json"))).RootElement.Clone();

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"Could not find {relative} above {AppContext.BaseDirectory}.");
    }
}
