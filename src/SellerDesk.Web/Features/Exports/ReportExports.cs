using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Exports;

/// <summary>
/// The channels report (4.1 with 4.6's revenue, DRR and ROAS) and the marketplaces report (4.2 with 4.7's
/// concentration) as export tables: worded headers in the file's language, every column explained.
/// </summary>
public static class ReportExports
{
    public static ExportTable Channels(FactReports reports, string? marketplace)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var revenue = reports.ChannelRevenue().ToDictionary(r => (r.Marketplace, r.Channel));
        var rows = reports.Channels()
            .Where(c => marketplace is null || c.Marketplace == marketplace)
            .Select(c =>
            {
                var r = c.Rounded();
                var money = revenue.GetValueOrDefault((c.Marketplace, c.Channel))?.Rounded();
                return new ExportRow(new List<object?>
                {
                    r.Marketplace, r.Channel, r.NewCustomers, r.IdentifiedCustomers, r.AttributedCustomers, r.Spend, money?.Revenue, money?.Drr, money?.Roas,
                    r.Cac, r.FirstOrderMargin, r.FirstOrderProfit, r.LtvToDate, r.LtvCac, Verdict(r.Verdict),
                });
            });

        ExportColumn[] columns =
        [
            new(ExportTexts.Marketplace, ExportKind.Text, Words("The marketplace (its code).", "Маркетплейс (его код).")),
            new(ExportTexts.Channel, ExportKind.Text, Words(
                "The acquisition channel (its code); organic when nothing brought the customer.",
                "Канал привлечения (его код); organic — покупатель пришёл сам.")),
            new(Words("New customers", "Новые покупатели"), ExportKind.Count, Words(
                "Customers whose first order on the marketplace falls in the period, credited to this channel.",
                "Покупатели, чей первый заказ на маркетплейсе пришёлся на период, отнесённые к этому каналу.")),
            new(Words("With buyer id", "С идентификатором"), ExportKind.Count, Words(
                "Of the new customers, those the marketplace identifies by a real buyer id.",
                "Из новых покупателей — те, кого маркетплейс передаёт с настоящим идентификатором покупателя.")),
            new(Words("Credited by attribution", "По атрибуции"), ExportKind.Count, Words(
                "Of the new customers, those whose channel comes from the marketplace's own advertising statistics.",
                "Из новых покупателей — те, чей канал взят из рекламной статистики самого маркетплейса.")),
            new(Words("Ad spend", "Расходы на рекламу"), ExportKind.Money, Words("Ad spend on this channel and marketplace in the period.", "Расходы на рекламу в этом канале на этом маркетплейсе за период.")),
            new(Words("Revenue", "Выручка"), ExportKind.Money, Words(
                "What buyers paid for every order of the period that came through this channel (repeat orders too), before refunds.",
                "Сколько покупатели заплатили за все заказы периода, пришедшие через этот канал (и повторные), до возвратов.")),
            new(Words("Ad share of revenue (DRR)", "ДРР"), ExportKind.Ratio, Words(
                "Ad spend divided by that revenue; empty when there was no revenue.",
                "Доля рекламных расходов: расходы, делённые на эту выручку; пусто, если выручки не было.")),
            new(Words("ROAS", "ROAS"), ExportKind.Number, Words(
                "Revenue per rouble of ad spend; empty when nothing was spent.",
                "Выручка на рубль рекламных расходов; пусто, если расходов не было.")),
            new(Words("Cost per new customer (CAC)", "Стоимость привлечения (CAC)"), ExportKind.Money, Words(
                "Ad spend divided by new customers; empty without new customers.",
                "Расходы, делённые на число новых покупателей; пусто, если их нет.")),
            new(Words("First-order margin", "Маржа первого заказа"), ExportKind.Money, Words(
                "Average contribution margin of the new customers' first orders.",
                "Средняя маржинальная прибыль первых заказов новых покупателей.")),
            new(Words("First-order profit", "Прибыль первого заказа"), ExportKind.Money, Words(
                "First-order margin minus the cost per new customer.",
                "Маржа первого заказа минус стоимость привлечения.")),
            new(Words("Margin to date per customer (LTV)", "Маржа на покупателя к дате (LTV)"), ExportKind.Money, Words(
                "Average contribution margin of all orders of those customers up to the as-of date.",
                "Средняя маржинальная прибыль всех заказов этих покупателей до даты расчёта.")),
            new(Words("LTV / CAC", "LTV / CAC"), ExportKind.Number, Words(
                "How many times the margin to date covers the cost per new customer.",
                "Во сколько раз маржа к дате покрывает стоимость привлечения.")),
            new(Words("Verdict", "Вывод"), ExportKind.Text, Words(
                "Profitable when the first order covers the cost per customer; pays back when the margin to date does; cut when neither does.",
                "Прибыльный — первый заказ окупает привлечение; окупается — окупает маржа к дате; отключить — не окупается ни то, ни другое.")),
        ];

        return new ExportTable(Request("channels", new("Acquisition channels", "Каналы привлечения"), reports, marketplace), new("Channels", "Каналы"), columns, ExportTable.Of(rows))
        {
            Notes = [Margin],
            FrozenColumns = 2,
        };
    }

    public static ExportTable Marketplaces(FactReports reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var rows = reports.Marketplaces().Select(m =>
        {
            var r = m.Rounded();
            return new ExportRow(new List<object?>
            {
                r.Marketplace, r.Revenue, r.NetRevenue, r.ContributionMargin, r.PeriodFees, r.AdSpend, r.Profit, r.ReturnLoss, r.ReturnLossShare, r.ReturnRate,
                r.NewCustomers, r.BlendedCac, r.IdentifiedShare, r.CmShare, r.CogsMissingLines,
            });
        });

        ExportColumn[] columns =
        [
            new(ExportTexts.Marketplace, ExportKind.Text, Words("The marketplace (its code).", "Маркетплейс (его код).")),
            new(Words("Revenue", "Выручка"), ExportKind.Money, Words("What buyers paid for the orders of the period, before refunds.", "Сколько покупатели заплатили за заказы периода, до возвратов.")),
            new(Words("Net revenue", "Чистая выручка"), ExportKind.Money, Words("Revenue minus refunds.", "Выручка минус возвраты.")),
            new(Words("Contribution margin", "Маржинальная прибыль"), ExportKind.Money, Words(
                "Net revenue minus marketplace fees and the cost of goods that did not come back to stock.",
                "Чистая выручка минус расходы маркетплейса и себестоимость товаров, не вернувшихся на склад.")),
            new(Words("Period fees", "Расходы периода"), ExportKind.Money, Words("Marketplace charges not tied to an order, dated in the period.", "Расходы маркетплейса, не привязанные к заказу, с датой в периоде.")),
            new(Words("Ad spend", "Реклама"), ExportKind.Money, Words("Ad spend on the marketplace dated in the period.", "Расходы на рекламу на маркетплейсе с датой в периоде.")),
            new(Words("Profit", "Прибыль"), ExportKind.Money, Words("Contribution margin minus period fees and ad spend.", "Маржинальная прибыль минус расходы периода и реклама.")),
            new(Words("Return loss", "Потери на возвратах"), ExportKind.Money, Words(
                "What returns cost beyond the refund: fees not given back, return logistics and goods that cannot be sold again.",
                "Во что обошлись возвраты сверх возврата денег: невозвращённые комиссии, обратная логистика и товар, который нельзя продать снова.")),
            new(Words("Return loss share", "Доля потерь на возвратах"), ExportKind.Ratio, Words("Return loss divided by revenue.", "Потери на возвратах, делённые на выручку.")),
            new(Words("Return rate", "Доля возвратов"), ExportKind.Ratio, Words("Units returned divided by units sold.", "Возвращённые штуки, делённые на проданные.")),
            new(Words("New customers", "Новые покупатели"), ExportKind.Count, Words("Customers whose first order falls in the period.", "Покупатели, чей первый заказ пришёлся на период.")),
            new(Words("Ad spend per new customer", "Реклама на нового покупателя"), ExportKind.Money, Words("Ad spend divided by new customers.", "Реклама, делённая на число новых покупателей.")),
            new(Words("Share with buyer id", "Доля с идентификатором"), ExportKind.Ratio, Words(
                "Share of the new customers with a real buyer id: how far customer figures rest on real buyers.",
                "Доля новых покупателей с настоящим идентификатором: насколько цифры по покупателям опираются на реальных людей.")),
            new(Words("Share of total margin", "Доля в общей марже"), ExportKind.Ratio, Words(
                "This marketplace's share of the contribution margin of all marketplaces (negative when it loses money); empty when the total is not positive.",
                "Доля маркетплейса в маржинальной прибыли всех маркетплейсов (отрицательная, если он убыточен); пусто, если общая маржа не положительна.")),
            new(Words("Lines without cost", "Позиции без себестоимости"), ExportKind.Count, Words(
                "Order lines whose SKU had no known unit cost: their cost of goods counts as zero.",
                "Позиции заказов, у товара которых нет себестоимости: она считается нулевой.")),
        ];

        var concentration = reports.Concentration();
        var notes = new List<LocalText> { Margin };
        if (concentration.TopShare is { } top && concentration.TopMarketplace is { } leader)
        {
            var share = Rounding.Ratio(top).ToString("P1", System.Globalization.CultureInfo.InvariantCulture);
            notes.Add(Words(
                $"{leader} carries {share} of the total margin{(concentration.DependsOnOnePlatform ? ": the business depends on one platform (more than 60 %)." : ".")}",
                $"На {leader} приходится {share} общей маржи{(concentration.DependsOnOnePlatform ? ": бизнес зависит от одной площадки (больше 60 %)." : ".")}"));
        }

        return new ExportTable(Request("marketplaces", new("Marketplaces", "Маркетплейсы"), reports, null), new("Marketplaces", "Маркетплейсы"), columns, ExportTable.Of(rows))
        {
            Notes = notes,
            FrozenColumns = 1,
        };
    }

    private static readonly LocalText Margin = Words(
        "Contribution margin: revenue minus refunds, marketplace fees (commission, logistics, acquiring, other) and the cost of goods that did not come back to stock.",
        "Маржинальная прибыль: выручка минус возвраты, расходы маркетплейса (комиссия, логистика, эквайринг, прочее) и себестоимость товаров, не вернувшихся на склад.");

    private static ExportRequest Request(string report, LocalText title, FactReports reports, string? marketplace) =>
        new(report, title, reports.Period.From, reports.Period.To, reports.Period.AsOf,
            report == "marketplaces" ? [] : [new ExportFilter(ExportTexts.Marketplace, marketplace, marketplace is { } m ? new LocalText(m, m) : ExportTexts.All)]);

    internal static LocalText Verdict(ChannelVerdict verdict) => verdict switch
    {
        ChannelVerdict.Profitable => Words("Profitable", "Прибыльный"),
        ChannelVerdict.PaysBack => Words("Pays back", "Окупается"),
        ChannelVerdict.Cut => Words("Cut", "Отключить"),
        _ => Words("No new customers", "Нет новых покупателей"),
    };

    private static LocalText Words(string en, string ru) => new(en, ru);
}
