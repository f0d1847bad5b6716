using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Features.Exports;

namespace SellerDesk.Web.Features.ProfitAndLoss;

/// <summary>
/// The profit and loss statement as an export table, laid out as the page shows it: a row per line and per part
/// of a line, a column per month (unfinished months marked) and a total. Without a marketplace filter the file holds
/// all marketplaces summed first, then each marketplace's own statement.
/// </summary>
public static class PnlExport
{
    public static ExportTable Table(FactReports reports, string? marketplace)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var first = PnlStatement.Of(reports, marketplace);
        var statements = marketplace is null
            ? [first, .. first.Marketplaces.Select(m => PnlStatement.Of(reports, m))]
            : new List<PnlStatement> { first };
        var months = first.Months;

        var columns = new List<ExportColumn>
        {
            new(ExportTexts.Marketplace, ExportKind.Text, new LocalText(
                "The marketplace the line belongs to (its code), or \"all\" for every marketplace summed.",
                "Маркетплейс, к которому относится строка (его код), или «все» — сумма по всем маркетплейсам.")),
            new(new LocalText("Line", "Строка"), ExportKind.Text, new LocalText(
                "The statement's line, from revenue down to profit; indented rows below a line are its parts and add up to it.",
                "Строка отчёта — от выручки до прибыли; строки с отступом под ней — её составляющие, в сумме дают её.")) { Width = 34 },
            new(new LocalText("Code", "Код"), ExportKind.Text, new LocalText(
                "The line's code (a part: line.part, e.g. period_fees.storage), the same in every language: for formulas and lookups.",
                "Код строки (у составляющей: строка.составляющая, например period_fees.storage), одинаковый на всех языках: для формул и поиска.")) { Width = 30 },
        };
        foreach (var month in months)
        {
            var text = month.ToString();
            columns.Add(new ExportColumn(new LocalText(text, text), ExportKind.Money, new LocalText(
                $"The month {text}: order lines ordered in it (with their returns up to the as-of date), and fees and ad spend dated in it, within the requested period.",
                $"Месяц {text}: позиции заказов этого месяца (с их возвратами до даты расчёта), расходы периода и реклама с датой в этом месяце, в пределах запрошенного периода."))
            {
                Unfinished = first.IsUnfinished(month),
            });
        }

        columns.Add(new ExportColumn(new LocalText("Total", "Итого"), ExportKind.Money, new LocalText(
            "The line over all months of the period.",
            "Строка за все месяцы периода.")));

        var request = new ExportRequest(
            "pnl",
            PnlTexts.Title,
            reports.Period.From,
            reports.Period.To,
            reports.Period.AsOf,
            [new ExportFilter(ExportTexts.Marketplace, marketplace, marketplace is { } m ? new LocalText(m, m) : ExportTexts.All)]);

        var notes = new List<LocalText>
        {
            new("What each line means:", "Что означает каждая строка:"),
        };
        notes.AddRange(PnlStatement.LineCodes.Select(code =>
        {
            var name = PnlTexts.Line(code);
            var meaning = PnlTexts.Definition(code);
            return new LocalText($"{name.En}: {meaning.En}", $"{name.Ru}: {meaning.Ru}");
        }));

        return new ExportTable(request, PnlTexts.Title, columns, ExportTable.Of(statements.SelectMany(s => Rows(s, months.Count))))
        {
            Notes = notes,
            FrozenColumns = 2,
        };
    }

    private static IEnumerable<ExportRow> Rows(PnlStatement statement, int monthCount)
    {
        object marketplace = statement.Marketplace is { } code ? code : ExportTexts.All;
        foreach (var line in statement.Lines)
        {
            yield return new ExportRow(Cells(marketplace, PnlTexts.Line(line.Code), line.Code, line.Months, line.Total, monthCount)) { Emphasis = line.IsResult };
            foreach (var part in line.Parts)
            {
                var name = PnlTexts.Part(line.Source, part.Code);
                yield return new ExportRow(Cells(marketplace, new LocalText("    · " + name.En, "    · " + name.Ru), line.Code + "." + part.Code, part.Months, part.Total, monthCount));
            }
        }
    }

    private static List<object?> Cells(object marketplace, LocalText name, string code, IReadOnlyList<decimal> months, decimal total, int monthCount)
    {
        var cells = new List<object?> { marketplace, name, code };
        for (var i = 0; i < monthCount; i++)
        {
            cells.Add(Rounding.Money(i < months.Count ? months[i] : 0m));
        }

        cells.Add(Rounding.Money(total));
        return cells;
    }

}
