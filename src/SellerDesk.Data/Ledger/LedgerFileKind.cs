namespace SellerDesk.Data.Ledger;

/// <summary>The six ledger files of import-and-api.md.</summary>
public enum LedgerFileKind
{
    Sales,
    Returns,
    AdSpend,
    Fees,
    Costs,

    /// <summary><c>attribution.csv</c>: orders a channel drove per SKU and day (metrics.md 3.1).</summary>
    Attribution,
}

/// <summary>The API path names of <see cref="LedgerFileKind"/> (<c>POST /api/v1/imports/{kind}</c>).</summary>
public static class LedgerFileKinds
{
    /// <summary>The order in which a batch is written: costs, sales, returns (they reference sales), ad spend, fees, attribution.</summary>
    public static IReadOnlyList<LedgerFileKind> WriteOrder { get; } =
        [LedgerFileKind.Costs, LedgerFileKind.Sales, LedgerFileKind.Returns, LedgerFileKind.AdSpend, LedgerFileKind.Fees, LedgerFileKind.Attribution];

    /// <summary>Parses <c>sales</c>, <c>returns</c>, <c>ad_spend</c>, <c>fees</c>, <c>costs</c> or <c>attribution</c> (case-insensitive, trimmed).</summary>
    public static bool TryParse(string? value, out LedgerFileKind kind)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "sales":
                kind = LedgerFileKind.Sales;
                return true;
            case "returns":
                kind = LedgerFileKind.Returns;
                return true;
            case "ad_spend":
                kind = LedgerFileKind.AdSpend;
                return true;
            case "fees":
                kind = LedgerFileKind.Fees;
                return true;
            case "costs":
                kind = LedgerFileKind.Costs;
                return true;
            case "attribution":
                kind = LedgerFileKind.Attribution;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>Like <see cref="TryParse"/>, but throws <see cref="ArgumentException"/> on an unknown name.</summary>
    public static LedgerFileKind Parse(string value) =>
        TryParse(value, out var kind)
            ? kind
            : throw new ArgumentException($"'{value}' is not a ledger file kind (sales, returns, ad_spend, fees, costs or attribution).", nameof(value));

    /// <summary>The API path name: <c>sales</c>, <c>returns</c>, <c>ad_spend</c>, <c>fees</c>, <c>costs</c>, <c>attribution</c>.</summary>
    public static string ToPathName(this LedgerFileKind kind) => kind switch
    {
        LedgerFileKind.Sales => "sales",
        LedgerFileKind.Returns => "returns",
        LedgerFileKind.AdSpend => "ad_spend",
        LedgerFileKind.Fees => "fees",
        LedgerFileKind.Costs => "costs",
        LedgerFileKind.Attribution => "attribution",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
