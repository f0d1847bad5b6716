using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data;
using SellerDesk.Data.Accounts;
using SellerDesk.Data.Entities;
using SellerDesk.Integration.Tests.Api;
using SellerDesk.Web.Auth;

namespace SellerDesk.Integration.Tests.Auth;

/// <summary>
/// Every mapped endpoint and page route, read from the app's endpoint data source, against the rule this test
/// expects for it: anonymous visitors are refused (unless the route is on the explicit public list), a member of
/// another workspace never sees this workspace's data, and each role is let in or refused as the rule says.
/// A route the table below does not know fails the test: a new route needs a rule.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Host host) : IClassFixture<AuthorizationMatrixTests.Host>
{
    private const string Any = "any member";
    private const string SignedInOnly = "signed in";

    /// <summary>Routes open to everyone, and why.</summary>
    private static readonly Dictionary<string, string> Public = new(StringComparer.Ordinal)
    {
        ["/health"] = "load balancers and scripts",
        ["/account/signin"] = "the way in",
        ["/account/setup"] = "the fresh install's first account (offered once)",
        ["/account/invitation"] = "an invitation link (its secret is the key)",
        ["/account/forgot"] = "asking for a reset mail (says the same whatever the address)",
        ["/account/reset"] = "a password reset link (its token is the key)",
        ["/account/signin/code"] = "the second step of sign-in (needs the right password's short-lived cookie)",
        ["/culture/set"] = "the language switch of the sign-in page",
        ["/not-found"] = "the status-code page (anonymous unknown addresses go to sign-in first)",
        ["/openapi/{documentName}.json"] = "the API description (no data)",
        ["/api/docs/{documentName?}"] = "the API reference page (no data)",
        ["/ops/hangfire/{**path}"] = "Hangfire's dashboard: its own filter lets in the machine itself only (JobsDashboardTests)",
    };

    /// <summary>Who may use each route: roles of the current workspace, any member, or any signed-in user.</summary>
    private static readonly Dictionary<string, string[]> Rules = new(StringComparer.Ordinal)
    {
        ["GET /"] = [Any],
        ["GET /channels"] = [Any],
        ["GET /cohorts"] = [Any],
        ["GET /pnl"] = [Any],
        ["GET /skus"] = [Any],
        ["GET /skus/item"] = [Any],
        ["GET /scenarios"] = [Any],
        ["GET /drilldown"] = [Any],
        ["GET /upload"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /connections"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /ops/jobs"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /settings/members"] = [WorkspaceRoles.Owner],
        ["GET /settings/tokens"] = [WorkspaceRoles.Owner],
        ["GET /settings/audit"] = [WorkspaceRoles.Owner],
        ["GET /alerts"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /export/cohorts"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /export/pnl"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /export/channels"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /export/marketplaces"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /export/audit"] = [WorkspaceRoles.Owner],
        ["GET /export/scenario"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /export/drilldown"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /account/password"] = [SignedInOnly],
        ["GET /account/two-factor"] = [SignedInOnly],
        ["GET /account/denied"] = [SignedInOnly],
        ["POST /account/signout"] = [SignedInOnly],
        ["POST /account/workspace"] = [SignedInOnly],
        ["GET /api/v1/reports/channels"] = [Any],
        ["GET /api/v1/reports/marketplaces"] = [Any],
        ["GET /api/v1/reports/cohorts"] = [Any],
        ["GET /api/v1/reports/pnl"] = [Any],
        ["GET /api/v1/reports/skus"] = [Any],
        ["POST /api/v1/scenarios/evaluate"] = [Any],
        ["GET /api/v1/reports/drilldown"] = [Any],
        ["POST /api/v1/imports/{kind}"] = [WorkspaceRoles.Owner, WorkspaceRoles.Finance],
        ["GET /api/v1/connections"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /api/v1/connections/{id:guid}"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["POST /api/v1/connections"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["PUT /api/v1/connections/{id:guid}/credentials"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["PUT /api/v1/connections/{id:guid}/schedule"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["POST /api/v1/connections/{id:guid}/pulls"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /api/v1/connections/{id:guid}/data"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["DELETE /api/v1/connections/{id:guid}"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /api/v1/connections/{id:guid}/pulls"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /api/v1/pulls/{id:guid}"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
        ["GET /api/v1/pulls/{id:guid}/gaps"] = [WorkspaceRoles.Owner, WorkspaceRoles.Ops],
    };

    /// <summary>
    /// Requests a route answers with narrower rules than its own (a report route's downloads are exports): the same
    /// roles as the pages' export (Owner, Finance). Each is tried for every role like the routes above.
    /// </summary>
    private static readonly Dictionary<string, (string Route, string Query, string[] Roles)> Variants = new(StringComparer.Ordinal)
    {
        ["GET /api/v1/reports/cohorts?format=csv"] = ("GET /api/v1/reports/cohorts", "&format=csv", [WorkspaceRoles.Owner, WorkspaceRoles.Finance]),
        ["GET /api/v1/reports/cohorts?format=xlsx"] = ("GET /api/v1/reports/cohorts", "&format=xlsx", [WorkspaceRoles.Owner, WorkspaceRoles.Finance]),
        ["GET /export/cohorts?format=xlsx"] = ("GET /export/cohorts", "&format=xlsx", [WorkspaceRoles.Owner, WorkspaceRoles.Finance]),
        ["GET /api/v1/reports/pnl?format=csv"] = ("GET /api/v1/reports/pnl", "&format=csv", [WorkspaceRoles.Owner, WorkspaceRoles.Finance]),
        ["GET /api/v1/reports/pnl?format=xlsx"] = ("GET /api/v1/reports/pnl", "&format=xlsx", [WorkspaceRoles.Owner, WorkspaceRoles.Finance]),
        ["GET /export/pnl?format=xlsx"] = ("GET /export/pnl", "&format=xlsx", [WorkspaceRoles.Owner, WorkspaceRoles.Finance]),
    };

    [Fact]
    public async Task Each_role_may_download_exports_through_the_api_exactly_where_it_may_on_the_pages()
    {
        var problems = new List<string>();
        foreach (var role in WorkspaceRoles.All)
        {
            using var cookie = host.CreateCookieClient(role);
            using var token = host.CreateClient(host.Tokens[role]);
            foreach (var (name, (key, query, roles)) in Variants)
            {
                var route = Routes().Single(r => r.Key == key);
                using var response = await SendAsync(route.Api ? token : cookie, route, query);
                var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/", StringComparison.Ordinal));
                var allowed = roles.Contains(role);
                if (allowed == refused || (allowed && response.StatusCode != HttpStatusCode.OK))
                {
                    problems.Add($"{role} {name}: expected {(allowed ? "allowed" : "refused")}, got {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public void Every_mapped_route_is_public_by_name_or_has_a_rule()
    {
        var unknown = Routes()
            .Where(r => !r.Framework && !IsPublic(r) && !Rules.ContainsKey(r.Key))
            .Select(r => r.Key + (r.AllowsAnonymous ? " (allows anonymous!)" : string.Empty))
            .ToList();
        unknown.Should().BeEmpty("every route needs a rule in this test");

        var anonymousButNotListed = Routes().Where(r => r.AllowsAnonymous && !r.Framework && !IsPublic(r)).Select(r => r.Key);
        anonymousButNotListed.Should().BeEmpty("only the explicit public list allows anonymous visitors");

        Rules.Keys.Should().BeSubsetOf(Routes().Select(r => r.Key), "the table names only routes that exist");
    }

    [Fact]
    public async Task Anonymous_visitors_are_refused_everywhere_but_the_public_routes()
    {
        using var anonymous = host.CreateCookieClient(null);
        var problems = new List<string>();
        foreach (var route in Routes().Where(r => !r.Framework && !IsPublic(r)))
        {
            using var response = await SendAsync(anonymous, route);
            var refused = route.Api
                ? response.StatusCode == HttpStatusCode.Unauthorized
                : response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/signin", StringComparison.Ordinal);
            if (!refused)
            {
                problems.Add($"{route.Key}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Each_role_is_let_in_exactly_where_its_rule_says()
    {
        var problems = new List<string>();
        foreach (var role in WorkspaceRoles.All)
        {
            using var cookie = host.CreateCookieClient(role);
            using var token = host.CreateClient(host.Tokens[role]);
            foreach (var route in Routes().Where(r => Rules.ContainsKey(r.Key)))
            {
                var allowed = Rules[route.Key].Any(r => r == Any || r == SignedInOnly || r == role);
                using var response = await SendAsync(route.Api ? token : cookie, route);
                var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/", StringComparison.Ordinal)
                        && !route.Pattern.StartsWith("/account/", StringComparison.Ordinal));
                if (allowed == refused)
                {
                    problems.Add($"{role} {route.Key}: expected {(allowed ? "allowed" : "refused")}, got {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_member_of_another_workspace_never_sees_this_workspaces_data_even_naming_it()
    {
        // The other workspace's Owner, with the browser's workspace cookie forged to name this workspace, and the
        // other workspace's Owner token; ids in routes are this workspace's own connection and pull run.
        using var cookie = host.CreateCookieClient(Host.OtherOwner, forgedWorkspace: host.WorkspaceId);
        using var token = host.CreateClient(host.OtherToken);
        var problems = new List<string>();
        foreach (var route in Routes().Where(r => Rules.ContainsKey(r.Key)))
        {
            using var response = await SendAsync(route.Api ? token : cookie, route);
            var body = await response.Content.ReadAsStringAsync();
            if (body.Contains(Host.Marker, StringComparison.Ordinal) || body.Contains(Host.WorkspaceName, StringComparison.Ordinal))
            {
                problems.Add($"{route.Key}: {(int)response.StatusCode} shows the other workspace's data");
            }

            // A list for another workspace's id is empty; anything else found by it is a leak.
            if (route.Pattern.Contains("{id:guid}", StringComparison.Ordinal) && response.IsSuccessStatusCode && body.Trim() != "[]")
            {
                problems.Add($"{route.Key}: {(int)response.StatusCode} for another workspace's id");
            }
        }

        problems.Should().BeEmpty();
    }

    /// <summary>On the public list; the API reference's own scripts and icons under /api/docs/ with it.</summary>
    private static bool IsPublic(Route route) =>
        Public.ContainsKey(route.Pattern)
        || (route.AllowsAnonymous && route.Pattern.StartsWith("/api/docs/", StringComparison.Ordinal) && route.Method == "GET");

    private sealed record Route(string Method, string Pattern, bool Api, bool AllowsAnonymous, bool Framework)
    {
        public string Key => Method + " " + Pattern;
    }

    private IEnumerable<Route> Routes()
    {
        var source = host.Services.GetRequiredService<EndpointDataSource>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var raw = endpoint.RoutePattern.RawText ?? string.Empty;
            var pattern = "/" + raw.TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

            // Framework plumbing: static files (public by design: scripts, styles, fonts) and Blazor's own endpoints
            // (the circuit hub needs a signed-in user through the fallback policy).
            var framework = pattern.StartsWith("/_blazor", StringComparison.Ordinal)
                || pattern.Contains(":file}", StringComparison.Ordinal)
                || pattern.StartsWith("/_framework", StringComparison.Ordinal)
                || pattern.StartsWith("/_content", StringComparison.Ordinal)
                || (anonymous && endpoint.RoutePattern.Parameters.Count == 0 && System.IO.Path.HasExtension(pattern) && !pattern.StartsWith("/openapi", StringComparison.Ordinal));
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m != "HEAD").Distinct())
            {
                // Razor pages answer GET and POST (their forms) on one endpoint; the rule is the page's.
                if (method == "POST" && methods.Contains("GET"))
                {
                    continue;
                }

                if (framework && pattern.StartsWith("/_blazor", StringComparison.Ordinal) && anonymous)
                {
                    throw new InvalidOperationException("Blazor's hub allows anonymous visitors: " + pattern);
                }

                yield return new Route(method, pattern, pattern.StartsWith("/api/", StringComparison.Ordinal), anonymous, framework);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, Route route, string extraQuery = "")
    {
        var path = route.Pattern
            .Replace("{id:guid}", route.Pattern.Contains("/pulls/", StringComparison.Ordinal) && !route.Pattern.Contains("/connections/", StringComparison.Ordinal)
                ? host.RunId.ToString() : host.ConnectionId.ToString(), StringComparison.Ordinal)
            .Replace("{kind}", "costs", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{**slug}", string.Empty, StringComparison.Ordinal)
            .Replace("{**path}", string.Empty, StringComparison.Ordinal);
        if (route.Pattern.StartsWith("/api/v1/reports", StringComparison.Ordinal) || route.Pattern is "/export/cohorts" or "/export/pnl" or "/export/channels" or "/export/marketplaces"
            || route.Pattern is "/" or "/channels" or "/cohorts" or "/pnl" or "/skus" or "/skus/item" or "/drilldown" or "/export/drilldown")
        {
            path += "?from=2026-01-01&to=2026-03-31&as_of=2026-03-31";
        }

        path += extraQuery;

        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.Method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// The app over its own database: workspace "matrix-home" with a member and a token of each role, a connection and
    /// a pull run; and "matrix-other" with an Owner and an Owner token.
    /// </summary>
    public class Host : ApiHost
    {
        public const string WorkspaceName = "matrix-home";
        public const string Marker = "matrix-home-marker-connection";
        public const string OtherOwner = "other-owner";
        public const string Password = "matrix password 1";

        public Guid WorkspaceId { get; private set; }

        public Guid ConnectionId { get; } = Guid.NewGuid();

        public Guid RunId { get; } = Guid.NewGuid();

        public Dictionary<string, string> Tokens { get; } = [];

        public string OtherToken { get; private set; } = string.Empty;

        private readonly Dictionary<string, string> _cookies = [];

        protected override void Configure(IWebHostBuilder builder)
        {
            builder.UseSetting("Bootstrap:Workspace", WorkspaceName);
            // Every role tries every download here: more than one workspace's export limit a minute (RateLimitTests holds the limit).
            builder.UseSetting("RateLimits:Exports:PermitLimit", "1000");
        }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var contexts = Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>();
            var accounts = Services.GetRequiredService<AccountService>();
            await using var db = await contexts.CreateDbContextAsync();
            var home = await db.Workspaces.SingleAsync(w => w.Name == WorkspaceName);
            WorkspaceId = home.Id;
            var other = new Workspace { Id = Guid.NewGuid(), Name = "matrix-other" };
            db.Workspaces.Add(other);
            db.Connections.Add(new Connection
            {
                Id = ConnectionId,
                WorkspaceId = home.Id,
                Marketplace = "sandbox",
                Name = Marker,
                ProtectedCredentials = "x",
            });
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO pull_runs (id, workspace_id, connection_id, trigger, status, period_from, period_to, error) VALUES ({0}, {1}, {2}, 'api', 'failed', '2026-01-01', '2026-01-02', {3})",
                [RunId, home.Id, ConnectionId, Marker]);

            foreach (var role in WorkspaceRoles.All)
            {
                await AddUserAsync(db, accounts, role.ToLowerInvariant() + "@matrix.test", home.Id, role);
                Tokens[role] = await accounts.CreateTokenAsync(home.Id, "matrix " + role, role, DateTimeOffset.UtcNow.AddDays(1), Actor.App, default);
                _cookies[role] = await SignInAsync(role.ToLowerInvariant() + "@matrix.test");
            }

            await AddUserAsync(db, accounts, "owner@other.test", other.Id, WorkspaceRoles.Owner);
            OtherToken = await accounts.CreateTokenAsync(other.Id, "other owner", WorkspaceRoles.Owner, DateTimeOffset.UtcNow.AddDays(1), Actor.App, default);
            _cookies[OtherOwner] = await SignInAsync("owner@other.test");
        }

        /// <summary>A client without redirects following, with the cookie of the role's member (null: anonymous).</summary>
        public HttpClient CreateCookieClient(string? role, Guid? forgedWorkspace = null)
        {
            var client = Server.CreateClient();
            var cookies = new List<string>();
            if (role is not null)
            {
                cookies.Add(_cookies[role]);
            }

            if (forgedWorkspace is { } id)
            {
                cookies.Add(".SellerDesk.Workspace=" + id);
            }

            if (cookies.Count > 0)
            {
                client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
            }

            return client;
        }

        private static async Task AddUserAsync(SellerDeskDbContext db, AccountService accounts, string email, Guid workspaceId, string role)
        {
            var user = await accounts.CreateUserAsync(email, Password);
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        /// <summary>Signs in through the sign-in form (antiforgery token and all) and returns the session cookie.</summary>
        private async Task<string> SignInAsync(string email)
        {
            using var client = Server.CreateClient();
            using var form = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));
            var html = await form.Content.ReadAsStringAsync();
            var input = System.Text.RegularExpressions.Regex.Match(html, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
            var token = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value);
            var antiforgeryCookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
            using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token,
                    ["_handler"] = "signin",
                    ["Input.Email"] = email,
                    ["Input.Password"] = Password,
                }),
            };
            post.Headers.Add("Cookie", antiforgeryCookie);
            using var response = await client.SendAsync(post);
            var session = response.Headers.TryGetValues("Set-Cookie", out var set)
                ? set.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith(".SellerDesk.Session=", StringComparison.Ordinal))
                : null;
            return session ?? throw new InvalidOperationException($"Signing in {email} failed: {(int)response.StatusCode}");
        }
    }
}
