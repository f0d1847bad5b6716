using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>What the Ozon connector tells a seller, in English and Russian: failures of a pull and its notices.</summary>
public static class OzonTexts
{
    private const int MaxExamples = 3;

    public static LocalText MissingCredentials { get; } = new(
        "no Ozon Client-Id or Api-Key in the connection: paste both",
        "в подключении нет Client-Id или Api-Key Ozon: вставьте оба");

    /// <summary>Russian for the shared sender's "token rejected by Ozon: paste a new one (...)".</summary>
    public static string UnauthorizedRu { get; } =
        "Ozon отклонил ключ: вставьте новый (Client-Id и Api-Key со страницы API-ключей в кабинете продавца)";

    /// <summary>Russian for the shared sender's "Ozon is still throttling ..." / "Ozon asks to wait ...".</summary>
    public static string ThrottledRu { get; } =
        "Ozon всё ещё ограничивает частоту запросов";

    /// <summary>Russian for the shared sender's "Ozon answered 500 five times in a row ...".</summary>
    public static string UnavailableRu { get; } =
        "Ozon не отвечает: несколько попыток подряд закончились ошибкой сервера или сети";

    /// <summary>Ozon answered 400 code 9: the method is switched off.</summary>
    public static LocalText MethodRetired(string method) => new(
        $"Ozon has switched off a method SellerDesk calls: {method} answers \"obsolete method cannot be used\". SellerDesk needs an update "
        + "to use its successor; nothing of this run was kept",
        $"Ozon отключил метод, который вызывает SellerDesk: {method} отвечает «obsolete method cannot be used». SellerDesk нужно обновить, "
        + "чтобы перейти на новый метод; из этого запуска ничего не сохранено");

    /// <summary>A refusal; its body is not quoted (it can echo the key or an internal detail).</summary>
    public static LocalText Refused(string method, int status) => new(
        string.Create(CultureInfo.InvariantCulture, $"Ozon refused the request to {method} with HTTP {status}"),
        string.Create(CultureInfo.InvariantCulture, $"Ozon отклонил запрос к {method} (HTTP {status})"));

    public static LocalText BrokeOff(string method, string detail) => new(
        $"Ozon broke off the answer of {method} ({detail})",
        $"Ozon оборвал ответ {method} ({detail})");

    public static LocalText NotAnObject(string method) => new(
        $"Ozon sent an answer of {method} that is not a JSON object",
        $"Ozon прислал ответ {method}, который не является JSON-объектом");

    public static LocalText NotJson(string method, string detail) => new(
        $"Ozon sent an answer of {method} that is not the documented JSON: {detail}",
        $"Ozon прислал ответ {method} не в описанном формате JSON: {detail}");

    public static LocalText Missing(string method, string name) => new(
        $"Ozon sent an answer of {method} without the documented \"{name}\"",
        $"Ozon прислал ответ {method} без описанного поля «{name}»");

    public static LocalText EndlessPaging(string method, string detail) => new(
        $"Ozon sent a page of {method} that {detail}; paging would never end",
        $"Ozon прислал страницу {method}, которая {Ru(detail)}; постраничная загрузка никогда бы не закончилась");

    // ---- notices -------------------------------------------------------------------------------------------------

    public static LocalText UnknownAccrualType(long id, string name, string description) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"Ozon accrual type \"{name}\" (id {id}{Describe(description)}) is new to SellerDesk: its money is counted as other fees"),
        string.Create(
            CultureInfo.InvariantCulture,
            $"Тип начисления Ozon «{name}» (id {id}{Describe(description)}) SellerDesk ещё не знает: его суммы учтены как прочие расходы"));

    public static LocalText AccrualTypeNotInCatalogue(long? id) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"Ozon accruals name type id {Id(id)}, which Ozon's catalogue of accrual types does not list: their money is counted as other fees"),
        string.Create(
            CultureInfo.InvariantCulture,
            $"В начислениях Ozon указан тип {Id(id)}, которого нет в справочнике начислений Ozon: их суммы учтены как прочие расходы"));

    public static LocalText PostingsDatedByCreation(IReadOnlyList<string> postings) => new(
        $"{Count(postings)} posting(s) have no in_process_at ({Examples(postings)}): dated by created_at",
        $"У {Count(postings)} отправлений нет in_process_at ({Examples(postings)}): они датированы по created_at");

    public static LocalText PostingsWithoutDate(IReadOnlyList<string> postings) => new(
        $"{Count(postings)} posting(s) have neither in_process_at nor created_at ({Examples(postings)}): kept as received and left out of "
        + "the ledger as gaps; the rest of the pull is in",
        $"У {Count(postings)} отправлений нет ни in_process_at, ни created_at ({Examples(postings)}): они сохранены как есть и не вошли "
        + "в учёт (пробелы сопоставления); остальное загружено");

    public static LocalText PostingsWithoutNumber(IReadOnlyList<string> keys) => new(
        $"{Count(keys)} posting(s) came without posting_number ({Examples(keys)}): kept as received under a digest of their content and "
        + "left out of the ledger as gaps",
        $"{Count(keys)} отправлений пришли без posting_number ({Examples(keys)}): сохранены как есть под отпечатком содержимого и не вошли "
        + "в учёт (пробелы сопоставления)");

    public static LocalText ReturnsWithoutId(IReadOnlyList<string> keys) => new(
        $"{Count(keys)} return(s) came without their id ({Examples(keys)}): kept as received, with a digest of their content as their id",
        $"{Count(keys)} возвратов пришли без идентификатора ({Examples(keys)}): сохранены как есть, идентификатором служит отпечаток содержимого");

    public static LocalText FbsWithoutBuyer(IReadOnlyList<string> postings) => new(
        $"{Count(postings)} FBS posting(s) name no buyer (customer is null, e.g. {Examples(postings)}): their sales have no customer id",
        $"В {Count(postings)} отправлениях FBS покупатель не указан (customer равен null, например {Examples(postings)}): у их продаж нет "
        + "идентификатора покупателя");

    public static LocalText ReturnsWithoutDate(IReadOnlyList<string> returns, DateOnly date) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Count(returns)} return(s) have no return date ({Examples(returns)}): filed under the pull's first day, {date:yyyy-MM-dd}, and dated by the posting in the ledger"),
        string.Create(
            CultureInfo.InvariantCulture,
            $"У {Count(returns)} возвратов нет даты возврата ({Examples(returns)}): они отнесены к первому дню загрузки, {date:yyyy-MM-dd}, а в учёте датированы по отправлению"));

    public static LocalText ReturnsWithoutPosting(IReadOnlyList<string> returns) => new(
        $"{Count(returns)} return(s) name no posting ({Examples(returns)}): kept as received and left out of the ledger as gaps",
        $"{Count(returns)} возвратов не указывают отправление ({Examples(returns)}): сохранены как есть и не вошли в учёт (пробелы сопоставления)");

    public static LocalText NoAccrualsBefore(DateOnly first) => new(
        string.Create(CultureInfo.InvariantCulture, $"Ozon keeps accruals from {first:yyyy-MM-dd}: the days of the pull before it have no fees and no payout"),
        string.Create(CultureInfo.InvariantCulture, $"Ozon хранит начисления с {first:yyyy-MM-dd}: у дней загрузки до этой даты нет сборов и выплат"));

    public static LocalText DayAndPostingDisagree(string posting, DateOnly date, decimal day, decimal accrued) => new(
        string.Create(
            CultureInfo.InvariantCulture,
            $"Ozon's accruals of {date:yyyy-MM-dd} list {day:0.00} for posting {posting}, its own accruals {accrued:0.00} on that date: SellerDesk counts the posting's own"),
        string.Create(
            CultureInfo.InvariantCulture,
            $"В начислениях Ozon за {date:yyyy-MM-dd} по отправлению {posting} указано {day:0.00}, в начислениях самого отправления за этот день — {accrued:0.00}: SellerDesk учитывает начисления отправления"));

    private static string Describe(string description) => string.IsNullOrWhiteSpace(description) ? string.Empty : ": " + description;

    private static string Id(long? id) => id is { } value ? value.ToString(CultureInfo.InvariantCulture) : "(none)";

    private static string Count<T>(IReadOnlyCollection<T> items) => items.Count.ToString(CultureInfo.InvariantCulture);

    private static string Examples(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(MaxExamples)) + (items.Count > MaxExamples ? ", ..." : string.Empty);

    private static string Ru(string detail) => detail switch
    {
        EmptyButMore => "пуста, но говорит, что дальше есть ещё",
        SameCursor => "указывает на саму себя как на следующую",
        NotAfterLast => "начинается не после последней записи предыдущей",
        _ => detail,
    };

    internal const string EmptyButMore = "is empty yet says more follow";
    internal const string SameCursor = "points to itself as the next page";
    internal const string NotAfterLast = "does not start after the last row of the page before";

    public static LocalText PerformanceCredentialsRejected { get; } = new(
        "Ozon Performance rejected the client id and secret: create a new API key in the Performance account (Settings, API) and paste both",
        "Ozon Performance отклонил client id и secret: создайте новый ключ API в кабинете Performance (Настройки, API) и вставьте оба значения");

    public static LocalText TokenWithoutAccessToken { get; } = new(
        "Ozon Performance answered the token request without an access_token",
        "Ozon Performance ответил на запрос токена без access_token");

    public static LocalText ReportWithoutUuid { get; } = new(
        "Ozon Performance accepted the statistics report without giving its UUID",
        "Ozon Performance принял заказ отчёта статистики, но не вернул его UUID");

    public static LocalText ReportFailed(string state) => new(
        $"Ozon Performance could not build the statistics report (state {state})",
        $"Ozon Performance не смог сформировать отчёт статистики (состояние {state})");

    public static LocalText ReportNotReady(int polls) => new(
        string.Create(CultureInfo.InvariantCulture, $"the statistics report was still not ready after {polls} checks"),
        string.Create(CultureInfo.InvariantCulture, $"отчёт статистики не был готов и после {polls} проверок"));

    public static LocalText AdsNotPulled(LocalText why) => new(
        $"Ozon ad spend was not pulled: {why.En}. Sales, returns and accruals were pulled; ad spend pulled before is kept as it was",
        $"Расходы на рекламу Ozon не загружены: {why.Ru}. Продажи, возвраты и начисления загружены; загруженные ранее расходы на рекламу сохранены как были");

    public static LocalText StatisticsNotPulled(LocalText why) => new(
        $"Ozon campaign statistics (orders attributed to campaigns) were not pulled: {why.En}. Attribution pulled before is kept as it was",
        $"Статистика кампаний Ozon (заказы, приписанные кампаниям) не загружена: {why.Ru}. Загруженная ранее атрибуция сохранена как была");
}
