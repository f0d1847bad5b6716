using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// One stored campaign statistics row (feed <c>wb.adstats</c>, written by the fetch from <c>/adv/v3/fullstats</c>):
/// the campaign, day and nmId with the figures of each app type. What the mapping reads of it.
/// </summary>
internal sealed record WildberriesStatistics(long AdvertId, string? CampaignName, long NmId, string? VendorCode, int Orders, decimal Spend)
{
    /// <summary>The ledger's sku of the row: the vendor code, else the nmId (as sales lines name a WB sku).</summary>
    public string Sku => !string.IsNullOrWhiteSpace(VendorCode) ? VendorCode.Trim() : NmId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The row read from its payload; null when it is not of the shape the fetch writes.</summary>
    public static WildberriesStatistics? TryRead(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryInt64(root, "advertId", out var advertId)
                || !TryInt64(root, "nmId", out var nmId)
                || !root.TryGetProperty("apps", out var apps) || apps.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var orders = 0L;
            var spend = 0m;
            foreach (var app in apps.EnumerateArray())
            {
                if (app.ValueKind != JsonValueKind.Object || !app.TryGetProperty("nm", out var nm) || nm.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                orders += TryInt64(nm, "orders", out var o) ? o : 0;
                spend += TryDecimal(nm, "sum", out var s) ? s : 0m;
            }

            if (orders is > int.MaxValue or < int.MinValue)
            {
                return null;
            }

            return new WildberriesStatistics(advertId, Text(root, "campName"), nmId, Text(root, "vendorCode"), (int)orders, spend);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryInt64(JsonElement element, string name, out long number)
    {
        number = 0;
        if (!element.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out number),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static bool TryDecimal(JsonElement element, string name, out decimal number)
    {
        number = 0m;
        if (!element.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out number),
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }
}
