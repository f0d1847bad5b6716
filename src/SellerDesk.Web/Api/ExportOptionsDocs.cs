using SellerDesk.Web.Features.Exports;

namespace SellerDesk.Web.Api;

/// <summary>The OpenAPI description of the options every report export reads (<see cref="ExportResult.TryOptions"/>).</summary>
internal static class ExportOptionsDocs
{
    public static RouteHandlerBuilder WithExportOptions(this RouteHandlerBuilder builder) => builder
        .WithQueryParameter("dialect", "CSV dialect: comma (',' with decimal dots; the default) or semicolon (';' with decimal commas and a UTF-8 byte order mark, as Russian Excel opens it).", values: ["comma", "semicolon"])
        .WithQueryParameter("lang", "Language of the file's words (sheet names, worded headers, the definitions sheet): en (default) or ru.", values: ["en", "ru"]);
}
