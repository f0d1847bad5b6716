using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// The marketplace's own side of reconciliation: what the realization report says Wildberries pays the seller, read
/// from the raw fields of each stored line and nothing else. It shares no code with the mapping (not its reader, its
/// line kinds or its records), so a mapping that loses, misreads or mis-signs money makes the two sides differ instead
/// of being wrong the same way on both. Per line:
/// <c>sign × forPay − deliveryService − penalty − paidStorage − paidAcceptance − deduction + additionalPayment</c>
/// (legacy v5 names: <c>ppvz_for_pay</c>, <c>delivery_rub</c>, <c>storage_fee</c>, <c>acceptance</c>,
/// <c>additional_payment</c>); the sign is −1 for the operations that take money back (<c>Возврат</c>,
/// <c>Корректный возврат</c>, <c>Сторно продаж</c>), +1 for those that pay (<c>Продажа</c>, <c>Корректная продажа</c>,
/// <c>Сторно возвратов</c>), and otherwise −1 only when the document type is <c>Возврат</c>.
/// </summary>
internal static class WildberriesReportPayout
{
    /// <summary>The payout of the realization rows among <paramref name="rows"/> (the same source id counts once: its last copy); null when there is none.</summary>
    public static decimal? Of(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Feed == WildberriesMapper.RealizationFeed)
            {
                latest[row.SourceId] = row.Payload;
            }
        }

        if (latest.Count == 0)
        {
            return null;
        }

        var total = 0m;
        foreach (var payload in latest.Values)
        {
            total += OfLine(payload) ?? 0m;
        }

        return total;
    }

    /// <summary>The payout of one stored line; null when its payload is not a JSON object with readable amounts.</summary>
    public static decimal? OfLine(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(payload, buffer);
            return Read(buffer.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static decimal? Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        decimal forPay = 0m, charges = 0m, additional = 0m;
        string? operation = null, document = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            if (!reader.Read())
            {
                return null;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            switch (field)
            {
                case Field.ForPay:
                    forPay = Amount(ref reader);
                    break;
                case Field.Charge:
                    charges += Amount(ref reader);
                    break;
                case Field.Additional:
                    additional = Amount(ref reader);
                    break;
                case Field.Operation:
                    operation = reader.TokenType == JsonTokenType.String ? reader.GetString()?.Trim() : null;
                    break;
                case Field.Document:
                    document = reader.TokenType == JsonTokenType.String ? reader.GetString()?.Trim() : null;
                    break;
                default:
                    break;
            }
        }

        return (SignOf(operation, document) * forPay) - charges + additional;
    }

    private static Field FieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("forPay"u8) || reader.ValueTextEquals("ppvz_for_pay"u8))
        {
            return Field.ForPay;
        }

        if (reader.ValueTextEquals("deliveryService"u8) || reader.ValueTextEquals("delivery_rub"u8)
            || reader.ValueTextEquals("penalty"u8) || reader.ValueTextEquals("deduction"u8)
            || reader.ValueTextEquals("paidStorage"u8) || reader.ValueTextEquals("storage_fee"u8)
            || reader.ValueTextEquals("paidAcceptance"u8) || reader.ValueTextEquals("acceptance"u8))
        {
            return Field.Charge;
        }

        if (reader.ValueTextEquals("additionalPayment"u8) || reader.ValueTextEquals("additional_payment"u8))
        {
            return Field.Additional;
        }

        if (reader.ValueTextEquals("sellerOperName"u8) || reader.ValueTextEquals("supplier_oper_name"u8))
        {
            return Field.Operation;
        }

        return reader.ValueTextEquals("docTypeName"u8) || reader.ValueTextEquals("doc_type_name"u8) ? Field.Document : Field.None;
    }

    private static decimal SignOf(string? operation, string? document) => operation switch
    {
        "Возврат" or "Корректный возврат" or "Сторно продаж" => -1m,
        "Продажа" or "Корректная продажа" or "Сторно возвратов" => 1m,
        _ => document == "Возврат" ? -1m : 1m,
    };

    private static decimal Amount(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDecimal(),
        JsonTokenType.String when reader.GetString() is { } text && !string.IsNullOrWhiteSpace(text) =>
            decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => 0m,
    };

    private enum Field
    {
        None,
        ForPay,
        Charge,
        Additional,
        Operation,
        Document,
    }
}
