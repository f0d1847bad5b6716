using System.Globalization;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Common;

/// <summary>
/// A sentence a user reads, in both UI languages: connector errors, run notices and reconciliation results are
/// written where they arise in English and Russian, stored together (<see cref="Encode"/>) and shown in the
/// language of the page that reads them (<see cref="For"/>).
/// </summary>
public sealed record LocalText(string En, string Ru)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text in <paramref name="culture"/>'s language: Russian for <c>ru</c>, English otherwise.</summary>
    public string For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "ru" ? Ru : En;
    }

    /// <summary>The text in the current UI culture's language.</summary>
    public string Current => For(CultureInfo.CurrentUICulture);

    /// <summary>The stored form: a JSON object <c>{"en": ..., "ru": ...}</c>.</summary>
    public string Encode() => JsonSerializer.Serialize(new Stored(En, Ru), Json);

    /// <summary>
    /// Reads what <see cref="Encode"/> stored. Text stored before both languages were kept (plain English) is taken
    /// as it is for both; null stays null.
    /// </summary>
    public static LocalText? Decode(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        if (stored.StartsWith('{'))
        {
            try
            {
                var s = JsonSerializer.Deserialize<Stored>(stored, Json);
                if (s is { en: { } en, ru: { } ru })
                {
                    return new LocalText(en, ru);
                }
            }
            catch (JsonException)
            {
                // not ours: plain text that happens to start with a brace
            }
        }

        return new LocalText(stored, stored);
    }

    /// <summary>Stored texts (one per line, as run notices are kept) in <paramref name="culture"/>'s language.</summary>
    public static string ForLines(string? stored, CultureInfo culture) =>
        stored is null ? string.Empty : string.Join(Environment.NewLine, stored.Split('\n').Select(l => Decode(l.TrimEnd('\r'))!.For(culture)));

    /// <summary>Joins texts into one (each language separately).</summary>
    public static LocalText Join(string separator, IEnumerable<LocalText> parts)
    {
        var list = parts.ToList();
        return new LocalText(string.Join(separator, list.Select(p => p.En)), string.Join(separator, list.Select(p => p.Ru)));
    }

    public override string ToString() => En;

#pragma warning disable IDE1006, SA1300 // JSON member names as stored
    private sealed record Stored(string en, string ru);
#pragma warning restore IDE1006, SA1300
}
