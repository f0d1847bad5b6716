using System.Globalization;
using System.Text.RegularExpressions;

namespace SellerDesk.Web.Features.Upload;

/// <summary>
/// The importer's problems and warnings in the page's language. The importer writes them in English (the API's
/// language, and what scripts match on); each of its sentence templates is listed here once with its Russian
/// wording, the quoted values carried over as they are. A sentence without a template is shown in English, and
/// ImportProblemTextTests feed the real importer bad files so that no sentence of it goes untranslated.
/// </summary>
public static partial class ImportProblemText
{
    private static readonly (Regex English, string Russian)[] Templates =
    [
        (T("a value is required"), "значение обязательно"),
        (T("{0} is not a code (use lowercase letters, digits, '_', '-' or '.')"), "{0} — не код (строчные латинские буквы, цифры, «_», «-» или «.»)"),
        (T("'{0}' is not a positive whole number"), "'{0}' — не целое положительное число"),
        (T("'{0}' is negative (fees, costs and amounts are positive numbers)"), "'{0}' — отрицательное число (сборы, себестоимость и суммы указываются положительными)"),
        (T("{0} is not a whole number"), "{0} — не целое число"),
        (T("{0} is not a date (use YYYY-MM-DD or DD.MM.YYYY)"), "{0} — не дата (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"),
        (T("{0} does not exist in time zone {1} (the clocks skip it)"), "{0} не существует в часовом поясе {1} (часы перескакивают это время)"),
        (T("{0} is not a timestamp (use ISO 8601, such as 2026-01-10T12:00:00+03:00)"), "{0} — не дата и время (ISO 8601, например 2026-01-10T12:00:00+03:00)"),
        (T("{0} is not a yes/no value (use true/false, 1/0, yes/no or да/нет)"), "{0} — не «да/нет» (true/false, 1/0, yes/no или да/нет)"),
        (T("{0} is not a number (write it like {1}, without thousands separators)"), "{0} — не число (пишите как {1}, без разделителей тысяч)"),
        (T("the file is empty; a {0} file starts with a header line such as {1}"), "файл пуст; файл {0} начинается со строки заголовка, например {1}"),
        (T("has {0} values but the header has {1} columns"), "в строке значений: {0}, а в заголовке столбцов: {1}"),
        (T("the header is malformed: {0}"), "заголовок не читается: {0}"),
        (T("column {0} has no name and was ignored"), "столбец {0} без названия пропущен"),
        (T("unknown column '{0}' was ignored"), "неизвестный столбец '{0}' пропущен"),
        (T("column '{0}' appears more than once"), "столбец '{0}' встречается несколько раз"),
        (T("required column '{0}' is missing"), "нет обязательного столбца '{0}'"),
        (T("{0} {1} differs from {2} on line {3} of the same order {4}"), "{0} {1} отличается от {2} в строке {3} того же заказа {4}"),
        (T("{0} {1} differs from {2} on item {3} of the same order {4}"), "{0} {1} отличается от {2} в записи {3} того же заказа {4}"),
        (T("{0} {1} differs from {2} stored for line_id '{3}' of the same order {4}"), "{0} {1} отличается от {2}, уже сохранённого для line_id '{3}' того же заказа {4}"),
        (T("quantity {0} is less than the {1} units already returned for this line"), "количество {0} меньше уже возвращённых по этой строке ({1} шт.)"),
        (T("no sales line {0}"), "нет такой строки продаж: {0}"),
        (T("brings the units returned of sales line {0} to {1}, more than the {2} sold"), "возвраты по строке продаж {0} достигают {1} шт., больше проданных ({2} шт.)"),
        (T("duplicates line {0} (same {1})"), "повторяет строку {0} (те же {1})"),
        (T("duplicates item {0} (same {1})"), "повторяет запись {0} (те же {1})"),
        (T("'organic' is not an attribution channel (attribution names the campaign, link or code that drove the orders)"), "'organic' — не канал атрибуции (атрибуция называет кампанию, ссылку или промокод, которые привели заказы)"),
        (T("'{0}' is negative (orders is a whole number of at least 0)"), "'{0}' — отрицательное число (orders — целое число от 0)"),
        (T("unknown marketplace '{0}': the ledger has no sales of it and it is none of {1}"), "неизвестный маркетплейс '{0}': в учёте нет его продаж, и это не один из {1}"),
        (T("and {0} more problems not listed"), "и ещё проблем, не показанных здесь: {0}"),
        (T("a record is longer than {0} characters (is a quote not closed?)"), "запись длиннее {0} символов (не закрыта кавычка?)"),
        (T("a quoted value is not closed"), "значение в кавычках не закрыто"),
        (T("unexpected text after a closing quote"), "лишний текст после закрывающей кавычки"),
    ];

    /// <summary>The sentence in the current UI culture (Russian or English).</summary>
    public static string Localize(string message) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ru" ? Russian(message) ?? message : message;

    /// <summary>The Russian wording of an importer sentence, or null when it has no template.</summary>
    public static string? Russian(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (english, russian) in Templates)
        {
            var match = english.Match(message);
            if (match.Success)
            {
                var values = match.Groups.Cast<Group>().Skip(1).Select(g => (object)(Russian(g.Value) ?? g.Value)).ToArray();
                return string.Format(CultureInfo.InvariantCulture, russian, values);
            }
        }

        return null;
    }

    private static Regex T(string template)
    {
        var pattern = "^" + Placeholder().Replace(Regex.Escape(template).Replace("\\{", "{", StringComparison.Ordinal), "(.+?)") + "$";
        return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    [GeneratedRegex("\\{\\d\\}")]
    private static partial Regex Placeholder();
}
