using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Campaign statistics for attribution rows (metrics.md 3.1; docs/connectors/wildberries.md "Campaign statistics"):
/// the campaigns from <c>GET /api/advert/v2/adverts</c>, then <c>GET /adv/v3/fullstats</c> per at most 50 campaigns
/// and 31 days, one source row per (campaign, day, nmId) with every app type's figures kept.
/// </summary>
public sealed partial class WildberriesConnector
{
    /// <summary>Path of the campaign list (GET, <c>statuses</c>).</summary>
    public const string CampaignsPath = "/api/advert/v2/adverts";

    /// <summary>Path of the campaign statistics (GET, <c>ids</c>, <c>beginDate</c>, <c>endDate</c>).</summary>
    public const string StatisticsPath = "/adv/v3/fullstats";

    /// <summary>The campaign list method as messages and the doc name it.</summary>
    public const string CampaignsMethod = "GET " + CampaignsPath;

    /// <summary>The statistics method as messages and the doc name it.</summary>
    public const string StatisticsMethod = "GET " + StatisticsPath;

    /// <summary>Statuses of campaigns that have statistics (WB: fullstats answers for 7 completed, 9 active, 11 paused).</summary>
    public const string StatisticsStatuses = "7,9,11";

    /// <summary>
    /// The statistics of the window, call by call, then an empty list when every call has been answered; or, when a
    /// call fails, the feed's failure (and nothing after it).
    /// </summary>
    private async IAsyncEnumerable<(IReadOnlyList<SourceRow> Rows, FeedFailure? Failed)> FetchStatisticsAsync(
        Uri baseUrl,
        string token,
        bool separateAdsToken,
        string serialKey,
        PullWindow window,
        IReadOnlyDictionary<long, string?> charged,
        IReadOnlyDictionary<long, string> vendorCodes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listUri = new Uri($"{Root(baseUrl)}{CampaignsPath}?statuses={StatisticsStatuses}");
        var (list, stop) = await PromotionGetAsync(listUri, token, separateAdsToken, serialKey, CampaignsMethod, WildberriesTexts.CampaignList, cancellationToken);
        if (stop is { } listFailure)
        {
            yield return ([], new FeedFailure(StatisticsFeed, listFailure.Kind, WildberriesTexts.StatisticsNotPulled(listFailure.Why)));
            yield break;
        }

        var campaigns = Campaigns(list, window, charged, out var listBroken);
        if (listBroken)
        {
            yield return ([], new FeedFailure(StatisticsFeed, ConnectorFailure.BadResponse, WildberriesTexts.StatisticsNotPulled(WildberriesTexts.CampaignListNotAList)));
            yield break;
        }

        var ids = campaigns.Keys.Order().ToList();
        for (var batch = 0; batch < ids.Count; batch += _options.CampaignsPerCall)
        {
            var part = ids.Skip(batch).Take(_options.CampaignsPerCall).ToList();
            for (var from = window.From; from <= window.To;)
            {
                var to = from.AddDays(_options.StatisticsDaysPerCall - 1);
                if (to > window.To)
                {
                    to = window.To;
                }

                var uri = new Uri(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Root(baseUrl)}{StatisticsPath}?ids={string.Join(',', part)}&beginDate={from:yyyy-MM-dd}&endDate={to:yyyy-MM-dd}"));
                var (body, failed) = await PromotionGetAsync(uri, token, separateAdsToken, serialKey, StatisticsMethod, WildberriesTexts.CampaignStatistics, cancellationToken);
                if (failed is { } why)
                {
                    yield return ([], new FeedFailure(StatisticsFeed, why.Kind, WildberriesTexts.StatisticsNotPulled(why.Why)));
                    yield break;
                }

                if (body is { ValueKind: not JsonValueKind.Array })
                {
                    yield return ([], new FeedFailure(StatisticsFeed, ConnectorFailure.BadResponse, WildberriesTexts.StatisticsNotPulled(WildberriesTexts.StatisticsNotAList)));
                    yield break;
                }

                var rows = body is { } answer ? StatisticsRows(answer, from, to, campaigns, vendorCodes) : [];
                if (rows.Count > 0)
                {
                    yield return (rows, null);
                }

                if (to == DateOnly.MaxValue)
                {
                    break;
                }

                from = to.AddDays(1);
            }
        }

        yield return ([], null);
    }

    /// <summary>
    /// The campaigns whose statistics are asked for, with their names: every campaign charged in the window, every
    /// active (9) or paused (11) one, and every completed (7) one changed on or after the window's first day (a
    /// campaign completed before the window has no day in it). Names: <c>settings.name</c>, else the charges'
    /// <c>campName</c>.
    /// </summary>
    private static Dictionary<long, string?> Campaigns(JsonElement? list, PullWindow window, IReadOnlyDictionary<long, string?> charged, out bool broken)
    {
        broken = false;
        var campaigns = new Dictionary<long, string?>(charged);
        if (list is not { } body)
        {
            return campaigns;
        }

        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("adverts", out var adverts)
            || adverts.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            broken = true;
            return campaigns;
        }

        if (adverts.ValueKind == JsonValueKind.Null)
        {
            return campaigns;
        }

        foreach (var advert in adverts.EnumerateArray())
        {
            if (advert.ValueKind != JsonValueKind.Object || Int64(advert, "id") is not { } id)
            {
                continue;
            }

            var status = Int64(advert, "status");
            var changed = advert.TryGetProperty("timestamps", out var stamps) && stamps.ValueKind == JsonValueKind.Object
                ? WildberriesTime.MoscowDate(Text(stamps, "updated"), utcDesignatorIsMoscowTime: false)
                : null;
            var name = advert.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object ? Text(settings, "name")?.Trim() : null;
            var wanted = charged.ContainsKey(id) || status is 9 or 11 || (status == 7 && (changed is null || changed >= window.From));
            if (wanted)
            {
                campaigns[id] = string.IsNullOrEmpty(name) ? campaigns.GetValueOrDefault(id) : name;
            }
        }

        return campaigns;
    }

    /// <summary>
    /// One source row per (campaign, day, nmId) of an answer, days outside the call's dates left out. Its payload is
    /// the campaign's id and name, the day, the nmId, the vendor code the run's report gives that nmId (null when the
    /// report had no line of it), and the nm's figures of each app type as WB sent them (<c>apps[].nm</c>).
    /// </summary>
    private List<SourceRow> StatisticsRows(
        JsonElement answer, DateOnly from, DateOnly to, IReadOnlyDictionary<long, string?> campaigns, IReadOnlyDictionary<long, string> vendorCodes)
    {
        var grouped = new SortedDictionary<(long Campaign, DateOnly Date, long NmId), List<(long? AppType, JsonElement Nm)>>();
        foreach (var campaign in answer.EnumerateArray())
        {
            if (campaign.ValueKind != JsonValueKind.Object || Int64(campaign, "advertId") is not { } advertId
                || !campaign.TryGetProperty("days", out var days) || days.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var day in days.EnumerateArray())
            {
                if (day.ValueKind != JsonValueKind.Object
                    || WildberriesTime.MoscowDate(Text(day, "date"), _options.UtcDesignatorIsMoscowTime) is not { } date
                    || date < from || date > to
                    || !day.TryGetProperty("apps", out var apps) || apps.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var app in apps.EnumerateArray())
                {
                    if (app.ValueKind != JsonValueKind.Object || !app.TryGetProperty("nms", out var nms) || nms.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var nm in nms.EnumerateArray())
                    {
                        if (nm.ValueKind != JsonValueKind.Object || Int64(nm, "nmId") is not { } nmId)
                        {
                            continue;
                        }

                        var key = (advertId, date, nmId);
                        if (!grouped.TryGetValue(key, out var parts))
                        {
                            grouped[key] = parts = [];
                        }

                        parts.Add((Int64(app, "appType"), nm));
                    }
                }
            }
        }

        var rows = new List<SourceRow>(grouped.Count);
        foreach (var ((advertId, date, nmId), parts) in grouped)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("advertId", advertId);
                WriteText(writer, "campName", campaigns.GetValueOrDefault(advertId));
                writer.WriteString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteNumber("nmId", nmId);
                WriteText(writer, "vendorCode", vendorCodes.GetValueOrDefault(nmId));
                writer.WriteStartArray("apps");
                foreach (var (appType, nm) in parts)
                {
                    writer.WriteStartObject();
                    if (appType is { } type)
                    {
                        writer.WriteNumber("appType", type);
                    }
                    else
                    {
                        writer.WriteNull("appType");
                    }

                    writer.WritePropertyName("nm");
                    nm.WriteTo(writer);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            rows.Add(new SourceRow(
                StatisticsFeed,
                string.Create(CultureInfo.InvariantCulture, $"{advertId}:{date:yyyy-MM-dd}:{nmId}"),
                null,
                date,
                Encoding.UTF8.GetString(buffer.ToArray())));
        }

        return rows;
    }

    private static void WriteText(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
