using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Data.Workspaces;
using SellerDesk.Domain.Reports;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Pulls;
using SellerDesk.Web.Features.Common;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>The rule kinds (stored in <c>alert_rules.kind</c>) and what each one's threshold means.</summary>
public static class AlertKinds
{
    /// <summary>A channel's verdict (4.1, trailing 4 weeks) is <c>cut</c>; threshold: the least spend that counts (₽, default 0).</summary>
    public const string ChannelCut = "channel_cut";

    /// <summary>A marketplace's return-loss share (4.2) rose more than the threshold (pp) over the trailing 4 weeks against the 4 before.</summary>
    public const string ReturnLossRise = "return_loss_rise";

    /// <summary>A marketplace's fee rate (section 2 fees / revenue, 4.4 summed) rose more than the threshold (pp), as above.</summary>
    public const string FeeRateRise = "fee_rate_rise";

    /// <summary>A SKU sold in the trailing 4 weeks with lines missing unit cost (4.4 <c>cogs_missing_lines</c> at least the threshold, default 1).</summary>
    public const string MissingCost = "missing_cost";

    /// <summary>A connection's pulls fail or it needs a new token; no threshold.</summary>
    public const string PullProblem = "pull_problem";

    /// <summary>A connection's latest reconciled run differs by more than the threshold (₽, default 0).</summary>
    public const string Reconciliation = "reconciliation";

    /// <summary>Yesterday's profit (4.2 summed over marketplaces) is below the threshold (₽, required); one alert per day told of (subject <c>day/yyyy-MM-dd</c>).</summary>
    public const string ProfitFloor = "profit_floor";

    public static IReadOnlyList<string> All { get; } = [ChannelCut, ReturnLossRise, FeeRateRise, MissingCost, PullProblem, Reconciliation, ProfitFloor];

    /// <summary>Whether a rule of <paramref name="kind"/> must have a threshold (the rises and the floor do).</summary>
    public static bool NeedsThreshold(string kind) => kind is ReturnLossRise or FeeRateRise or ProfitFloor;

    /// <summary>Whether a rule of <paramref name="kind"/> takes a threshold at all.</summary>
    public static bool TakesThreshold(string kind) => kind != PullProblem;
}

/// <summary>One condition that holds now: the rule, what it is about (a channel, a marketplace, a SKU, a connection), its words and figure.</summary>
public sealed record AlertCondition(Guid RuleId, string Subject, LocalText Text, decimal? Value);

/// <summary>What the conditions read besides the reports: connections' states and their latest reconciled runs.</summary>
public sealed record ConnectionState(Guid Id, string Name, string Status, decimal? PayoutDifference);

/// <summary>
/// Works out which conditions of a workspace's rules hold, from the existing reports only (<see cref="ReportService"/>
/// and the pulls' stored state): no metric is computed here that a report does not already give. Windows: the trailing
/// 4 weeks are the 28 local days up to yesterday; "the 4 weeks before" the 28 days before those.
/// </summary>
public sealed class AlertConditions(ReportService reports)
{
    public const int WindowDays = 28;

    public async Task<IReadOnlyList<AlertCondition>> EvaluateAsync(
        WorkspaceContext workspace, IReadOnlyList<AlertRuleView> rules, IReadOnlyList<ConnectionState> connections, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(connections);
        var yesterday = today.AddDays(-1);
        var recentFrom = yesterday.AddDays(1 - WindowDays);
        FactReports? recent = null;
        FactReports? before = null;
        async Task<FactReports> Recent() => recent ??= await reports.LoadFactsAsync(workspace, new ReportRequest(recentFrom, yesterday, today), ct);
        async Task<FactReports> Before() => before ??= await reports.LoadFactsAsync(
            workspace, new ReportRequest(recentFrom.AddDays(-WindowDays), recentFrom.AddDays(-1), today), ct);

        var found = new List<AlertCondition>();
        foreach (var rule in rules.Where(r => r.Enabled))
        {
            switch (rule.Kind)
            {
                case AlertKinds.ChannelCut:
                    var least = rule.Threshold ?? 0m;
                    found.AddRange((await Recent()).Channels()
                        .Where(c => c.Verdict == ChannelVerdict.Cut && c.Spend >= least)
                        .Select(c => new AlertCondition(
                            rule.Id,
                            c.Marketplace + "/" + c.Channel,
                            Texts(
                                "Channel {0} on {1} turned to cut over the last 4 weeks: CAC {2} above first-order margin {3}.",
                                "Канал {0} на {1} за последние 4 недели — «сократить»: CAC {2} выше маржи первого заказа {3}.",
                                c.Channel,
                                c.Marketplace,
                                c.Cac,
                                c.FirstOrderMargin),
                            Rounding.Money(c.Spend))));
                    break;
                case AlertKinds.ReturnLossRise:
                    found.AddRange(Rises(
                        rule,
                        (await Recent()).Marketplaces().ToDictionary(m => m.Marketplace, m => m.ReturnLossShare),
                        (await Before()).Marketplaces().ToDictionary(m => m.Marketplace, m => m.ReturnLossShare),
                        "Return-loss share on {0} rose from {1} to {2} over the last 4 weeks.",
                        "Доля потерь на возвратах на {0} выросла с {1} до {2} за последние 4 недели."));
                    break;
                case AlertKinds.FeeRateRise:
                    found.AddRange(Rises(
                        rule,
                        FeeRates((await Recent()).Skus()),
                        FeeRates((await Before()).Skus()),
                        "Fee rate (fees / revenue) on {0} rose from {1} to {2} over the last 4 weeks.",
                        "Доля комиссий и расходов маркетплейса (к выручке) на {0} выросла с {1} до {2} за последние 4 недели."));
                    break;
                case AlertKinds.MissingCost:
                    var lines = Math.Max(1m, rule.Threshold ?? 1m);
                    found.AddRange((await Recent()).Skus()
                        .Where(s => s.CogsMissingLines >= lines)
                        .Select(s => new AlertCondition(
                            rule.Id,
                            s.Marketplace + "/" + s.Sku,
                            new LocalText(
                                string.Create(CultureInfo.InvariantCulture, $"SKU {s.Sku} on {s.Marketplace} sells without a unit cost: {s.CogsMissingLines} line(s) in the last 4 weeks. Upload its cost."),
                                string.Create(CultureInfo.InvariantCulture, $"SKU {s.Sku} на {s.Marketplace} продаётся без себестоимости: строк за последние 4 недели — {s.CogsMissingLines}. Загрузите себестоимость.")),
                            s.CogsMissingLines)));
                    break;
                case AlertKinds.PullProblem:
                    found.AddRange(connections
                        .Where(c => c.Status is ConnectionStatus.NeedsToken or ConnectionStatus.Failing or ConnectionStatus.NeedsUpdate)
                        .Select(c => new AlertCondition(
                            rule.Id,
                            c.Id.ToString("D"),
                            c.Status == ConnectionStatus.NeedsToken
                                ? new LocalText($"Connection {c.Name} needs a new token: enter it on the connections page.", $"Подключению {c.Name} нужен новый токен: введите его на странице подключений.")
                                : new LocalText($"Pulls of connection {c.Name} fail: see the connections page.", $"Загрузки подключения {c.Name} не проходят: подробности на странице подключений."),
                            null)));
                    break;
                case AlertKinds.Reconciliation:
                    var tolerance = rule.Threshold ?? 0m;
                    found.AddRange(connections
                        .Where(c => c.PayoutDifference is { } d && Math.Abs(d) > tolerance)
                        .Select(c => new AlertCondition(
                            rule.Id,
                            c.Id.ToString("D"),
                            Texts(
                                "The latest pull of {0} does not reconcile: the ledger's payout differs from the marketplace's by {1}.",
                                "Последняя загрузка {0} не сходится: выплата по учёту отличается от выплаты маркетплейса на {1}.",
                                c.Name,
                                Math.Abs(c.PayoutDifference!.Value)),
                            c.PayoutDifference)));
                    break;
                case AlertKinds.ProfitFloor when rule.Threshold is { } floor:
                    var day = await reports.LoadFactsAsync(workspace, new ReportRequest(yesterday, yesterday, today), ct);
                    var profit = day.Marketplaces().Sum(m => m.Profit);
                    if (profit < floor)
                    {
                        // One alert per day told of: the next day's evaluation clears this one and, when that day is
                        // below the floor too, opens a new one with that day's figures (never the first day's words).
                        found.Add(new AlertCondition(
                            rule.Id,
                            "day/" + yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                            Texts(
                                "Profit of {0} was {1}, below the floor of {2}.",
                                "Прибыль за {0} — {1}, ниже порога {2}.",
                                yesterday,
                                profit,
                                floor),
                            Rounding.Money(profit)));
                    }

                    break;
            }
        }

        return found;
    }

    /// <summary>Fee rate per marketplace: section 2's <c>fees</c> over <c>revenue</c>, both summed from the 4.4 rows.</summary>
    private static Dictionary<string, decimal?> FeeRates(IReadOnlyList<SkuRow> skus) =>
        skus.GroupBy(s => s.Marketplace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Revenue) is var revenue and not 0m ? g.Sum(s => s.Fees) / revenue : (decimal?)null, StringComparer.Ordinal);

    private static IEnumerable<AlertCondition> Rises(
        AlertRuleView rule, Dictionary<string, decimal?> recent, Dictionary<string, decimal?> before, string en, string ru)
    {
        var points = rule.Threshold ?? 0m;
        foreach (var (marketplace, now) in recent.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (now is not { } current || before.GetValueOrDefault(marketplace) is not { } earlier)
            {
                continue;
            }

            var rise = (current - earlier) * 100m;
            if (rise > points)
            {
                yield return new AlertCondition(
                    rule.Id, marketplace, Texts(en, ru, marketplace, new Share(earlier), new Share(current)), Rounding.Ratio(rise / 100m));
            }
        }
    }

    /// <summary>A share to be shown as a percentage.</summary>
    private sealed record Share(decimal Value);

    /// <summary>One message in both languages, its numbers and dates formatted as each language shows them.</summary>
    internal static LocalText Texts(string en, string ru, params object?[] args) =>
        new(Format(en, UiCultures.English, args), Format(ru, UiCultures.Russian, args));

    internal static string Format(string format, CultureInfo culture, object?[] args)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            var shown = args.Select(a => a switch
            {
                decimal money => UiFormat.Money(money),
                Share share => UiFormat.Percent(share.Value),
                DateOnly date => UiFormat.Date(date),
                ChangeAmount change => (change.Value > 0 ? "+" : change.Value < 0 ? "−" : "±") + UiFormat.Money(Math.Abs(change.Value)),
                null => UiFormat.Dash,
                _ => a,
            }).ToArray();
            return string.Format(culture, format, shown);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }
}

/// <summary>The two languages messages go out in.</summary>
internal static class UiCultures
{
    public static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");
}
