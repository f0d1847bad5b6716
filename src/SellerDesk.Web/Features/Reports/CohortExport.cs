using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Web.Features.Reports;

/// <summary>Which cohort series an export holds.</summary>
public enum CohortMetric
{
    Margin,
    Revenue,
    Retention,
}

/// <summary>
/// Cohort report as CSV or XLSX (import-and-api.md): one row per cohort, columns
/// <c>marketplace, cohort, customers, spend, cac, payback_month, m0 ... mK</c> holding the chosen metric.
/// The workbook adds a sheet stating the definitions and the request.
/// </summary>
public static class CohortExport
{
    public static IReadOnlyList<string> Header(IReadOnlyList<CohortRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var offsets = rows.Count == 0 ? 0 : rows.Max(r => r.Ltv.Count);
        return ["marketplace", "cohort", "customers", "spend", "cac", "payback_month",
            .. Enumerable.Range(0, offsets).Select(k => "m" + k.ToString(CultureInfo.InvariantCulture))];
    }

    public static IReadOnlyList<decimal> Series(CohortRow row, CohortMetric metric)
    {
        ArgumentNullException.ThrowIfNull(row);
        var rounded = row.Rounded();
        return metric switch
        {
            CohortMetric.Revenue => rounded.RevenueLtv,
            CohortMetric.Retention => rounded.Retention,
            _ => rounded.Ltv,
        };
    }

    public static string ToCsv(IReadOnlyList<CohortRow> rows, CohortMetric metric)
    {
        var header = Header(rows);
        var text = new StringBuilder();
        text.AppendJoin(',', header).Append('\n');
        foreach (var row in rows)
        {
            var rounded = row.Rounded();
            var cells = new List<string>
            {
                Quote(row.Marketplace),
                row.Cohort.ToString(),
                Invariant(row.Customers),
                Money(rounded.Spend),
                Money(rounded.Cac),
                row.PaybackMonth is { } p ? Invariant(p) : string.Empty,
            };
            cells.AddRange(Series(row, metric).Select(v => metric == CohortMetric.Retention ? Ratio(v) : Money(v)));
            while (cells.Count < header.Count)
            {
                cells.Add(string.Empty);
            }

            text.AppendJoin(',', cells).Append('\n');
        }

        return text.ToString();
    }

    public static byte[] ToXlsx(IReadOnlyList<CohortRow> rows, CohortMetric metric, IReadOnlyList<(string Name, string Value)> request)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(request);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheets = workbook.Workbook.AppendChild(new Sheets());

            var data = new List<IReadOnlyList<object?>> { Header(rows).Cast<object?>().ToList() };
            foreach (var row in rows)
            {
                var rounded = row.Rounded();
                var cells = new List<object?> { row.Marketplace, row.Cohort.ToString(), row.Customers, rounded.Spend, rounded.Cac, row.PaybackMonth };
                cells.AddRange(Series(row, metric).Cast<object?>());
                data.Add(cells);
            }

            AddSheet(workbook, sheets, 1, "Cohorts", data);

            var definitions = new List<IReadOnlyList<object?>> { new object?[] { "item", "value" } };
            definitions.AddRange(request.Select(r => (IReadOnlyList<object?>)new object?[] { r.Name, r.Value }));
            definitions.Add(new object?[] { "metric", metric.ToString().ToLowerInvariant() });
            definitions.AddRange(Definitions.Select(d => (IReadOnlyList<object?>)new object?[] { d.Name, d.Text }));
            AddSheet(workbook, sheets, 2, "Definitions", definitions);
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static readonly (string Name, string Text)[] Definitions =
    [
        ("customers", "Customers of the marketplace whose first order falls in the cohort month and in the requested range."),
        ("spend", "Ad spend of the marketplace (and channel, when filtered) in the cohort's calendar month, up to as_of."),
        ("cac", "spend / customers."),
        ("mK (margin)", "Cumulative contribution margin of the cohort's orders up to month cohort+K, per customer."),
        ("mK (revenue)", "The same with net revenue (revenue minus refunds)."),
        ("mK (retention)", "Share of the cohort with at least one order in month cohort+K."),
        ("payback_month", "Smallest K with margin LTV >= CAC; empty if not reached yet."),
        ("contribution margin", "Net revenue - fees - cost of goods not returned to stock (metrics.md section 2)."),
        ("rounding", "Money half away from zero to 2 places, ratios to 4, only on output."),
    ];

    private static void AddSheet(WorkbookPart workbook, Sheets sheets, uint id, string name, List<IReadOnlyList<object?>> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var sheetData = new SheetData();
        foreach (var values in rows)
        {
            var row = new Row();
            foreach (var value in values)
            {
                row.AppendChild(value switch
                {
                    null => new Cell(),
                    decimal d => new Cell { DataType = CellValues.Number, CellValue = new CellValue(d) },
                    int i => new Cell { DataType = CellValues.Number, CellValue = new CellValue(i) },
                    _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value.ToString()!)) },
                });
            }

            sheetData.AppendChild(row);
        }

        part.Worksheet = new Worksheet(sheetData);
        sheets.AppendChild(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Ratio(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
