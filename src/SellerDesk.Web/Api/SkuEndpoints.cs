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
            if (!ReportQuery.TryParse(query, http.User.Workspace().Today(clock), out var request, out var problem)
                || !ReportQuery.TryMarketplace(query, out var marketplace, out problem))
            {
                return problem;
            }

            var facts = await service.LoadFactsAsync(http.User.Workspace(), request, ct);
            return ReportAnswers.Json(http, facts, "skus\n" + marketplace, () => new SkusAnswer(
                facts.Skus().Where(r => marketplace is null || string.Equals(r.Marketplace, marketplace, StringComparison.Ordinal)).Select(SkuDto.From)));
        })
            .WithName("GetSkusReport")
            .WithSummary("SKU report: units, returns, revenue, fees, cost and contribution margin per marketplace and SKU")
            .WithDescription("Ad spend and period fees are not split by SKU (there is no honest key for it); the marketplaces report carries them.")
            .WithPeriod()
            .WithQueryParameter("marketplace", "Only the SKUs of this marketplace (its code, e.g. ozon); all when left out.")
            .Produces<SkusAnswer>();

        return group;
    }
}

/// <summary><c>{ "skus": [...] }</c>, ordered by marketplace and SKU.</summary>
internal sealed record SkusAnswer(IEnumerable<SkuDto> Skus);
