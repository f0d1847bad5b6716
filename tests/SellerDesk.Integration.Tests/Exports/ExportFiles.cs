using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SellerDesk.Web.Features.Exports;

namespace SellerDesk.Integration.Tests.Exports;

/// <summary>Writes exports into memory and reads them back as a user's tools would.</summary>
internal static class ExportFiles
{
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");
    public static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    public static async Task<byte[]> CsvAsync(ExportTable table, CsvDialect dialect, CultureInfo language)
    {
        using var stream = new MemoryStream();
        await CsvExport.WriteAsync(stream, table, dialect, language);
        return stream.ToArray();
    }

    public static async Task<SpreadsheetDocument> XlsxAsync(ExportTable table, CultureInfo language)
    {
        var stream = new MemoryStream();
        await XlsxExport.WriteAsync(stream, table, language);
        stream.Position = 0;
        return SpreadsheetDocument.Open(stream, false);
    }

    public static WorksheetPart Sheet(SpreadsheetDocument document, int index)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().ElementAt(index);
        return (WorksheetPart)workbook.GetPartById(sheet.Id!);
    }

    public static IReadOnlyList<string> SheetNames(SpreadsheetDocument document) =>
        [.. document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!)];

    /// <summary>A cell's text; numbers without trailing zeros (1700, 33.34), whatever scale the file wrote them in.</summary>
    public static string Text(Cell cell) =>
        cell.InlineString?.InnerText
        ?? (cell.CellValue?.Text is { } number ? decimal.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("0.####", CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>Every text of a sheet, one line per row, cells joined by " | ".</summary>
    public static string AllText(WorksheetPart sheet) => string.Join(
        "\n",
        sheet.Worksheet.Descendants<Row>().Select(r => string.Join(" | ", r.Elements<Cell>().Select(Text))));

    public static Cell Cell(WorksheetPart sheet, string reference) =>
        sheet.Worksheet.Descendants<Cell>().Single(c => c.CellReference?.Value == reference);

    public static CellFormat Format(SpreadsheetDocument document, Cell cell) =>
        document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));

    public static string Decode(byte[] bytes) => new UTF8Encoding(false).GetString(bytes);
}
