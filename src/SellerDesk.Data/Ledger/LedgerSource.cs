using System.Globalization;

namespace SellerDesk.Data;

/// <summary>
/// Who owns a ledger row (the <c>source</c> column of sales_lines, returns, ad_spend and period_fees; decision 0010):
/// the connection whose pull wrote it, or <see cref="File"/> (the nil uuid) for file imports and the demo seeder. A
/// pull writes, restates and deletes only its own rows; a file import never overwrites a connection's.
/// </summary>
public readonly record struct LedgerSource(Guid Id)
{
    /// <summary>The text that stands for <see cref="File"/> in the API (<c>source=file</c>).</summary>
    public const string FileName = "file";

    /// <summary>Rows imported from files (and the demo seeder's), and the data of a deleted connection that was kept.</summary>
    public static LedgerSource File { get; } = new(Guid.Empty);

    public bool IsFile => Id == Guid.Empty;

    public static LedgerSource Connection(Guid connectionId) =>
        connectionId == Guid.Empty ? throw new ArgumentException("A connection's id is never the nil uuid.", nameof(connectionId)) : new(connectionId);

    /// <summary>Reads <c>file</c> or a connection id; false for anything else.</summary>
    public static bool TryParse(string? text, out LedgerSource source)
    {
        source = File;
        if (string.Equals(text?.Trim(), FileName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (Guid.TryParse(text, CultureInfo.InvariantCulture, out var id) && id != Guid.Empty)
        {
            source = new LedgerSource(id);
            return true;
        }

        return false;
    }

    public override string ToString() => IsFile ? FileName : Id.ToString("D", CultureInfo.InvariantCulture);
}
