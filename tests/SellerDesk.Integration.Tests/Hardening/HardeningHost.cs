using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data.Accounts;
using SellerDesk.Integration.Tests.Api;
using SellerDesk.Web.Auth;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>The app over its own database with an Owner account signed in through the sign-in form.</summary>
public class HardeningHost : ApiHost
{
    public const string OwnerEmail = "owner@hardening.test";
    public const string Password = "hardening password 1";

    /// <summary>The Owner's session cookie (<c>.SellerDesk.Session=...</c>).</summary>
    public string OwnerCookie { get; private set; } = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Services.GetRequiredService<AccountService>();
        var contexts = Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SellerDesk.Data.SellerDeskDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var workspace = db.Workspaces.Single(w => w.Name == "tiny");
        var user = await accounts.CreateUserAsync(OwnerEmail, Password);
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspace.Id, UserId = user.Id, Role = WorkspaceRoles.Owner, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        var (status, cookie) = await PostSignInAsync(OwnerEmail, Password);
        OwnerCookie = cookie ?? throw new InvalidOperationException($"The Owner could not sign in: {(int)status}");
    }

    /// <summary>A client (no redirects followed) sending the Owner's session cookie.</summary>
    public HttpClient CreateOwnerClient()
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", OwnerCookie);
        return client;
    }

    /// <summary>Posts the sign-in form (with its antiforgery token); the answer's status and the session cookie, if set.</summary>
    public async Task<(HttpStatusCode Status, string? Cookie)> PostSignInAsync(
        string email, string password, Action<HttpResponseMessage>? inspect = null, string? forwardedFor = null)
    {
        using var client = Server.CreateClient();
        using var form = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));
        var html = await form.Content.ReadAsStringAsync();
        var input = Regex.Match(html, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        var token = WebUtility.HtmlDecode(Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value);
        var antiforgeryCookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "signin",
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        if (forwardedFor is not null)
        {
            post.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(post);
        inspect?.Invoke(response);
        var session = response.Headers.TryGetValues("Set-Cookie", out var set)
            ? set.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith(".SellerDesk.Session=", StringComparison.Ordinal))
            : null;
        return (response.StatusCode, session);
    }
}

/// <summary>The same with low limits: 3 sign-in posts per address and e-mail, 2 imports and 2 exports per workspace, per 10 minutes.</summary>
public sealed class LowLimitsHost : HardeningHost
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("RateLimits:SignIn:PermitLimit", "3");
        builder.UseSetting("RateLimits:SignIn:Window", "00:10:00");
        builder.UseSetting("RateLimits:Imports:PermitLimit", "2");
        builder.UseSetting("RateLimits:Imports:Window", "00:10:00");
        builder.UseSetting("RateLimits:Exports:PermitLimit", "2");
        builder.UseSetting("RateLimits:Exports:Window", "00:10:00");
    }
}

/// <summary>Reads problem details answers.</summary>
internal static class Problems
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", "the answer is problem details");
        var body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The {en, ru} text of <c>title_text</c>.</summary>
    public static (string En, string Ru) Title(JsonElement problem) =>
        (problem.GetProperty("title_text").GetProperty("en").GetString()!, problem.GetProperty("title_text").GetProperty("ru").GetString()!);

    /// <summary>The first {en, ru} text of <c>error_texts[field]</c>.</summary>
    public static (string En, string Ru) Error(JsonElement problem, string field)
    {
        var text = problem.GetProperty("error_texts").GetProperty(field)[0];
        return (text.GetProperty("en").GetString()!, text.GetProperty("ru").GetString()!);
    }
}
