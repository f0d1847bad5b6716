using SellerDesk.Ingestion.Scheduling;

namespace SellerDesk.Ingestion.Tests.Scheduling;

/// <summary>Pull schedule crons: six fields, seconds first, meaning under Hangfire what they meant under Quartz.</summary>
public sealed class PullCronTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Theory]
    [InlineData("0 0 6 * * ?")]
    [InlineData("0 30 6 ? * MON")]
    [InlineData("0/2 * * * * ?")]
    [InlineData("0 0 6 ? * 2-6")]
    [InlineData("0 0 6 L * ?")]
    [InlineData("0 0 6 ? * 6#3")]
    public void The_schedules_of_the_ops_page_and_quartz_style_crons_are_valid(string cron)
    {
        PullCron.Problem(cron).Should().BeNull();
    }

    [Theory]
    [InlineData("every morning", "six fields, seconds first")]
    [InlineData("0 6 * * *", "six fields, seconds first")]
    [InlineData("0 0 6 * * ? 2027", "six fields, seconds first")]
    [InlineData("0 0 25 * * ?", "not a cron expression")]
    [InlineData("0 0 6 ? * 0", "numbered 1 (Sunday) to 7 (Saturday)")]
    [InlineData("0 0 6 ? * 1-8", "numbered 1 (Sunday) to 7 (Saturday)")]
    public void An_expression_that_is_not_a_schedule_is_refused_in_words(string cron, string says)
    {
        PullCron.Problem(cron).Should().Contain(says).And.Contain(cron);
    }

    [Theory]
    [InlineData("0 0 6 ? * 1", "0 0 6 ? * SUN")]
    [InlineData("0 0 6 ? * 2-6", "0 0 6 ? * MON-FRI")]
    [InlineData("0 0 6 ? * 1,7", "0 0 6 ? * SUN,SAT")]
    [InlineData("0 0 6 ? * 6#3", "0 0 6 ? * FRI#3")]
    [InlineData("0 0 6 ? * 6L", "0 0 6 ? * FRIL")]
    [InlineData("0 0 6 ? * */2", "0 0 6 ? * */2")]
    [InlineData("0 0 6 ? * MON", "0 0 6 ? * MON")]
    public void Numbered_week_days_keep_their_quartz_meaning(string cron, string forHangfire)
    {
        PullCron.ForHangfire(cron).Should().Be(forHangfire);
    }

    [Fact]
    public void A_weekly_schedule_numbered_the_quartz_way_fires_on_the_day_it_names()
    {
        // Quartz: 2 = Monday. Cronos alone would read 2 as Tuesday.
        var next = PullCron.NextAfter("0 0 6 ? * 2", Moscow, new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero))!.Value;

        TimeZoneInfo.ConvertTime(next, Moscow).DayOfWeek.Should().Be(DayOfWeek.Monday);
        next.Should().Be(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero), "06:00 in Moscow is 03:00 UTC");
        next.Offset.Should().Be(TimeSpan.Zero, "times are stored in UTC");
    }

    [Fact]
    public void The_slot_of_a_late_trigger_is_the_latest_fire_time_at_or_before_it()
    {
        var daily = "0 0 6 * * ?";

        // Triggered three days late (no node ran): the slot is the latest one, not the first missed.
        PullCron.LatestAtOrBefore(daily, Moscow, new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero))
            .Should().Be(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero));

        // Triggered on time, to the second: that very slot.
        PullCron.LatestAtOrBefore(daily, Moscow, new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero))
            .Should().Be(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero));

        // Every two seconds, triggered 0.7 s late: the even second before.
        PullCron.LatestAtOrBefore("0/2 * * * * ?", TimeZoneInfo.Utc, new DateTimeOffset(2026, 12, 5, 3, 0, 5, 700, TimeSpan.Zero))
            .Should().Be(new DateTimeOffset(2026, 12, 5, 3, 0, 4, TimeSpan.Zero));

        // A yearly slot is found however long ago it was.
        PullCron.LatestAtOrBefore("0 0 0 1 1 ?", TimeZoneInfo.Utc, new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero))
            .Should().Be(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Secret_values_are_replaced_wherever_they_stand_in_a_text()
    {
        var text = PullExecutor.Redact("wildberries refused the request with HTTP 400: {\"error\":\"bad key wb-tok-123456\", \"ads\":\"ads-tok-9\"}", ["wb-tok-123456", "ads-tok-9"]);

        text.Should().NotContain("wb-tok-123456").And.NotContain("ads-tok-9");
        text.Should().Contain(PullExecutor.Redacted).And.StartWith("wildberries refused the request with HTTP 400");
    }
}
