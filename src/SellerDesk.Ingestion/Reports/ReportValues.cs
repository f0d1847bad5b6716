using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Reports;

/// <summary>A row of an uploaded report that cannot be read: its line (or worksheet row), column and why, in both languages.</summary>
public sealed record ReportProblem(int Line, string? Column, LocalText Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}{(Column is null ? string.Empty : $", {Column}")}: {Message.En}");
}

/// <summary>
/// Cells of cabinet exports as values: money and counts written the Russian way (<c>1 234,56</c>, a no-break space
/// between thousands) or the invariant way (<c>1234.56</c>, as XLSX stores numbers); dates as <c>yyyy-MM-dd</c> (with a
/// time after a space or <c>T</c>) or <c>dd.MM.yyyy</c> (with a time). Problems are added to the row's list.
/// </summary>
internal sealed class ReportCells(ReportTable table, ReportRecord record, List<ReportProblem> problems)
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", "dd.MM.yyyy", "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "dd.MM.yy",
    ];

    public int Line => record.Line;

    /// <summary>The trimmed text of <paramref name="column"/> (an index from <see cref="ReportTable.Column(string)"/>); empty when absent.</summary>
    public string Text(int column) =>
        column >= 0 && column < record.Cells.Count ? record.Cells[column].Trim() : string.Empty;

    /// <summary>A decimal of <paramref name="column"/>; null when the column is absent or the cell empty; a problem when not a number.</summary>
    public decimal? Money(int column)
    {
        var text = Text(column);
        if (text.Length == 0)
        {
            return null;
        }

        var clean = text.Replace("\u00A0", string.Empty, StringComparison.Ordinal).Replace("\u202F", string.Empty, StringComparison.Ordinal)
            .Replace(" ", string.Empty, StringComparison.Ordinal).Replace("₽", string.Empty, StringComparison.Ordinal).Replace(',', '.');
        if (decimal.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Problem(column, new LocalText($"'{text}' is not a number", $"«{text}» — не число"));
        return null;
    }

    /// <summary>A whole number of <paramref name="column"/>; null when absent or empty; a problem when not whole.</summary>
    public long? Whole(int column)
    {
        var value = Money(column);
        if (value is null)
        {
            return null;
        }

        if (value != decimal.Truncate(value.Value))
        {
            Problem(column, new LocalText($"'{Text(column)}' is not a whole number", $"«{Text(column)}» — не целое число"));
            return null;
        }

        return (long)value.Value;
    }

    /// <summary>A local date and time of <paramref name="column"/>; null when absent or empty; a problem when not a date.</summary>
    public DateTime? Date(int column)
    {
        var text = Text(column);
        if (text.Length == 0)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var offset))
        {
            return offset.DateTime;
        }

        Problem(column, new LocalText($"'{text}' is not a date (use YYYY-MM-DD or DD.MM.YYYY)", $"«{text}» — не дата (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"));
        return null;
    }

    public void Problem(int column, LocalText message) =>
        problems.Add(new ReportProblem(record.Line, column >= 0 && column < table.Header.Count ? table.Header[column] : null, message));
}
