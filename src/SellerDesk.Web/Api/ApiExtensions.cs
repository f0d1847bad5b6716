using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.DrillDown;

namespace SellerDesk.Web.Api;

internal static class ApiExtensions
{
    /// <summary>The wire format of examples/tiny/expected.json: snake_case names and enum values, nulls written.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    public static IServiceCollection AddSellerDeskApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddSellerDeskApiDocs();
        return services;
    }

    /// <summary>GET endpoints of the group need <paramref name="read"/>, every other method <paramref name="write"/>.</summary>
    private static RouteGroupBuilder WithPolicyByMethod(this RouteGroupBuilder group, string read, string write)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
            var readOnly = methods.Count > 0 && methods.All(m => HttpMethods.IsGet(m) || HttpMethods.IsHead(m));
            endpoint.Metadata.Add(new AuthorizeAttribute(readOnly ? read : write));
        });
        return group;
    }

    public static WebApplication MapSellerDeskApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1")
            .RequireAuthorization(AuthExtensions.ApiPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        // What each role may do (Auth/Policies.cs): reports for every role, imports for Owner and Finance,
        // connection reads for Owner, Ops (and the older Analyst tokens), connection changes and pulls for Owner and Ops.
        v1.MapGroup(string.Empty).RequireAuthorization(Policies.Reports).MapReportEndpoints();
        v1.MapGroup(string.Empty).RequireAuthorization(Policies.Reports).MapPnlEndpoints();
        v1.MapGroup(string.Empty).RequireAuthorization(Policies.Reports).MapSkuEndpoints();
        v1.MapGroup(string.Empty).RequireAuthorization(Policies.Reports).MapScenarioEndpoints();
        v1.MapGroup(string.Empty).RequireAuthorization(Policies.Reports).MapDrillDownEndpoints();
        v1.MapGroup(string.Empty).RequireAuthorization(Policies.Uploads).MapImportEndpoints();
        v1.MapGroup(string.Empty).WithPolicyByMethod(read: Policies.ConnectionsRead, write: Policies.Connections).MapConnectionEndpoints();
        app.MapSellerDeskApiDocs();
        return app;
    }
}
