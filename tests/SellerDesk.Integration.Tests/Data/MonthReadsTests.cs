using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;

namespace SellerDesk.Integration.Tests.Data;

/// <summary>
/// The day blocks of migration 0028 as a report reads them (<see cref="MonthReads"/>): every edge day of a period is in
/// exactly one block or single day, and every block lies inside the days to read. A block of n days starts on day
/// 1 + k * n of its month and ends n days later or at the month's end.
/// </summary>
public sealed class MonthReadsTests
{
    [Fact]
    public void Every_run_of_days_inside_a_month_is_covered_once_by_whole_blocks()
    {
        foreach (var month in new[] { new DateOnly(2025, 2, 1), new DateOnly(2024, 2, 1), new DateOnly(2025, 4, 1), new DateOnly(2025, 12, 1) })
        {
            var days = DateTime.DaysInMonth(month.Year, month.Month);
            for (var first = 0; first < days; first++)
            {
                for (var last = first; last < days; last++)
                {
                    var from = month.AddDays(first);
                    var to = month.AddDays(last);
                    var blocks = MonthReads.Cover(from, to).ToList();

                    Days(blocks).Should().Equal(Range(from, to), $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
                    blocks.Should().OnlyContain(b => MonthReads.BlockSizes.Contains(b.Days) && (b.Start.Day - 1) % b.Days == 0);
                    blocks.Count.Should().BeLessThanOrEqualTo(from.Day == 1 ? 6 : 11, "a run from the 1st is at most 6 reads, any other at most 11");
                }
            }
        }
    }

    [Theory]
    [InlineData("2025-01-01", "2025-12-31", "2025-12-31", true)]
    [InlineData("2025-04-01", "2025-06-30", "2025-09-30", true)]
    [InlineData("2025-11-01", "2025-11-30", "2025-11-30", true)]
    [InlineData("2025-01-01", "2025-12-31", "2025-12-30", false)] // December's days up to as_of
    [InlineData("2025-04-01", "2025-06-30", "2025-09-15", false)] // effects from September 1 up to as_of
    [InlineData("2025-01-02", "2025-03-31", "2025-12-31", false)] // January's days from the 2nd
    [InlineData("2025-01-01", "2025-01-15", "2025-12-31", false)] // no whole month
    [InlineData("2025-06-10", "2025-06-10", "2025-12-31", false)]
    public void Only_a_period_of_whole_months_with_as_of_at_a_month_end_reads_the_month_rows_alone(string from, string to, string asOf, bool monthsOnly)
    {
        var period = new ReportPeriod(DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture), DateOnly.Parse(asOf, CultureInfo.InvariantCulture));
        var reads = MonthReads.Of(period);

        reads.MonthsOnly(period.AsOf).Should().Be(monthsOnly);
        if (monthsOnly)
        {
            reads.Blocks.Should().BeEmpty();
        }
    }

    [Fact]
    public void A_month_end_takes_the_block_that_the_month_cuts_short()
    {
        // December 17..31: the block of 16 days from the 17th holds the 15 days left in the month.
        MonthReads.Cover(new DateOnly(2025, 12, 17), new DateOnly(2025, 12, 31)).Should().Equal((new DateOnly(2025, 12, 17), 16));

        // December 1..30 is the block of 16, three blocks of 4 and two single days.
        MonthReads.Cover(new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 30)).Should().Equal(
            (new DateOnly(2025, 12, 1), 16), (new DateOnly(2025, 12, 17), 4), (new DateOnly(2025, 12, 21), 4),
            (new DateOnly(2025, 12, 25), 4), (new DateOnly(2025, 12, 29), 1), (new DateOnly(2025, 12, 30), 1));
    }

    [Fact]
    public void The_blocks_of_a_period_are_its_days_outside_the_whole_months_up_to_as_of()
    {
        var random = new Random(28);
        for (var i = 0; i < 2_000; i++)
        {
            var from = new DateOnly(2025, 1, 1).AddDays(random.Next(500));
            var to = from.AddDays(random.Next(200));
            var asOf = from.AddDays(random.Next(-10, 260));
            var reads = MonthReads.Of(new ReportPeriod(from, to, asOf));

            // The days a report reads from the days: in the period, up to as_of, outside the whole months.
            var expected = Range(from, reads.Last).Where(d => d < reads.Start || d >= reads.End).ToList();
            Days(reads.Blocks).Should().Equal(expected, $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd} as of {asOf:yyyy-MM-dd}");
        }
    }

    /// <summary>The days the blocks hold, in order, each block cut at its month's end.</summary>
    private static List<DateOnly> Days(IEnumerable<(DateOnly Start, int Days)> blocks) =>
        [.. blocks.SelectMany(b => Range(b.Start, Min(b.Start.AddDays(b.Days - 1), new DateOnly(b.Start.Year, b.Start.Month, 1).AddMonths(1).AddDays(-1)))).Order()];

    private static List<DateOnly> Range(DateOnly first, DateOnly last)
    {
        var days = new List<DateOnly>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            days.Add(day);
        }

        return days;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
