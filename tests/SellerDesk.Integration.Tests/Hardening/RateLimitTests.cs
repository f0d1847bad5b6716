using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data.Ledger;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Upload;
using SellerDesk.Web.Features.Workspace;
using SellerDesk.Web.Infrastructure;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using SellerDesk.Integration.Tests.Api;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>Sign-in, imports and exports are rate limited (limits set low by <see cref="LowLimitsHost"/>): 429 problem details with Retry-After.</summary>
public sealed class RateLimitTests(LowLimitsHost host) : IClassFixture<LowLimitsHost>
{
    [Fact]
    public async Task Sign_in_posts_past_the_limit_for_one_address_and_email_get_429_while_another_email_still_signs_in()
    {
        const string guessed = "nobody@hardening.test";
        for (var i = 0; i < 3; i++)
        {
            (await host.PostSignInAsync(guessed, "wrong password " + i)).Status.Should().Be(HttpStatusCode.OK, "the form answers 'wrong e-mail or password'");
        }

        HttpResponseMessage? refused = null;
        var (status, _) = await host.PostSignInAsync(guessed, "wrong password 4", r => refused = Clone(r));
        status.Should().Be(HttpStatusCode.TooManyRequests);
        await AssertTooManyAsync(refused!);

        var (ownerStatus, cookie) = await host.PostSignInAsync(HardeningHost.OwnerEmail, HardeningHost.Password);
        ownerStatus.Should().Be(HttpStatusCode.Redirect, "the limit is per address and e-mail");
        cookie.Should().NotBeNull();
    }

    [Fact]
    public async Task Imports_past_the_limit_get_429_with_retry_after()
    {
        const string csv = "order_id,line_no,order_date,marketplace,customer_id,sku,qty,price,discount,commission,logistics,channel\n";
        for (var i = 0; i < 2; i++)
        {
            using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
            using var accepted = await host.Client.PostAsync(new Uri("/api/v1/imports/sales", UriKind.Relative), content);
            accepted.StatusCode.Should().NotBe(HttpStatusCode.TooManyRequests);
        }

        using var last = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var refused = await host.Client.PostAsync(new Uri("/api/v1/imports/sales", UriKind.Relative), last);
        await AssertTooManyAsync(refused);
    }

    [Fact]
    public async Task Exports_past_the_limit_get_429_on_the_api_and_on_export_while_json_reports_are_not_counted()
    {
        const string cohorts = "/api/v1/reports/cohorts?from=2026-01-01&to=2026-03-31&as_of=2026-04-30";
        for (var i = 0; i < 3; i++)
        {
            using var json = await host.Client.GetAsync(new Uri(cohorts, UriKind.Relative));
            json.StatusCode.Should().Be(HttpStatusCode.OK, "the JSON report is a report, not an export");
        }

        for (var i = 0; i < 2; i++)
        {
            using var file = await host.Client.GetAsync(new Uri(cohorts + "&format=csv", UriKind.Relative));
            file.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var refused = await host.Client.GetAsync(new Uri(cohorts + "&format=xlsx", UriKind.Relative)))
        {
            await AssertTooManyAsync(refused);
        }

        // Every report file of the API counts, not only the cohorts'; its JSON does not.
        const string pnl = "/api/v1/reports/pnl?from=2026-01-01&to=2026-03-31&as_of=2026-04-30";
        using (var refused = await host.Client.GetAsync(new Uri(pnl + "&format=csv", UriKind.Relative)))
        {
            await AssertTooManyAsync(refused);
        }

        using (var json = await host.Client.GetAsync(new Uri(pnl, UriKind.Relative)))
        {
            json.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var browser = host.CreateOwnerClient();
        using var download = await browser.GetAsync(new Uri("/export/cohorts?from=2026-01-01&to=2026-03-31&as_of=2026-04-30", UriKind.Relative));
        await AssertTooManyAsync(download);
    }

    [Fact]
    public async Task Uploads_from_the_browser_past_the_limit_are_refused_before_anything_is_read()
    {
        // The upload page's service, as a signed-in page of the tiny workspace uses it: its imports run over the live
        // connection, which the rate limiter middleware never sees.
        var contexts = host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SellerDesk.Data.SellerDeskDbContext>>();
        SellerDesk.Data.Entities.Workspace workspace;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            workspace = db.Workspaces.Single(w => w.Name == "tiny");
        }

        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(WorkspaceClaims.Id, workspace.Id.ToString()),
                new Claim(WorkspaceClaims.Name, workspace.Name),
                new Claim(WorkspaceClaims.TimeZone, workspace.TimeZone),
            ],
            WorkspaceClaims.AuthenticationType));
        using var scope = host.Services.CreateScope();
        var uploads = new UploadService(
            new UiWorkspace(new FixedAuthentication(user)),
            scope.ServiceProvider.GetRequiredService<AuditedActions>(),
            host.Services.GetRequiredService<UploadLimiter>());
        const string csv = "sku,valid_from,unit_cost\n";
        for (var i = 0; i < 2; i++)
        {
            using var accepted = new MemoryStream(Encoding.UTF8.GetBytes(csv));
            (await uploads.ImportAsync(Actor.App, LedgerFileKind.Costs, "costs.csv", accepted, null, CancellationToken.None)).Should().NotBeNull();
        }

        using var refused = new TrackedStream(Encoding.UTF8.GetBytes(csv));
        var third = () => uploads.ImportAsync(Actor.App, LedgerFileKind.Costs, "costs.csv", refused, null, CancellationToken.None);
        (await third.Should().ThrowAsync<ImportsRateLimitedException>()).Which.RetryAfter.Should().BeGreaterThan(TimeSpan.Zero);
        refused.WasRead.Should().BeFalse("a refused upload reads nothing and writes nothing");
    }

    private sealed class FixedAuthentication(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class TrackedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public bool WasRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            WasRead = true;
            return base.Read(buffer, offset, count);
        }

        public override int Read(Span<byte> buffer)
        {
            WasRead = true;
            return base.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WasRead = true;
            return base.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            WasRead = true;
            return base.ReadAsync(buffer, offset, count, cancellationToken);
        }
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.Should().NotBeNull("429 says when to try again");
        response.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
        var problem = await Problems.ReadAsync(response);
        problem.GetProperty("status").GetInt32().Should().Be(429);
        var (en, ru) = Problems.Title(problem);
        en.Should().Contain("Too many requests");
        ru.Should().Contain("Слишком много запросов");
    }

    private static HttpResponseMessage Clone(HttpResponseMessage response)
    {
        var copy = new HttpResponseMessage(response.StatusCode) { Content = new ByteArrayContent(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()) };
        foreach (var header in response.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in response.Content.Headers)
        {
            copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}

/// <summary>The app allowing 3 failed token authentications per address per 10 minutes.</summary>
public sealed class TokenFailureHost : ApiHost
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("RateLimits:TokenFailures:PermitLimit", "3");
        builder.UseSetting("RateLimits:TokenFailures:Window", "00:10:00");
    }
}

/// <summary>Guessing API tokens: after a few failures the address gets 429 until the window ends.</summary>
public sealed class TokenFailureLimitTests(TokenFailureHost host) : IClassFixture<TokenFailureHost>
{
    [Fact]
    public async Task After_the_allowed_failed_token_authentications_the_address_gets_429_with_retry_after()
    {
        using var anonymous = host.CreateClient(null);
        for (var i = 0; i < 5; i++)
        {
            using var noToken = await anonymous.GetAsync(new Uri("/api/v1/connections", UriKind.Relative));
            noToken.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a request without a token guesses nothing and is not counted");
        }

        for (var i = 0; i < 3; i++)
        {
            using var guessing = host.CreateClient("guess-" + i);
            using var failed = await guessing.GetAsync(new Uri("/api/v1/connections", UriKind.Relative));
            failed.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var next = host.CreateClient("guess-4");
        using var refused = await next.GetAsync(new Uri("/api/v1/connections", UriKind.Relative));
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
        Problems.Title(await Problems.ReadAsync(refused)).En.Should().Contain("Too many requests");

        using var health = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        health.StatusCode.Should().Be(HttpStatusCode.OK, "only the API is shut to the address");
    }
}
