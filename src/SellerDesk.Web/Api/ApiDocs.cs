using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using SellerDesk.Web.Features.Reports;

namespace SellerDesk.Web.Api;

/// <summary>
/// The API's description: <c>/openapi/v1.json</c> (every <c>/api/v1</c> route with its parameters, bodies, answers
/// and problem details) and a Scalar reference page at <c>/api/docs</c>. Both are public: they describe the API, not a
/// workspace's data (decision 0012); every operation says it needs a bearer token.
/// </summary>
internal static class ApiDocs
{
    public const string DocumentName = "v1";
    public const string DocumentPattern = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api/docs";
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddSellerDeskApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "SellerDesk API",
                    Version = DocumentName,
                    Description =
                        "Reports, ledger imports and marketplace connections of one workspace. Send `Authorization: Bearer <token>` "
                        + "with a SellerDesk API token: the token names the workspace and its role (Owner: everything; "
                        + "Finance: reports and imports; Ops: connections, schedules and pulls; Viewer: reports; tokens are made by "
                        + "Owners on the API tokens page). Errors are RFC 7807 problem details (`application/problem+json`) whose title says what "
                        + "to do. Names are snake_case.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A SellerDesk API token (scripts/run.sh prints how to get one).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapSellerDeskApiDocs(this WebApplication app)
    {
        // Public, as before accounts: the description holds no data (issue 10).
        app.MapOpenApi(DocumentPattern).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("SellerDesk API")
            .WithOpenApiRoutePattern(DocumentPattern)
            .AddDocument(DocumentName)
            // Nothing that reaches out of the machine: no web fonts, telemetry, AI agent or deploy buttons.
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .HideClientButton()).AllowAnonymous();
        return app;
    }

    /// <summary>Documents a query parameter the handler reads itself (it is not bound, so it is not inferred).</summary>
    public static TBuilder WithQueryParameter<TBuilder>(
        this TBuilder builder, string name, string description, bool required = false, string? format = null, params string[] values)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = required,
                Description = description,
                Schema = Text(format, values),
            });
            return Task.CompletedTask;
        });

    /// <summary>Lists the values a path parameter takes.</summary>
    public static TBuilder WithPathValues<TBuilder>(this TBuilder builder, string name, string description, params string[] values)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Name == name))
            {
                parameter.Description = description;
                parameter.Schema = Text(null, values);
            }

            return Task.CompletedTask;
        });

    /// <summary>Adds media types to a 200 answer (exports): a file, described as binary or text.</summary>
    public static TBuilder WithFileAnswer<TBuilder>(this TBuilder builder, string contentType, string description, bool binary)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[contentType] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = binary ? "binary" : null, Description = description },
                };
            }

            return Task.CompletedTask;
        });

    /// <summary>A body the handler streams itself: a CSV file, as the body or as the multipart field <c>file</c>.</summary>
    public static TBuilder WithCsvUpload<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var file = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The ledger CSV (UTF-8, header row first)." };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The ledger CSV file, streamed: as the whole body, or as the field `file` of a multipart form. Up to 2 GB.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The ledger CSV (UTF-8, header row first)." } },
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "file" },
                            Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = file },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });

    private static OpenApiSchema Text(string? format, string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Format = format,
        Enum = values.Length == 0 ? null : [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };
}

/// <summary><c>{ "id": ... }</c>: what was created or queued (its address is in the Location header).</summary>
internal sealed record CreatedAnswer(Guid Id);

/// <summary><c>{ "id": ..., "backfill_run_id": ... }</c>: a new connection and the run of its first pull (null without one).</summary>
internal sealed record CreatedConnectionAnswer(Guid Id, Guid? BackfillRunId);

internal sealed record ChannelsAnswer(IEnumerable<ChannelDto> Channels);

internal sealed record MarketplacesAnswer(IEnumerable<MarketplaceDto> Marketplaces, ConcentrationDto Concentration);

internal sealed record CohortsAnswer(IEnumerable<CohortDto> Cohorts);

/// <summary>An accepted ledger file: rows read, new and changed, and what was ignored.</summary>
internal sealed record ImportAnswer(string Kind, int Rows, int Inserted, int Updated, IReadOnlyList<string> Warnings);

/// <summary>A rejected ledger file (422): a problem details object with every problem by line; nothing was written.</summary>
internal sealed record ImportRejection(string? Type, string Title, int Status, IReadOnlyList<ImportRejectionLine> Errors);

internal sealed record ImportRejectionLine(int Line, string? Column, string Message);
