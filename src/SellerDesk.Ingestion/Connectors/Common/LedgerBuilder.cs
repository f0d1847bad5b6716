using System.Globalization;
using SellerDesk.Data.Ledger;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Connectors.Common;

/// <summary>
/// What a connector's mapping collects while it reads source rows, and the ledger it makes of them: sales lines,
/// returns and ad spend as the mapping adds them; attribution rows summed per date, channel and SKU; period fees summed per date and kind; and the gaps, money the
/// ledger cannot carry (<see cref="MappingGap"/>). One rule for every marketplace:
/// <list type="bullet">
/// <item>a period fee is the net of every charge (positive) and credit (negative) of its kind on its date; zero
/// amounts are not recorded;</item>
/// <item>a date and kind whose amounts net to a credit is no fee (the ledger has no negative fee): it is a gap of
/// that credit, naming its source rows, so the marketplace's payout still reconciles;</item>
/// <item>records come out sorted (by order, then line or return id; ad spend by date and channel, fees by date), so the same rows map
/// to the same ledger in any order.</item>
/// </list>
/// </summary>
public sealed class LedgerBuilder(string marketplace)
{
    private readonly Dictionary<(DateOnly Date, string Kind), (decimal Amount, SortedSet<string> SourceIds)> _fees = [];
    private readonly List<MappingGap> _gaps = [];
    private readonly Dictionary<(DateOnly Date, string Channel, string Sku), (int Orders, SortedSet<string> Feeds, SortedSet<string> SourceIds)> _attribution = [];

    /// <summary>The marketplace code the records carry.</summary>
    public string Marketplace { get; } = marketplace;

    /// <summary>The zone the mapping dates instants in when the source gives no date of its own (Moscow unless set).</summary>
    public TimeZoneInfo Zone { get; init; } = MoscowTime.Zone;

    public List<SaleLine> Sales { get; } = [];

    public List<ReturnEvent> Returns { get; } = [];

    public List<AdSpend> AdSpend { get; } = [];

    /// <summary>
    /// Records money the ledger cannot carry, with why, its effect on the marketplace's payout, the order it belongs to
    /// (null for period money) and the source rows it came from (each named once).
    /// </summary>
    public void Gap(string reason, decimal payoutEffect, string? orderKey, params string[] sourceIds) =>
        _gaps.Add(new MappingGap(reason, payoutEffect, [.. sourceIds.Distinct(StringComparer.Ordinal)]) { OrderKey = orderKey });

    /// <summary>The gaps recorded so far, handed over and forgotten (a part of a long mapping).</summary>
    public List<MappingGap> TakeGaps()
    {
        var taken = new List<MappingGap>(_gaps);
        _gaps.Clear();
        return taken;
    }

    /// <summary>A cost (positive) or credit (negative) of a period kind on a date, from one source row.</summary>
    public void Fee(DateOnly date, string kind, decimal amount, string sourceId)
    {
        if (amount == 0m)
        {
            return;
        }

        var key = (date, kind);
        var (total, ids) = _fees.TryGetValue(key, out var found) ? found : (0m, new SortedSet<string>(StringComparer.Ordinal));
        ids.Add(sourceId);
        _fees[key] = (total + amount, ids);
    }

    /// <summary>
    /// Orders that <paramref name="channel"/> (a campaign or tracked link: a stable code, never <c>organic</c>) drove
    /// of <paramref name="sku"/> on local <paramref name="date"/>, from one statistics row of the marketplace
    /// (<paramref name="sourceId"/>, the marketplace's own id of it, of feed <paramref name="feed"/>): an attribution
    /// row (metrics.md 3.1). Rows of the same date, channel and SKU add up (a campaign reported per platform, say);
    /// zero orders still make a row (the campaign ran and drove none). The source row's business date must be
    /// <paramref name="date"/>: attribution is derived per date, so a date's rows must come from that date's source rows.
    /// Orders below zero are not orders: the row is a gap of no money, naming its source row, and adds nothing.
    /// </summary>
    public void Attribution(DateOnly date, string channel, string sku, int orders, string sourceId, string? feed = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(sku);
        ArgumentNullException.ThrowIfNull(sourceId);
        if (orders < 0)
        {
            Gap(string.Create(CultureInfo.InvariantCulture, $"attribution of {orders} orders to {channel} for {sku} on {date:yyyy-MM-dd} is not a count of orders"), 0m, null, sourceId);
            return;
        }

        var key = (date, channel, sku);
        if (!_attribution.TryGetValue(key, out var found))
        {
            found = (0, new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
        }

        if (feed is not null)
        {
            found.Feeds.Add(feed);
        }

        found.SourceIds.Add(sourceId);
        _attribution[key] = (checked(found.Orders + orders), found.Feeds, found.SourceIds);
    }

    /// <summary>The ledger of everything added, with the gaps not taken yet (fee credits among them).</summary>
    public DerivedLedger Build()
    {
        var fees = new List<PeriodFee>();
        foreach (var ((date, kind), (amount, ids)) in _fees.OrderBy(f => f.Key.Date).ThenBy(f => f.Key.Kind, StringComparer.Ordinal))
        {
            if (amount > 0m)
            {
                fees.Add(new PeriodFee(date, Marketplace, kind, amount));
            }
            else if (amount < 0m)
            {
                Gap(string.Create(CultureInfo.InvariantCulture, $"{kind} on {date:yyyy-MM-dd} nets to a credit of {-amount:0.00}"), -amount, null, [.. ids]);
            }
        }

        Sales.Sort((a, b) => string.CompareOrdinal(a.OrderId, b.OrderId) is var byOrder and not 0
            ? byOrder
            : string.CompareOrdinal(a.LineId, b.LineId));
        Returns.Sort((a, b) => string.CompareOrdinal(a.OrderId, b.OrderId) is var byOrder and not 0 ? byOrder
            : string.CompareOrdinal(a.ReturnId, b.ReturnId) is var byReturn and not 0 ? byReturn
            : string.CompareOrdinal(a.LineId, b.LineId));
        AdSpend.Sort((a, b) => a.Date.CompareTo(b.Date) is var byDate and not 0 ? byDate : string.CompareOrdinal(a.Channel, b.Channel));
        var attribution = new List<AttributionRow>(_attribution.Count);
        var origins = new List<RowOrigin?>(_attribution.Count);
        foreach (var ((date, channel, sku), (orders, feeds, ids)) in _attribution
            .OrderBy(a => a.Key.Date)
            .ThenBy(a => a.Key.Channel, StringComparer.Ordinal)
            .ThenBy(a => a.Key.Sku, StringComparer.Ordinal))
        {
            attribution.Add(new AttributionRow(date, Marketplace, channel, sku, orders));
            origins.Add(new RowOrigin(string.Join(',', feeds), string.Join(',', ids)));
        }

        return new DerivedLedger(Sales, Returns, AdSpend, fees) { Gaps = TakeGaps(), Attribution = attribution, AttributionOrigins = origins };
    }
}
