using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>
/// Writes the fake's report lines the way the Wildberries seller cabinet exports a weekly report's detail
/// ("Детализация"): its documented Russian column set in its order, one row per line, numbered from 1 in rrd_id order
/// (docs/marketplace-reports.md). Columns the fake has no figure for stay empty, as they are for lines where WB
/// leaves them blank. CSV: <c>;</c>-separated, decimal commas (as a Russian Excel saves it); XLSX: numbers as numbers.
/// </summary>
public static class WildberriesCabinetExport
{
    /// <summary>The detail's columns, in the cabinet's order (decision 0027 lists which ones SellerDesk reads).</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "№", "Номер поставки", "Предмет", "Код номенклатуры", "Бренд", "Артикул поставщика", "Название", "Размер", "Баркод",
        "Тип документа", "Обоснование для оплаты", "Дата заказа покупателем", "Дата продажи", "Кол-во", "Цена розничная",
        "Вайлдберриз реализовал Товар (Пр)", "Согласованный продуктовый дисконт, %", "Промокод %", "Итоговая согласованная скидка, %",
        "Цена розничная с учетом согласованной скидки", "Размер снижения кВВ из-за рейтинга, %", "Размер снижения кВВ из-за акции, %",
        "Скидка постоянного Покупателя (СПП), %", "Размер кВВ, %", "Размер кВВ без НДС, % Базовый", "Итоговый кВВ без НДС, %",
        "Вознаграждение с продаж до вычета услуг поверенного, без НДС", "Возмещение за выдачу и возврат товаров на ПВЗ",
        "Эквайринг/Комиссии за организацию платежей", "Вознаграждение Вайлдберриз (ВВ), без НДС", "НДС с Вознаграждения Вайлдберриз",
        "К перечислению Продавцу за реализованный Товар", "Количество доставок", "Количество возврата",
        "Услуги по доставке товара покупателю", "Дата начала действия фиксации", "Дата конца действия фиксации",
        "Признак услуги платной доставки", "Общая сумма штрафов", "Доплаты", "Виды логистики, штрафов и доплат", "Стикер МП",
        "Наименование банка-эквайера", "Номер офиса", "Наименование офиса доставки", "ИНН партнера", "Партнер", "Склад", "Страна",
        "Тип коробов", "Номер таможенной декларации", "Номер сборочного задания", "Код маркировки", "ШК", "Srid",
        "Возмещение издержек по перевозке/по складским операциям с товаром", "Организатор перевозки", "Хранение", "Удержания",
        "Платная приемка",
    ];

    /// <summary>The rows of <paramref name="lines"/> (in rrd_id order): text cells, and numbers as decimals.</summary>
    public static IReadOnlyList<object?[]> Rows(IEnumerable<FakeWbReportLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rows = new List<object?[]>();
        var number = 0;
        foreach (var line in lines.OrderBy(l => l.RrdId))
        {
            var row = new object?[Header.Count];
            void Set(string column, object? value) => row[Column(column)] = value;
            Set("№", (decimal)++number);
            Set("Код номенклатуры", line.NmId is { } nm ? (decimal)nm : null);
            Set("Артикул поставщика", line.SaName);
            Set("Тип документа", line.DocTypeName);
            Set("Обоснование для оплаты", line.SupplierOperName);
            Set("Дата заказа покупателем", Time(line.OrderDt));
            Set("Дата продажи", Time(line.SaleDt));
            Set("Кол-во", (decimal)line.Quantity);
            Set("Цена розничная", line.RetailPrice);
            Set("Вайлдберриз реализовал Товар (Пр)", line.RetailAmount);
            Set("Цена розничная с учетом согласованной скидки", line.RetailPriceWithDiscRub);
            Set("Размер кВВ, %", (decimal)line.CommissionPercent);
            Set("Вознаграждение с продаж до вычета услуг поверенного, без НДС", line.PpvzSalesCommission);
            Set("Эквайринг/Комиссии за организацию платежей", line.AcquiringFee);
            Set("К перечислению Продавцу за реализованный Товар", line.PpvzForPay);
            Set("Количество доставок", (decimal)line.DeliveryAmount);
            Set("Количество возврата", (decimal)line.ReturnAmount);
            Set("Услуги по доставке товара покупателю", line.DeliveryRub);
            Set("Общая сумма штрафов", line.Penalty);
            Set("Доплаты", line.AdditionalPayment);
            Set("Виды логистики, штрафов и доплат", line.BonusTypeName);
            Set("Srid", line.Srid);
            Set("Хранение", line.StorageFee);
            Set("Удержания", line.Deduction);
            Set("Платная приемка", line.Acceptance);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The detail as the cabinet's CSV: <c>;</c> between cells, decimal commas, dates <c>dd.MM.yyyy</c> (with a time when it has one).</summary>
    public static byte[] Csv(IEnumerable<FakeWbReportLine> lines)
    {
        var text = new StringBuilder();
        text.AppendJoin(';', Header.Select(Quote)).Append("\r\n");
        foreach (var row in Rows(lines))
        {
            text.AppendJoin(';', row.Select(cell => cell switch
            {
                null => string.Empty,
                decimal d => d.ToString(CultureInfo.InvariantCulture).Replace('.', ','),
                DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "dd.MM.yyyy" : "dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture),
                _ => Quote(Convert.ToString(cell, CultureInfo.InvariantCulture) ?? string.Empty),
            })).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>The detail as the cabinet's XLSX: one worksheet, header in row 1, numbers as numbers, dates as text.</summary>
    public static byte[] Xlsx(IEnumerable<FakeWbReportLine> lines) => WriteXlsx(Header, Rows(lines));

    /// <summary>A one-sheet workbook of <paramref name="header"/> and <paramref name="rows"/> (decimals as numbers, the rest as text).</summary>
    public static byte[] WriteXlsx(IReadOnlyList<string> header, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            uint index = 1;
            data.Append(Row(index++, header.Cast<object?>().ToArray()));
            foreach (var row in rows)
            {
                data.Append(Row(index++, row));
            }

            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Детализация" }));
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static Row Row(uint index, object?[] cells)
    {
        var row = new Row { RowIndex = index };
        for (var i = 0; i < cells.Length; i++)
        {
            var reference = ColumnName(i) + index.ToString(CultureInfo.InvariantCulture);
            switch (cells[i])
            {
                case null:
                    break;
                case decimal d:
                    row.Append(new Cell { CellReference = reference, CellValue = new CellValue(d.ToString(CultureInfo.InvariantCulture)) });
                    break;
                case DateTime t:
                    row.Append(new Cell
                    {
                        CellReference = reference,
                        DataType = CellValues.InlineString,
                        InlineString = new InlineString(new Text(t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))),
                    });
                    break;
                default:
                    row.Append(new Cell
                    {
                        CellReference = reference,
                        DataType = CellValues.InlineString,
                        InlineString = new InlineString(new Text(Convert.ToString(cells[i], CultureInfo.InvariantCulture) ?? string.Empty)),
                    });
                    break;
            }
        }

        return row;
    }

    private static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static int Column(string name)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (Header[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"No column '{name}'.", nameof(name));
    }

    private static DateTime? Time(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static string Quote(string text) =>
        text.Contains(';', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
