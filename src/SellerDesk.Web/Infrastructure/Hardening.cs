using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// What the security review asked of every answer (issue 10, "Hardening"; docs/decisions/0019-hardening.md):
/// security headers and no <c>Server</c> header, problem details for the API's bare 400/404/405/415, a cap on
/// failed token authentications per address, rate limits on sign-in, imports and exports (429 problem details with
/// Retry-After), and the Data Protection key ring encrypted with a certificate kept outside the database.
/// </summary>
internal static class HardeningExtensions
{
    /// <summary>Services, Kestrel and the outermost middleware (which wraps error handling and authentication).</summary>
    public static WebApplicationBuilder AddSellerDeskHardening(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.Configure<RateLimitSettings>(builder.Configuration.GetSection(RateLimitSettings.Section));
        builder.Services.AddSingleton<TokenFailureLimiter>();
        builder.Services.AddSellerDeskRateLimits();
        builder.Services.AddSingleton<UploadLimiter>();
        builder.Services.Configure<ForwardedHeadersOptions>(options => ProxySettings.Apply(builder.Configuration, options));
        if (string.IsNullOrWhiteSpace(builder.Configuration["DataProtection:CertificatePath"]))
        {
            builder.Services.AddHostedService<UnencryptedKeyRingWarning>();
        }

        // A startup filter runs before everything Program.cs adds: headers are set on error pages and on the 401s and
        // 429s that authentication and the limiters answer, and the token-failure guard sees the final status.
        builder.Services.AddSingleton<IStartupFilter, OutermostMiddleware>();
        return builder;
    }

    /// <summary>The rate limiter, after authentication so a limit can be kept per workspace.</summary>
    public static WebApplication UseSellerDeskHardening(this WebApplication app)
    {
        app.UseSellerDeskRateLimits();
        return app;
    }

    /// <summary>Says at start-up, as a warning, that credential keys are stored unencrypted.</summary>
    private sealed class UnencryptedKeyRingWarning(ILogger<UnencryptedKeyRingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning(
                "DataProtection:CertificatePath is not set: the keys that encrypt marketplace credentials are stored unencrypted in the "
                + "database, so a dump of it decrypts every credential. scripts/run.sh creates a certificate; see docs/decisions/0019-hardening.md.");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class OutermostMiddleware : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Behind the reverse proxies the operator lists (ForwardedHeaders:KnownProxies / :KnownNetworks), the
            // client's address and scheme come from their X-Forwarded-For / -Proto: rate limits, the token-failure
            // guard, the audit log and HSTS then see the client, not the proxy. Nobody listed: the headers are ignored.
            if (ProxySettings.Configured(app.ApplicationServices))
            {
                app.UseForwardedHeaders();
            }

            app.UseMiddleware<SecurityHeaders>();
            app.UseMiddleware<ApiStatusProblems>();
            app.UseMiddleware<TokenFailureGuard>();
            next(app);
        };
    }
}

/// <summary>
/// Headers on every answer: no MIME sniffing, no referrer beyond the origin, no framing, a Content Security Policy
/// that Blazor Server and MudBlazor work under (scripts only from this site, plus the import map by its per-request
/// nonce; inline style attributes, which MudBlazor sets, allowed), and HSTS when the request came over HTTPS.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>The key under which the request's CSP nonce is kept in <see cref="HttpContext.Items"/>.</summary>
    public const string NonceKey = "sellerdesk:csp-nonce";

    private const string ApiReferencePath = SellerDesk.Web.Api.ApiDocs.ReferencePath;

    public static string? NonceOf(HttpContext? context) => context?.Items[NonceKey] as string;

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            // The API reference page (Scalar, /api/docs) starts with an inline script and uses eval; it shows no data.
            var scripts = context.Request.Path.StartsWithSegments(ApiReferencePath, StringComparison.OrdinalIgnoreCase)
                ? "'self' 'unsafe-inline' 'unsafe-eval'"
                : $"'self' 'nonce-{nonce}'";
            headers.ContentSecurityPolicy =
                "default-src 'self'; " +
                $"script-src {scripts}; " +
                "style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data:; " +
                "font-src 'self' data:; " +
                "connect-src 'self'; " +
                "object-src 'none'; " +
                "base-uri 'self'; " +
                "form-action 'self'; " +
                "frame-ancestors 'none'";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed: <c>ForwardedHeaders:KnownProxies:0</c>
/// (addresses) and <c>ForwardedHeaders:KnownNetworks:0</c> (CIDR, e.g. <c>10.0.0.0/8</c>). None by default: a header
/// anyone can send must not choose the address rate limits and the audit log see.
/// </summary>
internal static class ProxySettings
{
    public static void Apply(IConfiguration configuration, ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        options.ForwardLimit = 1;
        foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").GetChildren())
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy.Value, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies:{proxy.Key} = '{proxy.Value}' is not an IP address."));
        }

        foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").GetChildren())
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Value, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks:{network.Key} = '{network.Value}' is not a network such as 10.0.0.0/8."));
        }
    }

    public static bool Configured(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0;
    }
}
