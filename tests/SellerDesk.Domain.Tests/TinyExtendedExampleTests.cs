using System.Text.Json;
using SellerDesk.Domain.Scenarios;
using SellerDesk.Testing;
using static SellerDesk.Domain.Tests.TinyExample;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// metrics.md sections 4.4 to 4.7 and 6 on the tiny example: expected-extended.json to the kopeck, from the sums of
/// facts.
/// </summary>
public sealed class TinyExtendedExampleTests
{
    private static readonly JsonElement Expected = SharedExamples.TinyExpectedExtended();

    [Fact]
    public void The_sku_report_matches_expected_extended_json()
    {
        Differences(Expected.GetProperty("skus"), FactReports().Skus().Select(r => r.Rounded())).Should().BeEmpty();
    }

    [Fact]
    public void The_profit_and_loss_report_matches_expected_extended_json()
    {
        Differences(Expected.GetProperty("pnl"), FactReports().ProfitAndLoss().Select(Wire)).Should().BeEmpty();
    }

    [Fact]
    public void Channel_revenue_drr_and_roas_match_expected_extended_json()
    {
        Differences(Expected.GetProperty("channels_extra"), FactReports().ChannelRevenue().Select(r => r.Rounded())).Should().BeEmpty();
    }

    [Fact]
    public void Platform_concentration_matches_expected_extended_json()
    {
        Differences(Expected.GetProperty("concentration"), FactReports().Concentration().Rounded()).Should().BeEmpty();
    }

    [Fact]
    public void The_worked_scenario_matches_expected_extended_json()
    {
        var expected = Expected.GetProperty("scenario");
        var adjustments = expected.GetProperty("adjustments").Deserialize<List<ScenarioAdjustment>>(Json)!;
        var sums = FactReports().Sums;

        var result = new Scenario(adjustments).Evaluate(sums).Scenario;

        adjustments.Should().HaveCount(2).And.Contain(a => a.Marketplace == "wildberries" && a.CommissionPp == 5m);
        Differences(expected.GetProperty("marketplaces"), result.Marketplaces.Select(r => r.Rounded())).Should().BeEmpty();
        Differences(expected.GetProperty("channels"), result.Channels.Zip(result.ChannelRevenue, Wire)).Should().BeEmpty();
        Differences(expected.GetProperty("skus"), result.Skus.Select(r => r.Rounded())).Should().BeEmpty();
        Differences(expected.GetProperty("pnl"), result.ProfitAndLoss.Select(Wire)).Should().BeEmpty();
    }

    [Fact]
    public void The_scenario_baseline_is_the_plain_reports()
    {
        var reports = FactReports();
        var baseline = new Scenario(Expected.GetProperty("scenario").GetProperty("adjustments").Deserialize<List<ScenarioAdjustment>>(Json)!)
            .Evaluate(reports.Sums).Baseline;

        Differences(Expected.GetProperty("skus"), baseline.Skus.Select(r => r.Rounded())).Should().BeEmpty();
        Differences(Expected.GetProperty("pnl"), baseline.ProfitAndLoss.Select(Wire)).Should().BeEmpty();
        Differences(SharedExamples.TinyExpected().GetProperty("marketplaces"), baseline.Marketplaces.Select(r => r.Rounded())).Should().BeEmpty();
        Differences(SharedExamples.TinyExpected().GetProperty("channels"), baseline.Channels.Select(Wire)).Should().BeEmpty();
        Differences(Expected.GetProperty("channels_extra"), baseline.ChannelRevenue.Select(r => r.Rounded())).Should().BeEmpty();
    }
}
