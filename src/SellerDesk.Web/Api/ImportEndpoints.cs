using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using SellerDesk.Data.Ledger;
using SellerDesk.Data.Reports;
using SellerDesk.Web.Auth;

namespace SellerDesk.Web.Api;

/// <summary>POST /api/v1/imports/{kind}: a ledger CSV as the body or as the multipart field <c>file</c>, streamed.</summary>
internal static class ImportEndpoints
{
    /// <summary>Large exports are welcome; past this the answer is a plain 413.</summary>
    public const long MaxUploadBytes = 2L * 1024 * 1024 * 1024;

    public static RouteGroupBuilder MapImportEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/imports/{kind}", async (string kind, HttpContext http, AuditedActions actions, TimeProvider clock, CancellationToken ct) =>
        {
            if (!LedgerFileKinds.TryParse(kind, out var fileKind))
            {
                return Results.Problem(
                    title: $"'{kind}' is not a ledger file kind; use one of sales, returns, ad_spend, fees, costs, attribution.",
                    statusCode: StatusCodes.Status404NotFound);
            }

            var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (sizeLimit is { IsReadOnly: false })
            {
                sizeLimit.MaxRequestBodySize = MaxUploadBytes;
            }

            if (http.Request.ContentLength > MaxUploadBytes)
            {
                return TooLarge();
            }

            var workspace = http.User.Workspace();

            // The rows' provenance: an API upload and its UTC time (and the form's file name), shown by the drill-down.
            var startedAt = clock.GetUtcNow();
            try
            {
                var body = http.Request.Body;
                string? fileName = null;
                if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                {
                    var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
                    if (string.IsNullOrEmpty(boundary))
                    {
                        return Results.Problem(title: "The multipart form has no boundary.", statusCode: StatusCodes.Status400BadRequest);
                    }

                    var reader = new MultipartReader(boundary, http.Request.Body);
                    MultipartSection? section;
                    while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
                    {
                        if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                            && HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.Ordinal))
                        {
                            fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                            break;
                        }
                    }

                    if (section is null)
                    {
                        return Results.Problem(title: "The multipart form has no field named 'file'.", statusCode: StatusCodes.Status400BadRequest);
                    }

                    body = section.Body;
                }

                var result = await actions.ImportAsync(Actor.Of(http), workspace, fileKind, body, ApiUploadOrigin.Name(startedAt, fileName), null, ct);

                if (result.Errors.Count > 0)
                {
                    return Results.Problem(
                        title: $"The {kind} file was rejected and nothing was written: {result.Errors.Count} problem(s).",
                        statusCode: StatusCodes.Status422UnprocessableEntity,
                        extensions: new Dictionary<string, object?>
                        {
                            ["errors"] = result.Errors.Select(e => new { line = e.Line, column = e.Column, message = e.Message }).ToList(),
                        });
                }

                return Results.Ok(new ImportAnswer(kind, result.Rows, result.Inserted, result.Updated, result.Warnings));
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge();
            }
        })
            .WithName("ImportLedgerFile")
            .WithTags("Imports")
            .WithSummary("Import a ledger CSV file: all of it or nothing")
            .WithDescription("Rows are keyed (order and line, return, day and channel, day, channel and SKU of attribution...): sending a file again updates what changed and adds nothing twice. A file with any problem is rejected whole with every problem by line.")
            .WithPathValues("kind", "The kind of ledger file.", "sales", "returns", "ad_spend", "fees", "costs", "attribution")
            .WithCsvUpload()
            .Produces<ImportAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .Produces<ImportRejection>(StatusCodes.Status422UnprocessableEntity, "application/problem+json");
        return group;
    }

    private static IResult TooLarge() => Results.Problem(
        title: $"The file is larger than {MaxUploadBytes / (1024 * 1024 * 1024)} GB; split it by period and upload the parts.",
        statusCode: StatusCodes.Status413PayloadTooLarge);
}
