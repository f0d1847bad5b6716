using System.Net;
using SellerDesk.Integration.Tests.Api;
using static SellerDesk.Integration.Tests.Connections.ConnectionsApi;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>
/// A method the marketplace switched off (issue 15, point 6) marks the connection "needs an update" on the wire
/// (<c>status</c> of GET /api/v1/connections/{id} is <c>needs_update</c>, <c>last_error</c> names the method in both
/// languages), and a later successful run clears it.
/// </summary>
public sealed class RetiredMethodStatusTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task An_Ozon_method_answering_code_9_shows_needs_update_on_the_connection_until_a_run_succeeds()
    {
        await using var ozon = await RetiringOzon.StartAsync();
        var (created, body, raw) = await SendAsync(host.Client, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "ozon",
            Name = "Ozon retiring",
            Credentials = new Dictionary<string, string> { ["client_id"] = "9900011", ["api_key"] = "ozon-retiring-key" },
            BaseUrl = ozon.BaseUrl.ToString(),
            Schedule = new { Enabled = false },
            BackfillDays = 0,
        });
        created.Should().Be(HttpStatusCode.Created, raw);
        var id = body.GetProperty("id").GetGuid();
        ozon.Retired = true;

        var failed = await PullAsync(id);

        failed.GetProperty("status").GetString().Should().Be("failed");
        var (_, connection, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        connection.GetProperty("status").GetString().Should().Be("needs_update");
        connection.GetProperty("last_error").GetProperty("en").GetString().Should().Contain("POST " + RetiringOzon.RetiredPath).And.Contain("needs an update");
        connection.GetProperty("last_error").GetProperty("ru").GetString().Should().Contain("POST " + RetiringOzon.RetiredPath).And.Contain("нужно обновить");

        ozon.Retired = false;
        var succeeded = await PullAsync(id);

        succeeded.GetProperty("status").GetString().Should().Be("succeeded");
        (_, connection, _) = await SendAsync(host.Client, HttpMethod.Get, $"/api/v1/connections/{id}");
        connection.GetProperty("status").GetString().Should().Be("healthy", "a successful run clears 'needs an update'");
    }

    private async Task<System.Text.Json.JsonElement> PullAsync(Guid id)
    {
        var day = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (status, queued, raw) = await SendAsync(host.Client, HttpMethod.Post, $"/api/v1/connections/{id}/pulls", new { From = day, To = day });
        status.Should().Be(HttpStatusCode.Accepted, raw);
        return await WaitForRunAsync(host.Client, queued.GetProperty("id").GetGuid(), RunTimeout);
    }
}
