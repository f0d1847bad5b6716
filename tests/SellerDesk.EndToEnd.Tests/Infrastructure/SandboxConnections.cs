using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Sandbox connections made and pulled through the API, as an ops script would: each with its own seed (its own shop,
/// so its own orders and customers), no schedule and no first pull, then a pull of exactly the period a test asks for.
/// </summary>
public sealed class SandboxConnections(HttpClient api)
{
    /// <summary>Connects the sandbox shop <paramref name="seed"/> as <paramref name="name"/>; returns its id.</summary>
    public async Task<Guid> CreateAsync(string name, int seed)
    {
        using var response = await api.PostAsJsonAsync(
            new Uri("api/v1/connections", UriKind.Relative),
            new
            {
                marketplace = "sandbox",
                name,
                credentials = new Dictionary<string, string> { ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                schedule = new { cron = (string?)null, enabled = false },
                backfill_days = 0,
            });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Pulls <paramref name="from"/>..<paramref name="to"/> and waits until the run has succeeded; returns the run id.</summary>
    public async Task<Guid> PullAsync(Guid connection, string from, string to)
    {
        using var response = await api.PostAsJsonAsync(new Uri($"api/v1/connections/{connection}/pulls", UriKind.Relative), new { from, to });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, body);
        using var document = JsonDocument.Parse(body);
        var run = document.RootElement.GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var state = await GetAsync($"api/v1/pulls/{run}");
            var status = state.GetProperty("status").GetString();
            if (status == "succeeded")
            {
                return run;
            }

            status.Should().NotBe("failed", state.ToString());
            DateTime.UtcNow.Should().BeBefore(deadline, "the pull should finish within 90 seconds");
            await Task.Delay(250);
        }
    }

    /// <summary>What the connection's pulls stored (the counts the delete dialog shows).</summary>
    public async Task<JsonElement> DataAsync(Guid connection) => await GetAsync($"api/v1/connections/{connection}/data");

    public async Task<JsonElement> GetAsync(string relative)
    {
        using var response = await api.GetAsync(new Uri(relative, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
