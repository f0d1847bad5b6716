using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.ProfitAndLoss;

/// <summary>
/// The statement's lines and parts in words, in both languages: one place for the page, its help texts and the
/// exports' definitions sheet.
/// </summary>
public static class PnlTexts
{
    public static readonly LocalText Title = new("Profit and loss", "Прибыли и убытки");

    public static LocalText Line(string code) => code switch
    {
        "revenue" => new("Revenue", "Выручка"),
        "refunds" => new("Refunds", "Возвраты покупателям"),
        "commission" => new("Commission", "Комиссия маркетплейса"),
        "logistics" => new("Logistics", "Логистика"),
        "acquiring" => new("Acquiring", "Эквайринг"),
        "other_fees" => new("Other order fees", "Прочие расходы по заказам"),
        "cogs" => new("Cost of goods", "Себестоимость"),
        "contribution_margin" => new("Contribution margin", "Маржинальная прибыль"),
        "period_fees" => new("Period fees", "Расходы периода"),
        "ad_spend" => new("Ad spend", "Реклама"),
        "profit" => new("Profit", "Прибыль"),
        _ => new(code, code),
    };

    public static LocalText Definition(string code) => code switch
    {
        "revenue" => new(
            "What buyers paid for the order lines ordered in the month, before any refund.",
            "Сколько покупатели заплатили за позиции заказов месяца, до возвратов."),
        "refunds" => new(
            "Money given back to buyers for returned units of those orders (a return counts in the month of its order).",
            "Деньги, возвращённые покупателям за возвращённые товары этих заказов (возврат относится к месяцу своего заказа)."),
        "commission" => new(
            "The marketplace's commission on those orders, less the commission it gave back on returns.",
            "Комиссия маркетплейса по этим заказам за вычетом комиссии, которую он вернул при возвратах."),
        "logistics" => new(
            "Delivery to buyers plus the cost of bringing returns back.",
            "Доставка покупателям и обратная доставка возвратов."),
        "acquiring" => new(
            "Payment processing charged on those orders.",
            "Плата за приём платежей по этим заказам."),
        "other_fees" => new(
            "Any other charge the marketplace ties to those orders.",
            "Прочие удержания маркетплейса, привязанные к этим заказам."),
        "cogs" => new(
            "Purchase cost of the units sold, less the cost of units that came back to stock (units returned as not restockable stay a cost). Lines without a known cost count as zero.",
            "Закупочная стоимость проданных товаров за вычетом стоимости товаров, вернувшихся на склад (возвраты, которые нельзя продать снова, остаются расходом). Позиции без известной себестоимости считаются по нулю."),
        "contribution_margin" => new(
            "Revenue minus refunds, commission, logistics, acquiring, other order fees and cost of goods.",
            "Выручка минус возвраты, комиссия, логистика, эквайринг, прочие расходы по заказам и себестоимость."),
        "period_fees" => new(
            "Marketplace charges not tied to an order (storage, acceptance, penalties, subscriptions), by the day they are dated.",
            "Расходы маркетплейса, не привязанные к заказу (хранение, приёмка, штрафы, подписки), по дате начисления."),
        "ad_spend" => new(
            "Money spent on advertising and other paid traffic, by the day it is dated.",
            "Расходы на рекламу и другой платный трафик, по дате расхода."),
        "profit" => new(
            "Contribution margin minus period fees and ad spend.",
            "Маржинальная прибыль минус расходы периода и реклама."),
        _ => new(code, code),
    };

    /// <summary>A part of a line: an order-line component, a fee kind or a channel; unknown codes as they are.</summary>
    public static LocalText Part(PnlPartsSource source, string code) => (source, code) switch
    {
        (PnlPartsSource.Components, "commission_charged") => new("charged on orders", "начислена по заказам"),
        (PnlPartsSource.Components, "commission_refunded") => new("given back on returns", "возвращена при возвратах"),
        (PnlPartsSource.Components, "delivery") => new("delivery to buyers", "доставка покупателям"),
        (PnlPartsSource.Components, "return_logistics") => new("returns brought back", "обратная доставка возвратов"),
        (PnlPartsSource.Components, "cogs_sold") => new("units sold", "проданные товары"),
        (PnlPartsSource.Components, "cogs_back_in_stock") => new("units back in stock", "вернувшиеся на склад товары"),
        (PnlPartsSource.FeeKinds, "storage") => new("storage", "хранение"),
        (PnlPartsSource.FeeKinds, "acceptance") => new("acceptance", "приёмка"),
        (PnlPartsSource.FeeKinds, "penalty") => new("penalties", "штрафы"),
        (PnlPartsSource.FeeKinds, "deduction") => new("deductions", "удержания"),
        (PnlPartsSource.FeeKinds, "promotion") => new("promotion", "продвижение"),
        (PnlPartsSource.FeeKinds, "placement") => new("placement", "размещение"),
        (PnlPartsSource.FeeKinds, "subscription") => new("subscription", "подписка"),
        (PnlPartsSource.FeeKinds, "logistics") => new("logistics", "логистика"),
        (PnlPartsSource.FeeKinds, "acquiring") => new("acquiring", "эквайринг"),
        (PnlPartsSource.FeeKinds, "commission") => new("commission", "комиссия"),
        (PnlPartsSource.FeeKinds, "other") => new("other", "прочее"),
        (_, "organic") => new("organic", "органика"),
        _ => new(code, code),
    };

    /// <summary>Why a line has no parts, or where its parts come from.</summary>
    public static LocalText Parts(PnlPartsSource source) => source switch
    {
        PnlPartsSource.Computed => new("Computed from the lines above: it has no parts of its own.", "Считается из строк выше: своих составляющих нет."),
        PnlPartsSource.Components => new("Split into the amounts the ledger holds for each order line.", "Разбивка по суммам, которые учёт хранит для каждой позиции заказа."),
        PnlPartsSource.FeeKinds => new("Split by the kind of fee the ledger names.", "Разбивка по видам расходов, как они названы в учёте."),
        PnlPartsSource.Channels => new("Split by advertising channel.", "Разбивка по рекламным каналам."),
        _ => new("The ledger holds this as one amount per order line: there is no finer split.", "Учёт хранит это одной суммой на позицию заказа: более подробной разбивки нет."),
    };

    public static readonly LocalText NoPartsInPeriod = new("None in this period.", "В этом периоде нет.");
}
