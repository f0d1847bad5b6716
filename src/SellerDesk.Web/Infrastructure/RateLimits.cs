using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Api;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Infrastructure;

/// <summary>One limit: at most <see cref="PermitLimit"/> requests per <see cref="Window"/>.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>
/// The limits (configuration section <c>RateLimits</c>, e.g. <c>RateLimits__SignIn__PermitLimit=10</c>,
/// <c>RateLimits__SignIn__Window=00:05:00</c>). Fixed windows, no queue: past the limit the answer is 429.
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in form posts (sign-in, two-step code, forgotten password) per client address, page and e-mail (or account).</summary>
    public RateLimit SignIn { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(5) };

    /// <summary>API requests refused for a bad or missing token (401) per client address, before it is shut out.</summary>
    public RateLimit TokenFailures { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(5) };

    /// <summary>Ledger imports through the API per workspace.</summary>
    public RateLimit Imports { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>File exports (<c>/export/*</c>, the API's report files) per workspace.</summary>
    public RateLimit Exports { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>The rate limiter's policies; <see cref="SignIn"/> is attached to the sign-in page by its name.</summary>
public static class RateLimits
{
    /// <summary><c>[EnableRateLimiting(RateLimits.SignIn)]</c>: form posts of a sign-in step, per address and e-mail.</summary>
    public const string SignIn = "signin";

    private static readonly LocalText TooMany = new(
        "Too many requests: wait as long as the Retry-After header says (in seconds), then try again.",
        "Слишком много запросов: подождите столько секунд, сколько указано в заголовке Retry-After, и повторите.");

    public static IServiceCollection AddSellerDeskRateLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (rejected, _) => RejectAsync(rejected.HttpContext, rejected.Lease);

        options.AddPolicy(SignIn, context =>
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                return RateLimitPartition.GetNoLimiter("read");
            }

            var email = context.Request.HasFormContentType
                ? context.Request.Form.FirstOrDefault(f => f.Key.EndsWith("Email", StringComparison.OrdinalIgnoreCase)).Value.ToString()
                : string.Empty;
            // A step without an e-mail (the two-step code) is keyed by the account waiting for it: Identity's
            // two-factor cookie names it. The path keeps each step's count apart.
            var who = email.Length > 0
                ? email.Trim().ToUpperInvariant()
                : context.Request.Cookies[".AspNetCore." + Microsoft.AspNetCore.Identity.IdentityConstants.TwoFactorUserIdScheme] ?? string.Empty;
            var key = $"{Address(context)}|{context.Request.Path}|{who}";
            return Fixed(key, Settings(context).SignIn);
        });

        // Imports and exports by address, whatever endpoint serves them now or later: every /export/* download, the
        // API's report files (format=csv|xlsx) and every POST under /api/v1/imports/. Kept per workspace.
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var kind = Kind(context.Request);
            if (kind is null)
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var owner = context.User.FindFirst(WorkspaceClaims.Id)?.Value ?? Address(context);
            var settings = Settings(context);
            return Fixed($"{kind}|{owner}", kind == "imports" ? settings.Imports : settings.Exports);
        });
    });

    /// <summary>
    /// After authentication (limits per workspace). The sign-in policy reads the e-mail from the posted form, which the
    /// limiter reads synchronously: it is buffered here first.
    /// </summary>
    public static WebApplication UseSellerDeskRateLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method)
                && context.Request.HasFormContentType
                && context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>() is { PolicyName: SignIn })
            {
                await context.Request.ReadFormAsync(context.RequestAborted);
            }

            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>429 problem details with Retry-After (whole seconds) when the limiter says how long to wait.</summary>
    public static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Max(1, Math.Ceiling(wait.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
        }

        await ApiProblems.Status(StatusCodes.Status429TooManyRequests, TooMany).ExecuteAsync(context);
    }

    public static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();

    public static RateLimitPartition<string> Fixed(string key, RateLimit limit) => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
    {
        PermitLimit = Math.Max(1, limit.PermitLimit),
        Window = limit.Window > TimeSpan.Zero ? limit.Window : TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private static RateLimitSettings Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value;

    private static string? Kind(HttpRequest request)
    {
        if (request.Path.StartsWithSegments("/export", StringComparison.OrdinalIgnoreCase))
        {
            return "exports";
        }

        if (HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/v1/imports", StringComparison.OrdinalIgnoreCase))
        {
            return "imports";
        }

        // Any report the API answers as a file (cohorts, P&L, and whichever report gains a file format later).
        if (request.Path.StartsWithSegments("/api/v1/reports", StringComparison.OrdinalIgnoreCase)
            && request.Query["format"].ToString().Trim().ToLowerInvariant() is "csv" or "xlsx")
        {
            return "exports";
        }

        return null;
    }
}

/// <summary>
/// Failed token authentications (401 under <c>/api</c> for a request that sent an Authorization header) per client
/// address: past <see cref="RateLimitSettings.TokenFailures"/> the address gets 429 for every API request until the
/// window ends, so tokens cannot be guessed at speed.
/// </summary>
internal sealed class TokenFailureLimiter(IOptions<RateLimitSettings> settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(
        address => RateLimits.Fixed(address, settings.Value.TokenFailures));

    /// <summary>A failed lease (with Retry-After) when the address has used up its failures; null otherwise.</summary>
    public RateLimitLease? Refusal(string address)
    {
        var probe = _failures.AttemptAcquire(address, 0);
        if (probe.IsAcquired)
        {
            probe.Dispose();
            return null;
        }

        return probe;
    }

    public void Failed(string address) => _failures.AttemptAcquire(address, 1).Dispose();

    public void Dispose() => _failures.Dispose();
}

internal sealed class TokenFailureGuard(RequestDelegate next, TokenFailureLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/api/docs", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var address = RateLimits.Address(context);
        using (var refusal = limiter.Refusal(address))
        {
            if (refusal is not null)
            {
                await RateLimits.RejectAsync(context, refusal);
                return;
            }
        }

        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized && context.Request.Headers.Authorization.Count > 0)
        {
            limiter.Failed(address);
        }
    }
}

/// <summary>
/// The import limit for uploads from the browser: a page's upload runs over the live connection, not as a request the
/// rate limiter middleware sees, so the upload page asks here before it imports. The same setting
/// (<c>RateLimits:Imports</c>) per workspace as the API's imports, counted on its own.
/// </summary>
public sealed class UploadLimiter(IOptions<RateLimitSettings> settings) : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter = PartitionedRateLimiter.Create<Guid, string>(
        workspace => RateLimits.Fixed("ui-imports|" + workspace.ToString("N"), settings.Value.Imports));

    /// <summary>Takes one import of <paramref name="workspaceId"/>; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryTake(Guid workspaceId)
    {
        using var lease = _limiter.AttemptAcquire(workspaceId);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : settings.Value.Imports.Window;
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Thrown when an upload from the browser is past the import limit; nothing was read or written.</summary>
public sealed class ImportsRateLimitedException(TimeSpan retryAfter)
    : Exception($"Too many imports: try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
