using System.Globalization;
using System.Text;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Web.Features.Exports;

/// <summary>
/// The two CSV dialects finance asks for: <see cref="Semicolon"/> (<c>;</c>, decimal commas, a UTF-8 byte order
/// mark: what Russian Excel opens into columns) and <see cref="Comma"/> (<c>,</c>, decimal dots, no mark: the
/// international form and the API's default).
/// </summary>
public sealed record CsvDialect(string Code, char Delimiter, string DecimalSeparator, bool ByteOrderMark)
{
    public static readonly CsvDialect Semicolon = new("semicolon", ';', ",", true);

    public static readonly CsvDialect Comma = new("comma", ',', ".", false);

    /// <summary>The dialect of a UI language: Russian gets <see cref="Semicolon"/>, any other <see cref="Comma"/>.</summary>
    public static CsvDialect Of(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "ru" ? Semicolon : Comma;
    }

    /// <summary><c>semicolon</c> or <c>comma</c> (also <c>ru</c> / <c>en</c>); null for anything else.</summary>
    public static CsvDialect? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "semicolon" or "ru" or ";" => Semicolon,
        "comma" or "en" or "," => Comma,
        _ => null,
    };
}

/// <summary>Writes an <see cref="ExportTable"/> as CSV, row by row as the rows come (nothing is held whole).</summary>
public static class CsvExport
{
    public static async Task WriteAsync(Stream output, ExportTable table, CsvDialect dialect, CultureInfo language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(language);
        var numbers = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        numbers.NumberDecimalSeparator = dialect.DecimalSeparator;

        await using var writer = new StreamWriter(output, new UTF8Encoding(dialect.ByteOrderMark), bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\n" };
        var line = new StringBuilder();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            Append(line, dialect, i == 0, table.Columns[i].Header.For(language));
        }

        await WriteLineAsync(writer, line, cancellationToken);
        var count = 0;
        await foreach (var row in table.Rows.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var value = i < row.Cells.Count ? row.Cells[i] : null;
                Append(line, dialect, i == 0, value is LocalText words ? words.For(language) : Format(value, table.Columns[i].Kind, numbers));
            }

            await WriteLineAsync(writer, line, cancellationToken);
            if (++count % 1000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>A value as the dialect writes it: numbers without thousands separators, money to 2 places, ratios to 4.</summary>
    public static string Format(object? value, ExportKind kind, NumberFormatInfo numbers) => value switch
    {
        null => string.Empty,
        decimal d when kind == ExportKind.Ratio => d.ToString("0.0000", numbers),
        decimal d when kind == ExportKind.Money => d.ToString("0.00", numbers),
        decimal d => d.ToString("0.##########", numbers),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void Append(StringBuilder line, CsvDialect dialect, bool first, string value)
    {
        if (!first)
        {
            line.Append(dialect.Delimiter);
        }

        if (value.AsSpan().IndexOfAny([dialect.Delimiter, '"', '\n', '\r']) >= 0)
        {
            line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            line.Append(value);
        }
    }

    private static async Task WriteLineAsync(StreamWriter writer, StringBuilder line, CancellationToken cancellationToken)
    {
        line.Append('\n');
        await writer.WriteAsync(line, cancellationToken);
        line.Clear();
    }
}
