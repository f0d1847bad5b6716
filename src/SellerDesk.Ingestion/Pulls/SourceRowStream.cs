using Npgsql;
using SellerDesk.Ingestion.Connectors;

namespace SellerDesk.Ingestion.Pulls;

/// <summary>Reads source rows (feed, source id, order key, date, payload) ordered by order key and hands them on in parts of whole orders.</summary>
internal static class SourceRowStream
{
    /// <summary>
    /// Hands the rows <paramref name="command"/> reads to <paramref name="mapping"/> in parts of about
    /// <paramref name="partRows"/> rows, never splitting an order; <paramref name="afterPart"/> runs after each part but
    /// the last.
    /// </summary>
    public static async Task MapAsync(
        NpgsqlCommand command,
        int partRows,
        ILedgerMappingSession mapping,
        Action<SourceRow>? seen,
        Func<int, CancellationToken, Task>? afterPart,
        CancellationToken ct)
    {
        var part = new List<SourceRow>(Math.Min(partRows, 100_000) + 16);
        string? lastKey = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = Read(reader);
            if (part.Count >= partRows && (row.OrderKey is null || !string.Equals(row.OrderKey, lastKey, StringComparison.Ordinal)))
            {
                mapping.Add(part);
                var added = part.Count;
                part.Clear();
                if (afterPart is not null)
                {
                    await afterPart(added, ct);
                }
            }

            part.Add(row);
            lastKey = row.OrderKey;
            seen?.Invoke(row);
        }

        if (part.Count > 0)
        {
            mapping.Add(part);
        }
    }

    /// <summary>A source row from columns (feed, source_id, order_key, business_date, payload).</summary>
    public static SourceRow Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetFieldValue<DateOnly>(3),
        reader.GetString(4));
}
