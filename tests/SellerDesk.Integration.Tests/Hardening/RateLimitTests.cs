using System.Net;
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

        using var browser = host.CreateOwnerClient();
        using var download = await browser.GetAsync(new Uri("/export/cohorts?from=2026-01-01&to=2026-03-31&as_of=2026-04-30", UriKind.Relative));
        await AssertTooManyAsync(download);
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
