using SellerDesk.Ingestion.Scheduling;

namespace SellerDesk.Ingestion.Tests.Scheduling;

/// <summary>Schedules run at most every 15 minutes (issue 10, "Hardening"): the shortest gap of a cron, found exactly.</summary>
public sealed class PullCronCadenceTests
{
    [Theory]
    [InlineData("0 0 6 * * ?", null)]
    [InlineData("0 0/15 * * * ?", null)]
    [InlineData("0 0 6 ? * MON", null)]
    [InlineData("0 0 6 L * ?", null)]
    [InlineData("0 0/5 * * * ?", 300)]
    [InlineData("0/2 * * * * ?", 2)]
    [InlineData("0 0,10 6 * * ?", 600)]
    [InlineData("0 59,1 23,0 * * ?", 120)] // 23:59 and then 00:01 the next day
    [InlineData("0 * 6 * 7 ?", 60)] // only in July, every minute of 06:xx
    public void The_shortest_gap_under_15_minutes_is_found_and_slower_schedules_pass(string cron, int? gapSeconds) =>
        PullCron.TooFrequent(cron, PullCron.ShortestInterval).Should().Be(gapSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
}
