using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace SellerDesk.Web.Features.Exports;

/// <summary>The file formats an export is offered in.</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// An export as an HTTP answer: the file is written into the response as its rows come (CSV asynchronously; XLSX
/// through a buffer with synchronous writes allowed for this response only, as the zip writer needs), so memory does
/// not grow with the number of rows. The file name carries the report, filters and period.
/// </summary>
public sealed class ExportResult(ExportTable table, ExportFormat format, CultureInfo language, CsvDialect dialect) : IResult
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public string FileName => table.FileName(format == ExportFormat.Xlsx ? "xlsx" : "csv");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.ContentType = format == ExportFormat.Xlsx ? XlsxType : "text/csv; charset=utf-8";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(FileName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";

        if (format == ExportFormat.Csv)
        {
            await CsvExport.WriteAsync(response.Body, table, dialect, language, cancellationToken);
            return;
        }

        if (httpContext.Features.Get<IHttpBodyControlFeature>() is { } body)
        {
            body.AllowSynchronousIO = true;
        }

        await using var buffered = new BufferedStream(response.Body, 64 * 1024);
        await XlsxExport.WriteAsync(buffered, table, language, cancellationToken);
        await buffered.FlushAsync(cancellationToken);
    }

    /// <summary><c>csv</c> (also when empty) or <c>xlsx</c>; false for anything else.</summary>
    public static bool TryFormat(string? text, out ExportFormat format)
    {
        format = ExportFormat.Csv;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "csv":
                return true;
            case "xlsx":
                format = ExportFormat.Xlsx;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Reads <c>lang</c> (ru or en; default <paramref name="language"/>) and <c>dialect</c> (semicolon or comma; default
    /// <paramref name="defaultDialect"/>, or when that is null the dialect of the chosen language). False and a plain
    /// message when one of them is not understood.
    /// </summary>
    public static bool TryOptions(
        IQueryCollection query,
        CultureInfo language,
        CsvDialect? defaultDialect,
        out CultureInfo chosenLanguage,
        out CsvDialect dialect,
        out string? problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        chosenLanguage = language;
        dialect = CsvDialect.Comma;
        problem = null;
        var languageText = query["lang"].ToString().Trim().ToLowerInvariant();
        if (languageText.Length > 0)
        {
            if (languageText is not ("ru" or "en"))
            {
                problem = $"lang '{languageText}' is not one of ru, en.";
                return false;
            }

            chosenLanguage = CultureInfo.GetCultureInfo(languageText == "ru" ? "ru-RU" : "en-US");
        }

        dialect = defaultDialect ?? CsvDialect.Of(chosenLanguage);
        var dialectText = query["dialect"].ToString();
        if (dialectText.Length > 0)
        {
            if (CsvDialect.Parse(dialectText) is not { } parsed)
            {
                problem = $"dialect '{dialectText}' is not one of semicolon (';' with decimal commas, for Russian Excel), comma (',' with decimal dots).";
                return false;
            }

            dialect = parsed;
        }

        return true;
    }
}
