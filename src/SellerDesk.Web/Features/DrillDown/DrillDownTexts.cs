using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.DrillDown;

/// <summary>The drill-down's words in both languages (page, files), as <c>PnlTexts</c> keeps the P&amp;L's.</summary>
public static class DrillDownTexts
{
    public static readonly LocalText Title = new("Orders behind the figure", "Заказы за цифрой");
    public static readonly LocalText SheetName = new("Orders", "Заказы");
    public static readonly LocalText NotIdentified = new("not identified", "не определён");
    public static readonly LocalText Yes = new("yes", "да");
    public static readonly LocalText No = new("no", "нет");
    public static readonly LocalText ScopeName = new("Which orders", "Какие заказы");
    public static readonly LocalText AcquisitionChannel = new("Acquisition channel", "Канал привлечения");
    public static readonly LocalText Totals = new("Sum of the listed orders", "Сумма по заказам");
    public static readonly LocalText OrdersCount = new("Orders", "Заказов");
    public static readonly LocalText LinesCount = new("Lines", "Позиций");
    public static readonly LocalText FirstOrders = new("First orders", "Первых заказов");
    public static readonly LocalText Revenue = new("Revenue", "Выручка");
    public static readonly LocalText NetRevenue = new("Net revenue", "Чистая выручка");
    public static readonly LocalText Fees = new("Fees", "Расходы маркетплейса");
    public static readonly LocalText Cogs = new("Cost of goods", "Себестоимость");
    public static readonly LocalText Margin = new("Contribution margin", "Маржинальная прибыль");
    public static readonly LocalText ReturnLoss = new("Return loss", "Потери на возвратах");
    public static readonly LocalText Order = new("Order", "Заказ");
    public static readonly LocalText Date = new("Date", "Дата");
    public static readonly LocalText Customer = new("Customer", "Покупатель");
    public static readonly LocalText Channel = new("Channel", "Канал");
    public static readonly LocalText FirstOrder = new("First order", "Первый заказ");
    public static readonly LocalText Line = new("Line", "Позиция");
    public static readonly LocalText Sku = new("SKU", "Артикул");
    public static readonly LocalText Units = new("Units", "Штук");
    public static readonly LocalText Commission = new("Commission", "Комиссия");
    public static readonly LocalText Logistics = new("Logistics", "Логистика");
    public static readonly LocalText Acquiring = new("Acquiring", "Эквайринг");
    public static readonly LocalText OtherFees = new("Other", "Прочее");
    public static readonly LocalText Source = new("Source", "Источник");
    public static readonly LocalText Month = new("Month", "Месяц");
    public static readonly LocalText Cohort = new("Cohort", "Когорта");
    public static readonly LocalText Through = new("Orders through", "Заказы по месяц");
    public static readonly LocalText Returns = new("Returns", "Возвраты");
    public static readonly LocalText MarketplaceRows = new("Marketplace rows of the order", "Строки маркетплейса по заказу");
    public static readonly LocalText Attributed = new("by attribution", "по атрибуции");
    public static readonly LocalText More = new("Show more orders", "Показать ещё заказы");
    public static readonly LocalText Shown = new("{0} of {1} orders shown", "Показано {0} из {1} заказов");
    public static readonly LocalText Empty = new(
        "No order is behind this figure in the period. Choose another period above, or open a figure on the Overview, Channels, SKUs, Cohorts or P&L page.",
        "За этой цифрой в периоде нет заказов. Выберите другой период выше или откройте цифру на страницах «Обзор», «Каналы», «Товары», «Когорты» или «ОПиУ».");

    public static readonly LocalText Export = new("Download the orders", "Скачать заказы");
    public static readonly LocalText ExportHelp = new(
        "One row per order line with its figures and source; the money columns add up to the figure.",
        "По строке на позицию заказа с её цифрами и источником; денежные столбцы в сумме дают цифру.");

    public static readonly LocalText SumNote = new(
        "The money columns summed over every row give the figure the list was opened from (rounded per row: the sum may differ from it by a kopeck per few rows).",
        "Сумма денежных столбцов по всем строкам даёт цифру, из которой открыт список (каждая строка округлена: сумма может отличаться на копейки).");

    public static readonly LocalText Unknown = new("not recorded (written before sources were kept)", "не записан (строка загружена до учёта источников)");

    public static LocalText Scope(DrillScope scope) => scope == DrillScope.Customers
        ? new("orders of the customers acquired in the period, up to the as-of date", "заказы покупателей, привлечённых в периоде, до даты расчёта")
        : new("orders placed in the period", "заказы, оформленные в периоде");

    public static LocalText ScopeNote(DrillScope scope) => scope == DrillScope.Customers
        ? new(
            "These are all orders up to the as-of date of the customers whose first order falls in the period: what margin to date (LTV) and cohort cells sum; the channel filter is the customers' acquisition channel.",
            "Это все заказы до даты расчёта покупателей, чей первый заказ пришёлся на период: то, что суммируют маржа к дате (LTV) и ячейки когорт; фильтр канала — канал привлечения покупателя.")
        : new(
            "These are the orders placed in the period, with their returns up to the as-of date: what revenue, margin, SKU and P&L figures sum.",
            "Это заказы, оформленные в периоде, с возвратами до даты расчёта: то, что суммируют выручка, маржа, цифры товаров и ОПиУ.");

    /// <summary>Where a row came from, in words: "file.csv, line 4", "API upload 2026-12-06 15:40:00 UTC, line 4" or "connection WB, run …, marketplace rows feed:id, …".</summary>
    public static LocalText Origin(DrillOrigin origin, IReadOnlyList<DrillSourceRow> sourceRows)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(sourceRows);
        if (origin.IsFile)
        {
            var line = origin.ImportLine?.ToString(CultureInfo.InvariantCulture) ?? "?";
            if (origin.ApiUploadedAt is { } at)
            {
                var en = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                var ru = at.UtcDateTime.ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture);
                var file = origin.FileName is { } name ? $" ({name})" : string.Empty;
                return new($"API upload {en} UTC{file}, line {line}", $"загрузка через API {ru} UTC{file}, строка {line}");
            }

            return new($"file {origin.ImportFile}, line {line}", $"файл {origin.ImportFile}, строка {line}");
        }

        if (origin.IsPull)
        {
            var name = origin.ConnectionName ?? origin.ConnectionId?.ToString() ?? "?";
            var run = origin.RunId?.ToString() ?? "?";
            var rows = string.Join(", ", sourceRows.Select(r => $"{r.Feed}:{r.SourceId}"));
            return new(
                $"connection {name}, pull run {run}{(rows.Length > 0 ? ", marketplace rows " + rows : string.Empty)}",
                $"подключение {name}, запуск {run}{(rows.Length > 0 ? ", строки маркетплейса " + rows : string.Empty)}");
        }

        return Unknown;
    }
}
