using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Wildberries;

namespace SellerDesk.Ingestion.Reports;

/// <summary>
/// The Wildberries seller cabinet's detailed weekly realization report ("Детализация к еженедельному отчёту о
/// реализации", XLSX or CSV, Russian headers) as the finance API's report lines (decision 0027): each row becomes the
/// camelCase JSON line <c>POST /api/finance/v1/sales-reports/detailed</c> gives, as a source row of feed
/// <c>wb.realization</c>, so the connector's own mapping, payout and reconciliation read it. The columns and the API
/// field each one fills are listed in <see cref="Columns"/> and docs/marketplace-reports.md.
/// </summary>
public static class WildberriesReportFile
{
    /// <summary>Lines a weekly report may have: its line number fits in the last six digits of the line's <c>rrdId</c>.</summary>
    public const int MaxLines = 999_999;

    /// <summary>Headers that make a table this report (every one must be there).</summary>
    public static IReadOnlyList<string> Signature { get; } =
        ["Обоснование для оплаты", "К перечислению Продавцу за реализованный Товар", "Код номенклатуры", "Srid"];

    /// <summary>Each API field (v1 camelCase name), whether it is money, and the cabinet headers that carry it (first found wins).</summary>
    public static IReadOnlyList<(string Field, ValueKind Kind, string[] Headers)> Columns { get; } =
    [
        ("giId", ValueKind.Whole, ["Номер поставки"]),
        ("subjectName", ValueKind.Text, ["Предмет"]),
        ("nmId", ValueKind.Whole, ["Код номенклатуры"]),
        ("brandName", ValueKind.Text, ["Бренд"]),
        ("vendorCode", ValueKind.Text, ["Артикул поставщика", "Артикул продавца"]),
        ("techSize", ValueKind.Text, ["Размер"]),
        ("barcode", ValueKind.Text, ["Баркод"]),
        ("docTypeName", ValueKind.Text, ["Тип документа"]),
        ("sellerOperName", ValueKind.Text, ["Обоснование для оплаты"]),
        ("orderDt", ValueKind.Time, ["Дата заказа покупателем"]),
        ("saleDt", ValueKind.Time, ["Дата продажи"]),
        ("rrDate", ValueKind.Time, ["Дата операции"]),
        ("quantity", ValueKind.Whole, ["Кол-во"]),
        ("retailPrice", ValueKind.Money, ["Цена розничная"]),
        ("retailAmount", ValueKind.Money, ["Вайлдберриз реализовал Товар (Пр)"]),
        ("retailPriceWithDisc", ValueKind.Money, ["Цена розничная с учетом согласованной скидки"]),
        ("commissionPercent", ValueKind.Number, ["Размер кВВ, %"]),
        ("ppvzSalesCommission", ValueKind.Money, ["Вознаграждение с продаж до вычета услуг поверенного, без НДС"]),
        ("acquiringFee", ValueKind.Money, ["Возмещение издержек по эквайрингу", "Эквайринг/Комиссии за организацию платежей"]),
        ("forPay", ValueKind.Money, ["К перечислению Продавцу за реализованный Товар"]),
        ("deliveryAmount", ValueKind.Whole, ["Количество доставок"]),
        ("returnAmount", ValueKind.Whole, ["Количество возврата"]),
        ("deliveryService", ValueKind.Money, ["Услуги по доставке товара покупателю"]),
        ("penalty", ValueKind.Money, ["Общая сумма штрафов"]),
        ("additionalPayment", ValueKind.Money, ["Доплаты"]),
        ("bonusTypeName", ValueKind.Text, ["Виды логистики, штрафов и доплат", "Виды логистики, штрафов и корректировок ВВ"]),
        ("paidStorage", ValueKind.Money, ["Хранение"]),
        ("deduction", ValueKind.Money, ["Удержания"]),
        ("paidAcceptance", ValueKind.Money, ["Платная приемка", "Операции на приемке"]),
        ("cashbackAmount", ValueKind.Money, ["Стоимость участия в программе лояльности"]),
        ("cashbackDiscount", ValueKind.Money, ["Компенсация скидки по программе лояльности"]),
        ("srid", ValueKind.Text, ["Srid"]),
    ];

    /// <summary>Headers a file must have to be imported (beyond <see cref="Signature"/>).</summary>
    public static IReadOnlyList<string> Required { get; } = ["№", "Тип документа", "Дата продажи"];

    /// <summary>The header of the report number, when an export carries it as a column.</summary>
    public static IReadOnlyList<string> ReportNumberHeaders { get; } = ["Номер отчета", "№ отчета"];

    public enum ValueKind
    {
        Text,
        Whole,
        Number,
        Money,
        Time,
    }

    /// <summary>Whether <paramref name="table"/>'s header is this report's.</summary>
    public static bool Matches(ReportTable table) => Signature.All(h => table.Column(h) >= 0);

    /// <summary>The report number of the file: a report-number column's first value, else null (the caller asks).</summary>
    public static long? ReportNumberIn(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var column = table.Column(ReportNumberHeaders);
        if (column < 0)
        {
            return null;
        }

        return table.Rows.Select(r => column < r.Cells.Count ? r.Cells[column].Trim() : string.Empty)
            .Select(t => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (long?)null)
            .FirstOrDefault(n => n is not null);
    }

    /// <summary>
    /// The source rows of report <paramref name="reportId"/>: source id <c>{reportId}:{№}</c>, order key <c>Srid</c>,
    /// business date the line's operation date (<c>Дата операции</c> when the export has it, else <c>Дата продажи</c>),
    /// payload the finance API's line with <c>reportId</c> and <c>rrdId</c> = reportId × 1 000 000 + №. With problems,
    /// no row (nothing partial is stored).
    /// </summary>
    public static ParsedReport Read(ReportTable table, long reportId)
    {
        ArgumentNullException.ThrowIfNull(table);
        var problems = new List<ReportProblem>();
        foreach (var header in Signature.Concat(Required).Where(h => table.Column(h) < 0))
        {
            problems.Add(new ReportProblem(table.HeaderLine, header, new LocalText(
                $"required column '{header}' is missing: upload the report's detail (Детализация) as the cabinet gives it",
                $"нет обязательного столбца «{header}»: загрузите детализацию отчёта в том виде, в каком её выдаёт кабинет")));
        }

        if (problems.Count > 0)
        {
            return new ParsedReport([], problems, null);
        }

        var number = table.Column("№");
        var columns = Columns.Select(c => (c.Field, c.Kind, Index: table.Column(c.Headers))).Where(c => c.Index >= 0).ToList();
        var srid = table.Column("Srid");
        var operation = table.Column("Обоснование для оплаты");
        var seen = new Dictionary<long, int>();
        var rows = new List<SourceRow>(table.Rows.Count);
        foreach (var record in table.Rows)
        {
            var before = problems.Count;
            var cells = new ReportCells(table, record, problems);
            var line = cells.Whole(number);
            if (line is null or < 1 or > MaxLines)
            {
                if (problems.Count == before)
                {
                    cells.Problem(number, new LocalText(
                        $"the line number '{cells.Text(number)}' must be a whole number from 1 to {MaxLines}",
                        $"номер строки «{cells.Text(number)}» должен быть целым числом от 1 до {MaxLines}"));
                }

                continue;
            }

            if (seen.TryGetValue(line.Value, out var first))
            {
                cells.Problem(number, new LocalText(
                    $"line number {line} appears again (first on line {first}): a report numbers each line once",
                    $"номер строки {line} повторяется (впервые в строке {first}): в отчёте каждая строка пронумерована один раз"));
                continue;
            }

            seen[line.Value] = record.Line;
            if (cells.Text(operation).Length == 0)
            {
                cells.Problem(operation, new LocalText(
                    "the payment basis (Обоснование для оплаты) is empty: every report line has one",
                    "пустое «Обоснование для оплаты»: оно есть у каждой строки отчёта"));
            }

            var payload = Payload(cells, columns, reportId, line.Value, out var businessDate);
            if (businessDate is null && problems.Count == before)
            {
                cells.Problem(table.Column("Дата продажи"), new LocalText(
                    "the line has no date (Дата продажи): the ledger cannot place it in time",
                    "у строки нет даты («Дата продажи»): её нельзя отнести ко дню"));
            }

            if (problems.Count > before || businessDate is null)
            {
                continue;
            }

            var orderKey = cells.Text(srid);
            rows.Add(new SourceRow(
                WildberriesConnector.RealizationFeed,
                SourceIdPrefix(reportId) + line.Value.ToString(CultureInfo.InvariantCulture),
                orderKey.Length == 0 ? null : orderKey,
                businessDate.Value,
                payload));
        }

        if (problems.Count == 0 && rows.Count == 0)
        {
            problems.Add(new ReportProblem(table.HeaderLine, null, new LocalText(
                "the report has a header but no lines", "в отчёте есть заголовок, но нет ни одной строки")));
        }

        return problems.Count > 0 ? new ParsedReport([], problems, reportId) : new ParsedReport(rows, [], reportId);
    }

    /// <summary>
    /// The report ready to land: its lines, declared whole by number (an upload of the same number replaces them), and
    /// refused over weeks its target account already pulled (<see cref="WildberriesReportOverlap"/>).
    /// </summary>
    public static UploadedReport Report(long reportId, IReadOnlyList<SourceRow> rows) =>
        new(WildberriesConnector.MarketplaceCode, rows)
        {
            CompletedParts = [new(WildberriesConnector.RealizationFeed, SourceIdPrefix(reportId))],
            Name = ReportTexts.WildberriesReport(reportId),
            Overlap = (session, connectionId, connectionName, ct) =>
                WildberriesReportOverlap.RefusalAsync(session, connectionId, connectionName, reportId, rows, ct),
        };

    /// <summary>What every line of report <paramref name="reportId"/> has its source id begin with.</summary>
    public static string SourceIdPrefix(long reportId) => WildberriesConnector.UploadedReportPrefix(reportId);

    private static string Payload(ReportCells cells, List<(string Field, ValueKind Kind, int Index)> columns, long reportId, long line, out DateOnly? businessDate)
    {
        using var buffer = new MemoryStream();
        DateOnly? saleDate = null;
        DateOnly? operationDate = null;
        // Cyrillic kept as it is, as the marketplace's own JSON has it (the payload is stored and shown, never put in HTML unencoded).
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("reportId", reportId);
            json.WriteNumber("rrdId", (reportId * 1_000_000) + line);
            foreach (var (field, kind, index) in columns)
            {
                switch (kind)
                {
                    case ValueKind.Text:
                        json.WriteString(field, cells.Text(index));
                        break;
                    case ValueKind.Whole when cells.Whole(index) is { } whole:
                        json.WriteNumber(field, whole);
                        break;
                    case ValueKind.Number when cells.Money(index) is { } number:
                        json.WriteNumber(field, number);
                        break;
                    case ValueKind.Money when cells.Money(index) is { } money:
                        // The finance API gives money as strings.
                        json.WriteString(field, money.ToString(CultureInfo.InvariantCulture));
                        break;
                    case ValueKind.Time when cells.Date(index) is { } time:
                        json.WriteString(field, time.ToString(time.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                        if (field == "saleDt")
                        {
                            saleDate = DateOnly.FromDateTime(time);
                        }
                        else if (field == "rrDate")
                        {
                            operationDate = DateOnly.FromDateTime(time);
                        }

                        break;
                    default:
                        break;
                }
            }

            json.WriteEndObject();
        }

        businessDate = operationDate ?? saleDate;
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>
/// A marketplace report read from a file: its source rows (none when there are problems), the problems by line, and
/// what identifies the report (the Wildberries report number).
/// </summary>
public sealed record ParsedReport(IReadOnlyList<SourceRow> Rows, IReadOnlyList<ReportProblem> Problems, long? ReportId)
{
    public bool Succeeded => Problems.Count == 0;
}
