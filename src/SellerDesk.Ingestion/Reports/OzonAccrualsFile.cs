using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Ozon;

namespace SellerDesk.Ingestion.Reports;

/// <summary>
/// Ozon's accruals report as the seller cabinet exports it (Финансы → Начисления, one row per accrual of a posting or
/// a service, Russian headers) as the rows Ozon's API gives (decision 0027): per posting, the posting
/// (<c>ozon.fbo</c>: number, acceptance time, products), its returns (<c>ozon.returns</c>) and its accruals
/// (<c>ozon.accruals.posting</c>, each money column an accrual typed by the catalogue name it stands for); services
/// without a posting as a day's accruals (<c>ozon.accruals.day</c>). The connector's mapping reads them. The report
/// covers a period: uploading the period again replaces what the earlier upload of it gave.
/// </summary>
public static class OzonAccrualsFile
{
    public const string MarketplaceCode = OzonMapper.MarketplaceCode;

    /// <summary>Headers that make a table this report.</summary>
    public static IReadOnlyList<string> Signature { get; } =
        ["Дата начисления", "Тип начисления", "Номер отправления или идентификатор услуги", "За продажу или возврат до вычета комиссий и услуг", "Итого"];

    /// <summary>
    /// Each money column (by the start of its header: Ozon adds how a charge is split to some headers) and the accrual
    /// type of Ozon's catalogue (<c>/v1/finance/accrual/types</c> name) it stands for.
    /// </summary>
    public static IReadOnlyList<(string Header, string TypeName)> MoneyColumns { get; } =
    [
        ("Комиссия за продажу", "SaleCommission"),
        ("Сборка заказа", "Fulfillment"),
        ("Обработка отправления", "Drop-Off"),
        ("Магистраль", "Logistic"),
        ("Последняя миля", "LastMile"),
        ("Обратная магистраль", "ReturnFlowLogistic"),
        ("Обработка возврата", "ClientReturn"),
        ("Обработка отмененного или невостребованного товара", "Cancellation"),
        ("Обработка невыкупленного товара", "PartialReturn"),
        ("Логистика", "Logistic"),
        ("Обратная логистика", "ReturnFlowLogistic"),
    ];

    /// <summary>Service accruals (rows of no posting) by their type text, as far as confirmed; any other is "other".</summary>
    public static IReadOnlyDictionary<string, string> ServiceTypes { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Услуга размещения товаров на складе"] = "Placements",
        ["Размещение товаров"] = "Placements",
        ["Оплата эквайринга"] = "Acquiring",
        ["Приемка товара"] = "SupplyInbound",
        ["Оплата за клик"] = "PayPerClick",
        ["Продвижение в поиске"] = "Promotion",
        ["Трафареты"] = "Stencil",
        ["Подписка Premium"] = "PremiumSubscription",
    };

    private const string GoodsHeader = "За продажу или возврат до вычета комиссий и услуг";
    private const string CommissionTypeName = "SaleCommission";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool Matches(ReportTable table) => Signature.All(h => table.Column(h) >= 0);

    /// <summary>
    /// The report's rows, or its problems by line (then nothing). <paramref name="period"/> is the period the report
    /// was asked for in the cabinet (an accrual outside it is a problem); null: from its first to its last accrual date.
    /// A second upload of a period replaces what the first gave for it.
    /// </summary>
    public static OzonParsed Read(ReportTable table, PullWindow? period = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var problems = new List<ReportProblem>();
        var required = Signature.Concat(["SKU", "Количество", "Дата принятия заказа в обработку или оказания услуги"]).ToList();
        foreach (var header in required.Where(h => table.Column(h) < 0))
        {
            problems.Add(new ReportProblem(table.HeaderLine, header, new LocalText(
                $"required column '{header}' is missing: upload the accruals report as the cabinet gives it",
                $"нет обязательного столбца «{header}»: загрузите отчёт о начислениях в том виде, в каком его выдаёт кабинет")));
        }

        if (problems.Count > 0)
        {
            return new OzonParsed(problems, null);
        }

        int Col(string name) => table.Column(name);
        var date = Col("Дата начисления");
        var type = Col("Тип начисления");
        var number = Col("Номер отправления или идентификатор услуги");
        var accepted = Col("Дата принятия заказа в обработку или оказания услуги");
        var sku = Col("SKU");
        var offer = Col("Артикул");
        var quantity = Col("Количество");
        var goods = Col(GoodsHeader);
        var total = Col("Итого");
        var money = MoneyColumns
            .Select(m => (m.TypeName, Index: ColumnStarting(table, m.Header)))
            .Where(m => m.Index >= 0)
            .ToList();

        var postings = new SortedDictionary<string, PostingData>(StringComparer.Ordinal);
        var days = new SortedDictionary<DateOnly, JsonArray>();
        var catalogue = new Catalogue();
        DateOnly? first = null;
        DateOnly? last = null;
        foreach (var record in table.Rows)
        {
            var before = problems.Count;
            var cells = new ReportCells(table, record, problems);
            var day = cells.Date(date);
            var id = cells.Text(number);
            var value = cells.Money(goods) ?? 0m;
            var amounts = money.Select(m => (m.TypeName, Amount: cells.Money(m.Index) ?? 0m)).Where(m => m.Amount != 0m).ToList();
            var stated = cells.Money(total);
            var units = (int)(cells.Whole(quantity) ?? 0);
            var acceptedAt = cells.Date(accepted);
            if (problems.Count > before)
            {
                continue;
            }

            if (day is null)
            {
                cells.Problem(date, new LocalText("the accrual has no date", "у начисления нет даты"));
                continue;
            }

            if (id.Length == 0)
            {
                cells.Problem(number, new LocalText("the accrual names no posting or service", "начисление не называет ни отправление, ни услугу"));
                continue;
            }

            var productSku = cells.Text(sku);
            var ofGoods = productSku.Length > 0 || value != 0m;

            // A service of no posting has its amount in the total only; a posting's row adds up to its total.
            var sum = !ofGoods && amounts.Count == 0 ? stated ?? 0m : value + amounts.Sum(a => a.Amount);
            if (stated is { } t && t != sum)
            {
                cells.Problem(total, new LocalText(
                    string.Create(CultureInfo.InvariantCulture, $"the total {t:0.00} is not the sum of the row's amounts ({sum:0.00})"),
                    string.Create(CultureInfo.InvariantCulture, $"итого {t:0.00} не равно сумме начислений строки ({sum:0.00})")));
                continue;
            }

            var accrualDate = DateOnly.FromDateTime(day.Value);
            if (period is { } asked && (accrualDate < asked.From || accrualDate > asked.To))
            {
                cells.Problem(date, new LocalText(
                    string.Create(CultureInfo.InvariantCulture, $"the accrual of {accrualDate:yyyy-MM-dd} is outside the report's period {asked.From:yyyy-MM-dd}..{asked.To:yyyy-MM-dd}"),
                    string.Create(CultureInfo.InvariantCulture, $"начисление от {accrualDate:dd.MM.yyyy} вне периода отчёта {asked.From:dd.MM.yyyy}–{asked.To:dd.MM.yyyy}")));
                continue;
            }

            first = first is { } f && f <= accrualDate ? f : accrualDate;
            last = last is { } l && l >= accrualDate ? l : accrualDate;
            if (ofGoods)
            {
                if (productSku.Length == 0)
                {
                    cells.Problem(sku, new LocalText("a sale or return of goods names no SKU", "у продажи или возврата товара нет SKU"));
                    continue;
                }

                if (!postings.TryGetValue(id, out var posting))
                {
                    postings[id] = posting = new PostingData(id);
                }

                posting.AcceptedAt ??= acceptedAt;
                var count = Math.Max(1, Math.Abs(units));
                if (value > 0m)
                {
                    posting.Products.Add((productSku, cells.Text(offer), count, value / count));
                }
                else if (value < 0m)
                {
                    posting.Returns.Add((productSku, cells.Text(offer), count, -value / count, accrualDate));
                }

                // The goods line carries the commission (a sale's charge, a return's refund) with the seller's price, as
                // Ozon's sale accrual does; every other money column is an accrual of its own type.
                var commission = value != 0m ? amounts.Where(a => a.TypeName == CommissionTypeName).Sum(a => a.Amount) : 0m;
                if (value != 0m)
                {
                    posting.Accruals.Add(Accrual(catalogue.Id(CommissionTypeName), commission, accrualDate, value / count, productSku, count));
                }

                foreach (var (typeName, amount) in amounts.Where(a => value == 0m || a.TypeName != CommissionTypeName))
                {
                    posting.Accruals.Add(Accrual(catalogue.Id(typeName), amount, accrualDate, null, productSku, 0));
                }

                continue;
            }

            // A service of no posting: the day's accrual, typed by what the report calls it.
            var typeText = cells.Text(type);
            var typeId = catalogue.Id(ServiceTypes.GetValueOrDefault(typeText) ?? typeText);
            if (!days.TryGetValue(accrualDate, out var list))
            {
                days[accrualDate] = list = [];
            }

            list.Add(new JsonObject
            {
                ["accrual_id"] = string.Create(CultureInfo.InvariantCulture, $"{id}@{record.Line}"),
                ["accrued_category"] = "NON_ITEM",
                ["total_amount"] = sum.ToString(CultureInfo.InvariantCulture),
                ["non_item_fee"] = new JsonObject { ["type_id"] = typeId, ["accrued"] = sum.ToString(CultureInfo.InvariantCulture) },
            });
        }

        if (problems.Count == 0 && first is null)
        {
            problems.Add(new ReportProblem(table.HeaderLine, null, new LocalText("the report has a header but no accruals", "в отчёте есть заголовок, но нет ни одного начисления")));
        }

        if (problems.Count > 0)
        {
            return new OzonParsed(problems, null);
        }

        var rows = new List<SourceRow>();
        foreach (var posting in postings.Values)
        {
            rows.AddRange(posting.Rows(catalogue));
        }

        foreach (var (day, accruals) in days)
        {
            var payload = new JsonObject
            {
                ["date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["accruals"] = accruals,
                ["accrual_types"] = catalogue.Json(),
            };
            rows.Add(new SourceRow(OzonMapper.DayAccrualsFeed, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, day, payload.ToJsonString(Relaxed)));
        }

        var covered = period ?? new PullWindow(first!.Value, last!.Value);
        var report = new UploadedReport(MarketplaceCode, rows)
        {
            CompletedFeeds = [OzonMapper.FboFeed, OzonMapper.ReturnsFeed, OzonMapper.PostingAccrualsFeed, OzonMapper.DayAccrualsFeed],
            Period = covered,
            Name = new LocalText(
                string.Create(CultureInfo.InvariantCulture, $"Ozon accruals of {covered.From:yyyy-MM-dd}..{covered.To:yyyy-MM-dd}"),
                string.Create(CultureInfo.InvariantCulture, $"начисления Ozon за {covered.From:dd.MM.yyyy}–{covered.To:dd.MM.yyyy}")),
            Complete = stored => Merge(rows, stored, covered),
        };
        return new OzonParsed([], report);
    }

    /// <summary>
    /// A posting's accruals of other periods stay: its stored accruals dated outside <paramref name="period"/> join the
    /// report's (Ozon's API gives all of a posting's accruals in one row; a report gives one period's).
    /// </summary>
    internal static IReadOnlyList<SourceRow> Merge(IReadOnlyList<SourceRow> rows, IReadOnlyList<SourceRow> stored, PullWindow period)
    {
        var storedAccruals = stored.Where(s => s.Feed == OzonMapper.PostingAccrualsFeed).ToDictionary(s => s.SourceId, StringComparer.Ordinal);
        var storedPostings = stored.Where(s => s.Feed == OzonMapper.FboFeed).ToDictionary(s => s.SourceId, StringComparer.Ordinal);
        var merged = new List<SourceRow>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Feed == OzonMapper.FboFeed && storedPostings.TryGetValue(row.SourceId, out var earlier) && IsFromReturnsOnly(row))
            {
                merged.Add(earlier);
                continue;
            }

            if (row.Feed != OzonMapper.PostingAccrualsFeed || !storedAccruals.TryGetValue(row.SourceId, out var old))
            {
                merged.Add(row);
                continue;
            }

            var entry = JsonNode.Parse(row.Payload)!.AsObject();
            var keep = JsonNode.Parse(old.Payload)!["accruals"]!.AsArray()
                .Where(a => OzonJson.Date(a?["accrual_date"]?.GetValue<string>()) is { } d && (d < period.From || d > period.To))
                .Select(a => a!.DeepClone())
                .ToList();
            if (keep.Count == 0)
            {
                merged.Add(row);
                continue;
            }

            var accruals = entry["accruals"]!.AsArray();
            foreach (var a in keep)
            {
                accruals.Add(a);
            }

            var oldTypes = JsonNode.Parse(old.Payload)!["accrual_types"]?.AsArray() ?? [];
            var types = entry["accrual_types"]!.AsArray();
            foreach (var t in oldTypes.Where(t => types.All(n => n?["id"]?.GetValue<long>() != t?["id"]?.GetValue<long>())))
            {
                types.Add(t!.DeepClone());
            }

            var earliest = accruals.Select(a => OzonJson.Date(a?["accrual_date"]?.GetValue<string>())).Where(d => d is not null).Min() ?? row.BusinessDate;
            merged.Add(row with { BusinessDate = earliest, Payload = entry.ToJsonString(Relaxed) });
        }

        return merged;
    }

    private static bool IsFromReturnsOnly(SourceRow posting) => posting.Payload.Contains("\"from_returns\":true", StringComparison.Ordinal);

    private static JsonObject Accrual(long typeId, decimal amount, DateOnly date, decimal? sellerPrice, string sku, int quantity)
    {
        var accrual = new JsonObject
        {
            ["type_id"] = typeId,
            ["accrued"] = amount.ToString(CultureInfo.InvariantCulture),
            ["accrual_date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["sku"] = sku,
            ["quantity"] = quantity,
        };
        if (sellerPrice is { } price)
        {
            accrual["seller_price"] = price.ToString(CultureInfo.InvariantCulture);
        }

        return accrual;
    }

    private static int ColumnStarting(ReportTable table, string start)
    {
        var normalized = ReportTable.Normalize(start);
        for (var i = 0; i < table.Header.Count; i++)
        {
            var header = ReportTable.Normalize(table.Header[i]);
            if (header.Equals(normalized, StringComparison.OrdinalIgnoreCase)
                || header.StartsWith(normalized + " (", StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The catalogue the report's accruals are typed by: one id per type name, the same in every upload (FNV-1a of the
    /// name), so a posting's accruals kept from an earlier report keep their meaning beside a later report's.
    /// </summary>
    private sealed class Catalogue
    {
        private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);

        public long Id(string name)
        {
            if (!_ids.TryGetValue(name, out var id))
            {
                var hash = 2166136261u;
                foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
                {
                    hash = unchecked((hash ^ b) * 16777619u);
                }

                _ids[name] = id = hash + 1L;
            }

            return id;
        }

        public JsonArray Json() =>
            [.. _ids.OrderBy(t => t.Value).Select(t => (JsonNode)new JsonObject { ["id"] = t.Value, ["name"] = t.Key, ["description"] = t.Key })];
    }

    private sealed class PostingData(string number)
    {
        public string Number { get; } = number;

        public DateTime? AcceptedAt { get; set; }

        public List<(string Sku, string Offer, int Quantity, decimal Price)> Products { get; } = [];

        public List<(string Sku, string Offer, int Quantity, decimal Price, DateOnly Date)> Returns { get; } = [];

        public List<JsonObject> Accruals { get; } = [];

        private DateOnly FirstAccrual => Accruals.Select(a => DateOnly.Parse(a["accrual_date"]!.GetValue<string>(), CultureInfo.InvariantCulture)).Min();

        public IEnumerable<SourceRow> Rows(Catalogue catalogue)
        {
            var accepted = AcceptedAt ?? FirstAccrual.ToDateTime(TimeOnly.MinValue);
            var products = Products.Count > 0 ? Products : Returns.Select(r => (r.Sku, r.Offer, r.Quantity, r.Price)).ToList();
            if (products.Count > 0)
            {
                // The cabinet shows Moscow time: the instant is written with Moscow's offset.
                var offset = MoscowTime.Zone.GetUtcOffset(accepted);
                var posting = new JsonObject
                {
                    ["posting_number"] = Number,
                    ["status"] = OzonMapper.DeliveredStatus,
                    ["in_process_at"] = new DateTimeOffset(accepted, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                    ["products"] = new JsonArray([.. products.GroupBy(p => (p.Sku, p.Offer)).Select(g => (JsonNode)new JsonObject
                    {
                        ["sku"] = g.Key.Sku,
                        ["offer_id"] = g.Key.Offer,
                        ["quantity"] = g.Sum(p => p.Quantity),
                        ["price"] = g.First().Price.ToString(CultureInfo.InvariantCulture),
                    })]),
                    ["from_report"] = true,
                    ["from_returns"] = Products.Count == 0,
                };
                // Dated by its first accrual in the report, not by its acceptance: every row a report gives lies in the
                // report's period, which a second upload of the period restates whole.
                yield return new SourceRow(OzonMapper.FboFeed, Number, Number, FirstAccrual, posting.ToJsonString(Relaxed));
            }

            foreach (var (ret, index) in Returns.Select((r, i) => (r, i + 1)))
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{Number}:{ret.Sku}:{ret.Date:yyyyMMdd}:{index}");
                var payload = new JsonObject
                {
                    ["id"] = id,
                    ["posting_number"] = Number,
                    ["type"] = OzonMapper.ClientReturnType,
                    ["product"] = new JsonObject
                    {
                        ["sku"] = ret.Sku,
                        ["offer_id"] = ret.Offer,
                        ["price"] = ret.Price.ToString(CultureInfo.InvariantCulture),
                        ["quantity"] = ret.Quantity,
                    },
                    ["logistic"] = new JsonObject { ["return_date"] = ret.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T12:00:00+03:00" },
                };
                yield return new SourceRow(OzonMapper.ReturnsFeed, id, Number, ret.Date, payload.ToJsonString(Relaxed));
            }

            var entry = new JsonObject
            {
                ["posting_number"] = Number,
                ["accruals"] = new JsonArray([.. Accruals]),
                ["accrual_types"] = catalogue.Json(),
            };
            yield return new SourceRow(OzonMapper.PostingAccrualsFeed, Number, Number, FirstAccrual, entry.ToJsonString(Relaxed));
        }
    }
}

/// <summary>An Ozon accruals report read: its problems by line, or the report ready to land.</summary>
public sealed record OzonParsed(IReadOnlyList<ReportProblem> Problems, UploadedReport? Report)
{
    public bool Succeeded => Problems.Count == 0;
}
