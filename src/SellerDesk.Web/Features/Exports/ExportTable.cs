using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Exports;

/// <summary>How a column's values are written: CSV in the dialect's number style, XLSX with a number format.</summary>
public enum ExportKind
{
    /// <summary>Codes and names, as they are.</summary>
    Text,

    /// <summary>Whole numbers (customers, units, month offsets).</summary>
    Count,

    /// <summary>Money in the workspace currency (₽), two decimals.</summary>
    Money,

    /// <summary>A ratio: 0.25 in CSV, 25.00 % in XLSX.</summary>
    Ratio,
}

/// <summary>One column of an export: its header, how its values are written, and what it means in words.</summary>
/// <param name="Header">The header cell (codes for the API's fixed contracts, words otherwise).</param>
/// <param name="Kind">How values are written.</param>
/// <param name="Definition">The column explained for the definitions sheet.</param>
public sealed record ExportColumn(LocalText Header, ExportKind Kind, LocalText Definition)
{
    /// <summary>A month column whose month was not over on as_of: its header and cells are marked in XLSX.</summary>
    public bool Unfinished { get; init; }

    /// <summary>The column's width in characters (XLSX); by kind and header when left out.</summary>
    public double? Width { get; init; }

    /// <summary>A column whose header is the same code in both languages (a fixed API contract).</summary>
    public static ExportColumn Code(string code, ExportKind kind, LocalText definition) => new(new LocalText(code, code), kind, definition);
}

/// <summary>
/// One data row. Cells are <c>null</c> (empty), <see cref="string"/>, <see cref="int"/>, <see cref="long"/> or
/// <see cref="decimal"/> (already rounded for output), or <see cref="LocalText"/> (words, written in the file's
/// language), in the order of the columns.
/// </summary>
public sealed record ExportRow(IReadOnlyList<object?> Cells)
{
    /// <summary>The whole row belongs to a month that was not over on as_of.</summary>
    public bool Unfinished { get; init; }

    /// <summary>Single cells (column indexes) that belong to such a month.</summary>
    public IReadOnlyCollection<int> UnfinishedCells { get; init; } = [];

    /// <summary>A result or total row, in bold.</summary>
    public bool Emphasis { get; init; }

    public bool IsUnfinished(int column) => Unfinished || UnfinishedCells.Contains(column);
}

/// <summary>A filter of the request: its name in words, its code for the file name, and its value in words.</summary>
/// <param name="Name">What is filtered ("Channel").</param>
/// <param name="Code">The value as a code, for the file name (<c>vk_ads</c>); null when not filtered.</param>
/// <param name="Value">The value in words for the file; "all" when not filtered.</param>
public sealed record ExportFilter(LocalText Name, string? Code, LocalText Value);

/// <summary>What was asked for: the report, its period, as_of and filters. Written into the file and its name.</summary>
public sealed record ExportRequest(string Report, LocalText Title, DateOnly From, DateOnly To, DateOnly AsOf, IReadOnlyList<ExportFilter> Filters);

/// <summary>
/// A report as a table for CSV or XLSX: columns with their meanings, rows that may come from a stream (they are
/// written as they come, never held whole), the request and notes in words for the definitions sheet.
/// </summary>
public sealed record ExportTable(ExportRequest Request, LocalText SheetName, IReadOnlyList<ExportColumn> Columns, IAsyncEnumerable<ExportRow> Rows)
{
    /// <summary>Sentences for the definitions sheet below the columns (rounding, what a line leaves out).</summary>
    public IReadOnlyList<LocalText> Notes { get; init; } = [];

    /// <summary>Label columns kept in view when scrolling sideways (XLSX); the header row is always frozen.</summary>
    public int FrozenColumns { get; init; }

    /// <summary>
    /// <c>report_filter1_filter2_from_to</c> and the extension: <c>cohorts_ozon_vk_ads_2026-01-01_2026-03-31.xlsx</c>.
    /// Filter codes are kept to letters, digits, <c>-</c> and <c>_</c>.
    /// </summary>
    public string FileName(string extension)
    {
        var parts = new List<string> { Request.Report };
        parts.AddRange(Request.Filters.Where(f => !string.IsNullOrWhiteSpace(f.Code)).Select(f => Safe(f.Code!)));
        parts.Add(Request.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        parts.Add(Request.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return string.Join('_', parts) + "." + extension;
    }

    /// <summary>Rows already in memory, as the stream the writers read.</summary>
    public static async IAsyncEnumerable<ExportRow> Of(IEnumerable<ExportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            yield return row;
        }

        await Task.CompletedTask;
    }

    private static string Safe(string code)
    {
        var kept = new string([.. code.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-')]);
        return kept.Length > 40 ? kept[..40] : kept;
    }
}

/// <summary>Words every export shares.</summary>
public static class ExportTexts
{
    public static readonly LocalText All = new("all", "все");

    public static readonly LocalText Marketplace = new("Marketplace", "Маркетплейс");

    public static readonly LocalText Channel = new("Channel", "Канал");

    public static readonly LocalText Rounding = new(
        "Money is rounded half away from zero to kopecks, ratios to four places (0.1234 = 12.34 %), only when written: a total may differ by a kopeck from the sum of its rounded parts.",
        "Деньги округлены до копеек (половина — от нуля), доли — до четырёх знаков (0,1234 = 12,34 %), только при выводе: итог может отличаться на копейку от суммы округлённых слагаемых.");

    public static readonly LocalText Currency = new(
        "All money is in roubles (₽), fees and costs as positive numbers meaning cost.",
        "Все суммы — в рублях (₽); комиссии и расходы — положительные числа, означающие затраты.");

    public static readonly LocalText UnfinishedLegend = new(
        "Shaded cells and columns marked \"(unfinished)\" belong to a month that was not over on the as-of date: their figures will still change.",
        "Затенённые ячейки и столбцы с пометкой «(не завершён)» относятся к месяцу, который на дату расчёта ещё не закончился: их цифры ещё изменятся.");

    public static readonly LocalText UnfinishedSuffix = new("(unfinished)", "(не завершён)");
}
