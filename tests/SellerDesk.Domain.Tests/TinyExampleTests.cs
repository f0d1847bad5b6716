using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Testing;
using static SellerDesk.Domain.Tests.TinyExample;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// metrics.md section 5: the files of the tiny example (tests/examples/tiny, a copy of the contract's), computed by the
/// domain alone, give expected.json to the kopeck through the sums of facts (<see cref="ReportSums"/>), the engine
/// every report runs on.
/// </summary>
public sealed class TinyExampleTests
{
    [Fact]
    public void The_channel_report_matches_expected_json()
    {
        Differences(SharedExamples.TinyExpected().GetProperty("channels"), FactReports().Channels().Select(Wire)).Should().BeEmpty();
    }

    [Fact]
    public void The_marketplace_report_matches_expected_json()
    {
        Differences(SharedExamples.TinyExpected().GetProperty("marketplaces"), FactReports().Marketplaces().Select(r => r.Rounded())).Should().BeEmpty();
    }

    [Fact]
    public void The_cohort_report_matches_expected_json()
    {
        Differences(SharedExamples.TinyExpected().GetProperty("cohorts"), FactReports().Cohorts().Select(Wire)).Should().BeEmpty();
    }

    [Fact]
    public void Without_attribution_rows_no_customer_is_attributed_and_no_claim_is_unmatched()
    {
        var reports = FactReports();

        reports.Channels().Should().OnlyContain(r => r.AttributedCustomers == 0);
        reports.Marketplaces().Should().OnlyContain(r => r.AttributionUnmatched == 0);
    }

    [Fact]
    public void A_first_order_late_on_january_31_utc_is_a_february_customer_in_moscow()
    {
        var orders = EconomicsFacts.Build(Files.Sales, [], [], [], Zone).Orders;

        var c2 = orders.Single(o => o.CustomerKey == "c2" && o.IsFirstOrder);
        YearMonth.Of(c2.FirstOrderDate).Should().Be(new YearMonth(2026, 2));
        c2.AcquisitionChannel.Should().Be("blogger_anna");
    }
}
