using System.Globalization;
using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Ledger;
using SellerDesk.Domain.Reports;
using SellerDesk.Web.Features.Channels;
using SellerDesk.Web.Features.Overview;

namespace SellerDesk.Integration.Tests.Features;

/// <summary>What the channels page and the overview make of 4.6 and 4.7: revenue, DRR, ROAS, the money at stake on cut channels, the concentration.</summary>
public sealed class ChannelStakeAndConcentrationTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly ReportPeriod Q1 = new(D("2026-01-01"), D("2026-03-31"), D("2026-03-31"));

    private static DateOnly D(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);

    private static DateTimeOffset At(string date) => new(D(date).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(3));

    private static SaleLine Sale(string marketplace, string order, string customer, string date, string channel, decimal revenue, decimal commission) =>
        new(marketplace, order, "1", At(date), customer, channel, "SKU-1", 1, revenue, commission, 0m, 0m, 0m);

    private static FactReports Reports(IEnumerable<SaleLine> sales, IEnumerable<AdSpend> spend) =>
        new(ReportSums.Of(Q1, EconomicsFacts.Build(sales, [], [], [], Moscow), spend, []));

    private static ChannelLines Lines(FactReports reports) => ChannelLines.From(reports, m => m, c => c, v => v.ToString());

    [Fact]
    public void The_cut_channels_carry_their_spend_and_first_order_loss_the_biggest_spend_first()
    {
        // vk_ads: two new customers whose first orders earn 300 in all against 1000 of spend, then a repeat order of 200: cut.
        // mytarget: one first order earning 100 against 400: cut. blogger: first order 500 against 100: profitable.
        var reports = Reports(
            [
                Sale("own_store", "A1", "a", "2026-01-05", "vk_ads", 400m, 200m),
                Sale("own_store", "B1", "b", "2026-01-06", "vk_ads", 300m, 200m),
                Sale("own_store", "A2", "a", "2026-02-05", "vk_ads", 500m, 300m),
                Sale("own_store", "C1", "c", "2026-01-07", "mytarget", 300m, 200m),
                Sale("own_store", "D1", "d", "2026-01-08", "blogger", 800m, 300m),
            ],
            [
                new AdSpend(D("2026-01-01"), "own_store", "vk_ads", 1000m),
                new AdSpend(D("2026-01-01"), "own_store", "mytarget", 400m),
                new AdSpend(D("2026-01-01"), "own_store", "blogger", 100m),
            ]);

        var lines = Lines(reports);

        lines.Lines.Select(l => (l.Channel, l.Verdict)).Should().Contain([("vk_ads", ChannelVerdict.Cut), ("mytarget", ChannelVerdict.Cut), ("blogger", ChannelVerdict.Profitable)]);
        lines.Stake.Channels.Select(c => (c.Line.Channel, c.FirstOrderLoss)).Should().Equal(("vk_ads", 700m), ("mytarget", 300m));
        lines.Stake.Spend.Should().Be(1400m);
        lines.Stake.FirstOrderLoss.Should().Be((1000m - 300m) + (400m - 100m));
        var vk = lines.Lines.Single(l => l.Channel == "vk_ads");
        vk.Revenue.Should().Be(1200m, "every order the channel brought counts, the repeat order too");
        vk.Drr.Should().Be(Rounding.Ratio(1000m / 1200m));
        vk.Roas.Should().Be(1.2m);
    }

    [Fact]
    public void Without_cut_channels_nothing_is_at_stake_and_a_channel_without_spend_has_no_roas()
    {
        var lines = Lines(Reports([Sale("ozon", "O1", "a", "2026-01-05", "organic", 1000m, 100m)], []));

        lines.Stake.IsEmpty.Should().BeTrue();
        lines.Stake.Spend.Should().Be(0m);
        var organic = lines.Lines.Single();
        (organic.Revenue, organic.Drr, organic.Roas).Should().Be((1000m, 0m, (decimal?)null));
    }

    [Fact]
    public void The_overview_carries_the_marketplaces_reports_concentration_and_warns_only_above_sixty_percent()
    {
        var dominant = Reports(
            [Sale("own_store", "S1", "a", "2026-01-05", "organic", 1000m, 300m), Sale("ozon", "O1", "b", "2026-01-05", "organic", 1000m, 700m)], []);
        var even = Reports(
            [Sale("own_store", "S1", "a", "2026-01-05", "organic", 1000m, 400m), Sale("ozon", "O1", "b", "2026-01-05", "organic", 1000m, 400m)], []);

        var summary = OverviewSummary.From(dominant);
        summary.Concentration.Should().Be(dominant.Concentration());
        summary.Concentration.TopMarketplace.Should().Be("own_store");
        summary.Concentration.TopShare.Should().Be(0.7m);
        summary.Concentration.Hhi.Should().Be(0.58m);
        summary.Concentration.DependsOnOnePlatform.Should().BeTrue();

        var balanced = OverviewSummary.From(even).Concentration;
        (balanced.TopShare, balanced.TopMarketplace, balanced.DependsOnOnePlatform).Should().Be((0.5m, "own_store", false));
    }

    [Fact]
    public void With_a_marketplace_hidden_the_shares_are_of_the_margin_of_those_shown()
    {
        var reports = Reports(
            [
                Sale("own_store", "S1", "a", "2026-01-05", "organic", 1000m, 400m),
                Sale("ozon", "O1", "b", "2026-01-05", "organic", 1000m, 800m),
                Sale("sandbox", "X1", "c", "2026-01-05", "organic", 10000m, 0m),
            ],
            []);

        var shown = OverviewSummary.From(reports, new HashSet<string>(StringComparer.Ordinal) { "sandbox" }).Concentration;

        shown.TopMarketplace.Should().Be("own_store");
        shown.TopShare.Should().Be(0.75m);
        shown.DependsOnOnePlatform.Should().BeTrue();
        reports.Concentration().TopMarketplace.Should().Be("sandbox");
    }
}
