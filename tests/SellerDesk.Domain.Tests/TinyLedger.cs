using System.Globalization;
using SellerDesk.Domain.Ledger;
using SellerDesk.Testing;

namespace SellerDesk.Domain.Tests;

/// <summary>
/// The tiny example's ledger files (tests/examples/tiny), read by a reader just big enough for them: comma-separated,
/// a header row, no quoting, timestamps with offsets. The product's own reader and its rules are tested in Ingestion.
/// </summary>
internal sealed record TinyLedger(
    IReadOnlyList<SaleLine> Sales,
    IReadOnlyList<ReturnEvent> Returns,
    IReadOnlyList<UnitCost> Costs,
    IReadOnlyList<AdSpend> Spend,
    IReadOnlyList<PeriodFee> Fees)
{
    public static TinyLedger Read() => new(
        Rows("sales.csv", r => new SaleLine(
            r["marketplace"], r["order_id"], r["line_id"], Instant(r["ordered_at"]),
            r["customer_id"].Length == 0 ? null : r["customer_id"], r["channel"], r["sku"], int.Parse(r["quantity"], CultureInfo.InvariantCulture),
            Money(r["revenue"]), Money(r["commission"]), Money(r["logistics"]), Money(r["acquiring"]), Money(r["other_fees"]))),
        Rows("returns.csv", r => new ReturnEvent(
            r["marketplace"], r["order_id"], r["line_id"], r["return_id"], Instant(r["returned_at"]), int.Parse(r["quantity"], CultureInfo.InvariantCulture),
            Money(r["refund"]), Money(r["commission_refund"]), Money(r["return_logistics"]), bool.Parse(r["restockable"]), r["reason"])),
        Rows("costs.csv", r => new UnitCost(r["sku"], Date(r["valid_from"]), Money(r["unit_cost"]))),
        Rows("ad_spend.csv", r => new AdSpend(Date(r["date"]), r["marketplace"], r["channel"], Money(r["amount"]))),
        Rows("fees.csv", r => new PeriodFee(Date(r["date"]), r["marketplace"], r["kind"], Money(r["amount"]))));

    private static List<T> Rows<T>(string file, Func<IReadOnlyDictionary<string, string>, T> map)
    {
        var lines = File.ReadAllLines(SharedExamples.Tiny(file)).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        return lines
            .Skip(1)
            .Select(line =>
            {
                var cells = line.Split(',');
                cells.Should().HaveCount(header.Length, $"{file}: '{line}' has one cell per column");
                return map(header.Zip(cells).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal));
            })
            .ToList();
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.ParseExact(text, ["yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ssZ"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal Money(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
