using SellerDesk.Data.Ledger;

namespace SellerDesk.Web.Features.Upload;

/// <summary>A column of a ledger file; optional ones have a default (import-and-api.md).</summary>
public sealed record LedgerColumn(string Name, bool Required, string? Default = null);

/// <summary>What the upload page says about one kind of ledger file: its columns in the documented order.</summary>
public sealed record LedgerFileSpec(LedgerFileKind Kind, IReadOnlyList<LedgerColumn> Columns)
{
    public string Code => Kind.ToPathName();

    /// <summary>The header line of a file with every column: <c>marketplace,order_id,...</c>.</summary>
    public string HeaderLine => string.Join(',', Columns.Select(c => c.Name));

    public static IReadOnlyList<LedgerFileSpec> All { get; } =
    [
        new(LedgerFileKind.Sales,
        [
            new("marketplace", true), new("order_id", true), new("line_id", false, "sku"), new("ordered_at", true),
            new("customer_id", false), new("channel", false, "organic"), new("sku", true), new("quantity", true),
            new("revenue", true), new("commission", true), new("logistics", true), new("acquiring", false, "0"),
            new("other_fees", false, "0"),
        ]),
        new(LedgerFileKind.Returns,
        [
            new("marketplace", true), new("order_id", true), new("line_id", false, "sku"), new("return_id", false),
            new("returned_at", true), new("quantity", true), new("refund", true), new("commission_refund", false, "0"),
            new("return_logistics", false, "0"), new("restockable", false, "true"), new("reason", false),
        ]),
        new(LedgerFileKind.AdSpend, [new("date", true), new("marketplace", true), new("channel", true), new("amount", true)]),
        new(LedgerFileKind.Fees, [new("date", true), new("marketplace", true), new("kind", true), new("amount", true)]),
        new(LedgerFileKind.Costs, [new("sku", true), new("valid_from", true), new("unit_cost", true)]),
        new(LedgerFileKind.Attribution, [new("date", true), new("marketplace", true), new("channel", true), new("sku", true), new("orders", true)]),
    ];

    /// <summary>
    /// The example attribution file the upload page shows: a blogger's tracked-link report (blogger_anna) and the
    /// counts of her promo code (promo_anna10), as a seller would type them.
    /// </summary>
    public static IReadOnlyList<string> AttributionExample { get; } =
    [
        "date,marketplace,channel,sku,orders",
        "2026-03-01,wildberries,blogger_anna,MUG-01,3",
        "2026-03-02,wildberries,blogger_anna,MUG-01,1",
        "2026-03-02,ozon,promo_anna10,TEA-02,2",
    ];

    public static LedgerFileSpec For(LedgerFileKind kind) => All.Single(s => s.Kind == kind);
}
