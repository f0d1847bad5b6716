using System.Globalization;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Features.Exports;

namespace SellerDesk.Web.Features.Reports;

/// <summary>Which cohort series an export holds.</summary>
public enum CohortMetric
{
    Margin,
    Revenue,
    Retention,
}

/// <summary>
/// Cohort report as an export table (import-and-api.md): one row per cohort, columns
/// <c>marketplace, cohort, customers, spend, cac, payback_month, m0 ... mK</c> holding the chosen metric (the API's
/// fixed contract, so the headers are these codes in both languages). Cells of a month not over on as_of are marked.
/// </summary>
public static class CohortExport
{
    public static IReadOnlyList<string> Header(IReadOnlyList<CohortRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. Columns(rows, CohortMetric.Margin).Select(c => c.Header.En)];
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

    public static string Code(CohortMetric metric) => metric.ToString().ToLowerInvariant();

    /// <summary>The cohorts of <paramref name="period"/> under <paramref name="filter"/> as a table to write.</summary>
    public static ExportTable Table(IReadOnlyList<CohortRow> rows, CohortMetric metric, ReportPeriod period, CohortFilter filter)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(filter);
        var columns = Columns(rows, metric);
        var asOfMonth = YearMonth.Of(period.AsOf);
        var asOfMonthOver = period.AsOf.AddDays(1).Day == 1;
        var data = rows.Select(row =>
        {
            var rounded = row.Rounded();
            var cells = new List<object?> { row.Marketplace, row.Cohort.ToString(), row.Customers, rounded.Spend, rounded.Cac, row.PaybackMonth };
            cells.AddRange(Series(row, metric).Cast<object?>());
            var offset = asOfMonth.MonthsSince(row.Cohort);
            return new ExportRow(cells) { UnfinishedCells = asOfMonthOver || offset < 0 ? [] : [FixedColumns + offset] };
        });

        var request = new ExportRequest(
            "cohorts",
            new LocalText("Cohorts", "Когорты"),
            period.From,
            period.To,
            period.AsOf,
            [
                new ExportFilter(ExportTexts.Marketplace, filter.Marketplace, filter.Marketplace is { } m ? new LocalText(m, m) : ExportTexts.All),
                new ExportFilter(ExportTexts.Channel, filter.Channel, filter.Channel is { } c ? new LocalText(c, c) : ExportTexts.All),
                new ExportFilter(new LocalText("Figure in the month columns", "Показатель в столбцах месяцев"), metric == CohortMetric.Margin ? null : Code(metric), MetricName(metric)),
            ]);
        return new ExportTable(request, new LocalText("Cohorts", "Когорты"), columns, ExportTable.Of(data))
        {
            Notes =
            [
                new LocalText(
                    "A customer is a buyer on one marketplace; orders without a buyer id (Wildberries gives sellers none) each count as a customer of their own.",
                    "Покупатель — покупатель на одном маркетплейсе; заказ без идентификатора покупателя (Wildberries его продавцам не даёт) считается отдельным покупателем."),
                new LocalText(
                    "Contribution margin: revenue minus refunds, marketplace fees (commission, logistics, acquiring, other) and the cost of goods that did not come back to stock.",
                    "Маржинальная прибыль: выручка минус возвраты денег покупателям, расходы маркетплейса (комиссия, логистика, эквайринг, прочее) и себестоимость товаров, не вернувшихся на склад."),
            ],
        };
    }

    private const int FixedColumns = 6;

    private static List<ExportColumn> Columns(IReadOnlyList<CohortRow> rows, CohortMetric metric)
    {
        var offsets = rows.Count == 0 ? 0 : rows.Max(r => r.Ltv.Count);
        var columns = new List<ExportColumn>
        {
            ExportColumn.Code("marketplace", ExportKind.Text, new LocalText(
                "The marketplace the customers bought on (its code: wildberries, ozon, yandex_market, own_store, ...).",
                "Маркетплейс, на котором купили покупатели (его код: wildberries, ozon, yandex_market, own_store, ...).")),
            ExportColumn.Code("cohort", ExportKind.Text, new LocalText(
                "The month of the customers' first order (YYYY-MM), in the workspace's time zone.",
                "Месяц первого заказа покупателей (ГГГГ-ММ) по часовому поясу кабинета.")),
            ExportColumn.Code("customers", ExportKind.Count, new LocalText(
                "New customers of the marketplace whose first order falls in this month and in the requested period.",
                "Новые покупатели маркетплейса, чей первый заказ пришёлся на этот месяц и на запрошенный период.")),
            ExportColumn.Code("spend", ExportKind.Money, new LocalText(
                "Ad spend of the marketplace (of the chosen channel only, when the file is filtered by channel) in the cohort's calendar month, up to the as-of date.",
                "Рекламные расходы маркетплейса (только выбранного канала, если файл отфильтрован по каналу) за календарный месяц когорты до даты расчёта.")),
            ExportColumn.Code("cac", ExportKind.Money, new LocalText(
                "The cost of acquiring one customer: spend divided by customers.",
                "Стоимость привлечения одного покупателя: расходы, делённые на число покупателей.")),
            ExportColumn.Code("payback_month", ExportKind.Count, new LocalText(
                "How many months after the cohort month the margin per customer first covered the cost of acquiring them (0 = in the cohort month itself); empty when it has not yet.",
                "Через сколько месяцев после месяца когорты маржа на покупателя впервые покрыла стоимость его привлечения (0 — в самом месяце когорты); пусто, если ещё не покрыла.")),
        };
        for (var k = 0; k < offsets; k++)
        {
            columns.Add(ExportColumn.Code("m" + k.ToString(CultureInfo.InvariantCulture), metric == CohortMetric.Retention ? ExportKind.Ratio : ExportKind.Money, OffsetDefinition(metric, k)));
        }

        return columns;
    }

    private static LocalText MetricName(CohortMetric metric) => metric switch
    {
        CohortMetric.Revenue => new LocalText("net revenue per customer, cumulative", "чистая выручка на покупателя нарастающим итогом"),
        CohortMetric.Retention => new LocalText("share of customers ordering in the month", "доля покупателей, заказавших в этом месяце"),
        _ => new LocalText("contribution margin per customer, cumulative", "маржинальная прибыль на покупателя нарастающим итогом"),
    };

    private static LocalText OffsetDefinition(CohortMetric metric, int k)
    {
        var en = k == 0 ? "the cohort month" : k == 1 ? "the month after the cohort month" : $"{k} months after the cohort month";
        var ru = k == 0 ? "месяц когорты" : k == 1 ? "следующий за месяцем когорты месяц" : $"{k}-й месяц после месяца когорты";
        return metric switch
        {
            CohortMetric.Revenue => new LocalText(
                $"Net revenue (revenue minus refunds) of the cohort's orders from the cohort month up to {en}, per customer.",
                $"Чистая выручка (выручка минус возвраты) по заказам когорты с месяца когорты по {ru} включительно, на одного покупателя."),
            CohortMetric.Retention => new LocalText(
                $"Share of the cohort's customers who ordered in {en}.",
                $"Доля покупателей когорты, сделавших заказ в {ru}."),
            _ => new LocalText(
                $"Contribution margin of the cohort's orders from the cohort month up to {en}, per customer.",
                $"Маржинальная прибыль по заказам когорты с месяца когорты по {ru} включительно, на одного покупателя."),
        };
    }
}
