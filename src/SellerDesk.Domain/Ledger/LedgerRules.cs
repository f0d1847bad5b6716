using System.Globalization;
namespace SellerDesk.Domain.Ledger;

/// <summary>
/// What every ledger record must satisfy however it arrives (file row or built in code): required text present,
/// marketplace and channel codes, quantities of at least one, money not negative (fees and costs are positive
/// numbers meaning cost). Cross-row rules (keys, orders, returns) are checked set-based by the ledger writer (Data).
/// Pure: no I/O, nothing but the records and the sink.
/// </summary>
public static class LedgerRules
{
    private const int MaxCodeLength = 64;

    /// <summary>The longest part of a value a message quotes.</summary>
    private const int MaxShown = 40;

    /// <summary>A value as a message quotes it: in single quotes, cut after 40 characters.</summary>
    public static string Show(ReadOnlySpan<char> value) =>
        value.Length <= MaxShown ? $"'{value}'" : $"'{value[..MaxShown]}…'";

    public static void Check(SaleLine line, IProblemSink problems)
    {
        Code(line.Marketplace, "marketplace", problems);
        Text(line.OrderId, "order_id", problems);
        Text(line.LineId, "line_id", problems);
        Code(line.Channel, "channel", problems);
        Text(line.Sku, "sku", problems);
        Quantity(line.Quantity, problems);
        Money(line.Revenue, "revenue", problems);
        Money(line.Commission, "commission", problems);
        Money(line.Logistics, "logistics", problems);
        Money(line.Acquiring, "acquiring", problems);
        Money(line.OtherFees, "other_fees", problems);
    }

    public static void Check(ReturnEvent returned, IProblemSink problems)
    {
        Code(returned.Marketplace, "marketplace", problems);
        Text(returned.OrderId, "order_id", problems);
        Text(returned.LineId, "line_id", problems);
        Text(returned.ReturnId, "return_id", problems);
        Quantity(returned.Quantity, problems);
        Money(returned.Refund, "refund", problems);
        Money(returned.CommissionRefund, "commission_refund", problems);
        Money(returned.ReturnLogistics, "return_logistics", problems);
    }

    public static void Check(AdSpend spend, IProblemSink problems)
    {
        Code(spend.Marketplace, "marketplace", problems);
        Code(spend.Channel, "channel", problems);
        Money(spend.Amount, "amount", problems);
    }

    public static void Check(PeriodFee fee, IProblemSink problems)
    {
        Code(fee.Marketplace, "marketplace", problems);
        Text(fee.Kind, "kind", problems);
        Money(fee.Amount, "amount", problems);
    }

    public static void Check(UnitCost cost, IProblemSink problems)
    {
        Text(cost.Sku, "sku", problems);
        Money(cost.Cost, "unit_cost", problems);
    }

    public static void Check(AttributionRow row, IProblemSink problems)
    {
        Code(row.Marketplace, "marketplace", problems);
        Code(row.Channel, "channel", problems);
        if (string.Equals(row.Channel, LedgerNames.OrganicChannel, StringComparison.Ordinal))
        {
            problems.Add("channel", "'organic' is not an attribution channel (attribution names the campaign, link or code that drove the orders)");
        }

        Text(row.Sku, "sku", problems);
        if (row.Orders < 0)
        {
            problems.Add("orders", string.Create(CultureInfo.InvariantCulture, $"'{row.Orders}' is negative (orders is a whole number of at least 0)"));
        }
    }

    /// <summary>A code: lowercase letters (any script), digits, <c>_</c>, <c>-</c> or <c>.</c>, starting with a letter or digit.</summary>
    public static bool IsCode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxCodeLength || !char.IsLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            var ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.'
                || (c > '\u007f' && char.IsLetter(c) && !char.IsUpper(c));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static void Code(string? value, string column, IProblemSink problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(column, "a value is required");
        }
        else if (!IsCode(value))
        {
            problems.Add(column, $"{Show(value)} is not a code (use lowercase letters, digits, '_', '-' or '.')");
        }
    }

    private static void Text(string? value, string column, IProblemSink problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(column, "a value is required");
        }
    }

    private static void Quantity(int quantity, IProblemSink problems)
    {
        if (quantity < 1)
        {
            problems.Add("quantity", string.Create(CultureInfo.InvariantCulture, $"'{quantity}' is not a positive whole number"));
        }
    }

    private static void Money(decimal value, string column, IProblemSink problems)
    {
        if (value < 0)
        {
            problems.Add(column, string.Create(CultureInfo.InvariantCulture, $"'{value}' is negative (fees, costs and amounts are positive numbers)"));
        }
    }
}

/// <summary>Where the rules of <see cref="LedgerRules"/> report a problem: a CSV row or an item of a batch.</summary>
public interface IProblemSink
{
    void Add(string column, string message);
}
