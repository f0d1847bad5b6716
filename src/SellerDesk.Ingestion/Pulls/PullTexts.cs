using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>What a pull run tells its user, in English and Russian (stored encoded, shown in the page's language).</summary>
public static class PullTexts
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    /// <summary>The error of a run whose cancellation token fired (the retry sentence follows it).</summary>
    public static LocalText Cancelled { get; } = new(
        "Cancelled before it finished; nothing of it was kept.",
        "Загрузка отменена до завершения; из неё ничего не сохранено.");

    /// <summary>The error of a run found abandoned by housekeeping (the retry sentence follows it).</summary>
    public static LocalText Interrupted { get; } = new(
        "Interrupted (the process running it stopped); nothing of it was kept.",
        "Загрузка прервана (остановился процесс, который её выполнял); из неё ничего не сохранено.");

    /// <summary>What follows a failure that the next run may not repeat, when the connection has a schedule.</summary>
    public static LocalText RetryScheduled { get; } = new(
        "The next scheduled run will try again.",
        "Следующая загрузка по расписанию попробует снова.");

    /// <summary>What follows such a failure when nothing is scheduled.</summary>
    public static LocalText RetryByHand { get; } = new(
        "No run is scheduled: start the pull again when ready.",
        "Загрузка по расписанию не настроена: запустите её снова, когда будет удобно.");

    /// <summary>
    /// <paramref name="text"/> without a promise of a next run that a connector or the shared sender may still end it
    /// with ("the pull will retry at the next run"): only the runner knows whether a run is scheduled, and says so with
    /// <see cref="RetryScheduled"/> or <see cref="RetryByHand"/>.
    /// </summary>
    public static LocalText WithoutPromise(LocalText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new LocalText(Strip(SenderTexts.WithoutPromise(text.En), []), Strip(text.Ru, RussianPromises));

        static string Strip(string value, string[] promises)
        {
            foreach (var promise in promises)
            {
                if (value.EndsWith(promise, StringComparison.Ordinal))
                {
                    return value[..^promise.Length];
                }
            }

            return value;
        }
    }

    private static readonly string[] RussianPromises =
    [
        "; загрузка повторится при следующем запуске",
        "; загрузку продолжит следующий запуск по расписанию",
        "; следующий запуск по расписанию продолжит загрузку",
    ];

    public static LocalText Unexpected(string detail) => new(
        $"The pull stopped on an unexpected error: {detail}.",
        $"Загрузка остановилась из-за непредвиденной ошибки: {detail}.");

    public static LocalText LedgerRejected(string problems) => new(
        $"The ledger rejected what the pulled rows map to: {problems}.",
        $"Учёт не принял то, во что разнеслись загруженные строки: {problems}.");

    public static LocalText Unmapped(int rows, decimal payout) => new(
        string.Create(English, $"{rows} source rows could not be mapped into the ledger ({Money(payout, English)} of payout); see the run's unmapped rows."),
        string.Create(Russian, $"Не удалось разнести в учёт исходных строк: {rows} (выплата {Money(payout, Russian)}); см. неразнесённые строки загрузки."));

    public static LocalText NoMarketplaceFigure { get; } = new(
        "The marketplace gave no payout figure for these rows: nothing to reconcile with.",
        "Маркетплейс не дал суммы выплаты по этим строкам: сверять не с чем.");

    public static LocalText Matches(decimal payout, int orders, int days) => new(
        string.Create(English, $"The ledger matches the marketplace to the kopeck: {Money(payout, English)} (orders: {orders}, days: {days})."),
        string.Create(Russian, $"Учёт совпадает с маркетплейсом до копейки: {Money(payout, Russian)} (заказов: {orders}, дней: {days})."));

    /// <summary>
    /// The ledger (with its gaps) differs from the marketplace: by how much in all, and where, the largest first
    /// (<paramref name="orders"/> and <paramref name="dates"/> with ledger minus marketplace), and how many places more.
    /// </summary>
    public static LocalText Differs(
        decimal marketplace,
        decimal ledger,
        IReadOnlyList<(string Order, decimal Difference)> orders,
        IReadOnlyList<(DateOnly Date, decimal Difference)> dates,
        int more)
    {
        return new LocalText(Text(English, "The ledger differs from the marketplace by", "marketplace", "ledger", "orders", "dates", "and {0} more"),
            Text(Russian, "Учёт расходится с маркетплейсом на", "маркетплейс", "учёт", "заказы", "даты", "и ещё {0}"));

        string Text(CultureInfo culture, string lead, string marketplaceWord, string ledgerWord, string ordersWord, string datesWord, string moreWords)
        {
            var parts = new List<string>();
            if (orders.Count > 0)
            {
                parts.Add(ordersWord + " " + string.Join(", ", orders.Select(o => $"{o.Order} ({Signed(o.Difference, culture)})")));
            }

            if (dates.Count > 0)
            {
                var format = culture.Name == Russian.Name ? "dd.MM.yyyy" : "yyyy-MM-dd";
                parts.Add(datesWord + " " + string.Join(", ", dates.Select(d => $"{d.Date.ToString(format, culture)} ({Signed(d.Difference, culture)})")));
            }

            if (more > 0)
            {
                parts.Add(string.Format(culture, moreWords, more));
            }

            var where = parts.Count > 0 ? ": " + string.Join("; ", parts) : string.Empty;
            return $"{lead} {Money(Math.Abs(ledger - marketplace), culture)} ({marketplaceWord} {Money(marketplace, culture)}, {ledgerWord} {Money(ledger, culture)}){where}.";
        }
    }

    /// <summary>An amount as the page shows it: <c>1,234.56 ₽</c> in English, <c>1 234,56 ₽</c> in Russian.</summary>
    public static string Money(decimal amount, CultureInfo culture) =>
        amount.ToString("N2", culture) + " ₽";

    private static string Signed(decimal amount, CultureInfo culture) =>
        (amount > 0 ? "+" : amount < 0 ? "−" : string.Empty) + Money(Math.Abs(amount), culture);
}
