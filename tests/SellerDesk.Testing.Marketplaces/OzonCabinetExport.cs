using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Connectors.Ozon;

namespace SellerDesk.Testing.Marketplaces;

/// <summary>
/// Writes what the fake Ozon serves the way the seller cabinet exports Finance → Accruals (the wide layout, one row per
/// accrual, Russian headers; docs/marketplace-reports.md): a posting's sale or refund as a goods row (its commission in
/// «Комиссия за продажу»), each other charge of a posting as a row of its own in the column of its type (a charge of the
/// whole posting split over its products by price share, as the cabinet's header says), and each accrual of no posting
/// as a service row typed by its name. <c>;</c>-separated, decimal commas, dates <c>dd.MM.yyyy</c>, acceptance in Moscow
/// time. Data the report cannot say (a type it has no column or name for) throws, so a test never compares a guess.
/// </summary>
public static class OzonCabinetExport
{
    /// <summary>The report's columns, in the cabinet's order (the committed sample's header).</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "Дата начисления", "Тип начисления", "Номер отправления или идентификатор услуги", "Дата принятия заказа в обработку или оказания услуги",
        "Склад отгрузки", "SKU", "Артикул", "Название товара или услуги", "Количество", "За продажу или возврат до вычета комиссий и услуг",
        "Ставка комиссии", "Комиссия за продажу", "Сборка заказа",
        "Обработка отправления (Drop-off/Pick-up) (разбивается по товарам пропорционально количеству в отправлении)", "Магистраль",
        "Последняя миля (разбивается по товарам пропорционально доле цены товара в сумме отправления)", "Обратная магистраль",
        "Обработка возврата", "Обработка отмененного или невостребованного товара (разбивается по товарам в отправлении в одинаковой пропорции)",
        "Обработка невыкупленного товара", "Логистика", "Индекс локализации", "Обратная логистика", "Итого",
    ];

    /// <summary>The money column (by the start of its header) each posting charge type of the fake's catalogue goes to.</summary>
    private static readonly Dictionary<long, string> ChargeColumns = new()
    {
        [FakeOzonData.Logistic] = "Логистика",
        [FakeOzonData.ReturnFlowLogistic] = "Обратная логистика",
        [FakeOzonData.DeliveryToHandoverPlaceByOzon] = "Последняя миля",
        [FakeOzonData.LastMileCourier] = "Последняя миля",
        [FakeOzonData.Fulfillment] = "Сборка заказа",
        [FakeOzonData.Cancellation] = "Обработка отмененного или невостребованного товара",
    };

    /// <summary>The «Тип начисления» text of each accrual of no posting the report names.</summary>
    private static readonly Dictionary<long, string> ServiceNames = new()
    {
        [FakeOzonData.Acquiring] = "Оплата эквайринга",
        [FakeOzonData.Placements] = "Услуга размещения товаров на складе",
        [FakeOzonData.PayPerClick] = "Оплата за клик",
        [FakeOzonData.SupplyInbound] = "Приемка товара",
        [FakeOzonData.PremiumSubscription] = "Подписка Premium",
    };

    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    /// <summary>Whether the report can say <paramref name="accrual"/> (a day accrual of a type it names).</summary>
    public static bool CanWrite(FakeOzonDayAccrual accrual)
    {
        ArgumentNullException.ThrowIfNull(accrual);
        return Fees(accrual).All(f => ServiceNames.ContainsKey(f.TypeId));
    }

    /// <summary>The report's rows of <paramref name="data"/>: postings' accruals by date and posting, then services by date.</summary>
    public static IReadOnlyList<object?[]> Rows(FakeOzonData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var postings = data.Fbo.Concat(data.Fbs).ToDictionary(p => p.Key, p => JsonNode.Parse(p.Json)!.AsObject(), StringComparer.Ordinal);
        var rows = new List<(DateOnly Date, int Order, object?[] Cells)>();
        foreach (var entry in data.PostingAccruals)
        {
            var posting = postings[entry.PostingNumber];
            var accepted = DateTimeOffset.Parse(posting["in_process_at"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToOffset(Moscow).DateTime;
            var products = posting["products"]!.AsArray()
                .Select(p => (Sku: p!["sku"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), Offer: p["offer_id"]!.GetValue<string>(),
                    Value: FakeOzonData.Amount(p["price"]) * p["quantity"]!.GetValue<int>()))
                .ToList();
            string OfferOf(string sku) => products.First(p => p.Sku == sku).Offer;
            object?[] Row(DateOnly date, string type, string sku, int quantity)
            {
                var cells = new object?[Header.Count];
                Set(cells, "Дата начисления", date.ToDateTime(TimeOnly.MinValue));
                Set(cells, "Тип начисления", type);
                Set(cells, "Номер отправления или идентификатор услуги", entry.PostingNumber);
                Set(cells, "Дата принятия заказа в обработку или оказания услуги", accepted);
                Set(cells, "SKU", sku);
                Set(cells, "Артикул", OfferOf(sku));
                Set(cells, "Название товара или услуги", "Товар " + OfferOf(sku));
                Set(cells, "Количество", (decimal)quantity);
                return cells;
            }

            foreach (var a in entry.Accruals)
            {
                if (a.SellerPrice is { } price)
                {
                    var units = Math.Max(1, a.Quantity);
                    var cells = Row(a.Date, price > 0m ? "Доставка покупателю" : "Получение возврата, отмены, невыкупа от покупателя", a.Sku!, units);
                    Set(cells, "За продажу или возврат до вычета комиссий и услуг", price * units);
                    Set(cells, "Комиссия за продажу", a.Amount);
                    Set(cells, "Итого", a.Money);
                    rows.Add((a.Date, rows.Count, cells));
                    continue;
                }

                if (!ChargeColumns.TryGetValue(a.TypeId, out var column))
                {
                    throw new ArgumentException($"accrual type {a.TypeId} of posting {entry.PostingNumber} has no column in the accruals report", nameof(data));
                }

                // A charge of one product is its row; a charge of the whole posting is split over its products by price share.
                var parts = a.Sku is { } own
                    ? [(own, a.Amount)]
                    : products.Zip(OzonMapper.Spread(a.Amount, [.. products.Select(p => p.Value)]), (p, share) => (p.Sku, share)).Where(p => p.share != 0m).ToList();
                foreach (var (sku, amount) in parts)
                {
                    var cells = Row(a.Date, "Доставка покупателю", sku, 0);
                    Set(cells, column, amount);
                    Set(cells, "Итого", amount);
                    rows.Add((a.Date, rows.Count, cells));
                }
            }
        }

        foreach (var accrual in data.DayAccruals)
        {
            var json = JsonNode.Parse(accrual.Json)!;
            var unit = json["unit_number"]?.GetValue<string>() is { Length: > 0 } u ? u : accrual.Id.ToString(CultureInfo.InvariantCulture);
            foreach (var (typeId, amount) in Fees(accrual))
            {
                if (!ServiceNames.TryGetValue(typeId, out var name))
                {
                    throw new ArgumentException($"accrual type {typeId} of day accrual {accrual.Id} has no name in the accruals report", nameof(data));
                }

                var cells = new object?[Header.Count];
                Set(cells, "Дата начисления", accrual.Date.ToDateTime(TimeOnly.MinValue));
                Set(cells, "Тип начисления", name);
                Set(cells, "Номер отправления или идентификатор услуги", unit);
                Set(cells, "Дата принятия заказа в обработку или оказания услуги", accrual.Date.ToDateTime(TimeOnly.MinValue));
                Set(cells, "Название товара или услуги", name);
                Set(cells, "Итого", amount);
                rows.Add((accrual.Date, rows.Count, cells));
            }
        }

        return [.. rows.OrderBy(r => r.Date).ThenBy(r => r.Order).Select(r => r.Cells)];
    }

    /// <summary>The report as the cabinet's CSV: <c>;</c> between cells, decimal commas, UTF-8 with a byte order mark.</summary>
    public static byte[] Csv(FakeOzonData data)
    {
        var text = new StringBuilder();
        text.AppendJoin(';', Header).Append("\r\n");
        foreach (var row in Rows(data))
        {
            text.AppendJoin(';', row.Select(cell => cell switch
            {
                null => string.Empty,
                decimal d => d.ToString(CultureInfo.InvariantCulture).Replace('.', ','),
                DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "dd.MM.yyyy" : "dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture),
                _ => Convert.ToString(cell, CultureInfo.InvariantCulture),
            })).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>The report as the cabinet's XLSX: one worksheet, header in row 1, numbers as numbers.</summary>
    public static byte[] Xlsx(FakeOzonData data) => WildberriesCabinetExport.WriteXlsx(Header, Rows(data));

    /// <summary>The typed fee parts of a day accrual (NON_ITEM, ITEM or container fees).</summary>
    private static List<(long TypeId, decimal Amount)> Fees(FakeOzonDayAccrual accrual)
    {
        var json = JsonNode.Parse(accrual.Json)!;
        var fees = new List<(long, decimal)>();
        if (json["non_item_fee"] is JsonObject single)
        {
            fees.Add((single["type_id"]!.GetValue<long>(), FakeOzonData.Amount(single["accrued"])));
        }

        foreach (var product in json["item_fees"]?["fees"]?.AsArray() ?? [])
        {
            fees.AddRange(product!["fees"]!.AsArray().Select(f => (f!["type_id"]!.GetValue<long>(), FakeOzonData.Amount(f["accrued"]))));
        }

        fees.AddRange((json["container_fees"]?["fees"]?.AsArray() ?? []).Select(f => (f!["type_id"]!.GetValue<long>(), FakeOzonData.Amount(f["accrued"]))));
        return fees;
    }

    private static void Set(object?[] cells, string column, object? value)
    {
        var index = -1;
        for (var i = 0; i < Header.Count && index < 0; i++)
        {
            if (Header[i] == column || Header[i].StartsWith(column + " (", StringComparison.Ordinal))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new ArgumentException($"no column '{column}' in the accruals report", nameof(column));
        }

        cells[index] = value;
    }
}
