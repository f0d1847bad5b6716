using System.Text.Json;
using SellerDesk.Testing;
using static SellerDesk.Domain.Tests.TinyExample;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// metrics.md sections 4.4 to 4.7 on the tiny example: expected-extended.json to the kopeck, from the sums of facts.
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
}
