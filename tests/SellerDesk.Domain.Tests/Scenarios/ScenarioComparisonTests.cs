using System.Text.Json;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Scenarios;
using SellerDesk.Testing;
using static SellerDesk.Domain.Tests.TinyExample;

namespace SellerDesk.Domain.Tests.Scenarios;

/// <summary>
/// What the what-if page shows beside the reports: the verdicts a scenario changes, the SKUs it turns unprofitable, and
/// the platform concentration stress (issue 13 point 2), on the tiny example (by hand from its expected files) and on
/// random ledgers (against the rows themselves).
/// </summary>
public sealed class ScenarioComparisonTests
{
    public static TheoryData<int> Seeds => [41, 42, 43, 44, 45, 46, 47, 48];

    /// <summary>A random ledger's sums over its whole span.</summary>
    private static ReportSums RandomSums(int seed)
    {
        var ledger = RandomLedger.Generate(seed);
        var facts = EconomicsFacts.Build(ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, RandomLedger.Moscow);
        return ReportSums.Of(new ReportPeriod(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay), facts, ledger.Spend, ledger.Fees);
    }

    [Fact]
    public void The_worked_scenario_changes_exactly_the_verdicts_its_expected_channels_differ_in()
    {
        var expected = SharedExamples.TinyExpectedExtended().GetProperty("scenario");
        var adjustments = expected.GetProperty("adjustments").Deserialize<List<ScenarioAdjustment>>(Json)!;
        static Dictionary<(string, string), string> Verdicts(JsonElement rows) => rows.EnumerateArray().ToDictionary(
            r => (r.GetProperty("marketplace").GetString()!, r.GetProperty("channel").GetString()!), r => r.GetProperty("verdict").GetString()!);
        var before = Verdicts(SharedExamples.TinyExpected().GetProperty("channels"));
        var after = Verdicts(expected.GetProperty("channels"));
        var changed = before.Keys.Where(k => before[k] != after[k]).ToList();

        var result = new Scenario(adjustments).Evaluate(FactReports().Sums);

        result.VerdictChanges().Select(c => (c.Marketplace, c.Channel)).Should().Equal(changed);
    }

    [Fact]
    public void Cutting_own_store_ad_spend_by_90_percent_turns_both_its_paid_channels_profitable_and_nothing_else()
    {
        // Own store: blogger_anna cac 600 against a first-order margin of 411 (pays back), vk_ads cac 1250 against 516
        // (cut); at a tenth of the spend both first orders cover it.
        var result = new Scenario([new ScenarioAdjustment("own_store", AdSpendPct: -90m)]).Evaluate(FactReports().Sums);

        result.VerdictChanges().Should().Equal(
            new VerdictChange("own_store", "blogger_anna", ChannelVerdict.PaysBack, ChannelVerdict.Profitable),
            new VerdictChange("own_store", "vk_ads", ChannelVerdict.Cut, ChannelVerdict.Profitable));
        result.SkusTurningUnprofitable().Should().BeEmpty("ad spend is not split by SKU");
    }

    [Fact]
    public void A_price_war_lists_the_skus_whose_margin_goes_below_zero()
    {
        var result = new Scenario([new ScenarioAdjustment(PricePct: -30m)]).Evaluate(FactReports().Sums);
        var before = result.Baseline.Skus.ToDictionary(s => (s.Marketplace, s.Sku), s => s.ContributionMargin);

        var turned = result.SkusTurningUnprofitable();

        turned.Should().NotBeEmpty();
        turned.Should().OnlyContain(s => s.Before >= 0m && s.After < 0m);
        turned.Select(s => s.Before).Should().Equal(turned.Select(s => before[(s.Marketplace, s.Sku)]));
        turned.Select(s => s.After).Should().BeInAscendingOrder();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void On_random_ledgers_the_listed_verdict_changes_are_exactly_the_channels_whose_verdict_differs(int seed)
    {
        var sums = RandomSums(seed);
        var random = new Random(seed);
        var scenario = new Scenario(
        [
            new ScenarioAdjustment(RandomLedger.Marketplaces[random.Next(3)], CommissionPp: random.Next(0, 15)),
            new ScenarioAdjustment(Channel: RandomLedger.Channels[1 + random.Next(3)], AdSpendPct: random.Next(-90, 200)),
            new ScenarioAdjustment(PricePct: random.Next(-20, 5)),
        ]);

        var result = scenario.Evaluate(sums);
        var plainBefore = new FactReports(sums).Channels();
        var plainAfter = new FactReports(scenario.Apply(sums)).Channels();
        var expected = plainBefore
            .Join(plainAfter, b => (b.Marketplace, b.Channel), a => (a.Marketplace, a.Channel), (b, a) => (b, a))
            .Where(x => x.b.Verdict != x.a.Verdict)
            .Select(x => new VerdictChange(x.b.Marketplace, x.b.Channel, x.b.Verdict, x.a.Verdict))
            .OrderBy(c => c.Marketplace, StringComparer.Ordinal).ThenBy(c => c.Channel, StringComparer.Ordinal)
            .ToList();

        plainAfter.Select(c => (c.Marketplace, c.Channel)).Should().BeEquivalentTo(plainBefore.Select(c => (c.Marketplace, c.Channel)), "the same channels have rows");
        result.VerdictChanges().Should().Equal(expected);
        result.SkusTurningUnprofitable().Select(s => (s.Marketplace, s.Sku)).Should().BeEquivalentTo(
            result.Scenario.Skus.Where(s => s.ContributionMargin < 0m
                    && result.Baseline.Skus.Single(b => (b.Marketplace, b.Sku) == (s.Marketplace, s.Sku)).ContributionMargin >= 0m)
                .Select(s => (s.Marketplace, s.Sku)));
    }

    [Fact]
    public void The_tiny_examples_stress_takes_five_points_of_own_stores_net_revenue_or_its_january_margin()
    {
        // expected.json: profit -1517 (own_store), -653 (ozon), -2075 (wildberries) = -4245; own_store is the top
        // marketplace (expected-extended.json), net revenue 4350 (5 % = 217.50), best month January (margin 912).
        var reports = FactReports();
        var top = reports.Concentration().TopMarketplace;

        var stress = ConcentrationStress.Of(reports.Sums, top)!.Rounded();

        stress.Should().Be(new ConcentrationStress("own_store", -4245m, -4462.5m, new YearMonth(2026, 1), -5157m));
        stress.CommissionRiseLoss.Should().Be(217.5m);
        stress.LostMonthLoss.Should().Be(912m);
    }

    [Fact]
    public void The_stress_counts_only_the_marketplaces_asked_for_and_needs_a_top_marketplace()
    {
        var sums = FactReports().Sums;

        var withoutOzon = ConcentrationStress.Of(sums, "own_store", m => m != "ozon")!.Rounded();

        withoutOzon.Profit.Should().Be(-4245m + 653m);
        withoutOzon.ProfitWithoutMonth.Should().Be(-4245m + 653m - 912m);
        ConcentrationStress.Of(sums, null).Should().BeNull();
        ConcentrationStress.Of(sums, "kaspi").Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void On_random_ledgers_the_stress_rise_is_the_scenario_engines_and_the_lost_month_is_that_months_margin(int seed)
    {
        var sums = RandomSums(seed);
        var reports = new FactReports(sums);
        var top = reports.Concentration().TopMarketplace ?? RandomLedger.Marketplaces[0];

        var stress = ConcentrationStress.Of(sums, top)!;

        var pnl = reports.ProfitAndLoss().Where(r => r.Marketplace == top).ToList();
        var best = pnl.OrderByDescending(r => r.ContributionMargin).ThenBy(r => r.Month).First();
        stress.Profit.Should().Be(reports.Marketplaces().Sum(m => m.Profit));
        stress.LostMonth.Should().Be(best.Month);
        stress.LostMonthLoss.Should().Be(best.ContributionMargin);
        var rise = new Scenario([new ScenarioAdjustment(top, CommissionPp: 5m)]).Evaluate(sums).Scenario;
        stress.ProfitAfterCommissionRise.Should().Be(rise.Marketplaces.Sum(m => m.Profit));
        stress.CommissionRiseLoss.Should().Be(reports.Marketplaces().Single(m => m.Marketplace == top).NetRevenue * 0.05m);
    }
}
