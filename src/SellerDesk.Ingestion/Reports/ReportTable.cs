using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion.Reports;

/// <summary>One row of a report table: the line (CSV) or row number (XLSX) a seller sees, and its cells as text.</summary>
public sealed record ReportRecord(int Line, IReadOnlyList<string> Cells);

/// <summary>
/// A table as a seller cabinet exports it (decision 0027): the header row, and the rows after it. CSV is read by the
/// ledger files' reader (UTF-8, <c>,</c> or <c>;</c>); XLSX is the first worksheet, read with DocumentFormat.OpenXml,
/// numbers as invariant text and dates as <c>yyyy-MM-dd HH:mm:ss</c>. The header is the first row that has at least
/// three non-empty cells (cabinet exports may start with a title line).
/// </summary>
public sealed class ReportTable
{
    /// <summary>The first bytes of every XLSX file (a ZIP archive).</summary>
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];

    private readonly Dictionary<string, int> _columns;

    private ReportTable(int headerLine, IReadOnlyList<string> header, IReadOnlyList<ReportRecord> rows, bool spreadsheet)
    {
        HeaderLine = headerLine;
        Header = header;
        Rows = rows;
        IsSpreadsheet = spreadsheet;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(Normalize(header[i]), i);
        }
    }

    public int HeaderLine { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<ReportRecord> Rows { get; }

    /// <summary>Whether the table came from an XLSX file (line numbers are worksheet rows).</summary>
    public bool IsSpreadsheet { get; }

    /// <summary>Whether <paramref name="start"/> holds the first bytes of an XLSX (ZIP) file.</summary>
    public static bool LooksLikeSpreadsheet(ReadOnlySpan<byte> start) => start.StartsWith(ZipSignature);

    /// <summary>The index of the column named <paramref name="name"/> (case, spaces and <c>ё</c> ignored), or -1.</summary>
    public int Column(string name) => _columns.TryGetValue(Normalize(name), out var index) ? index : -1;

    /// <summary>The first of <paramref name="names"/> the header has, or -1.</summary>
    public int Column(IEnumerable<string> names) => names.Select(Column).FirstOrDefault(i => i >= 0, -1);

    /// <summary>Reads a whole table from CSV or XLSX (told apart by the first bytes); rows with every cell empty are skipped.</summary>
    public static async Task<ReportTable> ReadAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffered = new MemoryStream();
        await stream.CopyToAsync(buffered, ct);
        buffered.Position = 0;
        if (!LooksLikeSpreadsheet(buffered.GetBuffer().AsSpan(0, (int)Math.Min(4, buffered.Length))))
        {
            return await ReadCsvAsync(buffered, ct);
        }

        try
        {
            return ReadSpreadsheet(buffered);
        }
        catch (Exception ex) when (ex is FileFormatException or InvalidDataException or System.Xml.XmlException or OpenXmlPackageException
            or InvalidOperationException or KeyNotFoundException or ArgumentOutOfRangeException)
        {
            // A ZIP that is no readable workbook (cut short, another archive, a broken part) is a file problem, not a crash.
            throw new ReportFormatException(1, "the file starts as an XLSX workbook but cannot be read as one: " + ex.Message);
        }
    }

    /// <summary>A header cell as compared: trimmed, inner runs of spaces as one, <c>ё</c> as <c>е</c>.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Replace('ё', 'е').Replace('Ё', 'Е').Replace('\u00A0', ' ').Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts);
    }

    private static async Task<ReportTable> ReadCsvAsync(Stream stream, CancellationToken ct)
    {
        using var reader = await CsvRecordReader.OpenAsync(stream, ct);
        var records = new List<ReportRecord>();
        while (await reader.ReadAsync(ct))
        {
            if (reader.RecordProblem is { } problem)
            {
                throw new ReportFormatException(reader.LineNumber, problem);
            }

            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.GetField(i).ToString();
            }

            records.Add(new ReportRecord(reader.LineNumber, cells));
        }

        return FromRecords(records, spreadsheet: false);
    }

    private static ReportTable ReadSpreadsheet(Stream stream)
    {
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        var workbook = document.WorkbookPart ?? throw new ReportFormatException(1, "the XLSX file has no workbook");
        var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault()
            ?? throw new ReportFormatException(1, "the XLSX file has no worksheet");
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var dateStyles = DateStyles(workbook);
        var records = new List<ReportRecord>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var index = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                while (cells.Count < index)
                {
                    cells.Add(string.Empty);
                }

                cells.Add(Text(cell, shared, dateStyles));
            }

            records.Add(new ReportRecord((int)(row.RowIndex?.Value ?? (uint)(records.Count + 1)), cells));
        }

        return FromRecords(records, spreadsheet: true);
    }

    private static ReportTable FromRecords(List<ReportRecord> records, bool spreadsheet)
    {
        var headerAt = records.FindIndex(r => r.Cells.Count(c => !string.IsNullOrWhiteSpace(c)) >= 3);
        if (headerAt < 0)
        {
            throw new ReportFormatException(records.FirstOrDefault()?.Line ?? 1, "the file has no header row");
        }

        var header = records[headerAt].Cells.Select(c => c.Trim()).ToList();
        var rows = records.Skip(headerAt + 1).Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        return new ReportTable(records[headerAt].Line, header, rows, spreadsheet);
    }

    private static string Text(Cell cell, List<string> shared, HashSet<uint> dateStyles)
    {
        var raw = cell.CellValue?.Text ?? cell.InlineString?.InnerText ?? string.Empty;
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Count ? shared[i] : string.Empty;
        }

        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? raw;
        }

        if (cell.DataType is null && cell.StyleIndex?.Value is { } style && dateStyles.Contains(style)
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
        {
            return DateTime.FromOADate(serial).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return raw;
    }

    /// <summary>Cell styles whose number format is a date (built-in 14-22, 45-47, or a custom format with d, m and y).</summary>
    private static HashSet<uint> DateStyles(WorkbookPart workbook)
    {
        var styles = new HashSet<uint>();
        var stylesheet = workbook.WorkbookStylesPart?.Stylesheet;
        if (stylesheet?.CellFormats is null)
        {
            return styles;
        }

        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null && f.FormatCode?.Value is { } code
                && code.Contains('y', StringComparison.OrdinalIgnoreCase) && code.Contains('d', StringComparison.OrdinalIgnoreCase))
            .Select(f => f.NumberFormatId!.Value)
            .ToHashSet() ?? [];
        uint index = 0;
        foreach (var format in stylesheet.CellFormats.Elements<CellFormat>())
        {
            var id = format.NumberFormatId?.Value ?? 0;
            if (id is >= 14 and <= 22 or >= 45 and <= 47 || custom.Contains(id))
            {
                styles.Add(index);
            }

            index++;
        }

        return styles;
    }

    /// <summary>The 0-based column of a reference such as <c>AB12</c>, or null.</summary>
    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var index = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            index = (index * 26) + (c - 'A' + 1);
        }

        return index == 0 ? null : index - 1;
    }
}

/// <summary>A file that is not a readable table: where and why, in English (the page words it in both languages).</summary>
public sealed class ReportFormatException : Exception
{
    public ReportFormatException(int line, string message)
        : base(message)
    {
        Line = line;
    }

    public ReportFormatException()
    {
    }

    public ReportFormatException(string message)
        : base(message)
    {
    }

    public ReportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }
}
