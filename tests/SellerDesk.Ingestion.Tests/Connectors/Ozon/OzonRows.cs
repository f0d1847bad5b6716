using System.Globalization;
using System.Text.Json.Nodes;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Ozon;

/// <summary>
/// Source rows as the connector stores them, made without HTTP (for mapping rules one at a time), and rows in the shapes
/// of the retired methods as pulls before them stored them (v2 FBO / v3 FBS postings, finance operations).
/// </summary>
internal static class OzonRows
{
    public static SourceRow Posting(FakeOzonItem posting, bool fbs = false) =>
        new(fbs ? OzonConnector.FbsFeed : OzonConnector.FboFeed, posting.Key, posting.Key, FakeOzonData.Moscow(posting.At), posting.Json);

    public static SourceRow Return(FakeOzonItem ret) =>
        new(OzonConnector.ReturnsFeed, ret.Key, JsonNode.Parse(ret.Json)!["posting_number"]!.GetValue<string>(), FakeOzonData.Moscow(ret.At), ret.Json);

    /// <summary>The row of a posting's accruals: Ozon's entry plus the catalogue entries it names (from <paramref name="types"/>).</summary>
    public static SourceRow Accruals(string postingNumber, IReadOnlyList<FakeOzonAccrual> accruals, IReadOnlyList<FakeOzonType>? types = null, DateOnly? date = null)
    {
        var payload = new JsonObject
        {
            ["posting_number"] = postingNumber,
            ["accruals"] = new JsonArray([.. accruals.Select(a => (JsonNode)FakeOzonData.Json(a))]),
            ["accrual_types"] = Catalogue(accruals.Select(a => a.TypeId), types),
        };
        var businessDate = date ?? (accruals.Count > 0 ? accruals.Min(a => a.Date) : new DateOnly(2026, 3, 1));
        return new SourceRow(OzonConnector.PostingAccrualsFeed, postingNumber, postingNumber, businessDate, payload.ToJsonString());
    }

    /// <summary>The row of a day's accruals that belong to no posting.</summary>
    public static SourceRow Day(DateOnly date, IReadOnlyList<FakeOzonDayAccrual> accruals, IReadOnlyList<FakeOzonType>? types = null)
    {
        var nodes = accruals.Select(a => JsonNode.Parse(a.Json)!).ToList();
        var ids = nodes.SelectMany(n => TypeIds(n)).ToList();
        var payload = new JsonObject
        {
            ["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["accruals"] = new JsonArray([.. nodes]),
            ["accrual_types"] = Catalogue(ids, types),
        };
        return new SourceRow(OzonConnector.DayAccrualsFeed, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, date, payload.ToJsonString());
    }

    /// <summary>Every row of a fake's data for a window, as a pull of it stores them.</summary>
    public static List<SourceRow> All(FakeOzonData data, DateOnly from, DateOnly to)
    {
        var rows = new List<SourceRow>();
        rows.AddRange(data.Fbo.Select(p => Posting(p)));
        rows.AddRange(data.Fbs.Select(p => Posting(p, fbs: true)));
        rows.AddRange(data.Returns.Select(Return));
        rows.AddRange(data.PostingAccruals.Select(p => Accruals(p.PostingNumber, p.Accruals, data.Types)));
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            rows.Add(Day(day, [.. data.DayAccruals.Where(d => d.Date == day)], data.Types));
        }

        return rows;
    }

    /// <summary>A posting as the retired <c>/v2/posting/fbo/list</c> gave it: price as a string, <c>commission_amount</c>, services.</summary>
    public static SourceRow LegacyPosting(string number, string status, DateTimeOffset inProcessAt, FakeOzonProduct product, IReadOnlyDictionary<string, decimal>? services = null)
    {
        var json = new JsonObject
        {
            ["order_id"] = 3_310_000,
            ["order_number"] = number[..number.LastIndexOf('-')],
            ["posting_number"] = number,
            ["status"] = status,
            ["cancel_reason_id"] = 0,
            ["created_at"] = inProcessAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["in_process_at"] = inProcessAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["products"] = new JsonArray(new JsonObject
            {
                ["sku"] = long.Parse(product.Sku, CultureInfo.InvariantCulture),
                ["name"] = "Товар " + product.OfferId,
                ["quantity"] = product.Quantity,
                ["offer_id"] = product.OfferId,
                ["price"] = product.Price.ToString("0.000000", CultureInfo.InvariantCulture),
                ["currency_code"] = "RUB",
            }),
            ["financial_data"] = new JsonObject
            {
                ["products"] = new JsonArray(new JsonObject
                {
                    ["commission_amount"] = product.Commission,
                    ["commission_percent"] = 17,
                    ["payout"] = (product.Price * product.Quantity) - product.Commission,
                    ["product_id"] = long.Parse(product.Sku, CultureInfo.InvariantCulture),
                    ["price"] = product.Price,
                    ["item_services"] = new JsonObject(),
                }),
                ["posting_services"] = new JsonObject((services ?? new Dictionary<string, decimal>()).Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
            },
        };
        return new SourceRow(OzonConnector.FboFeed, number, number, FakeOzonData.Moscow(inProcessAt), json.ToJsonString());
    }

    /// <summary>An operation of the retired <c>/v3/finance/transaction/list</c> (charges negative).</summary>
    public static SourceRow LegacyOperation(
        long id, string type, DateTimeOffset date, string? postingNumber, decimal accruals = 0m, decimal commission = 0m,
        IReadOnlyList<(string Name, decimal Price)>? services = null, decimal? amount = null)
    {
        var total = amount ?? accruals + commission + (services ?? []).Sum(s => s.Price);
        var json = new JsonObject
        {
            ["operation_id"] = id,
            ["operation_type"] = type,
            ["operation_date"] = date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["operation_type_name"] = type,
            ["delivery_charge"] = 0m,
            ["return_delivery_charge"] = 0m,
            ["accruals_for_sale"] = accruals,
            ["sale_commission"] = commission,
            ["amount"] = total,
            ["type"] = postingNumber is null ? "services" : "orders",
            ["posting"] = new JsonObject { ["delivery_schema"] = "FBO", ["order_date"] = "", ["posting_number"] = postingNumber ?? "", ["warehouse_id"] = 0 },
            ["items"] = new JsonArray(),
            ["services"] = new JsonArray([.. (services ?? []).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["price"] = s.Price })]),
        };
        return new SourceRow(
            OzonConnector.LegacyFinanceFeed, id.ToString(CultureInfo.InvariantCulture), postingNumber, FakeOzonData.Moscow(date), json.ToJsonString());
    }

    private static JsonArray Catalogue(IEnumerable<long> ids, IReadOnlyList<FakeOzonType>? types)
    {
        var used = ids.ToHashSet();
        return new JsonArray([.. (types ?? FakeOzonData.Catalogue).Where(t => used.Contains(t.Id)).OrderBy(t => t.Id)
            .Select(t => (JsonNode)new JsonObject { ["id"] = t.Id, ["name"] = t.Name, ["description"] = t.Description })]);
    }

    private static IEnumerable<long> TypeIds(JsonNode node)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, value) in o)
            {
                if (name == "type_id" && value is JsonValue v && v.TryGetValue<long>(out var id))
                {
                    yield return id;
                }
                else if (value is not null)
                {
                    foreach (var inner in TypeIds(value))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a.Where(i => i is not null))
            {
                foreach (var inner in TypeIds(item!))
                {
                    yield return inner;
                }
            }
        }
    }
}
