using System.Reflection;
using System.Text.RegularExpressions;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;

namespace SellerDesk.Ingestion.Tests.Architecture;

/// <summary>
/// The connector shape (docs/decisions/0020-connector-contract.md), checked on the compiled Ingestion assembly: each
/// marketplace is one folder (namespace) with one module, no marketplace's code uses another's, and the shared code
/// (pulls, scheduling, connections, the common connector parts) uses no marketplace: it meets connectors only
/// through <see cref="IMarketplaceConnector"/> and the catalog. Only the composition root names the modules.
/// </summary>
public sealed partial class ConnectorBoundaryTests
{
    private const string ConnectorsNamespace = "SellerDesk.Ingestion.Connectors";

    /// <summary>Code that serves every marketplace alike and so may name none of them.</summary>
    private static readonly string[] SharedNamespaces =
    [
        "SellerDesk.Ingestion.Pulls",
        "SellerDesk.Ingestion.Scheduling",
        "SellerDesk.Ingestion.Connections",
        ConnectorsNamespace,
        ConnectorsNamespace + ".Common",
        ConnectorsNamespace + ".Http",
    ];

    private static readonly Assembly Ingestion = typeof(IMarketplaceConnector).Assembly;

    /// <summary>The marketplaces: the namespaces of the modules.</summary>
    private static IReadOnlyList<string> Marketplaces { get; } = [.. Ingestion.GetTypes()
        .Where(t => !t.IsAbstract && typeof(IMarketplaceModule).IsAssignableFrom(t))
        .Select(t => t.Namespace!)
        .Order(StringComparer.Ordinal)];

    [Fact]
    public void Each_of_the_four_marketplaces_is_one_folder_with_one_module_and_its_connector()
    {
        Marketplaces.Should().Equal(
            ConnectorsNamespace + ".Ozon",
            ConnectorsNamespace + ".Sandbox",
            ConnectorsNamespace + ".Wildberries",
            ConnectorsNamespace + ".YandexMarket");
        // A decorator over a marketplace's connector (an uploaded report replayed through it) is no marketplace.
        var connectors = Ingestion.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IMarketplaceConnector).IsAssignableFrom(t))
            .Where(t => !t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(IMarketplaceConnector))))
            .ToList();
        connectors.Select(t => t.Namespace).Should().BeEquivalentTo(Marketplaces, "each marketplace folder holds exactly one connector");
    }

    [Fact]
    public void No_marketplace_uses_another_marketplaces_code()
    {
        var violations = new List<string>();
        foreach (var type in Ingestion.GetTypes())
        {
            if (MarketplaceOf(type) is not { } own)
            {
                continue;
            }

            violations.AddRange(TypeReferences.Of(type)
                .Where(used => MarketplaceOf(used) is { } other && other != own)
                .Select(used => $"{type.FullName} uses {used.FullName}"));
        }

        violations.Should().BeEmpty("a marketplace's folder may use the shared connector parts, never another marketplace's");
    }

    [Fact]
    public void Pulls_scheduling_connections_and_the_shared_connector_parts_use_no_particular_marketplace()
    {
        var violations = new List<string>();
        foreach (var type in Ingestion.GetTypes().Where(t => SharedNamespaces.Contains(t.Namespace)))
        {
            violations.AddRange(TypeReferences.Of(type)
                .Where(used => MarketplaceOf(used) is not null)
                .Select(used => $"{type.FullName} uses {used.FullName}"));
        }

        violations.Should().BeEmpty("shared code reaches connectors only through IMarketplaceConnector and the marketplace catalog");
    }

    [Fact]
    public void The_reference_reader_sees_a_marketplace_used_only_inside_a_method_body()
    {
        // What the two rules above rest on: a use hidden in a lambda's body, with no field or signature naming it.
        var used = TypeReferences.Of(typeof(BodyOnlyUse));
        var closures = typeof(BodyOnlyUse).GetNestedTypes(BindingFlags.NonPublic).SelectMany(TypeReferences.Of);

        used.Concat(closures).Should().Contain(typeof(WildberriesToken));
        MarketplaceOf(typeof(WildberriesToken)).Should().Be(ConnectorsNamespace + ".Wildberries");
        MarketplaceOf(typeof(ConnectorBoundaryTests)).Should().BeNull();
    }

    [Fact]
    public void The_domain_tests_reach_neither_Ingestion_nor_the_fakes_and_the_bench_compiles_no_test_file()
    {
        var root = RepositoryRoot();
        var domainTests = Path.Combine(root, "tests", "SellerDesk.Domain.Tests", "SellerDesk.Domain.Tests.csproj");
        ProjectClosure(domainTests).Select(Path.GetFileNameWithoutExtension).Should()
            .NotContain(["SellerDesk.Ingestion", "SellerDesk.Web", "SellerDesk.Testing.Marketplaces"]);

        foreach (var bench in Directory.GetFiles(Path.Combine(root, "bench"), "*.csproj", SearchOption.AllDirectories))
        {
            CompileIncludes().Matches(File.ReadAllText(bench)).Select(m => m.Groups[1].Value).Should()
                .NotContain(path => path.Replace('\\', '/').Contains("/tests/", StringComparison.Ordinal) || path.Replace('\\', '/').StartsWith("tests/", StringComparison.Ordinal),
                    "the bench references the test-support project instead of compiling test files ({0})", bench);
        }
    }

    /// <summary>The marketplace namespace a type belongs to, or null for shared code and anything outside Ingestion.</summary>
    private static string? MarketplaceOf(Type type) =>
        type.Namespace is { } ns ? Marketplaces.FirstOrDefault(m => ns == m || ns.StartsWith(m + ".", StringComparison.Ordinal)) : null;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SellerDesk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SellerDesk.sln not found above the test's directory.");
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([Path.GetFullPath(project)]);
        while (queue.TryDequeue(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            foreach (Match reference in ProjectReferences().Matches(File.ReadAllText(next)))
            {
                queue.Enqueue(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Groups[1].Value.Replace('\\', '/'))));
            }
        }

        return seen;
    }

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReferences();

    [GeneratedRegex(@"<Compile\s+Include=""([^""]+)""")]
    private static partial Regex CompileIncludes();

    private static class BodyOnlyUse
    {
        public static Func<string?> Read() => () => WildberriesToken.AccountOf(null);
    }
}
