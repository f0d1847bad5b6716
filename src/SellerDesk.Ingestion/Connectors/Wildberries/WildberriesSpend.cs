using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>A day and channel whose ad spend in the ledger differs from the marketplace's raw charges.</summary>
public sealed record SpendDifference(DateOnly Date, string Channel, decimal Charged, decimal Ledger);

/// <summary>A campaign's spend over a window by its charges and by its own statistics.</summary>
public sealed record CampaignSpend(long AdvertId, decimal Charged, decimal Statistics);

/// <summary>
/// Spend reconciliation of Wildberries ads (docs/connectors/wildberries.md "Spend reconciliation"), read from the raw
/// source rows independently of the mapping: the charges of each day and campaign against the ledger's ad spend, and
/// each campaign's statistics against its charges.
/// </summary>
public static class WildberriesSpend
{
    /// <summary>
    /// The days and channels where the sum of the charges' <c>updSum</c> differs from the ledger's ad spend of
    /// <c>wb_adv_&lt;advertId&gt;</c> (or <c>wb_ads</c> for a charge without a campaign). Charges the mapping
    /// named in a gap (refunds, unreadable charges) are the ledger's side too, so they count as accounted for.
    /// </summary>
    public static IReadOnlyList<SpendDifference> Reconcile(IReadOnlyList<SourceRow> rows, DerivedLedger ledger, bool utcDesignatorIsMoscowTime = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(ledger);
        var inGaps = ledger.Gaps.SelectMany(g => g.SourceIds).ToHashSet(StringComparer.Ordinal);
        var charged = new Dictionary<(DateOnly Date, string Channel), decimal>();
        foreach (var row in rows.Where(r => r.Feed == WildberriesMapper.AdsFeed && !inGaps.Contains(r.SourceId)))
        {
            using var charge = JsonDocument.Parse(row.Payload);
            var root = charge.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var amount = Number(root, "updSum") ?? 0m;
            var date = WildberriesTime.MoscowDate(root.TryGetProperty("updTime", out var time) && time.ValueKind == JsonValueKind.String ? time.GetString() : null, utcDesignatorIsMoscowTime)
                ?? row.BusinessDate;
            var channel = Number(root, "advertId") is { } id and > 0
                ? WildberriesMapper.CampaignChannel((long)id)
                : WildberriesMapper.AdChannel;
            charged[(date, channel)] = charged.GetValueOrDefault((date, channel)) + amount;
        }

        var booked = ledger.AdSpend.GroupBy(a => (a.Date, a.Channel)).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));
        return [.. charged.Keys.Union(booked.Keys)
            .Select(k => new SpendDifference(k.Date, k.Channel, charged.GetValueOrDefault(k), booked.GetValueOrDefault(k)))
            .Where(d => d.Charged != d.Ledger)
            .OrderBy(d => d.Date).ThenBy(d => d.Channel, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Per campaign over the rows given: the charges' <c>updSum</c> and the statistics' <c>sum</c>. They measure
    /// different things (documents billed against spend accrued per day and product), so a difference is for a
    /// seller to look at, not an error.
    /// </summary>
    public static IReadOnlyList<CampaignSpend> StatisticsAgainstCharges(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var charged = new Dictionary<long, decimal>();
        var statistics = new Dictionary<long, decimal>();
        foreach (var row in rows)
        {
            if (row.Feed == WildberriesMapper.AdsFeed)
            {
                using var charge = JsonDocument.Parse(row.Payload);
                if (charge.RootElement.ValueKind == JsonValueKind.Object && Number(charge.RootElement, "advertId") is { } id and > 0)
                {
                    charged[(long)id] = charged.GetValueOrDefault((long)id) + (Number(charge.RootElement, "updSum") ?? 0m);
                }
            }
            else if (row.Feed == WildberriesMapper.StatisticsFeed && WildberriesStatistics.TryRead(row.Payload) is { } stat)
            {
                statistics[stat.AdvertId] = statistics.GetValueOrDefault(stat.AdvertId) + stat.Spend;
            }
        }

        return [.. charged.Keys.Union(statistics.Keys).Order()
            .Select(id => new CampaignSpend(id, charged.GetValueOrDefault(id), statistics.GetValueOrDefault(id)))];
    }

    private static decimal? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
                JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            }
            : null;
}
