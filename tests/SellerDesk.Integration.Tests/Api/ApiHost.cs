using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>The app over its own fresh database, reached through HTTP with the bootstrap Owner token.</summary>
public class ApiHost : IAsyncLifetime
{
    public const string Token = "test-owner-token";

    /// <summary>The host of the local fake marketplaces, on the app's <c>Connectors:Http:AllowedHosts</c>.</summary>
    public const string FakeMarketplaceHost = "127.0.0.1";

    private WebApplicationFactory<Program> _factory = null!;

    public TestDatabase Database { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The app's services (its jobs, its Hangfire storage...).</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>The in-memory server, for requests that need a connection of their own (a remote address...).</summary>
    public Microsoft.AspNetCore.TestHost.TestServer Server => _factory.Server;

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await PrepareDatabaseAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:SellerDesk", Database.ConnectionString);
            builder.UseSetting("Bootstrap:Workspace", "tiny");
            builder.UseSetting("Bootstrap:ApiToken", Token);
            // The local fake marketplaces listen on 127.0.0.1: the operator's allow-list lets connections point there.
            builder.UseSetting("Connectors:Http:AllowedHosts:0", FakeMarketplaceHost);
            // Schedule tests fire every two seconds; the app allows every 15 minutes at most unless told otherwise.
            builder.UseSetting("Scheduler:ShortestInterval", "00:00:01");
            builder.UseEnvironment("Production");
            Configure(builder);
        });
        Client = CreateClient(Token);
        await WaitUntilHealthyAsync();
    }

    /// <summary>Uploads one CSV file of <paramref name="kind"/> through POST /api/v1/imports; anything but 200 fails the test.</summary>
    public async Task ImportAsync(string kind, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await Client.PostAsync(new Uri($"/api/v1/imports/{kind}", UriKind.Relative), content);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads the tiny example's files (costs, sales, returns, ad spend, fees) through the API.</summary>
    public async Task ImportTinyAsync()
    {
        foreach (var kind in new[] { "costs", "sales", "returns", "ad_spend", "fees" })
        {
            await ImportAsync(kind, await File.ReadAllTextAsync(SharedExamples.Tiny(kind + ".csv")));
        }
    }

    public HttpClient CreateClient(string? token)
    {
        var client = _factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>What a fixture of its own puts in the migrated database before the app starts.</summary>
    protected virtual Task PrepareDatabaseAsync() => Task.CompletedTask;

    /// <summary>Settings of a fixture of its own, applied after the common ones.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await Client.GetAsync(new Uri("/health", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("SellerDesk did not become healthy: " + await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(200);
        }
    }
}
