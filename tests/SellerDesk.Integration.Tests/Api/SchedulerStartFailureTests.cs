using System.Net;
using System.Text.Json;
using SellerDesk.Integration.Tests.Connections;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>
/// A database whose <c>hangfire</c> schema is not Hangfire's (another tool's, or a botched restore): Hangfire's
/// installer cannot read its version there, so the scheduler cannot start.
/// </summary>
public sealed class ForeignHangfireSchemaHost : ApiHost
{
    protected override async Task PrepareDatabaseAsync()
    {
        await using var command = Database.DataSource.CreateCommand(
            """
            CREATE SCHEMA hangfire;
            CREATE TABLE hangfire.schema (version text PRIMARY KEY);
            INSERT INTO hangfire.schema VALUES ('not a number');
            """);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A scheduler that cannot start does not stop the app (issue 3; kept with Hangfire in issue 9).</summary>
public sealed class SchedulerStartFailureTests(ForeignHangfireSchemaHost host) : IClassFixture<ForeignHangfireSchemaHost>
{
    [Fact]
    public async Task A_scheduler_that_cannot_start_leaves_the_node_serving_and_health_says_why()
    {
        // The fixture waited for /health 200: start-up finished rather than retrying for ever.
        using var health = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await health.Content.ReadAsStringAsync();
        health.StatusCode.Should().Be(HttpStatusCode.OK, body);
        // A plain reason only (issue 10, hardening): the exception's words stay in the log.
        var reason = JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString();
        reason.Should().Contain("runs no pulls", "health says this node runs no pulls and why: " + body);
        reason.Should().NotContain("not a number").And.NotContain("Exception");

        // Pages and the API are served; a queued run waits for a node that runs pulls.
        using var page = await host.Client.GetAsync(new Uri("/", UriKind.Relative));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var id = await ConnectionsApi.CreateAsync(host.Client, "sandbox", "Sandbox without a scheduler", new() { ["seed"] = "7" });
        var (status, _, raw) = await ConnectionsApi.SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        status.Should().Be(HttpStatusCode.OK, raw);
    }
}
