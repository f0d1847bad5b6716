using System.Net;
using Microsoft.AspNetCore.Hosting;
using SellerDesk.Ingestion.Connectors.Sandbox;
using SellerDesk.Integration.Tests.Api;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>An app that runs no pulls itself (queued runs stay queued) and schedules at the default cadence.</summary>
public sealed class NoPullsHost : ApiHost
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Scheduler:Enabled", "false");
        builder.UseSetting("Scheduler:ShortestInterval", "00:15:00");
    }
}

/// <summary>Unbounded work (issue 10, "Hardening"): schedules at most every 15 minutes; one queued run per connection.</summary>
public sealed class ScheduleLimitsTests(NoPullsHost host) : IClassFixture<NoPullsHost>
{
    [Theory]
    [InlineData("0 0/5 * * * ?", "runs 300 s after a previous run")]
    [InlineData("0/2 * * * * ?", "runs 2 s after a previous run")]
    [InlineData("0 59,1 23,0 * * ?", "runs 120 s after a previous run")]
    public async Task A_schedule_more_often_than_every_15_minutes_is_refused_with_400_in_both_languages(string cron, string says)
    {
        var id = await CreateAsync(host.Client, "sandbox", "Often " + Guid.NewGuid().ToString("N"), new() { [SandboxConnector.SeedKey] = Seed() });

        var (status, body, raw) = await SendAsync(host.Client, HttpMethod.Put, $"/api/v1/connections/{id}/schedule", new { Cron = cron, WindowDays = 1, Enabled = true });

        status.Should().Be(HttpStatusCode.BadRequest, raw);
        body.GetProperty("errors").GetProperty("cron")[0].GetString().Should().Contain(says).And.Contain("at most every 900 s");
        body.GetProperty("error_texts").GetProperty("cron")[0].GetProperty("ru").GetString().Should().Contain("не чаще раза в 900 с");
        (await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}")).Body.GetProperty("enabled").GetBoolean()
            .Should().BeFalse("the refused schedule was not stored");
    }

    [Fact]
    public async Task Every_15_minutes_is_allowed()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Quarterly " + Guid.NewGuid().ToString("N"), new() { [SandboxConnector.SeedKey] = Seed() });

        var schedule = await ScheduleAsync(host.Client, id, "0 0/15 * * * ?", windowDays: 1, enabled: true);

        schedule.GetProperty("cron").GetString().Should().Be("0 0/15 * * * ?");
    }

    [Fact]
    public async Task A_second_pull_of_a_connection_whose_pull_is_still_queued_is_refused_and_only_one_run_waits()
    {
        var id = await CreateAsync(host.Client, "sandbox", "Queued " + Guid.NewGuid().ToString("N"), new() { [SandboxConnector.SeedKey] = Seed() });

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync(host.Client, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { })));

        answers.Count(a => a.Status == HttpStatusCode.Accepted).Should().Be(1);
        var refused = answers.Where(a => a.Status != HttpStatusCode.Accepted).ToList();
        refused.Should().HaveCount(3).And.OnlyContain(a => a.Status == HttpStatusCode.BadRequest);
        refused[0].Body.GetProperty("errors").GetProperty("pull")[0].GetString().Should().Be("a pull of this connection is already waiting to run: wait until it has started");
        refused[0].Body.GetProperty("error_texts").GetProperty("pull")[0].GetProperty("ru").GetString().Should().Be("загрузка этого подключения уже ждёт запуска: дождитесь её начала");
        var (_, runs, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}/pulls");
        (runs.ValueKind == System.Text.Json.JsonValueKind.Array ? runs : runs.GetProperty("items")).GetArrayLength().Should().Be(1);
    }

    private static string Seed() => Random.Shared.Next(1, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
