using System.Globalization;
using System.Text;
using System.Text.Json;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// Source rows of the Performance API and what they map to (docs/connectors/ozon.md "Ads: the Performance API"):
/// expenses per campaign and day become ad spend on <c>ozon_adv_&lt;campaignId&gt;</c>, statistics per campaign, day
/// and SKU become attribution rows on the same channel, named after the campaign.
/// </summary>
public static class OzonPerformance
{
    public const string AdSpendFeed = "ozon.adspend";
    public const string StatisticsFeed = "ozon.adstats";

    /// <summary>Prefix of a campaign's channel: <c>ozon_adv_</c> + the campaign id.</summary>
    public const string ChannelPrefix = "ozon_adv_";

    /// <summary>The channel of a campaign (stable: a renamed campaign keeps it).</summary>
    public static string Channel(string campaignId) => ChannelPrefix + campaignId;

    /// <summary>
    /// The campaigns the statistics report covers: those paid per click on products (<c>advObjectType</c> <c>SKU</c>),
    /// the only kind whose report has a row per SKU and day; with their titles.
    /// </summary>
    public static List<(string Id, string? Title)> ProductCampaigns(JsonElement answer)
    {
        var campaigns = new List<(string, string?)>();
        if (!answer.TryGetProperty("list", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return campaigns;
        }

        foreach (var campaign in list.EnumerateArray())
        {
            if (campaign.ValueKind == JsonValueKind.Object && OzonJson.Text(campaign, "id")?.Trim() is { Length: > 0 } id
                && string.Equals(OzonJson.Text(campaign, "advObjectType"), "SKU", StringComparison.Ordinal))
            {
                campaigns.Add((id, OzonJson.Text(campaign, "title")?.Trim()));
            }
        }

        return [.. campaigns.OrderBy(c => c.Item1, StringComparer.Ordinal)];
    }

    /// <summary>
    /// One source row per expense row of the answer (<c>rows[]</c>: <c>id</c>, <c>title</c>, <c>date</c>,
    /// <c>moneySpent</c>, <c>bonusSpent</c>, <c>prepaymentSpent</c>) dated in the call's dates, kept as received.
    /// </summary>
    public static IEnumerable<SourceRow> ExpenseRows(JsonElement answer, DateOnly from, DateOnly to)
    {
        if (!answer.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object || OzonJson.Text(row, "id")?.Trim() is not { Length: > 0 } id
                || Day(OzonJson.Text(row, "date")) is not { } date || date < from || date > to)
            {
                continue;
            }

            yield return new SourceRow(AdSpendFeed, string.Create(CultureInfo.InvariantCulture, $"{id}:{date:yyyy-MM-dd}"), null, date, row.GetRawText());
        }
    }

    /// <summary>
    /// One source row per campaign, day and SKU of a report (<c>{"&lt;campaignId&gt;": {"title", "report": {"rows":
    /// [{"date": "dd.MM.yyyy", "sku", "orders", "moneySpent", ...}]}}}</c>), the report's rows of that key kept as
    /// received, with the campaign's title and the offer_id the run's postings give the SKU.
    /// </summary>
    public static List<SourceRow> StatisticsRows(
        JsonElement report, DateOnly from, DateOnly to, IReadOnlyDictionary<string, string?> titles, IReadOnlyDictionary<string, string> offerIds)
    {
        var grouped = new SortedDictionary<(string Campaign, DateOnly Date, string Sku), List<JsonElement>>(Comparer<(string, DateOnly, string)>.Create((x, y) =>
            string.CompareOrdinal(x.Item1, y.Item1) is var c and not 0 ? c : x.Item2.CompareTo(y.Item2) is var d and not 0 ? d : string.CompareOrdinal(x.Item3, y.Item3)));
        var reportTitles = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var campaign in report.EnumerateObject())
        {
            if (campaign.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            reportTitles[campaign.Name] = OzonJson.Text(campaign.Value, "title");
            if (!campaign.Value.TryGetProperty("report", out var inner) || inner.ValueKind != JsonValueKind.Object
                || !inner.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var row in rows.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object || OzonJson.Text(row, "sku")?.Trim() is not { Length: > 0 } sku
                    || Day(OzonJson.Text(row, "date")) is not { } date || date < from || date > to)
                {
                    continue;
                }

                var key = (campaign.Name, date, sku);
                if (!grouped.TryGetValue(key, out var parts))
                {
                    grouped[key] = parts = [];
                }

                parts.Add(row);
            }
        }

        var result = new List<SourceRow>(grouped.Count);
        foreach (var ((campaign, date, sku), parts) in grouped)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("campaignId", campaign);
                var title = titles.GetValueOrDefault(campaign) ?? reportTitles.GetValueOrDefault(campaign);
                if (title is null)
                {
                    writer.WriteNull("title");
                }
                else
                {
                    writer.WriteString("title", title);
                }

                writer.WriteString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteString("sku", sku);
                if (offerIds.TryGetValue(sku, out var offer))
                {
                    writer.WriteString("offerId", offer);
                }
                else
                {
                    writer.WriteNull("offerId");
                }

                writer.WriteStartArray("rows");
                foreach (var part in parts)
                {
                    part.WriteTo(writer);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            result.Add(new SourceRow(StatisticsFeed, $"{campaign}:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{sku}", null, date, Encoding.UTF8.GetString(buffer.ToArray())));
        }

        return result;
    }

    /// <summary>
    /// Maps the Performance rows among <paramref name="rows"/>: expenses to ad spend per day and campaign channel
    /// (<c>moneySpent</c>, bonuses included: it is what the campaign cost), statistics to attribution rows (orders
    /// summed over the key's report rows; sku the offer_id, else Ozon's sku, as sales lines name it) and campaign
    /// titles to channel names. A row the mapping cannot read is a gap of no money (ads are not payout).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Map(IReadOnlyList<SourceRow> rows, LedgerBuilder state)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(state);
        var spend = new SortedDictionary<(DateOnly Date, string Channel), (decimal Amount, List<string> Ids)>();
        var names = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Feed == AdSpendFeed).OrderBy(r => r.SourceId, StringComparer.Ordinal))
        {
            var expense = Read(row.Payload);
            if (expense is not { } e || OzonJson.Text(e, "id")?.Trim() is not { Length: > 0 } id || Money(OzonJson.Text(e, "moneySpent")) is not { } amount)
            {
                state.Gap($"ad expense {row.SourceId} is not readable JSON of the documented shape", 0m, null, row.SourceId);
                continue;
            }

            var channel = Channel(id);
            Name(names, channel, OzonJson.Text(e, "title"));
            var key = (row.BusinessDate, channel);
            var (total, ids) = spend.TryGetValue(key, out var found) ? found : (0m, new List<string>());
            ids.Add(row.SourceId);
            spend[key] = (total + amount, ids);
        }

        foreach (var ((date, channel), (amount, ids)) in spend)
        {
            if (amount > 0m)
            {
                state.AdSpend.Add(new AdSpend(date, state.Marketplace, channel, amount));
            }
            else if (amount < 0m)
            {
                state.Gap(string.Create(CultureInfo.InvariantCulture, $"ad expenses of {channel} on {date:yyyy-MM-dd} net to a refund"), 0m, null, [.. ids]);
            }
        }

        foreach (var row in rows.Where(r => r.Feed == StatisticsFeed).OrderBy(r => r.SourceId, StringComparer.Ordinal))
        {
            var stat = Read(row.Payload);
            if (stat is not { } s || OzonJson.Text(s, "campaignId")?.Trim() is not { Length: > 0 } campaign
                || OzonJson.Text(s, "sku")?.Trim() is not { Length: > 0 } sku
                || !s.TryGetProperty("rows", out var parts) || parts.ValueKind != JsonValueKind.Array)
            {
                state.Gap($"campaign statistics row {row.SourceId} is not readable JSON of the documented shape", 0m, null, row.SourceId);
                continue;
            }

            var channel = Channel(campaign);
            Name(names, channel, OzonJson.Text(s, "title"));
            var orders = 0m;
            foreach (var part in parts.EnumerateArray())
            {
                orders += part.ValueKind == JsonValueKind.Object ? Money(OzonJson.Text(part, "orders")) ?? 0m : 0m;
            }

            if (orders != decimal.Truncate(orders) || orders > int.MaxValue || orders < int.MinValue)
            {
                state.Gap(string.Create(CultureInfo.InvariantCulture, $"campaign statistics row {row.SourceId} claims {orders} orders, not a count"), 0m, null, row.SourceId);
                continue;
            }

            if (orders != 0m)
            {
                var ledgerSku = OzonJson.Text(s, "offerId")?.Trim() is { Length: > 0 } offer ? offer : sku;
                state.Attribution(row.BusinessDate, channel, ledgerSku, (int)orders, row.SourceId, StatisticsFeed);
            }
        }

        return new Dictionary<string, string>(names, StringComparer.Ordinal);
    }

    /// <summary>A number as the Performance API writes it: a JSON number, or a string with a decimal comma (<c>"405,50"</c>) and spaces.</summary>
    public static decimal? Money(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var plain = text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\u00a0", string.Empty, StringComparison.Ordinal).Replace(',', '.');
        return decimal.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>A report day: <c>dd.MM.yyyy</c> (statistics) or <c>yyyy-MM-dd</c> (expenses).</summary>
    public static DateOnly? Day(string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text.Trim(), "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : text.Trim() is { Length: >= 10 } t && DateOnly.TryParseExact(t[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso) ? iso
        : null;

    private static void Name(SortedDictionary<string, string> names, string channel, string? name)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            names[channel] = name.Trim();
        }
    }

    private static JsonElement? Read(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
