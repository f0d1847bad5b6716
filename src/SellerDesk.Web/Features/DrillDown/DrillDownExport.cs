using System.Globalization;
using System.Runtime.CompilerServices;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Features.Exports;

namespace SellerDesk.Web.Features.DrillDown;

/// <summary>
/// A drill-down as an export table: one row per order line (of the SKU when the figure is a SKU's), with its order's
/// customer, channel and first-order flag, the line's section-2 figures and where its row came from. The rows stream
/// from <see cref="DrillDownQueries.AllAsync"/> page by page, so a million-line drill-down is written with flat memory;
/// its money columns add up to the figure it was opened from.
/// </summary>
public static class DrillDownExport
{
    public static ExportTable Table(DrillDownFilter filter, IAsyncEnumerable<DrillOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(orders);
        var period = filter.Period;
        var request = new ExportRequest("drilldown", DrillDownTexts.Title, period.From, period.To, period.AsOf, Filters(filter));
        return new ExportTable(request, DrillDownTexts.SheetName, Columns, Rows(orders))
        {
            Notes = [DrillDownTexts.SumNote, DrillDownTexts.ScopeNote(filter.Scope)],
            FrozenColumns = 4,
        };
    }

    private static readonly ExportColumn[] Columns =
    [
        new(W("Order date", "Дата заказа"), ExportKind.Text, W("Local date of the order in the workspace's time zone.", "Дата заказа по времени рабочего пространства.")) { Width = 12 },
        new(ExportTexts.Marketplace, ExportKind.Text, W("The marketplace (its code).", "Маркетплейс (его код).")),
        new(W("Order", "Заказ"), ExportKind.Text, W("The order's id as the marketplace or the file gives it.", "Номер заказа, как его дают маркетплейс или файл.")) { Width = 22 },
        new(W("Line", "Позиция"), ExportKind.Text, W("The line's id within the order.", "Номер позиции в заказе.")) { Width = 12 },
        new(W("Customer", "Покупатель"), ExportKind.Text, W(
            "The buyer's id; \"not identified\" when the marketplace gives none (each such order counts as a customer of its own).",
            "Идентификатор покупателя; «не определён», если маркетплейс его не даёт (такой заказ считается отдельным покупателем).")),
        new(ExportTexts.Channel, ExportKind.Text, W(
            "The order's channel: the file's, or the marketplace's ad statistics' (attribution); organic otherwise.",
            "Канал заказа: из файла или из рекламной статистики маркетплейса (атрибуция); иначе organic.")),
        new(W("First order", "Первый заказ"), ExportKind.Text, W(
            "Whether this is the customer's first order on the marketplace (its month is the customer's cohort).",
            "Первый ли это заказ покупателя на маркетплейсе (его месяц — когорта покупателя).")),
        new(W("SKU", "Артикул"), ExportKind.Text, W("The line's SKU.", "Артикул позиции.")),
        new(W("Units", "Штук"), ExportKind.Count, W("Units sold on the line.", "Продано штук по позиции.")),
        new(W("Units returned", "Возвращено штук"), ExportKind.Number, W("Units returned up to the as-of date.", "Возвращено штук до даты расчёта.")),
        new(W("Revenue", "Выручка"), ExportKind.Money, W("What the buyer paid for the line, before refunds.", "Сколько покупатель заплатил за позицию, до возвратов.")),
        new(W("Refunds", "Возвраты денег"), ExportKind.Money, W("Money given back for returns up to the as-of date.", "Деньги, возвращённые за возвраты до даты расчёта.")),
        new(W("Commission", "Комиссия"), ExportKind.Money, W("Marketplace commission minus the commission given back on returns.", "Комиссия маркетплейса минус комиссия, возвращённая при возвратах.")),
        new(W("Logistics", "Логистика"), ExportKind.Money, W("Delivery to the buyer plus return logistics.", "Доставка покупателю плюс обратная логистика.")),
        new(W("Acquiring", "Эквайринг"), ExportKind.Money, W("Payment processing.", "Приём платежей.")),
        new(W("Other fees", "Прочие расходы"), ExportKind.Money, W("Other charges of the line.", "Прочие расходы по позиции.")),
        new(W("Cost of goods", "Себестоимость"), ExportKind.Money, W(
            "Unit cost on the order date times the units that did not come back to stock.",
            "Себестоимость единицы на дату заказа, умноженная на штуки, не вернувшиеся на склад.")),
        new(W("Contribution margin", "Маржинальная прибыль"), ExportKind.Money, W(
            "Revenue minus refunds, the fees above and the cost of goods.",
            "Выручка минус возвраты денег, расходы выше и себестоимость.")),
        new(W("Return loss", "Потери на возвратах"), ExportKind.Money, W(
            "What the line's returns cost beyond the refund: fees not given back, return logistics and goods that cannot be sold again.",
            "Во что обошлись возвраты позиции сверх возврата денег: невозвращённые комиссии, обратная логистика и товар, который нельзя продать снова.")),
        new(W("Cost missing", "Нет себестоимости"), ExportKind.Text, W(
            "Yes when the SKU had no known unit cost on the order date: its cost counts as zero.",
            "Да, если у артикула не было себестоимости на дату заказа: она считается нулевой.")),
        new(W("Returns", "Возвраты"), ExportKind.Text, W(
            "The line's returns: id, date and units; those after the as-of date are marked and not counted.",
            "Возвраты позиции: номер, дата и штуки; возвраты после даты расчёта помечены и не учтены.")) { Width = 30 },
        new(W("Source", "Источник"), ExportKind.Text, W(
            "Where the ledger row came from: the uploaded file and its line, or the connection, the pull run and the marketplace's own row ids of the order.",
            "Откуда строка учёта: загруженный файл и номер строки в нём или подключение, запуск загрузки и собственные номера строк маркетплейса по заказу.")) { Width = 60 },
    ];

    private static async IAsyncEnumerable<ExportRow> Rows(IAsyncEnumerable<DrillOrder> orders, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var order in orders.WithCancellation(cancellationToken))
        {
            var customer = order.CustomerId is { } id ? (object)id : DrillDownTexts.NotIdentified;
            foreach (var line in order.Lines)
            {
                var e = line.Economics;
                var returns = string.Join("; ", order.Returns.Where(r => r.LineId == line.LineId).Select(r =>
                    string.Create(CultureInfo.InvariantCulture, $"{r.ReturnId} {r.ReturnedAt:yyyy-MM-dd} ×{r.Quantity}{(r.Counted ? string.Empty : " (after as_of)")}")));
                yield return new ExportRow(new List<object?>
                {
                    order.OrderDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    order.Marketplace,
                    order.OrderId,
                    line.LineId,
                    customer,
                    order.Channel,
                    order.IsFirst ? DrillDownTexts.Yes : DrillDownTexts.No,
                    line.Sku,
                    e.Units,
                    e.ReturnedUnits,
                    Rounding.Money(e.Revenue),
                    Rounding.Money(e.Refund),
                    Rounding.Money(e.NetCommission),
                    Rounding.Money(e.AllLogistics),
                    Rounding.Money(e.Acquiring),
                    Rounding.Money(e.OtherFees),
                    Rounding.Money(e.NetCogs),
                    Rounding.Money(e.ContributionMargin),
                    Rounding.Money(e.ReturnLoss),
                    e.CogsMissingLines > 0 ? DrillDownTexts.Yes : DrillDownTexts.No,
                    returns,
                    DrillDownTexts.Origin(line.Origin, order.SourceRows),
                });
            }
        }
    }

    private static List<ExportFilter> Filters(DrillDownFilter filter)
    {
        static ExportFilter F(LocalText name, string? code) => new(name, code, code is { } c ? new LocalText(c, c) : ExportTexts.All);
        var filters = new List<ExportFilter>
        {
            new(DrillDownTexts.ScopeName, filter.Scope == DrillScope.Customers ? "customers" : null, DrillDownTexts.Scope(filter.Scope)),
            F(ExportTexts.Marketplace, filter.Marketplace),
            F(filter.Scope == DrillScope.Customers ? DrillDownTexts.AcquisitionChannel : ExportTexts.Channel, filter.Channel),
            F(W("SKU", "Артикул"), filter.Sku),
            F(W("Month", "Месяц"), filter.Month?.ToString()),
        };
        if (filter.Scope == DrillScope.Customers)
        {
            filters.Add(F(W("Cohort", "Когорта"), filter.Cohort?.ToString()));
            filters.Add(F(W("Orders through", "Заказы по месяц"), filter.Through?.ToString()));
            filters.Add(new(W("Orders", "Заказы"), filter.FirstOrdersOnly ? "first" : null, filter.FirstOrdersOnly ? W("first orders only", "только первые заказы") : ExportTexts.All));
        }

        if (filter.Source is { } source)
        {
            filters.Add(F(W("Account", "Кабинет"), source.ToString()));
        }

        return filters;
    }

    private static LocalText W(string en, string ru) => new(en, ru);
}
