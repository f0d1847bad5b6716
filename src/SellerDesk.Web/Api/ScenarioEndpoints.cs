using Microsoft.Extensions.Primitives;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Scenarios;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.ProfitAndLoss;
using SellerDesk.Web.Features.Reports;
using SellerDesk.Web.Features.Scenarios;

namespace SellerDesk.Web.Api;

/// <summary>
/// POST /api/v1/scenarios/evaluate (import-and-api.md; metrics.md section 6): the reports of a period as they are and
/// as they would have been under the adjustments. The reports' sums come from <see cref="ReportService"/> (the same
/// read as every report); the domain's <see cref="Scenario"/> adjusts them and computes both sides.
/// </summary>
internal static class ScenarioEndpoints
{
    public static RouteGroupBuilder MapScenarioEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/scenarios/evaluate", async (ScenarioBody? body, HttpContext http, ReportService service, TimeProvider clock, CancellationToken ct) =>
        {
            if (body is null)
            {
                return ReportQuery.BadRequest("The body is a JSON object: { \"from\", \"to\", [\"as_of\"], \"adjustments\": [...] }.");
            }

            // The period obeys the rules of the report endpoints' query, word for word.
            var period = new QueryCollection(new Dictionary<string, StringValues>(StringComparer.Ordinal)
            {
                ["from"] = body.From ?? string.Empty,
                ["to"] = body.To ?? string.Empty,
                ["as_of"] = body.AsOf ?? string.Empty,
            });
            if (!ReportQuery.TryParse(period, http.User.Workspace().Today(clock), out var request, out var problem))
            {
                return problem;
            }

            if (ScenarioInput.Check(body.Adjustments) is { } refused)
            {
                return ApiProblems.Validation(refused.Field, refused.Error);
            }

            var reports = await service.LoadFactsAsync(http.User.Workspace(), request, ct);
            var result = new Scenario(body.Adjustments!.Select(a => a!)).Evaluate(reports.Sums);
            return Results.Ok(new ScenarioAnswer(ScenarioReportsDto.From(result.Baseline), ScenarioReportsDto.From(result.Scenario)));
        })
            .WithName("EvaluateScenario")
            .WithTags("Reports")
            .WithSummary("What-if scenario: the channels, marketplaces, SKU and P&L reports as they are and as they would have been under the adjustments")
            .WithDescription(
                "Adjustments apply in the order given, each to the lines of its marketplace (all when left out): price_pct scales revenue, "
                + "refunds, commission and acquiring; commission_pp adds points of revenue to the commission; logistics_pct scales delivery "
                + "both ways; returns_scale (0 to 1) keeps that share of every return; ad_spend_pct scales ad spend (of the channel, when "
                + "given). New customers, period fees and unit costs do not change, and demand does not react to prices. The ledger is not changed.")
            .Accepts<ScenarioBody>("application/json")
            .Produces<ScenarioAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return group;
    }
}

/// <summary>The request: the period (as the report endpoints' query) and the adjustments.</summary>
internal sealed record ScenarioBody(string? From, string? To, string? AsOf, IReadOnlyList<ScenarioAdjustment?>? Adjustments);

/// <summary><c>R</c>: the reports as their endpoints give them.</summary>
internal sealed record ScenarioReportsDto(IEnumerable<ChannelDto> Channels, IEnumerable<MarketplaceDto> Marketplaces, IEnumerable<SkuDto> Skus, IEnumerable<PnlDto> Pnl)
{
    public static ScenarioReportsDto From(ScenarioReports reports) => new(
        reports.Channels.Zip(reports.ChannelRevenue, ChannelDto.From).ToList(),
        reports.Marketplaces.Select(MarketplaceDto.From).ToList(),
        reports.Skus.Select(SkuDto.From).ToList(),
        reports.ProfitAndLoss.Select(PnlDto.From).ToList());
}

/// <summary><c>{ "baseline": R, "scenario": R }</c>.</summary>
internal sealed record ScenarioAnswer(ScenarioReportsDto Baseline, ScenarioReportsDto Scenario);
