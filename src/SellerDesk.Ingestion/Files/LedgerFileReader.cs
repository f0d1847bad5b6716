using System.Globalization;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>Opens <see cref="LedgerFileReader{T}"/>s.</summary>
public static class LedgerFileReader
{
    /// <summary>Reads the header of <paramref name="stream"/> and binds the columns; the stream stays open.</summary>
    public static async Task<LedgerFileReader<T>> OpenAsync<T>(Stream stream, TimeZoneInfo zone, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(zone);
        var parser = LedgerRowParsers.For<T>();
        var csv = await CsvRecordReader.OpenAsync(stream, cancellationToken);
        try
        {
            var problems = new ImportProblemList();
            var warnings = new List<string>();
            if (!await csv.ReadAsync(cancellationToken))
            {
                var required = string.Join(csv.Delimiter, parser.Columns.Where(c => c.Required).Select(c => c.Name));
                problems.Add(new ImportProblem(1, null, $"the file is empty; a {parser.Kind.ToPathName()} file starts with a header line such as {required}"));
                return new LedgerFileReader<T>(csv, parser, null, 0, problems, warnings);
            }

            var fieldOf = LedgerFileReader<T>.BindHeader(csv, parser, problems, warnings);
            var fields = problems.Count == 0 ? new LedgerFieldReader(csv, parser.Columns, fieldOf, problems, zone) : null;
            return new LedgerFileReader<T>(csv, parser, fields, csv.FieldCount, problems, warnings);
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }
}

/// <summary>A record read from a ledger file with the physical line it starts on.</summary>
public readonly record struct LedgerRow<T>(int Line, T Record);

/// <summary>
/// Streams the valid rows of one ledger file as domain records (<see cref="SaleLine"/>, <see cref="ReturnEvent"/>,
/// <see cref="AdSpend"/>, <see cref="PeriodFee"/>, <see cref="UnitCost"/>). Rows that break a rule are skipped and
/// their problems collected in <see cref="Problems"/>; a header that lacks a required column stops the read.
/// </summary>
public sealed class LedgerFileReader<T> : IDisposable
    where T : class
{
    private readonly CsvRecordReader _csv;
    private readonly LedgerRowParser<T> _parser;
    private readonly LedgerFieldReader? _fields;
    private readonly int _headerFields;

    internal LedgerFileReader(
        CsvRecordReader csv, LedgerRowParser<T> parser, LedgerFieldReader? fields, int headerFields, ImportProblemList problems, IReadOnlyList<string> warnings)
    {
        _csv = csv;
        _parser = parser;
        _fields = fields;
        _headerFields = headerFields;
        Problems = problems;
        Warnings = warnings;
    }

    public LedgerFileKind Kind => _parser.Kind;

    /// <summary>The columns of this kind of file, required ones marked.</summary>
    public IReadOnlyList<LedgerColumn> Columns => _parser.Columns;

    /// <summary><c>,</c> (decimals with <c>.</c>) or <c>;</c> (decimals with <c>,</c>).</summary>
    public char Delimiter => _csv.Delimiter;

    /// <summary>Unknown and unnamed columns, which are ignored.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Problems of the header and of the rows read so far.</summary>
    public ImportProblemList Problems { get; }

    /// <summary>Data rows read so far, valid or not (blank lines are not rows).</summary>
    public long RowsRead { get; private set; }

    public long BytesRead => _csv.BytesRead;

    /// <summary>The row <see cref="ReadAsync"/> moved to.</summary>
    public LedgerRow<T> Current { get; private set; }

    /// <summary>
    /// Moves to the next valid row; false at the end of the file (or at once when the header is unusable). Check
    /// <see cref="Problems"/> afterwards: rows with problems are not returned.
    /// </summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_fields is null)
        {
            return false;
        }

        while (await _csv.ReadAsync(cancellationToken))
        {
            RowsRead++;
            _fields.Begin(_csv.LineNumber);
            if (_csv.RecordProblem is { } malformed)
            {
                _fields.RowProblem(malformed);
                continue;
            }

            if (_csv.FieldCount != _headerFields)
            {
                _fields.RowProblem(string.Create(
                    CultureInfo.InvariantCulture, $"has {_csv.FieldCount} values but the header has {_headerFields} columns"));
                continue;
            }

            var record = _parser.Parse(_fields);
            if (record is null)
            {
                continue;
            }

            _parser.Check(record, _fields);
            if (_fields.Failed)
            {
                continue;
            }

            Current = new LedgerRow<T>(_csv.LineNumber, record);
            return true;
        }

        return false;
    }

    public void Dispose() => _csv.Dispose();

    internal static int[] BindHeader(CsvRecordReader csv, LedgerRowParser<T> parser, ImportProblemList problems, List<string> warnings)
    {
        var line = csv.LineNumber;
        var fieldOf = new int[parser.Columns.Count];
        Array.Fill(fieldOf, -1);
        if (csv.RecordProblem is { } malformed)
        {
            problems.Add(new ImportProblem(line, null, $"the header is malformed: {malformed}"));
            return fieldOf;
        }

        for (var field = 0; field < csv.FieldCount; field++)
        {
            var name = csv.GetField(field).Trim().Trim('\uFEFF');
            if (name.IsEmpty)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"column {field + 1} has no name and was ignored"));
                continue;
            }

            var column = IndexOf(parser.Columns, name);
            if (column < 0)
            {
                warnings.Add($"unknown column '{name}' was ignored");
            }
            else if (fieldOf[column] >= 0)
            {
                problems.Add(new ImportProblem(line, parser.Columns[column].Name, $"column '{parser.Columns[column].Name}' appears more than once"));
            }
            else
            {
                fieldOf[column] = field;
            }
        }

        for (var column = 0; column < fieldOf.Length; column++)
        {
            if (fieldOf[column] < 0 && parser.Columns[column].Required)
            {
                var name = parser.Columns[column].Name;
                problems.Add(new ImportProblem(line, name, $"required column '{name}' is missing"));
            }
        }

        foreach (var (column, message) in parser.CheckHeader(c => fieldOf[c] >= 0))
        {
            problems.Add(new ImportProblem(line, column, message));
        }

        return fieldOf;
    }

    private static int IndexOf(IReadOnlyList<LedgerColumn> columns, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (name.Equals(columns[i].Name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
