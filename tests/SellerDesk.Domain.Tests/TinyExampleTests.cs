using SellerDesk.Domain.Economics;
using SellerDesk.Domain.Reports;
using SellerDesk.Testing;
using static SellerDesk.Domain.Tests.TinyExample;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// metrics.md section 5: the files of the tiny example (tests/examples/tiny, a copy of the contract's), computed by the
/// domain alone, give expected.json to the kopeck: through the order-day path Data reads today, and through the sums of
/// facts the engine will store.
/// </summary>
public sealed class TinyExampleTests
{
    private static UnitEconomicsReports OrderDayReports()
    {
        var orders = OrderFactBuilder.Build(Files.Sales, Files.Returns, Files.Costs, Zone, Period.AsOf);
        return new UnitEconomicsReports(Period, ReportInputs.FromOrders(orders, Files.Spend, Files.Fees, Period.AsOf));
    }

    [Fact]
    public void The_channel_report_matches_expected_json()
    {
        Differences(SharedExamples.TinyExpected().GetProperty("channels"), OrderDayReports().Channels().Select(Wire)).Should().BeEmpty();
    }

    [Fact]
    public void The_marketplace_report_matches_expected_json()
    {
        Differences(SharedExamples.TinyExpected().GetProperty("marketplaces"), OrderDayReports().Marketplaces().Select(r => r.Rounded())).Should().BeEmpty();
    }

    [Fact]
    public void The_cohort_report_matches_expected_json()
    {
        Differences(SharedExamples.TinyExpected().GetProperty("cohorts"), OrderDayReports().Cohorts().Select(Wire)).Should().BeEmpty();
    }

    [Fact]
    public void The_channel_marketplace_and_cohort_reports_from_summed_facts_match_expected_json()
    {
        var reports = FactReports();
        var expected = SharedExamples.TinyExpected();

        Differences(expected.GetProperty("channels"), reports.Channels().Select(Wire)).Should().BeEmpty();
        Differences(expected.GetProperty("marketplaces"), reports.Marketplaces().Select(r => r.Rounded())).Should().BeEmpty();
        Differences(expected.GetProperty("cohorts"), reports.Cohorts().Select(Wire)).Should().BeEmpty();
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
        var orders = OrderFactBuilder.Build(Files.Sales, [], [], Zone, Period.AsOf);

        var c2 = Customer.FromOrders(orders, Period.AsOf).Single(c => c.Key == "c2");
        c2.Cohort.Should().Be(new YearMonth(2026, 2));
        c2.AcquisitionChannel.Should().Be("blogger_anna");
    }
}
