using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SellerDesk.Integration.Tests.Api;

/// <summary>Hangfire's dashboard at /ops/hangfire (issue 9, point 3): read-only, and only for the machine itself.</summary>
public sealed class JobsDashboardTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly IPAddress Elsewhere = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task A_request_from_the_machine_itself_sees_the_dashboard()
    {
        foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Loopback.MapToIPv6() })
        {
            var context = await GetAsync("/ops/hangfire/recurring", loopback);

            context.Response.StatusCode.Should().Be(StatusCodes.Status200OK, loopback.ToString());
            var html = await BodyAsync(context);
            html.Should().Contain("SellerDesk jobs").And.Contain(PullHousekeeping, "the housekeeping job is planned");
        }
    }

    [Fact]
    public async Task A_request_from_elsewhere_is_refused_even_when_it_claims_to_be_forwarded_for_the_machine_itself()
    {
        var remote = await GetAsync("/ops/hangfire", Elsewhere);
        var forwarded = await GetAsync("/ops/hangfire", IPAddress.Loopback, ("X-Forwarded-For", "127.0.0.1"));
        var proxied = await GetAsync("/ops/hangfire", IPAddress.Loopback, ("Forwarded", "for=203.0.113.7"));
        var unknown = await GetAsync("/ops/hangfire/recurring", remoteAddress: null);

        foreach (var (name, context) in new[] { ("remote", remote), ("X-Forwarded-For", forwarded), ("Forwarded", proxied), ("no address", unknown) })
        {
            context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized, name);
            (await BodyAsync(context)).Should().NotContain(PullHousekeeping, name + ": nothing of the dashboard is shown");
        }
    }

    [Fact]
    public async Task The_dashboard_is_read_only_even_for_the_machine_itself()
    {
        var before = Housekeeping();

        // A well-formed command, antiforgery token and all, as the dashboard's own "Trigger now" button would send it.
        var antiforgery = host.Services.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(new DefaultHttpContext { RequestServices = host.Services });
        var cookie = host.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name!;
        var context = await host.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = "/ops/hangfire/recurring/trigger";
            c.Request.Headers.Cookie = $"{cookie}={tokens.CookieToken}";
            c.Request.Headers[tokens.HeaderName!] = tokens.RequestToken;
            c.Request.ContentType = "application/x-www-form-urlencoded";
            c.Request.Body = new MemoryStream("jobs%5B%5D=pull-housekeeping"u8.ToArray());
        });

        context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized, "a read-only dashboard carries out no command");
        Housekeeping().LastJobId.Should().Be(before.LastJobId, "the recurring job was not triggered");
    }

    private const string PullHousekeeping = "pull-housekeeping";

    private RecurringJobDto Housekeeping()
    {
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([PullHousekeeping]).Single();
    }

    private Task<HttpContext> GetAsync(string path, IPAddress? remoteAddress, params (string Name, string Value)[] headers) =>
        host.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = remoteAddress;
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            foreach (var (name, value) in headers)
            {
                c.Request.Headers[name] = value;
            }
        });

    private static async Task<string> BodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Response.Body);
        return await reader.ReadToEndAsync();
    }
}
