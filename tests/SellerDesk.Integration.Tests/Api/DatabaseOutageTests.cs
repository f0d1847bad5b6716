using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>The app reaches PostgreSQL through a proxy the test cuts and restores.</summary>
public sealed class DatabaseOutageTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Report = "/api/v1/reports/channels?from=2026-01-01&to=2026-03-31";

    [Fact]
    public async Task While_the_database_is_down_the_api_and_pages_answer_in_plain_words_and_recover_when_it_is_back()
    {
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        proxy.Start();
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            Timeout = 3,
            CommandTimeout = 5,
        }.ConnectionString;
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:SellerDesk", viaProxy);
            builder.UseSetting("Bootstrap:Workspace", "outage");
            builder.UseSetting("Bootstrap:ApiToken", "outage-token");
            builder.UseEnvironment("Production");
        });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "outage-token");
        (await EventuallyAsync(client, Report, HttpStatusCode.OK)).Should().BeTrue("the app starts against a reachable database");

        // Reports answer once the bootstrap token exists, before the start-up steps (the scheduler) are done; /health
        // only once they are. An outage while the scheduler starts is retried by start-up like any other.
        (await EventuallyAsync(client, "/health", HttpStatusCode.OK)).Should().BeTrue("the app finishes starting");

        proxy.Cut();

        (await EventuallyAsync(client, Report, HttpStatusCode.ServiceUnavailable)).Should().BeTrue();
        using (var api = await client.GetAsync(new Uri(Report, UriKind.Relative)))
        {
            api.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await api.Content.ReadAsStringAsync()).Should().Contain("database is not reachable").And.NotContain("   at ");
        }

        using (var health = await client.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await health.Content.ReadAsStringAsync()).Should().Contain("unreachable");
        }

        proxy.Start();

        (await EventuallyAsync(client, Report, HttpStatusCode.OK)).Should().BeTrue("the app recovers by itself once the database is back");
        (await EventuallyAsync(client, "/health", HttpStatusCode.OK)).Should().BeTrue();
    }

    private static async Task<bool> EventuallyAsync(HttpClient client, string path, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode == status)
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
