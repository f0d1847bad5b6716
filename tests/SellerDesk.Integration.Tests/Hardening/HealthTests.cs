using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>/health says healthy or unhealthy with a plain reason, never an exception's text.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task With_the_database_unreachable_health_says_unhealthy_database_unreachable_and_nothing_more()
    {
        // Nothing listens on port 1 of this machine: every connection attempt is refused at once.
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:SellerDesk", "Host=127.0.0.1;Port=1;Database=sellerdesk;Username=secret_user;Password=secret_password;Timeout=2");
            builder.UseSetting("Bootstrap:Workspace", "health");
            builder.UseEnvironment("Production");
        });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, body);
        var answer = JsonDocument.Parse(body).RootElement;
        answer.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("status", "reason");
        answer.GetProperty("status").GetString().Should().Be("unhealthy");
        answer.GetProperty("reason").GetString().Should().Be("database unreachable");
        body.Should().NotContainAny("127.0.0.1", "secret_user", "refused", "Exception", "Npgsql", "   at ");
    }
}

/// <summary>The health answer of a working app.</summary>
public sealed class HealthyAnswerTests(HardeningHost host) : IClassFixture<HardeningHost>
{
    [Fact]
    public async Task A_ready_node_answers_healthy_ready_and_only_that()
    {
        using var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        answer.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("status", "reason");
        answer.GetProperty("status").GetString().Should().Be("healthy");
        answer.GetProperty("reason").GetString().Should().Be("ready");
    }
}
