using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>
/// A sheet of Yandex Market's services report (<c>united-marketplace-services</c>, one JSON file per sheet in the
/// archive): the ledger kind of its charges, the column with a row's final cost, the column with its service date,
/// the column naming its order (if any), and whether Yandex also charges its per-order rows in the order's
/// <c>commissions[]</c> of <c>stats/orders</c> (then those rows are not taken again).
/// </summary>
internal sealed record ServiceSheet(string Name, string Kind, string AmountColumn, string DateColumn, bool InOrderCommissions, string OrderColumn = "orderId");

/// <summary>One stored row of the services report as the mapping reads it.</summary>
internal sealed record YmService(string Sheet, string Kind, decimal Amount, string? OrderId);

/// <summary>
/// Yandex Market's services report: which sheets are read and how, reading the downloaded archive, and the source
/// rows it becomes (feed <c>ym.services</c>). docs/connectors/yandex_market.md, "Fees from the services report".
/// </summary>
internal static class YandexMarketServices
{
    public const string Feed = "ym.services";

    public const string StorageKind = "storage";
    public const string AcceptanceKind = "acceptance";
    public const string PromotionKind = "promotion";

    /// <summary>Columns that hold a row's cost in sheets the connector does not know, in the order they are tried.</summary>
    private static readonly string[] AmountColumns = ["servicePrice", "totalAmount", "paidStorage", "fullPrice"];

    /// <summary>Columns that hold a row's service date, in the order they are tried.</summary>
    private static readonly string[] DateColumns = ["serviceDateTime", "serviceDate", "dateTime"];

    private static readonly Dictionary<string, ServiceSheet> Known = Catalogue().ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The sheet of that name, or a sheet of kind <c>other</c> read by the usual columns when Yandex adds one.</summary>
    public static ServiceSheet SheetOf(string name) => Known.TryGetValue(name, out var sheet)
        ? sheet
        : new ServiceSheet(name, YandexMarketMapper.OtherKind, string.Empty, string.Empty, InOrderCommissions: false);

    public static bool IsKnown(string name) => Known.ContainsKey(name);

    /// <summary>
    /// The sheets of the archive and their rows. Each file is a JSON array of row objects, or an object holding one
    /// such array (the layout inside the archive is not in YM's reference; both are read).
    /// </summary>
    public static List<(string Sheet, List<JsonElement> Rows)> ReadArchive(byte[] archive)
    {
        var sheets = new List<(string, List<JsonElement>)>();
        using var zip = new ZipArchive(new MemoryStream(archive, writable: false), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var sheet = Path.GetFileNameWithoutExtension(entry.Name);
            using var stream = entry.Open();
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var arrays = root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).ToList();
                root = arrays.Count == 1 ? arrays[0].Value : default;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"sheet '{sheet}' is not a list of rows");
            }

            sheets.Add((sheet, [.. root.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(r => r.Clone())]));
        }

        return sheets;
    }

    /// <summary>
    /// The source rows of one sheet: every row, except rows of an order in a sheet whose services Yandex also charges in
    /// the order's <c>commissions[]</c>. Source id: <c>sheet:identity:n</c>, where identity hashes every column but the
    /// cost and the act date (so a restated cost updates the same row) and n counts identical rows. Business date: the
    /// Moscow date of the service, else of the act (<paramref name="undated"/> counts them), else
    /// <paramref name="fallback"/>.
    /// </summary>
    public static List<SourceRow> SourceRows(string name, IReadOnlyList<JsonElement> rows, DateOnly fallback, ref int undated)
    {
        var sheet = SheetOf(name);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<SourceRow>(rows.Count);
        foreach (var row in rows)
        {
            var orderId = YandexMarketJson.Text(row, sheet.OrderColumn);
            if (sheet.InOrderCommissions && orderId is not null)
            {
                continue;
            }

            var identity = Identity(sheet, row);
            var n = seen.TryGetValue(identity, out var before) ? before + 1 : 1;
            seen[identity] = n;
            var date = ServiceDate(sheet, row);
            if (date is null)
            {
                undated++;
                date = YandexMarketTime.MoscowDate(YandexMarketJson.Text(row, "actDate")) ?? fallback;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{name}:{identity}:{n}");
            result.Add(new SourceRow(Feed, id, orderId, date.Value, Payload(name, row)));
        }

        return result;
    }

    /// <summary>A stored row, or null when its payload is not one (the mapping records a gap).</summary>
    public static YmService? TryRead(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (YandexMarketJson.Text(root, "sheet") is not { } name || !root.TryGetProperty("row", out var row) || row.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var sheet = SheetOf(name);
            var column = sheet.AmountColumn.Length > 0 ? sheet.AmountColumn : AmountColumns.FirstOrDefault(c => row.TryGetProperty(c, out _));
            if (column is null || YandexMarketJson.Money(row, column) is not { } amount)
            {
                return null;
            }

            return new YmService(name, sheet.Kind, amount, YandexMarketJson.Text(row, sheet.OrderColumn));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static DateOnly? ServiceDate(ServiceSheet sheet, JsonElement row)
    {
        var columns = sheet.DateColumn.Length > 0 ? [sheet.DateColumn, .. DateColumns] : DateColumns;
        foreach (var column in columns)
        {
            if (YandexMarketTime.MoscowDate(YandexMarketJson.Text(row, column)) is { } date)
            {
                return date;
            }
        }

        return null;
    }

    private static string Identity(ServiceSheet sheet, JsonElement row)
    {
        var text = new StringBuilder();
        foreach (var property in row.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.Name == "actDate" || property.Name == sheet.AmountColumn || (sheet.AmountColumn.Length == 0 && AmountColumns.Contains(property.Name)))
            {
                continue;
            }

            text.Append(property.Name).Append('=').Append(property.Value.GetRawText()).Append('\u001f');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static string Payload(string sheet, JsonElement row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sheet", sheet);
            writer.WritePropertyName("row");
            row.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IEnumerable<ServiceSheet> Catalogue()
    {
        const string Commission = YandexMarketMapper.CommissionKind;
        const string Logistics = YandexMarketMapper.LogisticsKind;
        const string Acquiring = YandexMarketMapper.AcquiringKind;
        const string Other = YandexMarketMapper.OtherKind;
        const string Price = "servicePrice";
        const string At = "serviceDateTime";
        const string On = "serviceDate";

        // Per-order services that stats/orders also lists in the order's commissions[] (YM's commission types in brackets).
        yield return new ServiceSheet("placement", Commission, "totalAmount", At, true);                  // FEE
        yield return new ServiceSheet("sale_commission", Commission, "totalAmount", At, true);            // FEE (unconfirmed)
        yield return new ServiceSheet("item_booking", Other, "totalAmount", At, true);                    // ITEM_BOOKING
        yield return new ServiceSheet("loyalty_and_reviews", Other, Price, At, true);                     // LOYALTY_PARTICIPATION_FEE
        yield return new ServiceSheet("boost", Other, Price, On, true);                                   // AUCTION_PROMOTION
        yield return new ServiceSheet("delivery", Logistics, Price, At, true);                            // DELIVERY_TO_CUSTOMER
        yield return new ServiceSheet("crossregional_delivery", Logistics, Price, At, true);              // CROSSREGIONAL_DELIVERY
        yield return new ServiceSheet("express_delivery", Logistics, Price, At, true);                    // EXPRESS_DELIVERY_TO_CUSTOMER
        yield return new ServiceSheet("payment_accepting", Acquiring, Price, At, true);                   // AGENCY
        yield return new ServiceSheet("payment_transfer", Acquiring, Price, At, true);                    // PAYMENT_TRANSFER
        yield return new ServiceSheet("storage_of_returns", Logistics, Price, On, true);                  // RETURNED_ORDERS_STORAGE
        yield return new ServiceSheet("order_processing", Logistics, Price, On, true);                    // SORTING
        yield return new ServiceSheet("order_processing_on_warehouse", Logistics, Price, On, true);       // RETURN_PROCESSING
        yield return new ServiceSheet("intake_logistics", Logistics, Price, At, true);                    // INTAKE_SORTING
        yield return new ServiceSheet("expropriation", Other, "fullPrice", "dateTime", true, "orderNumber"); // ILLIQUID_GOODS_SALE

        // Per-order services stats/orders no longer lists (FULFILLMENT since 2024, INSTALLMENT since 2022) or never did: order fees.
        yield return new ServiceSheet("warehouse_processing", Logistics, Price, At, false);
        yield return new ServiceSheet("installment_plan", Other, Price, At, false);
        yield return new ServiceSheet("delivery_from_abroad", Logistics, Price, At, false);
        yield return new ServiceSheet("agency_commission_3pl", Other, Price, At, false);
        yield return new ServiceSheet("money_withdraw", Other, Price, At, false);

        // Charges of no order: period fees.
        yield return new ServiceSheet("paid_storage_before_31-05-22", StorageKind, Price, On, false);
        yield return new ServiceSheet("paid_storage_after_01-06-22", StorageKind, "paidStorage", On, false);
        yield return new ServiceSheet("paid_storage_after_01-09-26", StorageKind, "paidStorage", On, false);
        yield return new ServiceSheet("goods_acceptance", AcceptanceKind, Price, At, false);
        yield return new ServiceSheet("reception_of_surplus", AcceptanceKind, Price, At, false);
        yield return new ServiceSheet("delivery_via_transit_warehouse", Logistics, Price, On, false);
        yield return new ServiceSheet("export_from_warehouse", Logistics, Price, At, false);
        yield return new ServiceSheet("product_marking", Other, Price, At, false);
        yield return new ServiceSheet("utilization", Other, Price, At, false);
        yield return new ServiceSheet("extended_service_access", Other, Price, On, false);
        yield return new ServiceSheet("business_subscription", Other, Price, On, false);
        yield return new ServiceSheet("personal_manager", Other, Price, On, false);
        foreach (var promotion in new[] { "shelf", "cpm-boost", "banners", "product-banners", "pushes", "popups", "mailing", "web", "tv", "yandex-market", "pads" })
        {
            yield return new ServiceSheet(promotion, PromotionKind, Price, On, false);
        }
    }
}
