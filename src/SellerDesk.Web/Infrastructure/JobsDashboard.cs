using System.Net;
using Hangfire;
using Hangfire.Dashboard;

namespace SellerDesk.Web.Infrastructure;

internal static class JobsDashboardExtensions
{
    public const string Path = "/ops/hangfire";

    /// <summary>
    /// Hangfire's dashboard at <c>/ops/hangfire</c>: read-only (no trigger, retry or delete) and served only to requests
    /// from the machine itself. It shows every workspace's jobs and cannot be filtered by workspace, so members get
    /// the app's own jobs page at <c>/ops/jobs</c> instead (decision 0017).
    /// </summary>
    public static WebApplication MapSellerDeskJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard(
            Path,
            new DashboardOptions
            {
                DashboardTitle = "SellerDesk jobs",
                AppPath = "/",
                IsReadOnlyFunc = _ => true,
                Authorization = [new MachineItselfOnly()],
                DisplayStorageConnectionString = false,
            },
            app.Services.GetRequiredService<JobStorage>())
            // Hangfire's dashboard shows every workspace's jobs and cannot be filtered by workspace, so it is not
            // offered to workspace members (issue 10, point 6): it stays the operator's tool on the machine itself,
            // guarded by its own filter below rather than by a sign-in.
            .AllowAnonymous();
        return app;
    }
}

/// <summary>
/// Lets in a request whose connection comes from a loopback address and that no proxy forwarded: behind a reverse
/// proxy on the same machine every request arrives from loopback, so a request that carries forwarding headers is
/// treated as coming from elsewhere, whatever address they name.
/// </summary>
internal sealed class MachineItselfOnly : IDashboardAuthorizationFilter
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded"];

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return IPAddress.IsLoopback(remote) && !ForwardingHeaders.Any(h => http.Request.Headers.ContainsKey(h));
    }
}
