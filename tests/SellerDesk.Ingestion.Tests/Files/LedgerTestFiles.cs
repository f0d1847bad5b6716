using System.Text;
using SellerDesk.Data.Ledger;
using SellerDesk.Ingestion.Files;

namespace SellerDesk.Ingestion.Tests.Files;

/// <summary>In-memory ledger files for the reader and importer tests.</summary>
internal static class LedgerTestFiles
{
    public static TimeZoneInfo Moscow { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static MemoryStream Utf8(string text, bool byteOrderMark = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return byteOrderMark ? new MemoryStream([.. Encoding.UTF8.Preamble, .. bytes]) : new MemoryStream(bytes);
    }

    /// <summary>Lines joined with LF and a final LF.</summary>
    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static async Task<ReadResult<T>> ReadAsync<T>(string text, TimeZoneInfo? zone = null, bool byteOrderMark = false)
        where T : class
    {
        await using var stream = Utf8(text, byteOrderMark);
        using var reader = await LedgerFileReader.OpenAsync<T>(stream, zone ?? Moscow);
        var rows = new List<LedgerRow<T>>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.Current);
        }

        return new ReadResult<T>(rows, reader.Problems.ToList(), reader.Warnings, reader.Delimiter);
    }

    public sealed record ReadResult<T>(List<LedgerRow<T>> Rows, IReadOnlyList<ImportProblem> Problems, IReadOnlyList<string> Warnings, char Delimiter)
    {
        public List<T> Records => Rows.ConvertAll(r => r.Record);
    }
}
