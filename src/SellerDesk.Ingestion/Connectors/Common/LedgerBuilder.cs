using System.Globalization;
using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Connectors.Common;

/// <summary>
/// What a connector's mapping collects while it reads source rows, and the ledger it makes of them: sales lines,
/// returns and ad spend as the mapping adds them; period fees summed per date and kind; and the gaps, money the
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
        return new DerivedLedger(Sales, Returns, AdSpend, fees) { Gaps = TakeGaps() };
    }
}
