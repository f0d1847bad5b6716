using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Web.Features.Alerts;

namespace SellerDesk.Integration.Tests.Features;

/// <summary>
/// The bells' periodic check (<see cref="AlertBellWatch"/>): an alert another node opened (a row this node's
/// evaluation never saw) reaches the open pages of its workspace within the interval, and nothing else does.
/// </summary>
public sealed class AlertBellWatchTests(AlertBellWatchTests.Host host) : IClassFixture<AlertBellWatchTests.Host>
{
    [Fact]
    public async Task An_alert_opened_by_another_node_reaches_the_watching_pages_of_its_workspace_within_the_interval_and_no_other_workspace()
    {
        var (alerts, workspace, _) = await host.FreshAsync();
        var (_, other, _) = await host.FreshAsync();
        var rule = await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 100m, true, [], default);
        var notifier = host.Services.GetRequiredService<AlertNotifier>();
        var told = 0;
        var otherTold = 0;
        using var watching = notifier.Subscribe(workspace, () =>
        {
            Interlocked.Increment(ref told);
            return Task.CompletedTask;
        });
        using var otherWatching = notifier.Subscribe(other, () =>
        {
            Interlocked.Increment(ref otherTold);
            return Task.CompletedTask;
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        Volatile.Read(ref told).Should().Be(0, "nothing changed yet");

        // Another node's evaluation: the row appears in the database, this node's notifier is not called.
        await using (var insert = host.Database.DataSource.CreateCommand(
            "INSERT INTO alerts (workspace_id, id, rule_id, subject, text_en, text_ru) VALUES ($1, $2, $3, 'day/2026-12-05', 'Profit below', 'Прибыль ниже')"))
        {
            insert.Parameters.AddWithValue(workspace);
            insert.Parameters.AddWithValue(Guid.NewGuid());
            insert.Parameters.AddWithValue(rule);
            await insert.ExecuteNonQueryAsync();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Volatile.Read(ref told) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Volatile.Read(ref told).Should().Be(1, "the check found the new alert once");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Volatile.Read(ref told).Should().Be(1, "and does not tell of it again");
        Volatile.Read(ref otherTold).Should().Be(0, "another workspace's pages hear nothing");
    }

    /// <summary>The alerts' app with the bells' check every second.</summary>
    public sealed class Host : AlertsTests.Host
    {
        protected override void Configure(IWebHostBuilder builder)
        {
            base.Configure(builder);
            builder.UseSetting("Alerts:BellPollInterval", "00:00:01");
        }
    }
}
