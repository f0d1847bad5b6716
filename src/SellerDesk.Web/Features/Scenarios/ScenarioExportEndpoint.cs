using System.Globalization;
using SellerDesk.Data.Reports;
using SellerDesk.Domain.Reports;
using SellerDesk.Domain.Scenarios;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Web.Api;
using SellerDesk.Web.Auth;
using SellerDesk.Web.Features.Exports;
using SellerDesk.Web.Features.ProfitAndLoss;

namespace SellerDesk.Web.Features.Scenarios;

/// <summary>
/// GET /export/scenario?from&amp;to[&amp;as_of][&amp;source][&amp;adj][&amp;name][&amp;format=csv|xlsx][&amp;dialect][&amp;lang]: the
/// what-if page's scenario as a file, through the report downloads' own path (<see cref="ReportExportEndpoints"/>):
/// each marketplace's P&amp;L lines and the total, today and under the scenario; the adjustments, changed verdicts and
/// SKUs that turn unprofitable as notes.
/// </summary>
public static class ScenarioExportEndpoint
{
    public const string Path = "/export/scenario";

    public static IEndpointConventionBuilder MapScenarioExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, (HttpContext http, ReportService reports, AuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            if (!ScenarioInput.TryParse(http.Request.Query["adj"], out var adjustments))
            {
                return Task.FromResult(ReportQuery.BadRequest("Query parameter 'adj' is not a list of adjustments the what-if page writes."));
            }

            var name = http.Request.Query["name"].ToString().Trim();
            return ReportExportEndpoints.ExportAsync(
                http,
                reports,
                audit,
                clock,
                (format, _, from, to) => AuditText(format, name, from, to),
                (facts, _) => Table(facts, adjustments, name.Length == 0 ? null : name),
                ct);
        }).RequireAuthorization(Policies.Exports);

    public static ExportTable Table(FactReports reports, IReadOnlyList<ScenarioAdjustment> adjustments, string? name)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var result = new Scenario(adjustments).Evaluate(reports.Sums);
        var view = ScenarioView.Of(result);
        var rows = new List<ExportRow>();
        foreach (var marketplace in view.Marketplaces.Select(m => m.Marketplace).Append(null))
        {
            foreach (var line in ScenarioView.PnlOf(result, marketplace))
            {
                rows.Add(new ExportRow(new List<object?>
                {
                    marketplace is null ? (object)Texts.Total : marketplace, PnlTexts.Line(line.Code), line.Amount.Today, line.Amount.Scenario, line.Amount.Change,
                })
                { Emphasis = line.Strong || marketplace is null });
            }
        }

        ExportColumn[] columns =
        [
            new(ExportTexts.Marketplace, ExportKind.Text, new("The marketplace (its code); the last rows are the total of all.", "Маркетплейс (его код); последние строки — итог по всем.")),
            new(new("Line", "Статья"), ExportKind.Text, new("A line of the profit and loss statement, summed over the period.", "Статья отчёта о прибылях и убытках за период.")),
            new(new("Today", "Сейчас"), ExportKind.Money, new("The line as the ledger has it.", "Статья по данным учёта.")),
            new(new("Scenario", "Сценарий"), ExportKind.Money, new("The line as it would have been under the adjustments.", "Статья, какой она была бы при изменениях сценария.")),
            new(new("Change", "Изменение"), ExportKind.Money, new("Scenario minus today.", "Сценарий минус сейчас.")),
        ];

        var notes = new List<LocalText>
        {
            new("What-if: the ledger replayed with the adjustments below, in order; new customers, period fees and unit costs do not change, and demand does not react to prices.",
                "Что если: учёт пересчитан с изменениями ниже, по порядку; новые покупатели, расходы периода и себестоимость не меняются, спрос на цены не реагирует."),
        };
        notes.AddRange(adjustments.Count == 0
            ? [new LocalText("No adjustments: the scenario is today's figures.", "Изменений нет: сценарий совпадает с текущими цифрами.")]
            : adjustments.Select((a, i) => Describe(i + 1, a)));
        notes.AddRange(view.VerdictChanges.Select(c => new LocalText(
            $"Channel {c.Channel} on {c.Marketplace}: {Verdict(c.Before).En} → {Verdict(c.After).En}.",
            $"Канал {c.Channel} на {c.Marketplace}: {Verdict(c.Before).Ru} → {Verdict(c.After).Ru}.")));
        notes.AddRange(view.SkusTurningUnprofitable.Select(s => new LocalText(
            string.Create(CultureInfo.InvariantCulture, $"SKU {s.Sku} on {s.Marketplace} turns unprofitable: margin {Rounding.Money(s.Before):0.00} → {Rounding.Money(s.After):0.00}."),
            string.Create(CultureInfo.InvariantCulture, $"Артикул {s.Sku} на {s.Marketplace} становится убыточным: маржа {Rounding.Money(s.Before):0.00} → {Rounding.Money(s.After):0.00}."))));
        notes.Add(ExportTexts.Rounding);

        var title = name is null ? new LocalText("What-if scenario", "Сценарий «что если»") : new LocalText($"What-if scenario: {name}", $"Сценарий «что если»: {name}");
        var request = new ExportRequest("scenario", title, reports.Period.From, reports.Period.To, reports.Period.AsOf,
            [new ExportFilter(new("Scenario", "Сценарий"), null, name is null ? new("unsaved", "не сохранён") : new(name, name))]);
        return new ExportTable(request, new("Scenario", "Сценарий"), columns, ExportTable.Of(rows)) { Notes = notes, FrozenColumns = 2 };
    }

    private static class Texts
    {
        public static readonly LocalText Total = new("Total", "Итого");
    }

    private static LocalText Verdict(ChannelVerdict? verdict) => verdict is { } v ? ReportExports.Verdict(v) : new("no row", "нет строки");

    /// <summary>One adjustment in words, for the file's notes.</summary>
    private static LocalText Describe(int number, ScenarioAdjustment a)
    {
        var en = new List<string>();
        var ru = new List<string>();
        static string N(decimal d) => (d > 0 ? "+" : string.Empty) + d.ToString("0.##", CultureInfo.InvariantCulture);
        if (a.PricePct is { } p)
        {
            en.Add($"price {N(p)} %");
            ru.Add($"цена {N(p)} %");
        }

        if (a.CommissionPp is { } c)
        {
            en.Add($"commission {N(c)} pp");
            ru.Add($"комиссия {N(c)} п. п.");
        }

        if (a.LogisticsPct is { } l)
        {
            en.Add($"logistics {N(l)} %");
            ru.Add($"логистика {N(l)} %");
        }

        if (a.ReturnsScale is { } f)
        {
            var remain = (f * 100m).ToString("0.##", CultureInfo.InvariantCulture);
            en.Add($"{remain} % of returns remain");
            ru.Add($"остаётся {remain} % возвратов");
        }

        if (a.AdSpendPct is { } s)
        {
            en.Add($"ad spend {N(s)} %" + (a.Channel is { } ch ? $" on {ch}" : string.Empty));
            ru.Add($"реклама {N(s)} %" + (a.Channel is { } chr ? $" в канале {chr}" : string.Empty));
        }

        var where = a.Marketplace ?? "all marketplaces";
        var whereRu = a.Marketplace ?? "все маркетплейсы";
        return new LocalText(
            $"Adjustment {number} ({where}): {(en.Count == 0 ? "no change" : string.Join(", ", en))}.",
            $"Изменение {number} ({whereRu}): {(ru.Count == 0 ? "без изменений" : string.Join(", ", ru))}.");
    }

    private static LocalText AuditText(string format, string name, DateOnly from, DateOnly to)
    {
        var period = string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        var what = name.Length == 0 ? string.Empty : $" «{name}»";
        return new LocalText($"What-if scenario{what} as {format} for {period}.", $"Сценарий «что если»{what} в {format} за {period}.");
    }
}
