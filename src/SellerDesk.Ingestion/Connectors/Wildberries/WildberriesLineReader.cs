using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Reads the fields the mapping needs from one realization report line (a JSON object, with the finance API's camelCase
/// names or the legacy v5 snake_case ones of rows stored before the switch) in a single forward pass,
/// skipping every other field: the hot path of a 200 000-line pull, so no DOM and no reflection. Money is read from
/// JSON numbers or numeric strings; null or missing is null.
/// </summary>
internal static class WildberriesLineReader
{
    /// <summary>Reads a stored payload; null when it is not a JSON object of numbers and strings where expected.</summary>
    public static WbReportLine? TryRead(string payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(payload, buffer);
            return Read(buffer.AsSpan(0, length), keysOnly: false);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads one line (finance API or legacy v5 names); with <paramref name="keysOnly"/> only what a source row needs
    /// (<c>rrdId</c>, <c>reportId</c>, <c>srid</c>, <c>rrDate</c>, <c>saleDt</c>, and <c>nmId</c> with <c>vendorCode</c> for campaign statistics' SKUs).
    /// Throws <see cref="JsonException"/>, <see cref="FormatException"/> or <see cref="InvalidOperationException"/> on a malformed line.
    /// </summary>
    public static WbReportLine Read(ReadOnlySpan<byte> utf8, bool keysOnly)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a report line must be a JSON object");
        }

        var line = new WbReportLine();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader);
            if (!reader.Read())
            {
                throw new JsonException("a report line ends early");
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            if (keysOnly && field is not (LineField.RrdId or LineField.ReportId or LineField.Srid or LineField.RrDt or LineField.SaleDt or LineField.NmId or LineField.SaName))
            {
                continue;
            }

            Assign(line, field, ref reader);
        }

        return line;
    }

    private static void Assign(WbReportLine line, LineField field, ref Utf8JsonReader reader)
    {
        switch (field)
        {
            case LineField.RrdId: line.RrdId = Int64(ref reader) ?? 0; break;
            case LineField.ReportId: line.ReportId = Int64(ref reader); break;
            case LineField.Srid: line.Srid = Text(ref reader); break;
            case LineField.NmId: line.NmId = Int64(ref reader); break;
            case LineField.SaName: line.SaName = Text(ref reader); break;
            case LineField.DocTypeName: line.DocTypeName = Text(ref reader); break;
            case LineField.SupplierOperName: line.SupplierOperName = Text(ref reader); break;
            case LineField.BonusTypeName: line.BonusTypeName = Text(ref reader); break;
            case LineField.Quantity: line.Quantity = (int?)Int64(ref reader); break;
            case LineField.RetailAmount: line.RetailAmount = Decimal(ref reader); break;
            case LineField.PpvzForPay: line.PpvzForPay = Decimal(ref reader); break;
            case LineField.AcquiringFee: line.AcquiringFee = Decimal(ref reader); break;
            case LineField.DeliveryRub: line.DeliveryRub = Decimal(ref reader); break;
            case LineField.DeliveryAmount: line.DeliveryAmount = (int?)Int64(ref reader); break;
            case LineField.ReturnAmount: line.ReturnAmount = (int?)Int64(ref reader); break;
            case LineField.Penalty: line.Penalty = Decimal(ref reader); break;
            case LineField.AdditionalPayment: line.AdditionalPayment = Decimal(ref reader); break;
            case LineField.Deduction: line.Deduction = Decimal(ref reader); break;
            case LineField.StorageFee: line.StorageFee = Decimal(ref reader); break;
            case LineField.Acceptance: line.Acceptance = Decimal(ref reader); break;
            case LineField.CashbackAmount: line.CashbackAmount = Decimal(ref reader); break;
            case LineField.CashbackDiscount: line.CashbackDiscount = Decimal(ref reader); break;
            case LineField.CashbackCommissionChange: line.CashbackCommissionChange = Decimal(ref reader); break;
            case LineField.OrderDt: line.OrderDt = Text(ref reader); break;
            case LineField.SaleDt: line.SaleDt = Text(ref reader); break;
            case LineField.RrDt: line.RrDt = Text(ref reader); break;
            default: break;
        }
    }

    private static LineField Field(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return FieldOf(Encoding.UTF8.GetBytes(reader.GetString()!));
        }

        return FieldOf(reader.ValueSpan);
    }

    /// <summary>A field by its finance API (camelCase) or legacy v5 (snake_case) name; docs/connectors/wildberries.md lists both.</summary>
    private static LineField FieldOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("srid"u8) => LineField.Srid,
        4 when name.SequenceEqual("nmId"u8) => LineField.NmId,
        5 when name.SequenceEqual("rrdId"u8) => LineField.RrdId,
        5 when name.SequenceEqual("nm_id"u8) => LineField.NmId,
        5 when name.SequenceEqual("rr_dt"u8) => LineField.RrDt,
        6 when name.SequenceEqual("forPay"u8) => LineField.PpvzForPay,
        6 when name.SequenceEqual("rrDate"u8) => LineField.RrDt,
        6 when name.SequenceEqual("saleDt"u8) => LineField.SaleDt,
        6 when name.SequenceEqual("rrd_id"u8) => LineField.RrdId,
        7 when name.SequenceEqual("penalty"u8) => LineField.Penalty,
        7 when name.SequenceEqual("orderDt"u8) => LineField.OrderDt,
        7 when name.SequenceEqual("sa_name"u8) => LineField.SaName,
        7 when name.SequenceEqual("sale_dt"u8) => LineField.SaleDt,
        8 when name.SequenceEqual("quantity"u8) => LineField.Quantity,
        8 when name.SequenceEqual("reportId"u8) => LineField.ReportId,
        8 when name.SequenceEqual("order_dt"u8) => LineField.OrderDt,
        9 when name.SequenceEqual("deduction"u8) => LineField.Deduction,
        10 when name.SequenceEqual("vendorCode"u8) => LineField.SaName,
        10 when name.SequenceEqual("acceptance"u8) => LineField.Acceptance,
        11 when name.SequenceEqual("docTypeName"u8) => LineField.DocTypeName,
        11 when name.SequenceEqual("paidStorage"u8) => LineField.StorageFee,
        11 when name.SequenceEqual("storage_fee"u8) => LineField.StorageFee,
        12 when name.SequenceEqual("retailAmount"u8) => LineField.RetailAmount,
        12 when name.SequenceEqual("acquiringFee"u8) => LineField.AcquiringFee,
        12 when name.SequenceEqual("returnAmount"u8) => LineField.ReturnAmount,
        12 when name.SequenceEqual("ppvz_for_pay"u8) => LineField.PpvzForPay,
        12 when name.SequenceEqual("delivery_rub"u8) => LineField.DeliveryRub,
        13 when name.SequenceEqual("bonusTypeName"u8) => LineField.BonusTypeName,
        13 when name.SequenceEqual("retail_amount"u8) => LineField.RetailAmount,
        13 when name.SequenceEqual("acquiring_fee"u8) => LineField.AcquiringFee,
        13 when name.SequenceEqual("doc_type_name"u8) => LineField.DocTypeName,
        13 when name.SequenceEqual("return_amount"u8) => LineField.ReturnAmount,
        14 when name.SequenceEqual("sellerOperName"u8) => LineField.SupplierOperName,
        14 when name.SequenceEqual("paidAcceptance"u8) => LineField.Acceptance,
        14 when name.SequenceEqual("deliveryAmount"u8) => LineField.DeliveryAmount,
        14 when name.SequenceEqual("cashbackAmount"u8) => LineField.CashbackAmount,
        15 when name.SequenceEqual("deliveryService"u8) => LineField.DeliveryRub,
        15 when name.SequenceEqual("bonus_type_name"u8) => LineField.BonusTypeName,
        15 when name.SequenceEqual("delivery_amount"u8) => LineField.DeliveryAmount,
        15 when name.SequenceEqual("cashback_amount"u8) => LineField.CashbackAmount,
        16 when name.SequenceEqual("cashbackDiscount"u8) => LineField.CashbackDiscount,
        17 when name.SequenceEqual("additionalPayment"u8) => LineField.AdditionalPayment,
        17 when name.SequenceEqual("cashback_discount"u8) => LineField.CashbackDiscount,
        18 when name.SequenceEqual("supplier_oper_name"u8) => LineField.SupplierOperName,
        18 when name.SequenceEqual("additional_payment"u8) => LineField.AdditionalPayment,
        20 when name.SequenceEqual("realizationreport_id"u8) => LineField.ReportId,
        24 when name.SequenceEqual("cashbackCommissionChange"u8) => LineField.CashbackCommissionChange,
        26 when name.SequenceEqual("cashback_commission_change"u8) => LineField.CashbackCommissionChange,
        _ => LineField.None,
    };

    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private static decimal? Decimal(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDecimal(),
        JsonTokenType.String => ParseDecimal(reader.GetString()),
        _ => null,
    };

    private static long? Int64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
        JsonTokenType.Number => (long)decimal.Truncate(reader.GetDecimal()),
        JsonTokenType.String => long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        _ => null,
    };

    private static decimal? ParseDecimal(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private enum LineField
    {
        None,
        RrdId,
        ReportId,
        Srid,
        NmId,
        SaName,
        DocTypeName,
        SupplierOperName,
        BonusTypeName,
        Quantity,
        RetailAmount,
        PpvzForPay,
        AcquiringFee,
        DeliveryRub,
        DeliveryAmount,
        ReturnAmount,
        Penalty,
        AdditionalPayment,
        Deduction,
        StorageFee,
        Acceptance,
        CashbackAmount,
        CashbackDiscount,
        CashbackCommissionChange,
        OrderDt,
        SaleDt,
        RrDt,
    }
}
