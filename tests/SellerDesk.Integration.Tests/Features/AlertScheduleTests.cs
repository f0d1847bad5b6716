using System.Globalization;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Integration.Tests.Connections;
using SellerDesk.Testing;
using SellerDesk.Web.Features.Alerts;

namespace SellerDesk.Integration.Tests.Features;

/// <summary>
/// The alerts' background schedule as Hangfire runs it over PostgreSQL: the recurring jobs <c>alerts-daily</c>,
/// <c>alerts-digest</c> and <c>alerts-overdue</c> planned by the app with crons of every second or two, and nothing called
/// by the test but the app's settings, its clock (moved a day on) and the fakes. The app's clock is the test's, so
/// "a later day" comes without waiting for one.
/// </summary>
public sealed class AlertScheduleTests(AlertScheduleTests.Host host) : IClassFixture<AlertScheduleTests.Host>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task The_three_alert_jobs_are_hangfire_recurring_jobs_with_the_configured_crons()
    {
        using var storage = host.Services.GetRequiredService<JobStorage>().GetConnection();

        var jobs = storage.GetRecurringJobs([AlertJobs.DailyJobId, AlertJobs.DigestJobId, AlertJobs.OverdueJobId]);

        jobs.ToDictionary(j => j.Id, j => j.Cron).Should().Equal(new Dictionary<string, string>
        {
            [AlertJobs.DailyJobId] = Host.DailyCron,
            [AlertJobs.DigestJobId] = Host.DigestCron,
            [AlertJobs.OverdueJobId] = Host.OverdueCron,
        });
    }

    [Fact]
    public async Task The_daily_job_opens_the_profit_floor_alert_and_on_a_later_day_clears_it_and_opens_one_with_that_days_figures()
    {
        var (alerts, workspace, api) = await host.FreshAsync();
        await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Owner", "floor@schedule.test", null, "en", false), default);
        var mail = (await alerts.RecipientsAsync(workspace, default)).Single().Id;
        var rule = await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 1500m, true, [mail], default);
        var firstDay = host.ClockYesterday;
        try
        {
            var first = await EventuallyAsync(async () => (await alerts.HistoryAsync(workspace, 10, default)).SingleOrDefault());

            first.Subject.Should().Be("day/" + firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            first.Text.En.Should().Contain("was ₽0.00, below the floor of ₽1,500.00");
            AlertsTests.QuotedPrintable((await host.MailsToAsync("floor@schedule.test", 1)).Single().Data).Should().Contain("was ₽0.00");

            // The next day: that day sold one order whose profit is 1 200 ₽, still below the floor.
            var secondDay = firstDay.AddDays(1);
            await AlertsTests.Host.ImportAsync(api, "sales", $"""
                marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
                ozon,SCH-1,1,{secondDay:yyyy-MM-dd}T12:00:00+03:00,schedule-c1,organic,SCH-SKU,1,2000,200,100,0,0
                """);
            await AlertsTests.Host.ImportAsync(api, "costs", """
                sku,valid_from,unit_cost
                SCH-SKU,2020-01-01,500
                """);
            host.Clock.Advance(TimeSpan.FromDays(1));

            var second = await EventuallyAsync(async () =>
                (await alerts.HistoryAsync(workspace, 10, default)).SingleOrDefault(a => a.Open && a.Id != first.Id));

            second.Subject.Should().Be("day/" + secondDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            second.Text.En.Should().Contain("was ₽1,200.00, below the floor of ₽1,500.00").And.NotContain("₽0.00");
            second.Value.Should().Be(1200m);
            var history = await alerts.HistoryAsync(workspace, 10, default);
            history.Single(a => a.Id == first.Id).ClearedAt.Should().NotBeNull("the first day's alert is over");
            AlertsTests.QuotedPrintable((await host.MailsToAsync("floor@schedule.test", 2))[^1].Data).Should().Contain("was ₽1,200.00");

            // Many more runs of the daily job that day open nothing again.
            await Task.Delay(TimeSpan.FromSeconds(5));
            (await alerts.HistoryAsync(workspace, 10, default)).Should().HaveCount(2);
            host.Smtp.Mails.Count(m => m.To.Contains("floor@schedule.test")).Should().Be(2);
        }
        finally
        {
            await alerts.SaveRuleAsync(workspace, rule, AlertKinds.ProfitFloor, 1500m, false, [mail], default);
            host.Clock.Advance(-host.Clock.Offset);
        }
    }

    [Fact]
    public async Task The_digest_job_sends_the_digest_once_a_day_to_the_recipients_marked_for_it_and_the_page_lists_each_send()
    {
        var (alerts, workspace, _) = await host.FreshAsync();
        await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Morning", "digest@schedule.test", null, "en", true), default);
        await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Opted out", "optout@schedule.test", null, "en", false), default);
        try
        {
            await alerts.SetDigestAsync(workspace, new DigestSetting(true, 0), default);

            (await host.MailsToAsync("digest@schedule.test", 1)).Single().Data.Should().Contain("Revenue:");
            await Task.Delay(TimeSpan.FromSeconds(5));
            host.Smtp.Mails.Count(m => m.To.Contains("digest@schedule.test")).Should().Be(1, "the job ran again and again that day, the digest went once");

            host.Clock.Advance(TimeSpan.FromDays(1));

            await host.MailsToAsync("digest@schedule.test", 2);
            await Task.Delay(TimeSpan.FromSeconds(5));
            host.Smtp.Mails.Count(m => m.To.Contains("digest@schedule.test")).Should().Be(2, "one more day, one more digest");
            host.Smtp.Mails.Should().NotContain(m => m.To.Contains("optout@schedule.test"));

            var sends = await alerts.DigestHistoryAsync(workspace, AlertService.DigestHistoryLimit, default);
            sends.Should().HaveCount(2).And.OnlyContain(s => s.Delivery.RecipientName == "Morning" && s.Delivery.Status == "sent");
            sends.Select(s => s.Day).Should().Equal(host.ClockYesterday, host.ClockYesterday.AddDays(-1));
            sends.Should().OnlyContain(s => s.Delivery.History.Count == 1 && s.Delivery.History[0].Succeeded);
        }
        finally
        {
            await alerts.SetDigestAsync(workspace, new DigestSetting(false, 0), default);
            host.Clock.Advance(-host.Clock.Offset);
        }
    }

    [Fact]
    public async Task The_overdue_sweep_delivers_a_retry_whose_own_job_was_lost_at_its_due_time_and_never_before()
    {
        var (alerts, workspace, _) = await host.FreshAsync();
        await using var webhook = HttpFake.Webhook();
        var hook = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("webhook", "Down a while", webhook.BaseAddress + "overdue", null, "en", false), default);
        webhook.FailNext = 1;
        var rule = await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 1_000_000m, true, [hook.Id], default);
        try
        {
            // The daily job opens the alert; its first message fails (503) and waits for a retry.
            var pending = await EventuallyAsync(async () =>
                (await alerts.HistoryAsync(workspace, 10, default)).SingleOrDefault()?.Deliveries.SingleOrDefault(d => d.Attempts == 1));
            pending.Status.Should().Be("pending");
            var due = pending.NextAttemptAt!.Value;

            // The node that planned the retry's own job is gone with it: the sweep is all that is left.
            var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            var lost = await EventuallyAsync(() => Task.FromResult(monitoring.ScheduledJobs(0, 1000)
                .Where(j => j.Value.Job?.Args.Any(a => a is Guid id && id == pending.Id) == true)
                .Select(j => j.Key)
                .FirstOrDefault()));
            host.Services.GetRequiredService<IBackgroundJobClient>().Delete(lost).Should().BeTrue("the retry was planned as a Hangfire job");

            // Until the due time the sweep runs every second and sends nothing.
            while (host.Clock.GetUtcNow() < due - TimeSpan.FromMilliseconds(300))
            {
                webhook.Requests.Should().HaveCount(1, "the retry is not due yet");
                await Task.Delay(100);
            }

            var sent = await EventuallyAsync(async () =>
                (await alerts.HistoryAsync(workspace, 10, default)).Single().Deliveries.SingleOrDefault(d => d.Status == "sent"));
            sent.Attempts.Should().Be(2);
            sent.History[1].At.Should().BeOnOrAfter(due);
            webhook.Requests.Should().HaveCount(2);
            webhook.Requests[1].Headers["x-sellerdesk-delivery"].Should().Be(pending.Id.ToString("D"));
        }
        finally
        {
            await alerts.SaveRuleAsync(workspace, rule, AlertKinds.ProfitFloor, 1_000_000m, false, [hook.Id], default);
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        T? found = null;
        (await ConnectionsApi.EventuallyAsync(async () => (found = await read()) is not null, Wait)).Should().BeTrue();
        return found!;
    }

    /// <summary>A clock the test moves: the system's time plus an offset.</summary>
    public sealed class MovableClock : TimeProvider
    {
        private long _offsetTicks;

        public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    /// <summary>The alerts' app with its recurring jobs every second or two, retries 5 s apart, the test's clock and the fakes.</summary>
    public sealed class Host : AlertsTests.Host
    {
        public const string DailyCron = "*/2 * * * * *";
        public const string DigestCron = "* * * * * *";
        public const string OverdueCron = "* * * * * *";

        public MovableClock Clock { get; } = new();

        /// <summary>Yesterday in the workspaces' zone (Moscow) by the app's clock.</summary>
        public DateOnly ClockYesterday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).DateTime).AddDays(-1);

        protected override void Configure(IWebHostBuilder builder)
        {
            base.Configure(builder);
            builder.UseSetting("Alerts:DailyCron", DailyCron);
            builder.UseSetting("Alerts:DigestCron", DigestCron);
            builder.UseSetting("Alerts:OverdueCron", OverdueCron);
            builder.UseSetting("Alerts:FirstRetryDelay", "00:00:05");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}
