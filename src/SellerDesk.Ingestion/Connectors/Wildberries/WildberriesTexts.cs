using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>What the Wildberries connector tells a seller, in English and Russian: its errors and its run notices.</summary>
internal static class WildberriesTexts
{
    public static LocalText NoToken { get; } = new(
        "no Wildberries token in the connection: paste one",
        "в подключении нет токена Wildberries: вставьте токен");

    /// <summary>The token was accepted as a token but lacks the category the finance report needs.</summary>
    public static LocalText NoFinanceCategory { get; } = new(
        "Wildberries refused the token for the realization report because it has no Finance category: create a token with the Finance category in the seller account (Settings, API access) and paste it here",
        "Wildberries не принял токен для отчёта о реализации: у токена нет категории «Финансы». Создайте в личном кабинете продавца (Настройки, Доступ к API) токен с категорией «Финансы» и вставьте его сюда");

    public static LocalText TokenRejected(string said) => new(
        $"token rejected by Wildberries{Said(said)}: paste a new one with the Finance category",
        $"Wildberries отклонил токен{Said(said)}: вставьте новый токен с категорией «Финансы»");

    public static LocalText Retired(string method, int status, string said) => new(
        string.Create(CultureInfo.InvariantCulture, $"Wildberries has switched off the method {method} (HTTP {status}{Colon(said)}): this connection needs an update of SellerDesk's Wildberries connector"),
        string.Create(CultureInfo.InvariantCulture, $"Wildberries отключил метод {method} (HTTP {status}{Colon(said)}): подключению нужно обновление коннектора Wildberries в SellerDesk"));

    public static LocalText Refused(string method, int status, string said) => new(
        string.Create(CultureInfo.InvariantCulture, $"Wildberries refused the request {method} with HTTP {status}{Colon(said)}"),
        string.Create(CultureInfo.InvariantCulture, $"Wildberries отклонил запрос {method} с HTTP {status}{Colon(said)}"));

    public static LocalText NotJson(LocalText what, string error) => new(
        $"Wildberries sent {what.En} that is not the documented JSON: {error}",
        $"Wildberries прислал {what.Ru} не в документированном формате JSON: {error}");

    public static LocalText ReportPage { get; } = new("a report page", "страницу отчёта");

    public static LocalText AdCharges { get; } = new("ad charges", "списания на рекламу");

    public static LocalText AdsNotAList { get; } = new(
        "Wildberries sent ad charges that are not a list",
        "Wildberries прислал списания на рекламу не списком");

    public static LocalText LineOfUnexpectedShape(string error) => new(
        $"Wildberries sent a report line of an unexpected shape: {error}",
        $"Wildberries прислал строку отчёта неожиданного вида: {error}");

    public static LocalText LineWithoutId { get; } = new(
        "Wildberries sent a report line without rrdId",
        "Wildberries прислал строку отчёта без rrdId");

    public static LocalText PagingNeverEnds(long line, long requested) => new(
        string.Create(CultureInfo.InvariantCulture, $"Wildberries sent report line {line} on a page asked to start after line {requested}; paging would never end"),
        string.Create(CultureInfo.InvariantCulture, $"Wildberries прислал строку отчёта {line} на странице, запрошенной после строки {requested}; постраничная загрузка никогда бы не закончилась"));

    public static LocalText BrokeOff(int times, string error) => new(
        $"Wildberries broke off the report {Http.ResilientHttpSender.Times(times)} in a row (last: {error})",
        string.Create(CultureInfo.InvariantCulture, $"Wildberries {times} раз подряд оборвал передачу отчёта (последний раз: {error})"));

    /// <summary>
    /// The ads feed's failure (a run notice, and the connection's error): ad spend was left out and why; the sales and
    /// fees of the run are kept, and so is the ad spend stored before.
    /// </summary>
    public static LocalText AdsNotPulled(LocalText why) => new(
        $"Ad spend was not pulled: {why.En}. Sales, returns and fees were pulled; ad spend pulled before is kept as it was",
        $"Расходы на рекламу не загружены: {why.Ru}. Продажи, возвраты и удержания загружены; загруженные ранее расходы на рекламу сохранены как были");

    /// <summary>
    /// The statistics feed's failure (a run notice, and the connection's error): attribution rows were left out and
    /// why; everything else of the run is kept, and so are the attribution rows stored before.
    /// </summary>
    public static LocalText StatisticsNotPulled(LocalText why) => new(
        $"Campaign statistics (orders attributed to campaigns) were not pulled: {why.En}. Sales, returns, fees and ad spend were pulled; attribution pulled before is kept as it was",
        $"Статистика кампаний (заказы, приписанные кампаниям) не загружена: {why.Ru}. Продажи, возвраты, удержания и расходы на рекламу загружены; загруженная ранее атрибуция сохранена как была");

    public static LocalText CampaignList { get; } = new("a campaign list", "список кампаний");

    public static LocalText CampaignStatistics { get; } = new("campaign statistics", "статистику кампаний");

    public static LocalText CampaignListNotAList { get; } = new(
        "Wildberries sent a campaign list without the list of campaigns (adverts)",
        "Wildberries прислал список кампаний без списка кампаний (adverts)");

    public static LocalText StatisticsNotAList { get; } = new(
        "Wildberries sent campaign statistics that are not a list",
        "Wildberries прислал статистику кампаний не списком");

    public static LocalText NoPromotionCategory(bool separateToken) => separateToken
        ? new(
            "the ads token has no Promotion category; paste one that has it",
            "у токена для рекламы нет категории «Продвижение»; вставьте токен с этой категорией")
        : new(
            "the Wildberries token has no Promotion category; add it to the token, or paste a separate ads token that has it",
            "у токена Wildberries нет категории «Продвижение»; добавьте её токену или вставьте отдельный токен для рекламы с этой категорией");

    public static LocalText AdsTokenRejected(string said) => new(
        $"Wildberries rejected the ads token{Said(said)}; paste a new one with the Promotion category",
        $"Wildberries отклонил токен для рекламы{Said(said)}; вставьте новый токен с категорией «Продвижение»");

    /// <summary>A run notice: charges without a time, counted on the day the rule gives them.</summary>
    public static LocalText UndatedCharges(int count, decimal amount, IEnumerable<long?> campaigns, DateOnly date)
    {
        var ids = string.Join(", ", campaigns.Distinct().Select(c => c?.ToString(CultureInfo.InvariantCulture) ?? "?"));
        return new(
            string.Create(CultureInfo.InvariantCulture, $"Wildberries gave {count} ad charge(s) of {amount} ₽ in all without a time (updTime null; campaigns {ids}): they are counted on {date:yyyy-MM-dd}, the last day of the period asked for, until Wildberries dates them"),
            string.Create(CultureInfo.InvariantCulture, $"Wildberries передал списания на рекламу без времени ({count} шт. на {amount} ₽, updTime = null; кампании {ids}): они учтены {date:dd.MM.yyyy}, последним днём запрошенного периода, пока Wildberries не укажет дату"));
    }

    private static string Said(string said) => string.IsNullOrWhiteSpace(said) ? string.Empty : $" ({said})";

    private static string Colon(string said) => string.IsNullOrWhiteSpace(said) ? string.Empty : ": " + said;
}
