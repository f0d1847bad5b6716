using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

/// <summary>Report identities on random ledgers: the whole ledger, and random periods with as_of inside, after and before the range.</summary>
public sealed class ReportPropertyTests
{
    public static TheoryData<int> Seeds => [21, 22, 23, 24, 25, 26, 27, 28];

    private static (RandomLedger Ledger, List<ReportPeriod> Periods) Case(int seed, bool attribution = true)
    {
        var ledger = RandomLedger.Generate(seed, attributedChannelsOnly: attribution);
        var random = new Random(seed);
        var whole = new ReportPeriod(RandomLedger.FirstDay, RandomLedger.LastDay, RandomLedger.LastDay);
        return (attribution ? ledger : ledger with { Attribution = [] }, [whole, .. Enumerable.Range(0, 6).Select(_ => RandomLedger.Period(random))]);
    }

    private static FactReports Facts(RandomLedger ledger, ReportPeriod period) =>
        new(ReportSums.Of(period, EconomicsFacts.Build(ledger.Sales, ledger.Returns, ledger.Costs, ledger.Attribution, RandomLedger.Moscow), ledger.Spend, ledger.Fees));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_profit_and_loss_row_adds_up_to_its_margin_and_profit_before_rounding(int seed)
    {
        var (ledger, periods) = Case(seed);
        var rows = periods.SelectMany(p => Facts(ledger, p).ProfitAndLoss()).ToList();

        rows.Should().NotBeEmpty();
        foreach (var r in rows)
        {
            (r.Revenue - r.Refunds - r.Commission - r.Logistics - r.Acquiring - r.OtherFees - r.Cogs).Should().Be(r.ContributionMargin, $"{r}");
            (r.ContributionMargin - r.PeriodFees - r.AdSpend).Should().Be(r.Profit, $"{r}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_marketplaces_profit_and_loss_months_sum_to_its_marketplace_row(int seed)
    {
        var (ledger, periods) = Case(seed);
        foreach (var period in periods)
        {
            var reports = Facts(ledger, period);
            var months = reports.ProfitAndLoss().GroupBy(r => r.Marketplace).ToDictionary(g => g.Key, g => g.ToList());

            var marketplaces = reports.Marketplaces();
            months.Keys.Should().BeEquivalentTo(marketplaces.Select(m => m.Marketplace), $"{period}");
            foreach (var row in marketplaces)
            {
                var rows = months[row.Marketplace];
                rows.Select(r => r.Month).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
                rows.Sum(r => r.Revenue).Should().Be(row.Revenue);
                rows.Sum(r => r.Revenue - r.Refunds).Should().Be(row.NetRevenue);
                rows.Sum(r => r.ContributionMargin).Should().Be(row.ContributionMargin);
                rows.Sum(r => r.PeriodFees).Should().Be(row.PeriodFees);
                rows.Sum(r => r.AdSpend).Should().Be(row.AdSpend);
                rows.Sum(r => r.Profit).Should().Be(row.Profit);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_marketplaces_sku_rows_sum_to_its_marketplace_row(int seed)
    {
        var (ledger, periods) = Case(seed);
        foreach (var period in periods)
        {
            var reports = Facts(ledger, period);
            var skus = reports.Skus().GroupBy(s => s.Marketplace).ToDictionary(g => g.Key, g => g.ToList());

            var selling = reports.Marketplaces().Where(m => m.Quantity > 0).ToList();
            skus.Keys.Should().BeEquivalentTo(selling.Select(m => m.Marketplace));
            foreach (var row in selling)
            {
                var rows = skus[row.Marketplace];
                rows.Sum(r => r.Revenue).Should().Be(row.Revenue);
                rows.Sum(r => r.NetRevenue).Should().Be(row.NetRevenue);
                rows.Sum(r => r.ContributionMargin).Should().Be(row.ContributionMargin);
                rows.Sum(r => r.ReturnLoss).Should().BeApproximately(row.ReturnLoss, Approximately.Precision);
                rows.Sum(r => r.Units).Should().Be(row.Quantity);
                rows.Sum(r => r.ReturnedUnits).Should().Be(row.ReturnedUnits);
                rows.Sum(r => r.CogsMissingLines).Should().Be(row.CogsMissingLines);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Channel_revenue_over_all_channels_is_the_revenue_of_the_orders_in_range(int seed)
    {
        var (ledger, periods) = Case(seed);
        foreach (var period in periods)
        {
            var sums = Facts(ledger, period).Sums;

            sums.Channels.Sum(c => c.Lines.Revenue).Should().Be(sums.Months.Sum(m => m.Lines.Revenue));
        }
    }
}
