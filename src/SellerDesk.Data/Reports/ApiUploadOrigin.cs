using System.Globalization;

namespace SellerDesk.Data.Reports;

/// <summary>
/// The provenance text of a ledger file sent through the HTTP API (<c>POST /api/v1/imports/{kind}</c>): the ledger
/// keeps one <c>import_file</c> text per row (migration 0022), so an API upload stores
/// <c>API upload 2026-12-06T15:40:00Z</c> (the UTC instant the upload started), followed by <c>: name.csv</c> when
/// the multipart form named a file. The drill-down reads it back and shows the time in the reader's language
/// ("API upload … UTC, line 4" / "загрузка через API … UTC, строка 4") instead of a generic "(request body)".
/// </summary>
public static class ApiUploadOrigin
{
    private const string Prefix = "API upload ";
    private const string InstantFormat = "yyyy-MM-ddTHH:mm:ssZ";

    /// <summary>The text stored for an upload that started at <paramref name="at"/>, with the form's file name if any.</summary>
    public static string Name(DateTimeOffset at, string? fileName)
    {
        var text = Prefix + at.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(fileName) ? text : $"{text}: {fileName.Trim()}";
    }

    /// <summary>Reads a stored <c>import_file</c>: true for an API upload, with its UTC instant and the form's file name.</summary>
    public static bool TryRead(string? importFile, out DateTimeOffset at, out string? fileName)
    {
        at = default;
        fileName = null;
        if (importFile is null || !importFile.StartsWith(Prefix, StringComparison.Ordinal) || importFile.Length < Prefix.Length + InstantFormat.Length)
        {
            return false;
        }

        var instant = importFile.Substring(Prefix.Length, InstantFormat.Length);
        if (!DateTimeOffset.TryParseExact(instant, InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            return false;
        }

        var rest = importFile[(Prefix.Length + instant.Length)..];
        if (rest.Length == 0)
        {
            return true;
        }

        if (!rest.StartsWith(": ", StringComparison.Ordinal) || rest.Length == 2)
        {
            at = default;
            return false;
        }

        fileName = rest[2..];
        return true;
    }
}
