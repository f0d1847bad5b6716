using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data;
using SellerDesk.Testing;
using SellerDesk.Web.Auth;

namespace SellerDesk.Integration.Tests.Auth;

/// <summary>Bootstrap:* across restarts: a revoked bootstrap token stays revoked; the Owner account is made once.</summary>
public sealed class BootstrapTokenTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Token = "bootstrap-token-for-revocation";

    [Fact]
    public async Task A_revoked_bootstrap_token_stays_revoked_after_a_restart_with_the_same_configuration()
    {
        await using (var first = Start())
        {
            using var client = Client(first);
            (await StatusAsync(client)).Should().Be(HttpStatusCode.OK);
            var contexts = first.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>();
            await using var db = await contexts.CreateDbContextAsync();
            var hash = ApiTokens.Hash(Token);
            var token = await db.ApiTokens.SingleAsync(t => t.TokenHash == hash);
            var workspace = token.WorkspaceId;
            await first.Services.GetRequiredService<AccountService>().RevokeTokenAsync(workspace, token.Id, Actor.App, default);
            (await StatusAsync(client)).Should().Be(HttpStatusCode.Unauthorized);
        }

        await using var second = Start();
        using var again = Client(second);
        (await StatusAsync(again)).Should().Be(HttpStatusCode.Unauthorized, "a restart does not bring a revoked token back");
        await using var check = await second.Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync();
        (await check.Users.CountAsync(u => u.NormalizedEmail == "BOOT@OWNER.TEST")).Should().Be(1, "the bootstrap Owner is made once");
        (await check.WorkspaceMembers.CountAsync(m => m.Role == "Owner")).Should().Be(1);
    }

    private WebApplicationFactory<Program> Start() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:SellerDesk", database.ConnectionString);
            builder.UseSetting("Bootstrap:Workspace", "boot");
            builder.UseSetting("Bootstrap:ApiToken", Token);
            builder.UseSetting("Bootstrap:OwnerEmail", "boot@owner.test");
            builder.UseSetting("Bootstrap:OwnerPassword", "boot owner password");
            builder.UseEnvironment("Production");
        });

    private static HttpClient Client(WebApplicationFactory<Program> app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>The answer to an API call once start-up has finished (health 200).</summary>
    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        using var response = await client.GetAsync(new Uri("/api/v1/connections", UriKind.Relative));
        return response.StatusCode;
    }
}
