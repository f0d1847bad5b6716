using System.Text.RegularExpressions;
using SellerDesk.Testing;

namespace SellerDesk.Ingestion.Tests.Connectors;

/// <summary>
/// Reads a connector's doc (docs/connectors/&lt;marketplace&gt;.md) for the marketplace methods it says the connector
/// calls. The doc holds a section headed <c>## Marketplace methods called</c> with a line
/// <c>Last checked against the marketplace's reference: YYYY-MM-DD</c> and a table whose first column names each
/// method as <c>`POST /path/{param}`</c>. Tests compare it with the requests a full pull made to the fake server, so a
/// connector cannot call a method its doc does not list.
/// </summary>
public static partial class ConnectorDocs
{
    public const string SectionHeading = "## Marketplace methods called";

    /// <summary>The methods listed in docs/connectors/<paramref name="file"/> (e.g. <c>wildberries.md</c>).</summary>
    public static IReadOnlyList<DocumentedMethod> MethodsListed(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "connectors", file));
        var start = text.IndexOf(SectionHeading, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/connectors/{file} has no '{SectionHeading}' section.");
        }

        var section = text[(start + SectionHeading.Length)..];
        var next = section.IndexOf("\n## ", StringComparison.Ordinal);
        if (next >= 0)
        {
            section = section[..next];
        }

        return [.. MethodCell().Matches(section).Select(m => new DocumentedMethod(m.Groups["verb"].Value, m.Groups["path"].Value))];
    }

    /// <summary>The date the doc says its methods were last checked against the marketplace's reference.</summary>
    public static DateOnly LastChecked(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "connectors", file));
        var m = CheckedLine().Match(text);
        return m.Success
            ? DateOnly.ParseExact(m.Groups["date"].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"docs/connectors/{file} does not say when its methods were last checked.");
    }

    /// <summary>Whether <paramref name="verb"/> <paramref name="path"/> (a concrete request path) matches a listed method; <c>{x}</c> matches one segment.</summary>
    public static bool Lists(IReadOnlyList<DocumentedMethod> methods, string verb, string path) =>
        methods.Any(m => string.Equals(m.Verb, verb, StringComparison.OrdinalIgnoreCase) && m.Matches(path));

    /// <summary>The repository's root: the folder above <c>tests/examples</c>.</summary>
    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(SharedExamples.Folder, "..", ".."));

    [GeneratedRegex(@"^\|\s*`(?<verb>GET|POST|PUT|DELETE|PATCH)\s+(?<path>/[^`\s]*)`", RegexOptions.Multiline)]
    private static partial Regex MethodCell();

    [GeneratedRegex(@"Last checked against the marketplace's reference:\s*(?<date>\d{4}-\d{2}-\d{2})")]
    private static partial Regex CheckedLine();
}

/// <summary>One method a connector doc lists: <c>POST /api/finance/v1/sales-reports/detailed</c>.</summary>
public sealed record DocumentedMethod(string Verb, string Path)
{
    public bool Matches(string requestPath)
    {
        var pattern = "^" + string.Join("/", Path.Split('/').Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "$";
        return Regex.IsMatch(requestPath, pattern);
    }
}
