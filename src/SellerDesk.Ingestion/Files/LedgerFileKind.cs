namespace SellerDesk.Ingestion.Files;

/// <summary>The five ledger files of import-and-api.md.</summary>
public enum LedgerFileKind
{
    Sales,
    Returns,
    AdSpend,
    Fees,
    Costs,
}

/// <summary>The API path names of <see cref="LedgerFileKind"/> (<c>POST /api/v1/imports/{kind}</c>).</summary>
public static class LedgerFileKinds
{
    /// <summary>The order in which a batch is written: costs, sales, returns (they reference sales), ad spend, fees.</summary>
    public static IReadOnlyList<LedgerFileKind> WriteOrder { get; } =
        [LedgerFileKind.Costs, LedgerFileKind.Sales, LedgerFileKind.Returns, LedgerFileKind.AdSpend, LedgerFileKind.Fees];

    /// <summary>Parses <c>sales</c>, <c>returns</c>, <c>ad_spend</c>, <c>fees</c> or <c>costs</c> (case-insensitive, trimmed).</summary>
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
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>Like <see cref="TryParse"/>, but throws <see cref="ArgumentException"/> on an unknown name.</summary>
    public static LedgerFileKind Parse(string value) =>
        TryParse(value, out var kind)
            ? kind
            : throw new ArgumentException($"'{value}' is not a ledger file kind (sales, returns, ad_spend, fees or costs).", nameof(value));

    /// <summary>The API path name: <c>sales</c>, <c>returns</c>, <c>ad_spend</c>, <c>fees</c>, <c>costs</c>.</summary>
    public static string ToPathName(this LedgerFileKind kind) => kind switch
    {
        LedgerFileKind.Sales => "sales",
        LedgerFileKind.Returns => "returns",
        LedgerFileKind.AdSpend => "ad_spend",
        LedgerFileKind.Fees => "fees",
        LedgerFileKind.Costs => "costs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
