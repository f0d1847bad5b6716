using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Scenarios;

namespace SellerDesk.Web.Features.Scenarios;

/// <summary>One figure today and under the scenario, rounded for output.</summary>
public readonly record struct Pair(decimal Today, decimal Scenario)
{
    public decimal Change => Scenario - Today;

    public static Pair Of(decimal today, decimal scenario) => new(Rounding.Money(today), Rounding.Money(scenario));
}

/// <summary>A marketplace's contribution margin and profit (4.2) today and under the scenario.</summary>
public sealed record MarketplaceSide(string Marketplace, Pair ContributionMargin, Pair Profit);

/// <summary>A channel's verdict (4.1) today and under the scenario; <see cref="Changed"/> when they differ.</summary>
public sealed record ChannelSide(string Marketplace, string Channel, ChannelVerdict? Today, ChannelVerdict? Scenario, decimal? CacToday, decimal? CacScenario)
{
    public bool Changed => Today != Scenario;
}

/// <summary>A P&amp;L line (4.5) over the whole period and every marketplace, today and under the scenario.</summary>
public sealed record PnlSide(string Code, Pair Amount, bool Strong);

/// <summary>
/// What the what-if page and its export show of a <see cref="ScenarioResult"/>: the rows of both sides of the domain's
/// reports beside each other, summed over marketplaces or months where the page shows a total. No figure is computed
/// here beyond those sums.
/// </summary>
public sealed record ScenarioView(
    IReadOnlyList<MarketplaceSide> Marketplaces,
    MarketplaceSide Total,
    IReadOnlyList<ChannelSide> Channels,
    IReadOnlyList<VerdictChange> VerdictChanges,
    IReadOnlyList<SkuTurn> SkusTurningUnprofitable,
    IReadOnlyList<PnlSide> Pnl)
{
    /// <summary>The P&amp;L lines in the statement's order, with the results in bold.</summary>
    public static readonly (string Code, bool Strong, Func<ProfitAndLossRow, decimal> Value)[] PnlLines =
    [
        ("revenue", false, r => r.Revenue),
        ("refunds", false, r => r.Refunds),
        ("commission", false, r => r.Commission),
        ("logistics", false, r => r.Logistics),
        ("acquiring", false, r => r.Acquiring),
        ("other_fees", false, r => r.OtherFees),
        ("cogs", false, r => r.Cogs),
        ("contribution_margin", true, r => r.ContributionMargin),
        ("period_fees", false, r => r.PeriodFees),
        ("ad_spend", false, r => r.AdSpend),
        ("profit", true, r => r.Profit),
    ];

    public bool IsEmpty => Marketplaces.Count == 0;

    public static ScenarioView Of(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var before = result.Baseline.Marketplaces.ToDictionary(m => m.Marketplace, StringComparer.Ordinal);
        var after = result.Scenario.Marketplaces.ToDictionary(m => m.Marketplace, StringComparer.Ordinal);
        var marketplaces = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(m => new MarketplaceSide(
                m,
                Pair.Of(before.GetValueOrDefault(m)?.ContributionMargin ?? 0m, after.GetValueOrDefault(m)?.ContributionMargin ?? 0m),
                Pair.Of(before.GetValueOrDefault(m)?.Profit ?? 0m, after.GetValueOrDefault(m)?.Profit ?? 0m)))
            .ToList();
        var total = new MarketplaceSide(
            string.Empty,
            Pair.Of(result.Baseline.Marketplaces.Sum(m => m.ContributionMargin), result.Scenario.Marketplaces.Sum(m => m.ContributionMargin)),
            Pair.Of(result.Baseline.Marketplaces.Sum(m => m.Profit), result.Scenario.Marketplaces.Sum(m => m.Profit)));

        var channelsBefore = result.Baseline.Channels.ToDictionary(c => (c.Marketplace, c.Channel));
        var channelsAfter = result.Scenario.Channels.ToDictionary(c => (c.Marketplace, c.Channel));
        var channels = channelsBefore.Keys.Union(channelsAfter.Keys)
            .OrderBy(k => k.Marketplace, StringComparer.Ordinal).ThenBy(k => k.Channel, StringComparer.Ordinal)
            .Select(k =>
            {
                var b = channelsBefore.GetValueOrDefault(k)?.Rounded();
                var a = channelsAfter.GetValueOrDefault(k)?.Rounded();
                return new ChannelSide(k.Marketplace, k.Channel, b?.Verdict, a?.Verdict, b?.Cac, a?.Cac);
            })
            .ToList();

        return new ScenarioView(marketplaces, total, channels, result.VerdictChanges(), result.SkusTurningUnprofitable(), PnlOf(result, null));
    }

    /// <summary>The P&amp;L lines (4.5) summed over the period's months, of one marketplace or (null) of all.</summary>
    public static IReadOnlyList<PnlSide> PnlOf(ScenarioResult result, string? marketplace)
    {
        ArgumentNullException.ThrowIfNull(result);
        var before = result.Baseline.ProfitAndLoss.Where(r => marketplace is null || r.Marketplace == marketplace).ToList();
        var after = result.Scenario.ProfitAndLoss.Where(r => marketplace is null || r.Marketplace == marketplace).ToList();
        return [.. PnlLines.Select(line => new PnlSide(line.Code, Pair.Of(before.Sum(line.Value), after.Sum(line.Value)), line.Strong))];
    }
}
