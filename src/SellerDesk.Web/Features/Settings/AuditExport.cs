using System.Globalization;
using System.Text;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Settings;

/// <summary>GET /export/audit: the current workspace's audit log as CSV (Owners only).</summary>
public static class AuditExport
{
    public const string Path = "/export/audit";
    public const int PageRows = 500;
    public const int FileRows = 100_000;

    public static IEndpointConventionBuilder MapAuditExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async (HttpContext http, AuditLog audit, CancellationToken ct) =>
        {
            var workspace = http.User.Workspace();
            var entries = await audit.ReadAsync(workspace.Id, FileRows, ct);
            var csv = new StringBuilder("at,actor,action,details,address\n");
            foreach (var e in entries)
            {
                csv.Append(e.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append(',')
                    .Append(Field(e.Actor)).Append(',')
                    .Append(Field(e.Action)).Append(',')
                    .Append(Field(e.Details)).Append(',')
                    .Append(Field(e.Address ?? string.Empty)).Append('\n');
            }

            await audit.WriteAsync(Actor.Of(http), workspace.Id, AuditActions.Export, "audit log csv", ct);
            return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"audit_{workspace.Name}.csv");
        }).RequireAuthorization(Policies.Owner);

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
