using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Scenarios;
using SellerDesk.Domain.Tests.Reports;

namespace SellerDesk.Domain.Tests.Scenarios;

/// <summary>
/// Section 6 on random ledgers. A scenario adjusts sums of lines as it would each line, so a store of facts can run it
/// on its grouped sums; and its fields behave as their definitions say.
/// </summary>
public sealed class ScenarioPropertyTests
{
    public static TheoryData<int> Seeds => [31, 32, 33, 34, 35, 36];

    private static (RandomLedger Ledger, EconomicsFacts Facts, ReportPeriod Period) Case(int seed)
    {
        var ledger = RandomLedger.Generate(seed, attributedChannelsOnly: true);
        var facts = EconomicsFacts.Build(ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, RandomLedger.Moscow);
        return (ledger, facts, RandomLedger.Period(new Random(seed)));
    }

    private static ReportSums Sums(RandomLedger ledger, EconomicsFacts facts, ReportPeriod period) =>
        ReportSums.Of(period, facts, ledger.Spend, ledger.Fees);

    private static ScenarioAdjustment RandomAdjustment(Random random)
    {
        decimal? Maybe(int min, int max) => random.Next(2) == 0 ? null : random.Next(min * 100, max * 100) / 100m;
        return new ScenarioAdjustment(
            random.Next(2) == 0 ? null : RandomLedger.Marketplaces[random.Next(RandomLedger.Marketplaces.Length)],
            random.Next(2) == 0 ? null : RandomLedger.Channels[random.Next(RandomLedger.Channels.Length)],
            Maybe(-30, 30),
            Maybe(-3, 8),
            Maybe(-20, 40),
            random.Next(2) == 0 ? null : random.Next(0, 101) / 100m,
            Maybe(-50, 100));
    }

    private static void SameReports(FactReports actual, FactReports expected)
    {
        actual.Channels().Should().BeEquivalentTo(expected.Channels(), Approximately.Decimals);
        actual.ChannelRevenue().Should().BeEquivalentTo(expected.ChannelRevenue(), Approximately.Decimals);
        actual.Marketplaces().Should().BeEquivalentTo(expected.Marketplaces(), Approximately.Decimals);
        actual.Concentration().Should().BeEquivalentTo(expected.Concentration(), Approximately.Decimals);
        actual.Cohorts().Should().BeEquivalentTo(expected.Cohorts(), Approximately.Decimals);
        actual.Skus().Should().BeEquivalentTo(expected.Skus(), Approximately.Decimals);
        actual.ProfitAndLoss().Should().BeEquivalentTo(expected.ProfitAndLoss(), Approximately.Decimals);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Adjusting_every_line_and_then_summing_equals_adjusting_the_sums(int seed)
    {
        var (ledger, facts, period) = Case(seed);
        var random = new Random(seed);
        var scenario = new Scenario([.. Enumerable.Range(0, 1 + random.Next(4)).Select(_ => RandomAdjustment(random))]);

        var lineByLine = facts with
        {
            Lines = [.. facts.Lines.Select(l => l with
            {
                Sale = scenario.Adjust(l.Marketplace, l.Sale),
                Returns = [.. l.Returns.Select(r => r with { Effect = scenario.Adjust(l.Marketplace, r.Effect) })],
            })],
        };
        var adjustedLines = ReportSums.Of(period, lineByLine, ledger.Spend.Select(scenario.Adjust), ledger.Fees);
        var adjustedSums = scenario.Apply(Sums(ledger, facts, period));

        adjustedSums.Skus.Should().BeEquivalentTo(adjustedLines.Skus, Approximately.Decimals);
        adjustedSums.Customers.Should().BeEquivalentTo(adjustedLines.Customers, Approximately.Decimals);
        SameReports(new FactReports(adjustedSums), new FactReports(adjustedLines));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_commission_rise_of_a_then_b_points_equals_one_of_a_plus_b(int seed)
    {
        var (ledger, facts, _) = Case(seed);
        var sums = Sums(ledger, facts, new ReportPeriod(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay));
        var random = new Random(seed);
        var marketplace = RandomLedger.Marketplaces[random.Next(RandomLedger.Marketplaces.Length)];
        var a = random.Next(1, 800) / 100m;
        var b = (random.Next(-300, 800) / 100m) + 3m;

        var twice = new Scenario([new ScenarioAdjustment(marketplace, CommissionPp: a), new ScenarioAdjustment(marketplace, CommissionPp: b)]).Apply(sums);
        var once = new Scenario([new ScenarioAdjustment(marketplace, CommissionPp: a + b)]).Apply(sums);

        SameReports(new FactReports(twice), new FactReports(once));
        new FactReports(once).Marketplaces().Should().NotBeEquivalentTo(new FactReports(sums).Marketplaces(), "the rise changes something");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_adjustments_a_zero_price_change_and_keeping_every_return_give_the_baseline(int seed)
    {
        var (ledger, facts, period) = Case(seed);
        var sums = Sums(ledger, facts, period);
        var baseline = new Scenario([]).Evaluate(sums).Baseline;

        foreach (var scenario in new Scenario[]
                 {
                     new([]),
                     new([new ScenarioAdjustment(PricePct: 0m)]),
                     new([new ScenarioAdjustment(ReturnsScale: 1m)]),
                     new([new ScenarioAdjustment("ozon", "vk_ads", PricePct: 0m, CommissionPp: 0m, LogisticsPct: 0m, ReturnsScale: 1m, AdSpendPct: 0m)]),
                 })
        {
            var result = scenario.Evaluate(sums);

            result.Scenario.Should().BeEquivalentTo(baseline, o => o.WithStrictOrdering().ComparingRecordsByMembers());
            result.Baseline.Should().BeEquivalentTo(baseline, o => o.WithStrictOrdering().ComparingRecordsByMembers());
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Scaling_returns_to_zero_leaves_no_return_loss_and_keeps_revenue_units_and_new_customers(int seed)
    {
        var (ledger, facts, _) = Case(seed);
        var sums = Sums(ledger, facts, new ReportPeriod(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay));

        var result = new Scenario([new ScenarioAdjustment(ReturnsScale: 0m)]).Evaluate(sums);

        result.Baseline.Marketplaces.Should().Contain(m => m.ReturnLoss > 0m, "the random ledger has returns");
        result.Scenario.Marketplaces.Should().OnlyContain(m => m.ReturnLoss == 0m && m.ReturnedUnits == 0m && m.NetRevenue == m.Revenue);
        result.Scenario.Marketplaces.Select(m => (m.Marketplace, m.Revenue, m.Quantity, m.NewCustomers, m.AdSpend, m.PeriodFees))
            .Should().Equal(result.Baseline.Marketplaces.Select(m => (m.Marketplace, m.Revenue, m.Quantity, m.NewCustomers, m.AdSpend, m.PeriodFees)));
    }
}
