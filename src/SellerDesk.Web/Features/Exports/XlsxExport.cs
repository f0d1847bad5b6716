using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Exports;

/// <summary>
/// Writes an <see cref="ExportTable"/> as an Excel workbook (SpreadsheetML) straight into the output stream: the zip
/// is written in create mode and the data sheet row by row as the rows come, so memory stays flat however many rows
/// there are (the output only needs to take synchronous writes; it need not seek). The data sheet has its header
/// frozen, column widths, an auto-filter, money as <c>#,##0.00 ₽</c> (negatives in red), ratios as percentages, and
/// unfinished months shaded; a second sheet explains the request and every column in the chosen language.
/// </summary>
public static class XlsxExport
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>The money number format: two decimals, the rouble sign, negatives in red.</summary>
    public const string MoneyFormat = "#,##0.00\\ \"₽\";[Red]\\-#,##0.00\\ \"₽\"";

    /// <summary>Built-in number format ids: <c>0.00%</c> and <c>#,##0</c>; and the id of <see cref="MoneyFormat"/>.</summary>
    public const uint PercentFormatId = 10, CountFormatId = 3, MoneyFormatId = 164;

    private const int HeaderStyle = 17, HeaderUnfinishedStyle = 18, WrapStyle = 19, TitleStyle = 20;

    /// <summary>The second sheet's name.</summary>
    public static readonly LocalText DefinitionsSheet = new("Definitions", "Определения");

    /// <summary>The style index of a data cell (the styles part lists them in this order).</summary>
    public static int StyleOf(ExportKind kind, bool unfinished, bool bold) => 1 + ((int)kind * 4) + (unfinished ? 2 : 0) + (bold ? 1 : 0);

    public static async Task WriteAsync(Stream output, ExportTable table, CultureInfo language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(language);
        var dataName = SheetName(table.SheetName.For(language));
        var definitionsName = DefinitionsSheet.For(language);

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Part(zip, "[Content_Types].xml", ContentTypes);
        Part(zip, "_rels/.rels", RootRelationships);
        Part(zip, "xl/_rels/workbook.xml.rels", WorkbookRelationships);
        Part(zip, "xl/styles.xml", Styles);
        Part(zip, "xl/workbook.xml", w => Workbook(w, dataName, definitionsName));

        var anyUnfinished = table.Columns.Any(c => c.Unfinished);
        var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest);
        await using (var stream = entry.Open())
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = false }))
        {
            xml.WriteStartDocument(true);
            xml.WriteStartElement("worksheet", Main);
            Frozen(xml, table.FrozenColumns);
            Columns(xml, table.Columns.Select(WidthOf).ToList());
            xml.WriteStartElement("sheetData", Main);

            xml.WriteStartElement("row", Main);
            xml.WriteAttributeString("r", "1");
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                var header = column.Header.For(language);
                if (column.Unfinished)
                {
                    header += " " + ExportTexts.UnfinishedSuffix.For(language);
                }

                TextCell(xml, i, 1, header, column.Unfinished ? HeaderUnfinishedStyle : HeaderStyle);
            }

            xml.WriteEndElement();

            var rowNumber = 1;
            await foreach (var row in table.Rows.WithCancellation(cancellationToken))
            {
                rowNumber++;
                xml.WriteStartElement("row", Main);
                xml.WriteAttributeString("r", rowNumber.ToString(CultureInfo.InvariantCulture));
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    var column = table.Columns[i];
                    var unfinished = column.Unfinished || row.IsUnfinished(i);
                    anyUnfinished |= unfinished;
                    var style = StyleOf(column.Kind, unfinished, row.Emphasis);
                    var value = i < row.Cells.Count ? row.Cells[i] : null;
                    switch (value)
                    {
                        case null:
                            if (unfinished || row.Emphasis)
                            {
                                EmptyCell(xml, i, rowNumber, style);
                            }

                            break;
                        case decimal d:
                            NumberCell(xml, i, rowNumber, d.ToString(CultureInfo.InvariantCulture), style);
                            break;
                        case int n:
                            NumberCell(xml, i, rowNumber, n.ToString(CultureInfo.InvariantCulture), style);
                            break;
                        case long n:
                            NumberCell(xml, i, rowNumber, n.ToString(CultureInfo.InvariantCulture), style);
                            break;
                        case LocalText words:
                            TextCell(xml, i, rowNumber, words.For(language), style);
                            break;
                        default:
                            TextCell(xml, i, rowNumber, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, style);
                            break;
                    }
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement(); // sheetData
            if (table.Columns.Count > 0)
            {
                xml.WriteStartElement("autoFilter", Main);
                xml.WriteAttributeString("ref", $"A1:{ColumnName(table.Columns.Count - 1)}{rowNumber.ToString(CultureInfo.InvariantCulture)}");
                xml.WriteEndElement();
            }

            PageSetup(xml, PrintHeader(table, language));
            xml.WriteEndElement(); // worksheet
            xml.WriteEndDocument();
        }

        var definitions = zip.CreateEntry("xl/worksheets/sheet2.xml", CompressionLevel.Fastest);
        await using (var stream = definitions.Open())
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            Definitions(xml, table, language, anyUnfinished);
        }
    }

    /// <summary>The definitions sheet: the request (report, period, as_of, filters), every column in words, the notes.</summary>
    private static void Definitions(XmlWriter xml, ExportTable table, CultureInfo language, bool anyUnfinished)
    {
        var request = table.Request;
        var rows = new List<(string A, string B, int Style)>
        {
            (request.Title.For(language), string.Empty, TitleStyle),
            (string.Empty, string.Empty, 0),
            (Words.Request.For(language), string.Empty, TitleStyle),
            (Words.Report.For(language), request.Title.For(language), WrapStyle),
            (Words.Period.For(language), $"{Iso(request.From)} — {Iso(request.To)}", WrapStyle),
            (Words.AsOf.For(language), Iso(request.AsOf), WrapStyle),
        };
        rows.AddRange(request.Filters.Select(f => (f.Name.For(language), f.Value.For(language), WrapStyle)));
        rows.Add((string.Empty, string.Empty, 0));
        rows.Add((Words.Columns.For(language), string.Empty, TitleStyle));
        rows.AddRange(table.Columns.Select(c => (c.Header.For(language), c.Definition.For(language), WrapStyle)));
        rows.Add((string.Empty, string.Empty, 0));
        rows.Add((Words.Notes.For(language), string.Empty, TitleStyle));
        var notes = table.Notes.Concat([ExportTexts.Currency, ExportTexts.Rounding]);
        if (anyUnfinished)
        {
            notes = notes.Prepend(ExportTexts.UnfinishedLegend);
        }

        rows.AddRange(notes.Select(n => (string.Empty, n.For(language), WrapStyle)));

        xml.WriteStartDocument(true);
        xml.WriteStartElement("worksheet", Main);
        Frozen(xml, 0, frozenRows: 0);
        Columns(xml, [30, 110]);
        xml.WriteStartElement("sheetData", Main);
        for (var r = 0; r < rows.Count; r++)
        {
            var (a, b, style) = rows[r];
            xml.WriteStartElement("row", Main);
            xml.WriteAttributeString("r", (r + 1).ToString(CultureInfo.InvariantCulture));
            if (a.Length > 0)
            {
                TextCell(xml, 0, r + 1, a, style == WrapStyle ? StyleOf(ExportKind.Text, false, true) : style);
            }

            if (b.Length > 0)
            {
                TextCell(xml, 1, r + 1, b, style);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static class Words
    {
        public static readonly LocalText Request = new("What was asked for", "Запрос");
        public static readonly LocalText Report = new("Report", "Отчёт");
        public static readonly LocalText Period = new("Period", "Период");
        public static readonly LocalText AsOf = new("Data as of", "Данные на дату");
        public static readonly LocalText Columns = new("Columns", "Столбцы");
        public static readonly LocalText Notes = new("Notes", "Примечания");
    }

    private static string PrintHeader(ExportTable table, CultureInfo language)
    {
        var request = table.Request;
        var filters = string.Join(" · ", request.Filters.Select(f => $"{f.Name.For(language)}: {f.Value.For(language)}"));
        var text = $"{request.Title.For(language)} · {Iso(request.From)} — {Iso(request.To)} · {Words.AsOf.For(language)} {Iso(request.AsOf)}";
        return (filters.Length > 0 ? text + " · " + filters : text).Replace("&", "&&", StringComparison.Ordinal);
    }

    private static double WidthOf(ExportColumn column)
    {
        if (column.Width is { } width)
        {
            return width;
        }

        var header = Math.Max(column.Header.En.Length, column.Header.Ru.Length) + (column.Unfinished ? 16 : 3);
        var byKind = column.Kind switch
        {
            ExportKind.Money => 16,
            ExportKind.Ratio => 11,
            ExportKind.Count => 10,
            _ => 16,
        };
        return Math.Min(60, Math.Max(header, byKind));
    }

    private static void Frozen(XmlWriter xml, int frozenColumns, int frozenRows = 1)
    {
        xml.WriteStartElement("sheetViews", Main);
        xml.WriteStartElement("sheetView", Main);
        xml.WriteAttributeString("workbookViewId", "0");
        if (frozenRows > 0 || frozenColumns > 0)
        {
            var topLeft = ColumnName(frozenColumns) + (frozenRows + 1).ToString(CultureInfo.InvariantCulture);
            var pane = frozenColumns > 0 && frozenRows > 0 ? "bottomRight" : frozenRows > 0 ? "bottomLeft" : "topRight";
            xml.WriteStartElement("pane", Main);
            if (frozenColumns > 0)
            {
                xml.WriteAttributeString("xSplit", frozenColumns.ToString(CultureInfo.InvariantCulture));
            }

            if (frozenRows > 0)
            {
                xml.WriteAttributeString("ySplit", frozenRows.ToString(CultureInfo.InvariantCulture));
            }

            xml.WriteAttributeString("topLeftCell", topLeft);
            xml.WriteAttributeString("activePane", pane);
            xml.WriteAttributeString("state", "frozen");
            xml.WriteEndElement();
            xml.WriteStartElement("selection", Main);
            xml.WriteAttributeString("pane", pane);
            xml.WriteAttributeString("activeCell", topLeft);
            xml.WriteAttributeString("sqref", topLeft);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Columns(XmlWriter xml, List<double> widths)
    {
        if (widths.Count == 0)
        {
            return;
        }

        xml.WriteStartElement("cols", Main);
        for (var i = 0; i < widths.Count; i++)
        {
            xml.WriteStartElement("col", Main);
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            xml.WriteAttributeString("min", n);
            xml.WriteAttributeString("max", n);
            xml.WriteAttributeString("width", widths[i].ToString("0.##", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("customWidth", "1");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void PageSetup(XmlWriter xml, string header)
    {
        xml.WriteStartElement("pageMargins", Main);
        foreach (var (name, value) in new[] { ("left", "0.5"), ("right", "0.5"), ("top", "0.75"), ("bottom", "0.75"), ("header", "0.3"), ("footer", "0.3") })
        {
            xml.WriteAttributeString(name, value);
        }

        xml.WriteEndElement();
        xml.WriteStartElement("pageSetup", Main);
        xml.WriteAttributeString("orientation", "landscape");
        xml.WriteEndElement();
        xml.WriteStartElement("headerFooter", Main);
        xml.WriteElementString("oddHeader", Main, "&L" + Clean(header));
        xml.WriteElementString("oddFooter", Main, "&R&P / &N");
        xml.WriteEndElement();
    }

    private static void TextCell(XmlWriter xml, int column, int row, string text, int style)
    {
        xml.WriteStartElement("c", Main);
        xml.WriteAttributeString("r", ColumnName(column) + row.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("t", "inlineStr");
        xml.WriteStartElement("is", Main);
        xml.WriteStartElement("t", Main);
        var clean = Clean(text);
        if (clean.Length > 0 && (char.IsWhiteSpace(clean[0]) || char.IsWhiteSpace(clean[^1])))
        {
            xml.WriteAttributeString("xml", "space", null, "preserve");
        }

        xml.WriteString(clean);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void NumberCell(XmlWriter xml, int column, int row, string value, int style)
    {
        xml.WriteStartElement("c", Main);
        xml.WriteAttributeString("r", ColumnName(column) + row.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("v", Main, value);
        xml.WriteEndElement();
    }

    private static void EmptyCell(XmlWriter xml, int column, int row, int style)
    {
        xml.WriteStartElement("c", Main);
        xml.WriteAttributeString("r", ColumnName(column) + row.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
        xml.WriteEndElement();
    }

    /// <summary>A, B, ..., Z, AA, ... for a zero-based column index.</summary>
    public static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Characters XML 1.0 cannot hold are dropped.</summary>
    private static string Clean(string text) =>
        text.Any(c => c < 0x20 && c is not ('\t' or '\n' or '\r')) ? new string([.. text.Where(c => c >= 0x20 || c is '\t' or '\n' or '\r')]) : text;

    /// <summary>Excel's rules: at most 31 characters, none of <c>[]:*?/\</c>.</summary>
    private static string SheetName(string name)
    {
        var kept = new string([.. name.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\'))]);
        return kept.Length == 0 ? "Data" : kept.Length > 31 ? kept[..31] : kept;
    }

    private static void Part(ZipArchive zip, string path, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
        using var stream = entry.Open();
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument(true);
        write(xml);
        xml.WriteEndDocument();
    }

    private static void ContentTypes(XmlWriter xml)
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        xml.WriteStartElement("Types", ns);
        Default(xml, ns, "rels", "application/vnd.openxmlformats-package.relationships+xml");
        Default(xml, ns, "xml", "application/xml");
        Override(xml, ns, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        Override(xml, ns, "/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
        Override(xml, ns, "/xl/worksheets/sheet2.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
        Override(xml, ns, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        xml.WriteEndElement();

        static void Default(XmlWriter xml, string ns, string extension, string type)
        {
            xml.WriteStartElement("Default", ns);
            xml.WriteAttributeString("Extension", extension);
            xml.WriteAttributeString("ContentType", type);
            xml.WriteEndElement();
        }

        static void Override(XmlWriter xml, string ns, string part, string type)
        {
            xml.WriteStartElement("Override", ns);
            xml.WriteAttributeString("PartName", part);
            xml.WriteAttributeString("ContentType", type);
            xml.WriteEndElement();
        }
    }

    private static void RootRelationships(XmlWriter xml)
    {
        xml.WriteStartElement("Relationships", PackageRelationships);
        Relationship(xml, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml");
        xml.WriteEndElement();
    }

    private static void WorkbookRelationships(XmlWriter xml)
    {
        xml.WriteStartElement("Relationships", PackageRelationships);
        Relationship(xml, "rId1", Relationships + "/worksheet", "worksheets/sheet1.xml");
        Relationship(xml, "rId2", Relationships + "/worksheet", "worksheets/sheet2.xml");
        Relationship(xml, "rId3", Relationships + "/styles", "styles.xml");
        xml.WriteEndElement();
    }

    private static void Relationship(XmlWriter xml, string id, string type, string target)
    {
        xml.WriteStartElement("Relationship", PackageRelationships);
        xml.WriteAttributeString("Id", id);
        xml.WriteAttributeString("Type", type);
        xml.WriteAttributeString("Target", target);
        xml.WriteEndElement();
    }

    private static void Workbook(XmlWriter xml, string dataName, string definitionsName)
    {
        xml.WriteStartElement("workbook", Main);
        xml.WriteAttributeString("xmlns", "r", null, Relationships);
        xml.WriteStartElement("sheets", Main);
        foreach (var (name, id) in new[] { (dataName, 1), (definitionsName, 2) })
        {
            xml.WriteStartElement("sheet", Main);
            xml.WriteAttributeString("name", name);
            xml.WriteAttributeString("sheetId", id.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("id", Relationships, "rId" + id.ToString(CultureInfo.InvariantCulture));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>
    /// Number formats, fonts (regular, bold), fills (none, gray125 as Excel requires, unfinished, header) and the cell
    /// formats: index 0 the default, then <see cref="StyleOf"/>'s 16 (kind × unfinished × bold), then the header,
    /// unfinished header, wrapped text and title styles.
    /// </summary>
    private static void Styles(XmlWriter xml)
    {
        xml.WriteStartElement("styleSheet", Main);

        xml.WriteStartElement("numFmts", Main);
        xml.WriteAttributeString("count", "1");
        xml.WriteStartElement("numFmt", Main);
        xml.WriteAttributeString("numFmtId", MoneyFormatId.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("formatCode", MoneyFormat);
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("fonts", Main);
        xml.WriteAttributeString("count", "3");
        Font(xml, bold: false, size: 11);
        Font(xml, bold: true, size: 11);
        Font(xml, bold: true, size: 13);
        xml.WriteEndElement();

        xml.WriteStartElement("fills", Main);
        xml.WriteAttributeString("count", "4");
        Fill(xml, "none", null);
        Fill(xml, "gray125", null);
        Fill(xml, "solid", "FFFFF2CC");
        Fill(xml, "solid", "FFE8EEF6");
        xml.WriteEndElement();

        xml.WriteStartElement("borders", Main);
        xml.WriteAttributeString("count", "1");
        xml.WriteStartElement("border", Main);
        foreach (var side in new[] { "left", "right", "top", "bottom", "diagonal" })
        {
            xml.WriteElementString(side, Main, null);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("cellStyleXfs", Main);
        xml.WriteAttributeString("count", "1");
        Xf(xml, 0, 0, 0, wrap: false, applyIds: false);
        xml.WriteEndElement();

        xml.WriteStartElement("cellXfs", Main);
        xml.WriteAttributeString("count", "21");
        Xf(xml, 0, 0, 0, wrap: false);
        foreach (var kind in new[] { ExportKind.Text, ExportKind.Count, ExportKind.Money, ExportKind.Ratio })
        {
            var format = kind switch
            {
                ExportKind.Count => CountFormatId,
                ExportKind.Money => MoneyFormatId,
                ExportKind.Ratio => PercentFormatId,
                _ => 0u,
            };
            foreach (var unfinished in new[] { false, true })
            {
                foreach (var bold in new[] { false, true })
                {
                    Xf(xml, format, bold ? 1u : 0u, unfinished ? 2u : 0u, wrap: false);
                }
            }
        }

        Xf(xml, 0, 1, 3, wrap: true); // 17 header
        Xf(xml, 0, 1, 2, wrap: true); // 18 unfinished header
        Xf(xml, 0, 0, 0, wrap: true); // 19 wrapped text
        Xf(xml, 0, 2, 0, wrap: false); // 20 title
        xml.WriteEndElement();

        xml.WriteStartElement("cellStyles", Main);
        xml.WriteAttributeString("count", "1");
        xml.WriteStartElement("cellStyle", Main);
        xml.WriteAttributeString("name", "Normal");
        xml.WriteAttributeString("xfId", "0");
        xml.WriteAttributeString("builtinId", "0");
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteEndElement();
    }

    private static void Font(XmlWriter xml, bool bold, int size)
    {
        xml.WriteStartElement("font", Main);
        if (bold)
        {
            xml.WriteElementString("b", Main, null);
        }

        xml.WriteStartElement("sz", Main);
        xml.WriteAttributeString("val", size.ToString(CultureInfo.InvariantCulture));
        xml.WriteEndElement();
        xml.WriteStartElement("name", Main);
        xml.WriteAttributeString("val", "Calibri");
        xml.WriteEndElement();
        xml.WriteStartElement("family", Main);
        xml.WriteAttributeString("val", "2");
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Fill(XmlWriter xml, string pattern, string? colour)
    {
        xml.WriteStartElement("fill", Main);
        xml.WriteStartElement("patternFill", Main);
        xml.WriteAttributeString("patternType", pattern);
        if (colour is not null)
        {
            xml.WriteStartElement("fgColor", Main);
            xml.WriteAttributeString("rgb", colour);
            xml.WriteEndElement();
            xml.WriteStartElement("bgColor", Main);
            xml.WriteAttributeString("indexed", "64");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Xf(XmlWriter xml, uint numberFormat, uint font, uint fill, bool wrap, bool applyIds = true)
    {
        xml.WriteStartElement("xf", Main);
        xml.WriteAttributeString("numFmtId", numberFormat.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("fontId", font.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("fillId", fill.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("borderId", "0");
        if (applyIds)
        {
            xml.WriteAttributeString("xfId", "0");
            if (numberFormat != 0)
            {
                xml.WriteAttributeString("applyNumberFormat", "1");
            }

            if (font != 0)
            {
                xml.WriteAttributeString("applyFont", "1");
            }

            if (fill != 0)
            {
                xml.WriteAttributeString("applyFill", "1");
            }

            if (wrap)
            {
                xml.WriteAttributeString("applyAlignment", "1");
            }
        }

        if (wrap)
        {
            xml.WriteStartElement("alignment", Main);
            xml.WriteAttributeString("wrapText", "1");
            xml.WriteAttributeString("vertical", "top");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }
}
