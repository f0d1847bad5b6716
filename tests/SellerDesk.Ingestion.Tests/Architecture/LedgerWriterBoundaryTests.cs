using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion.Tests.Architecture;

/// <summary>
/// One ledger writer (docs/decisions/0005-ledger-import.md): no type outside <c>SellerDesk.Data.Ledger</c> writes the
/// ledger tables (INSERT, UPDATE, DELETE, COPY, TRUNCATE or MERGE into sales lines, returns, unit costs, ad spend,
/// period fees or attribution rows), bumps the ledger version or logs a ledger change. (Taking the ledger's lock to
/// read a consistent ledger, as the facts' first build does, is no write.) Checked twice: on the string literals of the compiled Domain, Data and Ingestion assemblies (every method
/// body, async state machines and lambdas included, and constants), and on the source text of every project under
/// src (so the web app, which this project does not reference, is covered too).
/// </summary>
public sealed partial class LedgerWriterBoundaryTests
{
    private const string WriterNamespace = "SellerDesk.Data.Ledger";

    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly Assembly[] Assemblies =
    [
        typeof(LedgerRules).Assembly, // Domain
        typeof(LedgerWriter).Assembly, // Data
        typeof(LedgerImporter).Assembly, // Ingestion
    ];

    /// <summary>The ledger tables: those the writer stages and merges.</summary>
    private static IReadOnlyList<string> LedgerTableNames { get; } =
        [.. LedgerFileKinds.WriteOrder.Select(k => LedgerTables.For(k).Name)];

    private static Regex Writes { get; } = new(
        $@"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)\s+(?:ONLY\s+)?(?:public\.)?(?:{string.Join('|', LedgerTableNames)})\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>A write whose table is filled in (an interpolation hole, or a literal that ends at the verb).</summary>
    private static Regex WritesOfSomeTable { get; } = new(
        @"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?)\s*(?:$|\{)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>A ledger table's name on its own: a literal that is just the name, or the name quoted in source.</summary>
    private static Regex NamesALedgerTable { get; } = new(
        $@"(?:^|"")(?:{string.Join('|', LedgerTableNames)})(?:""|$)",
        RegexOptions.CultureInvariant);

    [Fact]
    public void The_ledger_tables_are_the_six_the_contract_names()
    {
        LedgerTableNames.Should().BeEquivalentTo(["unit_costs", "sales_lines", "returns", "ad_spend", "period_fees", "attribution_rows"]);
    }

    [Fact]
    public void No_compiled_type_outside_the_writer_writes_the_ledger_or_bumps_its_version()
    {
        var violations = new List<string>();
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()))
        {
            if (IsWriter(type.Namespace))
            {
                continue;
            }

            var literals = LiteralsOf(type);
            violations.AddRange(Offences(literals).Select(o => $"{type.FullName}: {o}"));
        }

        violations.Should().BeEmpty("only SellerDesk.Data.Ledger writes the ledger and bumps its version (decision 0005)");
    }

    [Fact]
    public void No_source_file_outside_the_writer_writes_the_ledger_or_bumps_its_version()
    {
        var root = RepositoryRoot();
        var writerFolder = Path.Combine(root, "src", "SellerDesk.Data", "Ledger") + Path.DirectorySeparatorChar;
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var code = Path.GetExtension(file) is ".cs" or ".razor";
            if (!code || file.StartsWith(writerFolder, StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)
                || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            violations.AddRange(Offences([text]).Select(o => $"{relative}: {o}"));
        }

        violations.Should().BeEmpty("only src/SellerDesk.Data/Ledger writes the ledger and bumps its version (decision 0005)");
    }

    [Fact]
    public void The_checks_see_a_write_hidden_in_an_async_method_and_one_whose_table_is_filled_in()
    {
        // What the rules above rest on: the literals of an async method's state machine, and the two shapes of a write.
        LiteralsOf(typeof(Offender)).Should().Contain(l => l.Contains("DELETE FROM sales_lines", StringComparison.Ordinal));
        Offences(LiteralsOf(typeof(Offender))).Should().HaveCount(3);
        Offences(["SELECT count(*) FROM sales_lines", "UPDATE pull_runs SET status = 'failed'", "SELECT ledger_version FROM workspaces"])
            .Should().BeEmpty("reading the ledger, or writing other tables, is anyone's business");
    }

    /// <summary>What in <paramref name="literals"/> (one type's, or one file's) only the writer may say.</summary>
    private static IEnumerable<string> Offences(IReadOnlyCollection<string> literals)
    {
        foreach (var literal in literals)
        {
            if (Writes.Match(literal) is { Success: true } write)
            {
                yield return $"writes a ledger table ({write.Value})";
            }

            if (VersionBump().IsMatch(literal))
            {
                yield return "bumps the ledger version or logs a ledger change";
            }
        }

        if (literals.Any(l => WritesOfSomeTable.IsMatch(l)) && literals.Any(l => NamesALedgerTable.IsMatch(l)))
        {
            yield return "writes a table it fills in, and names a ledger table";
        }
    }

    /// <summary>The string literals of a type's method bodies (ldstr) and its constants.</summary>
    private static List<string> LiteralsOf(Type type)
    {
        var literals = new List<string>();
        foreach (var field in type.GetFields(Everything).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
        {
            literals.Add((string)field.GetRawConstantValue()!);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)).Concat(type.TypeInitializer is { } init ? [init] : []))
        {
            var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
            var at = 0;
            while (at < il.Length)
            {
                short value = il[at++];
                if (value == 0xFE)
                {
                    value = unchecked((short)(0xFE00 | il[at++]));
                }

                var code = OpCodesByValue[value];
                if (code == OpCodes.Ldstr)
                {
                    literals.Add(method.Module.ResolveString(BitConverter.ToInt32(il, at)));
                }

                at += code.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                    _ => 4,
                };
            }
        }

        // An async method's body and a lambda's live in nested compiler-generated types of the same namespace; they
        // are types of their own in GetTypes, and checked as such. Here (for the self-check) they are folded in.
        foreach (var nested in type.GetNestedTypes(Everything).Where(t => t.Name.Contains('<', StringComparison.Ordinal)))
        {
            literals.AddRange(LiteralsOf(nested));
        }

        return literals;
    }

    private static bool IsWriter(string? ns) => ns == WriterNamespace;

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

    [GeneratedRegex(@"\bSET\s+ledger_version\b|\bINSERT\s+INTO\s+ledger_changes\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VersionBump();

    /// <summary>A type that does what only the writer may: the self-check's sample (never run).</summary>
    private static class Offender
    {
        public static async Task<int> DeleteAsync(Npgsql.NpgsqlConnection session, string table)
        {
            await using var delete = new Npgsql.NpgsqlCommand("DELETE FROM sales_lines WHERE workspace_id = $1", session);
            await using var some = new Npgsql.NpgsqlCommand($"DELETE FROM {table} WHERE source = $1", session);
            await using var bump = new Npgsql.NpgsqlCommand("UPDATE workspaces SET ledger_version = ledger_version + 1", session);
            return await delete.ExecuteNonQueryAsync() + await some.ExecuteNonQueryAsync() + await bump.ExecuteNonQueryAsync() + "returns".Length;
        }
    }
}
