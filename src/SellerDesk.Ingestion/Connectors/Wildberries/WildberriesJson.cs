using System.Text.Json;
using System.Text.Json.Serialization;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// The fields of a realization report line that the mapping reads, filled by <see cref="WildberriesLineReader"/> from
/// either form of a line: the finance API's camelCase one (<c>rrdId</c>, <c>forPay</c>, money as strings) or the
/// legacy v5 snake_case one (<c>rrd_id</c>, <c>ppvz_for_pay</c>, money as numbers) that rows pulled before the switch
/// keep in their stored payload. Property names follow the v5 names. Every other field stays in the stored payload
/// only. A missing or null amount is null (read as 0).
/// </summary>
internal sealed class WbReportLine
{
    public long RrdId { get; set; }
    public long? ReportId { get; set; }
    public string? Srid { get; set; }
    public long? NmId { get; set; }
    public string? SaName { get; set; }
    public string? DocTypeName { get; set; }
    public string? SupplierOperName { get; set; }
    public string? BonusTypeName { get; set; }
    public int? Quantity { get; set; }
    public decimal? RetailAmount { get; set; }
    public decimal? PpvzForPay { get; set; }
    public decimal? AcquiringFee { get; set; }
    public decimal? DeliveryRub { get; set; }
    public int? DeliveryAmount { get; set; }
    public int? ReturnAmount { get; set; }
    public decimal? Penalty { get; set; }
    public decimal? AdditionalPayment { get; set; }
    public decimal? Deduction { get; set; }
    public decimal? StorageFee { get; set; }
    public decimal? Acceptance { get; set; }
    public decimal? CashbackAmount { get; set; }
    public decimal? CashbackDiscount { get; set; }
    public decimal? CashbackCommissionChange { get; set; }
    public string? OrderDt { get; set; }
    public string? SaleDt { get; set; }
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
[JsonSerializable(typeof(WbAdCharge))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class WildberriesJsonContext : JsonSerializerContext;
