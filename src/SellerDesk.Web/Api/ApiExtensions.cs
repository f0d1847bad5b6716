using System.Text.Json;
using System.Text.Json.Serialization;
using SellerDesk.Web.Auth;

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

    public static WebApplication MapSellerDeskApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1")
            .RequireAuthorization(AuthExtensions.ApiPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapReportEndpoints();
        v1.MapImportEndpoints();
        v1.MapConnectionEndpoints();
        app.MapSellerDeskApiDocs();
        return app;
    }
}
