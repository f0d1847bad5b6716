using System.Globalization;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Files;

/// <summary>A column of a ledger file: its name as in import-and-api.md and whether the header must have it.</summary>
public sealed record LedgerColumn(string Name, bool Required);

/// <summary>
/// Reads the typed values of one CSV row by column (the parser's column numbers, bound to the header), adds a
/// problem with line and column for every value it cannot read, and remembers whether the row failed.
/// </summary>
internal sealed class LedgerFieldReader : IProblemSink
{
    private readonly CsvRecordReader _csv;
    private readonly IReadOnlyList<LedgerColumn> _columns;
    private readonly int[] _fieldOf;
    private readonly ImportProblemList _problems;
    private readonly NumberFormatInfo _numbers;
    private readonly string _decimalExample;
    private readonly TimeZoneInfo _zone;
    private readonly StringPool _pool = new();

    public LedgerFieldReader(CsvRecordReader csv, IReadOnlyList<LedgerColumn> columns, int[] fieldOf, ImportProblemList problems, TimeZoneInfo zone)
    {
        _csv = csv;
        _columns = columns;
        _fieldOf = fieldOf;
        _problems = problems;
        _zone = zone;
        _numbers = csv.Delimiter == ';' ? LedgerValues.CommaDecimals : LedgerValues.PointDecimals;
        _decimalExample = csv.Delimiter == ';' ? "1234,5" : "1234.5";
    }

    public int Line { get; private set; }

    public bool Failed { get; private set; }

    public TimeZoneInfo Zone => _zone;

    public void Begin(int line)
    {
        Line = line;
        Failed = false;
    }

    /// <summary>Whether the header has the column.</summary>
    public bool Has(int column) => _fieldOf[column] >= 0;

    /// <summary>The trimmed text of the column; empty when the header lacks it.</summary>
    public ReadOnlySpan<char> Raw(int column)
    {
        var field = _fieldOf[column];
        return field < 0 ? [] : _csv.GetField(field).Trim();
    }

    /// <summary>Text, or null when empty or absent.</summary>
    public string? Optional(int column)
    {
        var raw = Raw(column);
        return raw.IsEmpty ? null : new string(raw);
    }

    /// <summary>Text of a column whose few distinct values repeat (codes, SKUs, line ids), or null when empty or absent.</summary>
    public string? OptionalPooled(int column)
    {
        var raw = Raw(column);
        return raw.IsEmpty ? null : _pool.Get(raw);
    }

    /// <summary>Non-empty text; a problem when empty.</summary>
    public string Required(int column, bool pooled = false)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Problem(column, "a value is required");
            return string.Empty;
        }

        return pooled ? _pool.Get(raw) : new string(raw);
    }

    /// <summary>A decimal of the file's dialect; required.</summary>
    public decimal Decimal(int column)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Problem(column, "a value is required");
            return 0;
        }

        return ParseDecimal(column, raw);
    }

    /// <summary>A decimal of the file's dialect, or <paramref name="whenEmpty"/>.</summary>
    public decimal Decimal(int column, decimal whenEmpty)
    {
        var raw = Raw(column);
        return raw.IsEmpty ? whenEmpty : ParseDecimal(column, raw);
    }

    /// <summary>A whole number; required.</summary>
    public int Whole(int column)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Problem(column, "a value is required");
            return 0;
        }

        if (!LedgerValues.TryParseWhole(raw, out var value))
        {
            Problem(column, $"{Show(raw)} is not a whole number");
        }

        return value;
    }

    /// <summary>A date; required.</summary>
    public DateOnly Date(int column)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Problem(column, "a value is required");
            return default;
        }

        if (!LedgerValues.TryParseDate(raw, out var value))
        {
            Problem(column, $"{Show(raw)} is not a date (use YYYY-MM-DD or DD.MM.YYYY)");
        }

        return value;
    }

    /// <summary>A timestamp, local to the workspace zone when it has no offset; required.</summary>
    public DateTimeOffset Timestamp(int column)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            Problem(column, "a value is required");
            return default;
        }

        switch (LedgerValues.TryParseTimestamp(raw, _zone, out var value))
        {
            case LedgerValues.TimestampError.None:
                return value;
            case LedgerValues.TimestampError.SkippedLocalTime:
                Problem(column, $"{Show(raw)} does not exist in time zone {_zone.Id} (the clocks skip it)");
                return default;
            default:
                Problem(column, $"{Show(raw)} is not a timestamp (use ISO 8601, such as 2026-01-10T12:00:00+03:00)");
                return default;
        }
    }

    /// <summary>A boolean, or <paramref name="whenEmpty"/>.</summary>
    public bool Boolean(int column, bool whenEmpty)
    {
        var raw = Raw(column);
        if (raw.IsEmpty)
        {
            return whenEmpty;
        }

        if (!LedgerValues.TryParseBoolean(raw, out var value))
        {
            Problem(column, $"{Show(raw)} is not a yes/no value (use true/false, 1/0, yes/no or да/нет)");
        }

        return value;
    }

    public void Problem(int column, string message) => Add(_columns[column].Name, message);

    /// <summary>A problem of the row that no column is to blame for.</summary>
    public void RowProblem(string message)
    {
        Failed = true;
        _problems.Add(new ImportProblem(Line, null, message));
    }

    public void Add(string column, string message)
    {
        Failed = true;
        _problems.Add(new ImportProblem(Line, column, message));
    }

    /// <summary>A value quoted for a message, shortened when long.</summary>
    public static string Show(ReadOnlySpan<char> value) => LedgerRules.Show(value);

    private decimal ParseDecimal(int column, ReadOnlySpan<char> raw)
    {
        if (!LedgerValues.TryParseDecimal(raw, _numbers, out var value))
        {
            Problem(column, $"{Show(raw)} is not a number (write it like {_decimalExample}, without thousands separators)");
        }

        return value;
    }

    /// <summary>Shares the strings of values that repeat, so a big file does not allocate each again; bounded.</summary>
    private sealed class StringPool
    {
        private const int MaxEntries = 8192;
        private const int MaxLength = 64;

        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

        public string Get(ReadOnlySpan<char> value)
        {
            if (value.Length > MaxLength)
            {
                return new string(value);
            }

            if (_lookup.TryGetValue(value, out var shared))
            {
                return shared;
            }

            var text = new string(value);
            if (_strings.Count < MaxEntries)
            {
                _strings.Add(text, text);
            }

            return text;
        }
    }
}
