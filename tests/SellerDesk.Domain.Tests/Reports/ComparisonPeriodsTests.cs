using SellerDesk.Domain.Reports;

namespace SellerDesk.Domain.Tests.Reports;

public sealed class ComparisonPeriodsTests
{
    [Fact]
    public void The_previous_period_is_as_long_as_the_days_that_exist_and_as_old()
    {
        // The month picked on 6 December: six days exist, so the previous period is the six days before.
        var period = new ReportPeriod(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31), new DateOnly(2026, 12, 6));

        var previous = ComparisonPeriods.Of(period, ComparisonKind.Previous)!;

        (previous.From, previous.To, previous.AsOf).Should().Be((new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 30)));
    }

    [Fact]
    public void A_past_period_keeps_its_distance_to_as_of()
    {
        var quarter = new ReportPeriod(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 30));

        var previous = ComparisonPeriods.Of(quarter, ComparisonKind.Previous)!;
        var yearAgo = ComparisonPeriods.Of(quarter, ComparisonKind.YearAgo)!;

        (previous.From, previous.To, previous.AsOf).Should().Be((new DateOnly(2025, 10, 3), new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 30)));
        (yearAgo.From, yearAgo.To, yearAgo.AsOf).Should().Be((new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31), new DateOnly(2025, 4, 30)));
    }

    [Fact]
    public void The_twenty_ninth_of_february_a_year_earlier_is_the_twenty_eighth()
    {
        var leap = new ReportPeriod(new DateOnly(2028, 2, 29), new DateOnly(2028, 2, 29), new DateOnly(2028, 2, 29));

        ComparisonPeriods.Of(leap, ComparisonKind.YearAgo)!.From.Should().Be(new DateOnly(2027, 2, 28));
    }

    [Fact]
    public void A_period_that_starts_after_as_of_has_nothing_to_compare()
    {
        var future = new ReportPeriod(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31), new DateOnly(2026, 4, 30));

        ComparisonPeriods.Of(future, ComparisonKind.Previous).Should().BeNull();
        ComparisonPeriods.Of(future, ComparisonKind.YearAgo).Should().BeNull();
    }
}
