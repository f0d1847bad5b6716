using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Api;

namespace SellerDesk.Web.Infrastructure;

/// <summary>
/// Under <c>/api</c>, an answer that routing or model binding ended without a body (an unknown route's 404, a wrong
/// method's 405, a body that is not valid JSON's 400, a wrong content type's 415) becomes problem details saying so
/// in both languages, like every other API answer.
/// </summary>
internal sealed class ApiStatusProblems(RequestDelegate next)
{
    private static readonly LocalText NotFound = new(
        "There is no such API address: see docs/api.md for the endpoints (all under /api/v1).",
        "Такого адреса в API нет: список адресов в docs/api.ru.md (все под /api/v1).");

    private static readonly LocalText MethodNotAllowed = new(
        "This API address does not take this HTTP method: the Allow header lists the ones it takes.",
        "Этот адрес API не принимает такой HTTP-метод: допустимые перечислены в заголовке Allow.");

    private static readonly LocalText BadBody = new(
        "The request could not be read: the body must be valid JSON of the shape docs/api.md gives, and query values of their type.",
        "Запрос не удалось прочитать: тело должно быть корректным JSON в форме из docs/api.ru.md, а параметры запроса — своего типа.");

    private static readonly LocalText UnsupportedType = new(
        "This content type is not accepted here: send JSON with 'Content-Type: application/json'.",
        "Такой тип содержимого здесь не принимается: отправьте JSON с 'Content-Type: application/json'.");

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Response.HasStarted
            || context.Response.ContentType is not null
            || context.Response.ContentLength > 0)
        {
            return;
        }

        var title = context.Response.StatusCode switch
        {
            StatusCodes.Status400BadRequest => BadBody,
            StatusCodes.Status404NotFound => NotFound,
            StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
            StatusCodes.Status415UnsupportedMediaType => UnsupportedType,
            _ => null,
        };
        if (title is not null)
        {
            context.Response.ContentLength = null;
            await ApiProblems.Status(context.Response.StatusCode, title).ExecuteAsync(context);
        }
    }
}
