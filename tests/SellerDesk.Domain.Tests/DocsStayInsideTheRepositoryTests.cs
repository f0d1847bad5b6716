using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SellerDesk.Testing;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// README.md and docs/**/*.md are read in a clone of the repository, where nothing beside it exists (no ../shared).
/// So every markdown link in them — <c>[text](target)</c>, <c>![alt](target)</c>, <c>[label]: target</c>,
/// <c>&lt;scheme:...&gt;</c> and HTML <c>href</c>/<c>src</c> — stays inside the repository:
/// <list type="bullet">
/// <item>a relative target resolves inside the repository root and names a file or folder that exists;</item>
/// <item>a <c>#fragment</c> names a heading (GitHub's anchor of it) of the markdown file it points to;</item>
/// <item>root-relative (<c>/x</c>), protocol-relative (<c>//host</c>) and non-http schemes (<c>file:</c>,
/// <c>mailto:</c>, ...) leave the repository and fail;</item>
/// <item>http(s) links: none in README.md; in docs/ only https links to the marketplaces' own public sites
/// (wildberries.ru, wb.ru, ozon.ru, yandex.ru and their subdomains), so a connector doc may cite the official API
/// page of a method it reads. Any other site fails.</item>
/// </list>
/// Only links are checked: code (spans and fenced blocks) and paths written as plain text are not links.
/// </summary>
public sealed class DocsStayInsideTheRepositoryTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(SharedExamples.Folder, "..", ".."));

    [Fact]
    public void No_link_in_the_readme_or_the_docs_leaves_the_repository()
    {
        var problems = DocLinks.All(Root)
            .Select(link => (link, problem: DocLinks.Leaves(Root, link)))
            .Where(x => x.problem is not null)
            .Select(x => $"{x.link}: {x.problem}")
            .ToList();

        problems.Should().BeEmpty("a user's clone has nothing beside the repository; write such references as plain text or link inside docs/");
    }

    [Fact]
    public void Every_relative_link_in_the_readme_and_the_docs_names_a_file_and_heading_that_exist()
    {
        var problems = DocLinks.All(Root)
            .Where(link => DocLinks.Leaves(Root, link) is null && DocLinks.IsRelative(link.Target))
            .Select(link => (link, problem: DocLinks.Missing(Root, link)))
            .Where(x => x.problem is not null)
            .Select(x => $"{x.link}: {x.problem}")
            .ToList();

        problems.Should().BeEmpty();
    }

    [Fact]
    public void The_readme_and_the_docs_are_found_and_hold_links()
    {
        var files = DocLinks.Files(Root).Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')).ToList();

        files.Should().Contain(new[] { "README.md", "docs/README.md", "docs/metrics.md", "docs/metrics.ru.md", "docs/ledger-files.md",
            "docs/ledger-files.ru.md", "docs/api.md", "docs/api.ru.md" });
        DocLinks.All(Root).Should().Contain(l => l.File == "README.md" && l.Target == "docs/metrics.md", "the scan reads the README's links");
    }

    [Fact]
    public void Inline_image_reference_angle_and_html_links_are_read_and_code_is_skipped()
    {
        const string text = """
            See [metrics](docs/metrics.md "title") and ![chart](img/chart.png), [ref][r] and <https://ozon.ru/x>.
            A table cell | `GET /x?from&to[&as_of]` | and `[not](a-link.md)` in code.

            ```bash
            echo "[nor](this.md)"
            ```

            [r]: ../shared/spec/metrics.md
            <a href="docs/api.md#authentication">API</a>
            Nested [link with [brackets]](docs/README.md#по-русски).
            """;

        DocLinks.Read("x.md", text).Select(l => (l.Line, l.Target)).Should().Equal(
            (1, "docs/metrics.md"),
            (1, "img/chart.png"),
            (1, "https://ozon.ru/x"),
            (8, "../shared/spec/metrics.md"),
            (9, "docs/api.md#authentication"),
            (10, "docs/README.md#по-русски"));
    }

    [Fact]
    public void A_link_to_the_shared_folder_beside_the_repository_leaves_it()
    {
        var inReadme = new DocLink("README.md", 1, "../shared/spec/metrics.md");
        var inDocs = new DocLink("docs/connectors/wildberries.md", 5, "../../../shared/spec/marketplaces.md");
        var inside = new DocLink("docs/decisions/0004-report-computation.md", 3, "../metrics.md");

        DocLinks.Leaves(Root, inReadme).Should().Contain("outside the repository");
        DocLinks.Leaves(Root, inDocs).Should().Contain("outside the repository");
        DocLinks.Leaves(Root, inside).Should().BeNull();
    }

    [Fact]
    public void Other_sites_leave_the_repository_but_a_marketplace_site_is_allowed_in_the_docs_only()
    {
        DocLinks.Leaves(Root, new DocLink("docs/connectors/ozon.md", 1, "https://docs.ozon.ru/api/seller/")).Should().BeNull();
        DocLinks.Leaves(Root, new DocLink("docs/connectors/wildberries.md", 1, "https://dev.wildberries.ru/openapi/")).Should().BeNull();
        DocLinks.Leaves(Root, new DocLink("README.md", 1, "https://docs.ozon.ru/api/seller/")).Should().NotBeNull();
        DocLinks.Leaves(Root, new DocLink("docs/api.md", 1, "http://docs.ozon.ru/api/seller/")).Should().NotBeNull("only https");
        DocLinks.Leaves(Root, new DocLink("docs/api.md", 1, "https://notozon.ru/")).Should().NotBeNull();
        DocLinks.Leaves(Root, new DocLink("docs/api.md", 1, "https://github.com/x/y")).Should().NotBeNull();
        DocLinks.Leaves(Root, new DocLink("docs/api.md", 1, "file:///work/shared/spec/metrics.md")).Should().NotBeNull();
        DocLinks.Leaves(Root, new DocLink("docs/api.md", 1, "/docs/metrics.md")).Should().NotBeNull();
        DocLinks.Leaves(Root, new DocLink("docs/api.md", 1, "//example.com/x")).Should().NotBeNull();
    }

    [Fact]
    public void A_missing_file_or_heading_is_reported_and_an_existing_one_is_not()
    {
        DocLinks.Missing(Root, new DocLink("README.md", 1, "docs/metrics.md#ground-rules")).Should().BeNull();
        DocLinks.Missing(Root, new DocLink("docs/api.md", 1, "#authentication")).Should().BeNull();
        DocLinks.Missing(Root, new DocLink("docs/api.ru.md", 1, "#%D0%B0%D0%B2%D1%82%D0%BE%D1%80%D0%B8%D0%B7%D0%B0%D1%86%D0%B8%D1%8F")).Should().BeNull();
        DocLinks.Missing(Root, new DocLink("README.md", 1, "tests/examples/tiny/")).Should().BeNull();
        DocLinks.Missing(Root, new DocLink("README.md", 1, "docs/nothing-here.md")).Should().Contain("does not exist");
        DocLinks.Missing(Root, new DocLink("README.md", 1, "docs/metrics.md#no-such-heading")).Should().Contain("no heading");
    }

    [Fact]
    public void Anchors_are_the_ones_github_makes_of_headings()
    {
        const string text = """
            # What SellerDesk's numbers mean
            ## Marketplaces (Overview)
            ## Каналы привлечения: CAC против маржи первого заказа
            ## `sales.csv` and [ad_spend.csv](x.md)
            ## Twice
            ## Twice
            ```
            # not a heading
            ```
            """;

        DocLinks.Anchors(text).Should().BeEquivalentTo(
            "what-sellerdesks-numbers-mean",
            "marketplaces-overview",
            "каналы-привлечения-cac-против-маржи-первого-заказа",
            "salescsv-and-ad_spendcsv",
            "twice",
            "twice-1");
    }
}

/// <summary>One link of a markdown file: the file (relative to the repository root, with '/'), its line and its target.</summary>
internal sealed record DocLink(string File, int Line, string Target)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}: ({Target})");
}

/// <summary>Reads the links of README.md and docs/**/*.md and checks where they lead.</summary>
internal static partial class DocLinks
{
    /// <summary>Sites a doc under docs/ may link to (https, the host or a subdomain of it): the marketplaces' own.</summary>
    private static readonly string[] MarketplaceSites = ["wildberries.ru", "wb.ru", "ozon.ru", "yandex.ru"];

    public static IEnumerable<string> Files(string root)
    {
        var readme = Path.Combine(root, "README.md");
        if (File.Exists(readme))
        {
            yield return readme;
        }

        var docs = Path.Combine(root, "docs");
        if (Directory.Exists(docs))
        {
            foreach (var file in Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                yield return file;
            }
        }
    }

    public static IReadOnlyList<DocLink> All(string root) =>
        [.. Files(root).SelectMany(f => Read(Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)))];

    /// <summary>The links of a markdown text, in order, outside fenced code blocks and code spans.</summary>
    public static IEnumerable<DocLink> Read(string file, string text)
    {
        var number = 0;
        foreach (var line in ProseLines(text))
        {
            number++;
            if (line is null)
            {
                continue;
            }

            var prose = CodeSpan().Replace(line, m => new string(' ', m.Length));
            var found = new List<(int At, string Target)>();
            foreach (Match m in InlineLink().Matches(prose))
            {
                found.Add((m.Index, m.Groups["target"].Value));
            }

            foreach (Match m in ReferenceDefinition().Matches(prose))
            {
                found.Add((m.Index, m.Groups["target"].Value));
            }

            foreach (Match m in AngleLink().Matches(prose))
            {
                found.Add((m.Index, m.Groups["target"].Value));
            }

            foreach (Match m in HtmlLink().Matches(prose))
            {
                found.Add((m.Index, m.Groups["target"].Value));
            }

            foreach (var (_, target) in found.OrderBy(f => f.At))
            {
                yield return new DocLink(file, number, Unbracket(target));
            }
        }
    }

    /// <summary>Why the link leaves the repository, or null when it stays inside (or is an allowed marketplace site).</summary>
    public static string? Leaves(string root, DocLink link)
    {
        var target = link.Target;
        if (target.StartsWith("//", StringComparison.Ordinal))
        {
            return "a protocol-relative address leaves the repository";
        }

        if (Scheme().Match(target) is { Success: true } scheme)
        {
            var name = scheme.Groups["scheme"].Value.ToLowerInvariant();
            if (name is not ("http" or "https"))
            {
                return $"a '{name}:' link leaves the repository";
            }

            if (!link.File.StartsWith("docs/", StringComparison.Ordinal))
            {
                return "the README links to no other site";
            }

            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                return "links to other sites must be https";
            }

            var host = uri.IdnHost.ToLowerInvariant();
            return MarketplaceSites.Any(site => host == site || host.EndsWith("." + site, StringComparison.Ordinal))
                ? null
                : $"{host} is not a marketplace's public site; link inside the repository instead";
        }

        if (target.StartsWith('/') || target.StartsWith('\\'))
        {
            return "a root-relative link leaves the repository's files; use a path relative to this file";
        }

        if (!IsRelative(target))
        {
            return null; // only an anchor into this file
        }

        var resolved = Resolve(root, link);
        return IsInside(root, resolved)
            ? null
            : $"resolves to {resolved}, outside the repository ({root})";
    }

    /// <summary>A path (not only a #fragment, not a scheme, not root-relative).</summary>
    public static bool IsRelative(string target) =>
        PathPart(target).Length > 0 && !Scheme().IsMatch(target) && !target.StartsWith('/') && !target.StartsWith('\\');

    /// <summary>Why a link inside the repository does not lead anywhere, or null when its file (and heading) exist.</summary>
    public static string? Missing(string root, DocLink link)
    {
        var (path, fragment) = Split(link.Target);
        string file;
        if (path.Length == 0)
        {
            if (fragment is null)
            {
                return "an empty link";
            }

            file = Path.Combine(root, link.File);
        }
        else
        {
            file = Resolve(root, link);
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                return $"{Path.GetRelativePath(root, file).Replace('\\', '/')} does not exist in the repository";
            }
        }

        if (fragment is null || !file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(file))
        {
            return null;
        }

        var anchor = Uri.UnescapeDataString(fragment);
        return Anchors(File.ReadAllText(file)).Contains(anchor, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"{Path.GetRelativePath(root, file).Replace('\\', '/')} has no heading with the anchor #{anchor}";
    }

    /// <summary>
    /// The anchors GitHub gives the headings of a markdown text (ATX and setext, outside fenced code), plus explicit
    /// <c>id</c>/<c>name</c> anchors: the heading's text, lowercased, without characters other than letters, marks,
    /// digits, '_', '-' and spaces, spaces turned into '-'; a repeated anchor gets -1, -2, ...
    /// </summary>
    public static IReadOnlyList<string> Anchors(string text)
    {
        var anchors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? previous = null;
        foreach (var line in ProseLines(text))
        {
            string? heading = null;
            if (line is not null && AtxHeading().Match(line) is { Success: true } atx)
            {
                heading = atx.Groups["text"].Value;
            }
            else if (line is not null && previous is { Length: > 0 } && SetextUnderline().IsMatch(line)
                     && !previous.TrimStart().StartsWith('|') && !AtxHeading().IsMatch(previous))
            {
                heading = previous;
            }

            if (heading is not null)
            {
                var slug = Slug(heading);
                var count = seen.GetValueOrDefault(slug);
                seen[slug] = count + 1;
                anchors.Add(count == 0 ? slug : string.Create(CultureInfo.InvariantCulture, $"{slug}-{count}"));
            }

            if (line is not null)
            {
                anchors.AddRange(ExplicitAnchor().Matches(line).Select(m => m.Groups["id"].Value));
            }

            previous = line;
        }

        return anchors;
    }

    private static string Slug(string heading)
    {
        var text = InlineLink().Replace(heading, m => LinkText().Match(m.Value).Groups["text"].Value);
        text = text.Replace("`", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();
        var slug = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                || c is '_' or '-')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    /// <summary>Each line of the text, or null for a line inside (or opening or closing) a fenced code block.</summary>
    private static IEnumerable<string?> ProseLines(string text)
    {
        string? fence = null;
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (fence is null && Fence().Match(trimmed) is { Success: true } open)
            {
                fence = open.Value;
                yield return null;
            }
            else if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim().Trim(fence[0]).Length == 0)
                {
                    fence = null;
                }

                yield return null;
            }
            else
            {
                yield return line;
            }
        }
    }

    private static string Resolve(string root, DocLink link)
    {
        var folder = Path.GetDirectoryName(Path.Combine(root, link.File))!;
        return Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(PathPart(link.Target))));
    }

    private static bool IsInside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !Path.IsPathRooted(relative);
    }

    private static string PathPart(string target) => Split(target).Path;

    private static (string Path, string? Fragment) Split(string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? target : target[..hash];
        var fragment = hash < 0 ? null : target[(hash + 1)..];
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return (query < 0 ? path : path[..query], fragment);
    }

    private static string Unbracket(string target) =>
        target.Length >= 2 && target[0] == '<' && target[^1] == '>' ? target[1..^1] : target;

    [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?<target><[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:""[^""]*""|'[^']*'|\([^)]*\)))?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\[(?<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]")]
    private static partial Regex LinkText();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*(?<target><[^>]*>|\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"<(?<target>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")]
    private static partial Regex AngleLink();

    [GeneratedRegex(@"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*""(?<target>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLink();

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^ {0,3}#{1,6}\s+(?<text>.*?)(?:\s+#+)?\s*$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^ {0,3}(?:=+|-+)\s*$")]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"^(`{3,}|~{3,})")]
    private static partial Regex Fence();

    [GeneratedRegex(@"<a\s[^>]*?\b(?:id|name)\s*=\s*""(?<id>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex ExplicitAnchor();
}
