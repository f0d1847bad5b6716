using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Scenarios;

/// <summary>Reports a scenario shows side by side (the <c>R</c> of <c>POST /api/v1/scenarios/evaluate</c>).</summary>
public sealed record ScenarioReports(
    IReadOnlyList<ChannelRow> Channels,
    IReadOnlyList<ChannelRevenueRow> ChannelRevenue,
    IReadOnlyList<MarketplaceRow> Marketplaces,
    IReadOnlyList<SkuRow> Skus,
    IReadOnlyList<ProfitAndLossRow> ProfitAndLoss)
{
    public static ScenarioReports Of(FactReports reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return new(reports.Channels(), reports.ChannelRevenue(), reports.Marketplaces(), reports.Skus(), reports.ProfitAndLoss());
    }
}

/// <summary>A channel whose verdict (4.1) the scenario changes; null on a side where the channel has no row.</summary>
public sealed record VerdictChange(string Marketplace, string Channel, ChannelVerdict? Before, ChannelVerdict? After);

/// <summary>A SKU (4.4) whose contribution margin is not negative today and negative under the scenario.</summary>
public sealed record SkuTurn(string Marketplace, string Sku, decimal Before, decimal After);

/// <summary>The reports as they are and as they would have been.</summary>
public sealed record ScenarioResult(ScenarioReports Baseline, ScenarioReports Scenario)
{
    /// <summary>
    /// Every (marketplace, channel) whose verdict differs between the baseline and the scenario, ordered by
    /// marketplace and channel (ordinal); a row only one side has counts as a change from or to null.
    /// </summary>
    public IReadOnlyList<VerdictChange> VerdictChanges()
    {
        var before = Baseline.Channels.ToDictionary(c => (c.Marketplace, c.Channel), c => c.Verdict);
        var after = Scenario.Channels.ToDictionary(c => (c.Marketplace, c.Channel), c => c.Verdict);
        return [.. before.Keys.Union(after.Keys)
            .Select(k => new VerdictChange(
                k.Marketplace,
                k.Channel,
                before.TryGetValue(k, out var b) ? b : null,
                after.TryGetValue(k, out var a) ? a : null))
            .Where(c => c.Before != c.After)
            .OrderBy(c => c.Marketplace, StringComparer.Ordinal)
            .ThenBy(c => c.Channel, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The SKUs whose contribution margin is zero or more today and below zero under the scenario (exact values),
    /// ordered by the scenario's margin, lowest first, then marketplace and SKU.
    /// </summary>
    public IReadOnlyList<SkuTurn> SkusTurningUnprofitable()
    {
        var before = Baseline.Skus.ToDictionary(s => (s.Marketplace, s.Sku), s => s.ContributionMargin);
        return [.. Scenario.Skus
            .Where(s => s.ContributionMargin < 0m && before.TryGetValue((s.Marketplace, s.Sku), out var b) && b >= 0m)
            .Select(s => new SkuTurn(s.Marketplace, s.Sku, before[(s.Marketplace, s.Sku)], s.ContributionMargin))
            .OrderBy(s => s.After)
            .ThenBy(s => s.Marketplace, StringComparer.Ordinal)
            .ThenBy(s => s.Sku, StringComparer.Ordinal)];
    }
}

/// <summary>
/// A what-if scenario (metrics.md section 6): the ledger replayed with adjustments, applied in the order given, each
/// line and spend row taking every adjustment that matches it; then sections 2 to 4 run unchanged. Every adjustment of
/// a line is a linear map of its <see cref="LineEconomics"/> that depends only on its marketplace, so a scenario acts
/// on any sum of lines of one marketplace exactly as on the lines one by one: it runs on <see cref="ReportSums"/>.
/// New customers, period fees and unit costs do not change.
/// </summary>
public sealed class Scenario
{
    public Scenario(IEnumerable<ScenarioAdjustment> adjustments)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        Adjustments = [.. adjustments];
        foreach (var adjustment in Adjustments)
        {
            if (adjustment.ReturnsScale is < 0m or > 1m)
            {
                throw new ArgumentOutOfRangeException(nameof(adjustments), adjustment.ReturnsScale, "returns_scale is between 0 and 1.");
            }
        }
    }

    public IReadOnlyList<ScenarioAdjustment> Adjustments { get; }

    /// <summary>Lines of one marketplace (one line, or any sum of them) under every matching adjustment, in order.</summary>
    public LineEconomics Adjust(string marketplace, LineEconomics lines)
    {
        foreach (var adjustment in Adjustments)
        {
            if (adjustment.AppliesTo(marketplace))
            {
                lines = adjustment.Adjust(lines);
            }
        }

        return lines;
    }

    /// <summary>An ad spend row under every matching adjustment, in order.</summary>
    public AdSpend Adjust(AdSpend spend) => Adjustments.Aggregate(spend, (row, adjustment) => adjustment.Adjust(row));

    /// <summary>The sums as the scenario would have them.</summary>
    public ReportSums Apply(ReportSums sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        return sums with
        {
            Skus = [.. sums.Skus.Select(s => s with { Lines = Adjust(s.Marketplace, s.Lines) })],
            Months = [.. sums.Months.Select(m => m with { Lines = Adjust(m.Marketplace, m.Lines) })],
            Days = [.. sums.Days.Select(d => d with { Lines = Adjust(d.Marketplace, d.Lines) })],
            Channels = [.. sums.Channels.Select(c => c with { Lines = Adjust(c.Marketplace, c.Lines) })],
            Customers = [.. sums.Customers.Select(c => c with
            {
                FirstOrders = Adjust(c.Marketplace, c.FirstOrders),
                Orders = Adjust(c.Marketplace, c.Orders),
            })],
            Spend = [.. sums.Spend.Select(Adjust)],
        };
    }

    /// <summary>Channels, marketplaces, SKUs and P&amp;L as they are and under the scenario.</summary>
    public ScenarioResult Evaluate(ReportSums sums) =>
        new(ScenarioReports.Of(new FactReports(sums)), ScenarioReports.Of(new FactReports(Apply(sums))));
}
