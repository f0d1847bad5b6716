using System.Globalization;
using SellerDesk.Domain.Scenarios;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Scenarios;

/// <summary>A ready scenario the page offers: its code (test ids, texts) and its adjustments.</summary>
public sealed record ScenarioPreset(string Code, IReadOnlyList<ScenarioAdjustment> Adjustments);

/// <summary>
/// What a seller or a script may ask of a scenario (metrics.md section 6), checked in one place for the API and the
/// page, and the adjustments as the page's address carries them (<c>adj</c>): adjustments joined by <c>~</c>, each
/// its fields as <c>key:value</c> joined by <c>,</c> (<c>mp</c> marketplace, <c>ch</c> channel, <c>price</c>,
/// <c>comm</c>, <c>log</c>, <c>ret</c>, <c>ad</c>), <c>*</c> for one without fields:
/// <c>mp:wildberries,comm:3~ret:0</c>.
/// </summary>
public static class ScenarioInput
{
    public const int MaxAdjustments = 20;

    /// <summary>The largest increase a percentage field takes (a tenfold price, logistics or spend).</summary>
    public const decimal MaxPercent = 1000m;

    public static readonly IReadOnlyList<ScenarioPreset> Presets =
    [
        new("wb_commission", [new ScenarioAdjustment("wildberries", CommissionPp: 3m)]),
        new("logistics", [new ScenarioAdjustment(LogisticsPct: 20m)]),
        new("no_returns", [new ScenarioAdjustment(ReturnsScale: 0m)]),
        new("price_war", [new ScenarioAdjustment(PricePct: -10m)]),
    ];

    /// <summary>The first thing wrong with the adjustments, as the field at fault and why in both languages; null when they may run.</summary>
    public static (string Field, LocalText Error)? Check(IReadOnlyList<ScenarioAdjustment?>? adjustments)
    {
        if (adjustments is null)
        {
            return ("adjustments", new("'adjustments' is required: a list of adjustments, empty for the reports as they are.",
                "Нужно поле 'adjustments': список изменений; пустой — отчёты как есть."));
        }

        if (adjustments.Count > MaxAdjustments)
        {
            return ("adjustments", new($"At most {MaxAdjustments} adjustments at a time ({adjustments.Count} given).",
                $"Не больше {MaxAdjustments} изменений за раз (передано {adjustments.Count})."));
        }

        for (var i = 0; i < adjustments.Count; i++)
        {
            var field = $"adjustments[{i}]";
            if (adjustments[i] is not { } a)
            {
                return (field, new("An adjustment is an object; null is not one.", "Изменение — это объект, а не null."));
            }

            if (a.Marketplace is { } m && !IsCode(m))
            {
                return (field + ".marketplace", new($"'{m}' is not a marketplace code (lowercase letters, digits and '_', e.g. ozon or wildberries).",
                    $"'{m}' — не код маркетплейса (строчные латинские буквы, цифры и '_', например ozon или wildberries)."));
            }

            if (a.Channel is { } c && (c.Length is 0 or > 100 || c.Any(char.IsControl) || c.Trim() != c))
            {
                return (field + ".channel", new($"'{c}' is not a channel code.", $"'{c}' — не код канала."));
            }

            if (a.ReturnsScale is < 0m or > 1m)
            {
                return (field + ".returns_scale", new("returns_scale is the share of returns that remain: from 0 to 1.",
                    "returns_scale — доля возвратов, которая остаётся: от 0 до 1."));
            }

            if (a.CommissionPp is < -100m or > 100m)
            {
                return (field + ".commission_pp", new("commission_pp is a change in percentage points: from -100 to 100.",
                    "commission_pp — изменение в процентных пунктах: от -100 до 100."));
            }

            foreach (var (name, value) in new[] { ("price_pct", a.PricePct), ("logistics_pct", a.LogisticsPct), ("ad_spend_pct", a.AdSpendPct) })
            {
                if (value is < -100m or > MaxPercent)
                {
                    return ($"{field}.{name}", new($"{name} is a change in percent: from -100 to {MaxPercent}.",
                        $"{name} — изменение в процентах: от -100 до {MaxPercent}."));
                }
            }
        }

        return null;
    }

    /// <summary>The adjustments as the address carries them; empty for none.</summary>
    public static string Format(IEnumerable<ScenarioAdjustment> adjustments)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        return string.Join('~', adjustments.Select(a =>
        {
            var fields = new List<string>();
            void Add(string key, string? value)
            {
                if (value is not null)
                {
                    fields.Add(key + ":" + value);
                }
            }

            static string? N(decimal? d) => d?.ToString(CultureInfo.InvariantCulture);
            Add("mp", a.Marketplace);
            Add("ch", a.Channel);
            Add("price", N(a.PricePct));
            Add("comm", N(a.CommissionPp));
            Add("log", N(a.LogisticsPct));
            Add("ret", N(a.ReturnsScale));
            Add("ad", N(a.AdSpendPct));
            return fields.Count == 0 ? "*" : string.Join(',', fields);
        }));
    }

    /// <summary>Reads <see cref="Format"/>'s text; false (and no adjustments) when it is not that or <see cref="Check"/> refuses it.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<ScenarioAdjustment> adjustments)
    {
        adjustments = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parsed = new List<ScenarioAdjustment>();
        foreach (var part in text.Split('~'))
        {
            var a = new ScenarioAdjustment();
            if (part != "*")
            {
                foreach (var field in part.Split(','))
                {
                    var colon = field.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        return false;
                    }

                    var key = field[..colon];
                    var value = field[(colon + 1)..];
                    decimal? number = decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;
                    if (key is not ("mp" or "ch") && number is null)
                    {
                        return false;
                    }

                    a = key switch
                    {
                        "mp" => a with { Marketplace = value },
                        "ch" => a with { Channel = value },
                        "price" => a with { PricePct = number },
                        "comm" => a with { CommissionPp = number },
                        "log" => a with { LogisticsPct = number },
                        "ret" => a with { ReturnsScale = number },
                        "ad" => a with { AdSpendPct = number },
                        _ => null!,
                    };
                    if (a is null)
                    {
                        return false;
                    }
                }
            }

            parsed.Add(a);
        }

        if (Check(parsed) is not null)
        {
            return false;
        }

        adjustments = parsed;
        return true;
    }

    private static bool IsCode(string code) =>
        code.Length is > 0 and <= 64 && code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
