using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SellerDesk.Data.Workspaces;

namespace SellerDesk.Web.Auth;

/// <summary>Bearer tokens of the <c>api_tokens</c> table; the principal carries the workspace and the role.</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The token's name (as its Owner gave it), so the audit log can say which token acted.</summary>
    public const string TokenNameClaim = "sellerdesk:token_name";

    // One statement on the shared data source rather than an EF query: this runs on every API request, and a
    // DbContext's setup and query pipeline were most of a warm report request's cost (issue 11 point 3).
    private const string FindToken = """
        SELECT t.role, t.name, w.id, w.name, w.time_zone
        FROM api_tokens t JOIN workspaces w ON w.id = t.workspace_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
        """;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The only scheme becomes the default one, so this runs on every request: tokens are looked up for the API
        // alone, and pages or /health never touch the token table (nor fail when the database is down).
        var header = Request.Headers.Authorization.ToString();
        if (!Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = ApiTokens.Hash(header["Bearer ".Length..].Trim());
        await using var command = dataSource.CreateCommand(FindToken);
        command.Parameters.Add(new NpgsqlParameter { Value = hash, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(Context.RequestAborted);
        if (!await reader.ReadAsync(Context.RequestAborted))
        {
            return AuthenticateResult.Fail("The API token is not valid.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Role, reader.GetString(0)),
                new Claim(TokenNameClaim, reader.GetString(1)),
                new Claim(WorkspaceClaims.Id, reader.GetGuid(2).ToString()),
                new Claim(WorkspaceClaims.Name, reader.GetString(3)),
                new Claim(WorkspaceClaims.TimeZone, reader.GetString(4)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(
            title: "This token's role may not do this: ask an Owner of the workspace for a token with the right role.",
            statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            title: "Authentication required: send 'Authorization: Bearer <token>' with a valid SellerDesk API token.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}

public static class WorkspaceClaims
{
    public const string Id = "sellerdesk:workspace_id";
    public const string Name = "sellerdesk:workspace";
    public const string TimeZone = "sellerdesk:time_zone";

    /// <summary>The identity the current workspace's claims (and the member's role) travel in.</summary>
    public const string AuthenticationType = "SellerDeskWorkspace";

    public static WorkspaceContext? WorkspaceOrNull(this ClaimsPrincipal user) =>
        user.FindFirstValue(Id) is null ? null : user.Workspace();

    public static WorkspaceContext Workspace(this ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue(Id)!, CultureInfo.InvariantCulture),
        user.FindFirstValue(Name)!,
        user.FindFirstValue(TimeZone)!);
}
