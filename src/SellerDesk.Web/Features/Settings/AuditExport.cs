using System.Globalization;
using System.Text;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Features.Settings;

/// <summary>
/// GET /export/audit[?kind=][&amp;from=YYYY-MM-DD][&amp;to=YYYY-MM-DD]: the current workspace's audit log as CSV (Owners
/// only), with the audit page's filter: one kind of action, days in the workspace's time zone. Each entry's text is
/// given in both UI languages.
/// </summary>
public static class AuditExport
{
    public const string Path = "/export/audit";

    public static IEndpointConventionBuilder MapAuditExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async (HttpContext http, AuditLog audit, CancellationToken ct) =>
        {
            var workspace = http.User.Workspace();
            if (!TryQuery(http.Request.Query, out var query, out var problem))
            {
                return Results.Problem(title: problem, statusCode: StatusCodes.Status400BadRequest);
            }

            var page = await audit.ReadAsync(workspace.Id, query, workspace.Zone, ct);
            var csv = new StringBuilder("at,actor,action,what_en,what_ru,address\n");
            foreach (var e in page.Entries)
            {
                var what = LocalText.Decode(e.Details)!;
                csv.Append(e.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append(',')
                    .Append(Field(e.Actor)).Append(',')
                    .Append(Field(e.Action)).Append(',')
                    .Append(Field(what.En)).Append(',')
                    .Append(Field(what.Ru)).Append(',')
                    .Append(Field(e.Address ?? string.Empty)).Append('\n');
            }

            await audit.WriteAsync(Actor.Of(http), workspace.Id, AuditActions.Export, AuditTexts.AuditExport(page.Entries.Count));
            return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"audit_{workspace.Name}.csv");
        }).RequireAuthorization(Policies.Owner);

    /// <summary>The export's address for a filter (the audit page's download link).</summary>
    public static string Link(string? kind, DateOnly? from, DateOnly? to)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(kind))
        {
            parts.Add("kind=" + Uri.EscapeDataString(kind));
        }

        if (from is { } f)
        {
            parts.Add("from=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (to is { } t)
        {
            parts.Add("to=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? Path : Path + "?" + string.Join('&', parts);
    }

    private static bool TryQuery(IQueryCollection query, out AuditQuery result, out string problem)
    {
        result = new AuditQuery(null, null, null, 0, AuditQuery.MaxTake);
        problem = string.Empty;
        var kind = query["kind"].ToString();
        if (kind.Length > 0 && !AuditActions.All.Contains(kind, StringComparer.Ordinal))
        {
            problem = $"kind '{kind}' is not one of {string.Join(", ", AuditActions.All)}.";
            return false;
        }

        DateOnly? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateOnly>)[] { ("from", d => from = d), ("to", d => to = d) })
        {
            var text = query[name].ToString();
            if (text.Length == 0)
            {
                continue;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                problem = $"{name} '{text}' is not a date (YYYY-MM-DD).";
                return false;
            }

            set(day);
        }

        result = result with { Action = kind.Length == 0 ? null : kind, From = from, To = to };
        return true;
    }

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
