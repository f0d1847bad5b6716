using System.Text.Json;
using System.Text.Json.Serialization;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// The fields of a realization report line (legacy v5, snake_case) that the mapping reads; every other field stays
/// in the stored payload only. Money is read as <see cref="decimal"/> from JSON numbers or strings; a missing or
/// null amount is 0.
/// </summary>
internal sealed class WbReportLine
{
    [JsonPropertyName("rrd_id")]
    public long RrdId { get; set; }

    [JsonPropertyName("realizationreport_id")]
    public long? ReportId { get; set; }

    [JsonPropertyName("srid")]
    public string? Srid { get; set; }

    [JsonPropertyName("nm_id")]
    public long? NmId { get; set; }

    [JsonPropertyName("sa_name")]
    public string? SaName { get; set; }

    [JsonPropertyName("doc_type_name")]
    public string? DocTypeName { get; set; }

    [JsonPropertyName("supplier_oper_name")]
    public string? SupplierOperName { get; set; }

    [JsonPropertyName("bonus_type_name")]
    public string? BonusTypeName { get; set; }

    [JsonPropertyName("quantity")]
    public int? Quantity { get; set; }

    [JsonPropertyName("retail_amount")]
    public decimal? RetailAmount { get; set; }

    [JsonPropertyName("ppvz_for_pay")]
    public decimal? PpvzForPay { get; set; }

    [JsonPropertyName("acquiring_fee")]
    public decimal? AcquiringFee { get; set; }

    [JsonPropertyName("delivery_rub")]
    public decimal? DeliveryRub { get; set; }

    [JsonPropertyName("delivery_amount")]
    public int? DeliveryAmount { get; set; }

    [JsonPropertyName("return_amount")]
    public int? ReturnAmount { get; set; }

    [JsonPropertyName("penalty")]
    public decimal? Penalty { get; set; }

    [JsonPropertyName("additional_payment")]
    public decimal? AdditionalPayment { get; set; }

    [JsonPropertyName("deduction")]
    public decimal? Deduction { get; set; }

    [JsonPropertyName("storage_fee")]
    public decimal? StorageFee { get; set; }

    [JsonPropertyName("acceptance")]
    public decimal? Acceptance { get; set; }

    [JsonPropertyName("order_dt")]
    public string? OrderDt { get; set; }

    [JsonPropertyName("sale_dt")]
    public string? SaleDt { get; set; }

    [JsonPropertyName("rr_dt")]
    public string? RrDt { get; set; }
}

/// <summary>One charge of the promotion API's <c>/adv/v1/upd</c> (camelCase).</summary>
internal sealed class WbAdCharge
{
    [JsonPropertyName("updNum")]
    public long? UpdNum { get; set; }

    [JsonPropertyName("updTime")]
    public string? UpdTime { get; set; }

    [JsonPropertyName("updSum")]
    public decimal? UpdSum { get; set; }

    [JsonPropertyName("advertId")]
    public long? AdvertId { get; set; }

    [JsonPropertyName("campName")]
    public string? CampName { get; set; }

    [JsonPropertyName("advertType")]
    public int? AdvertType { get; set; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WbReportLine))]
[JsonSerializable(typeof(WbAdCharge))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class WildberriesJsonContext : JsonSerializerContext;
