using SellerDesk.Data.Reports;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Reports;

namespace SellerDesk.Web.Api;

/// <summary>GET /api/v1/reports/skus (import-and-api.md; metrics.md 4.4).</summary>
internal static class SkuEndpoints
{
    public static RouteGroupBuilder MapSkuEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/reports/skus", async (HttpContext http, ReportService service, TimeProvider clock, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            if (!ReportQuery.TryParse(query, http.User.Workspace().Today(clock), out var request, out var problem))
            {
                return problem;
            }

            var marketplace = query["marketplace"].ToString().Trim();
            if (marketplace.Length > 0 && !IsCode(marketplace))
            {
                return ReportQuery.BadRequest(
                    $"Query parameter 'marketplace': '{marketplace}' is not a marketplace code (lowercase letters, digits and '_', e.g. ozon or wildberries).");
            }

            var facts = await service.LoadFactsAsync(http.User.Workspace(), request, ct);
            var rows = facts.Skus().Where(r => marketplace.Length == 0 || string.Equals(r.Marketplace, marketplace, StringComparison.Ordinal));
            return Results.Ok(new SkusAnswer(rows.Select(SkuDto.From)));
        })
            .WithName("GetSkusReport")
            .WithSummary("SKU report: units, returns, revenue, fees, cost and contribution margin per marketplace and SKU")
            .WithDescription("Ad spend and period fees are not split by SKU (there is no honest key for it); the marketplaces report carries them.")
            .WithTags("Reports")
            .WithQueryParameter("from", "First day of the period (YYYY-MM-DD), in the workspace's time zone.", required: true, format: "date")
            .WithQueryParameter("to", "Last day of the period (YYYY-MM-DD), inclusive.", required: true, format: "date")
            .WithQueryParameter("as_of", "Compute as the data stood on this day (YYYY-MM-DD); today when left out.", format: "date")
            .WithQueryParameter("marketplace", "Only the SKUs of this marketplace (its code, e.g. ozon); all when left out.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Produces<SkusAnswer>();

        return group;
    }

    private static bool IsCode(string value) =>
        value.Length <= 64 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}

/// <summary><c>{ "skus": [...] }</c>, ordered by marketplace and SKU.</summary>
internal sealed record SkusAnswer(IEnumerable<SkuDto> Skus);
