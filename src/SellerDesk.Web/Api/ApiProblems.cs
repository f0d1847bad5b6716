using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Api;

/// <summary>
/// Problem details whose texts a user reads in both UI languages, shaped like the connection validation answers:
/// <c>title</c> and <c>errors</c> in English (as before), <c>title_text</c> and <c>error_texts</c> as <c>{en, ru}</c>.
/// </summary>
internal static class ApiProblems
{
    public static readonly LocalText ValidationTitle = new(
        "The request cannot be carried out as it is: see errors.",
        "Запрос нельзя выполнить в таком виде: см. ошибки.");

    /// <summary>A 400 naming the field and saying what is wrong with it, in both languages.</summary>
    public static IResult Validation(string field, LocalText error) => Results.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [error.En] },
        title: ValidationTitle.En,
        extensions: new Dictionary<string, object?>
        {
            ["title_text"] = new TextDto(ValidationTitle.En, ValidationTitle.Ru),
            ["error_texts"] = new Dictionary<string, TextDto[]> { [field] = [new TextDto(error.En, error.Ru)] },
        });

    /// <summary>A problem with the given status whose title is said in both languages.</summary>
    public static IResult Status(int status, LocalText title, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>())
        {
            ["title_text"] = new TextDto(title.En, title.Ru),
        };
        return Results.Problem(title: title.En, statusCode: status, extensions: all);
    }
}
