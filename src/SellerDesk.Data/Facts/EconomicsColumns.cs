using Npgsql;
using NpgsqlTypes;
using SellerDesk.Domain.Economics;

namespace SellerDesk.Data.Facts;

/// <summary>
/// The components of <see cref="LineEconomics"/> as the columns of <c>line_facts</c> and <c>line_return_facts</c>
/// (migration 0017), in one order: written from the domain's vectors and read back as sums of them. No formula here.
/// </summary>
public static class EconomicsColumns
{
    /// <summary>Digits kept after the point: exact for every ledger amount; the return shares keep 12 digits.</summary>
    private const int Scale = 12;

    public static readonly IReadOnlyList<string> Names =
    [
        "units", "revenue", "commission", "logistics", "acquiring", "other_fees", "sold_cogs", "cogs_missing_lines",
        "returned_units", "nonrestock_units", "refund", "commission_refund", "return_logistics", "returned_cogs",
        "nonrestock_cogs", "share_revenue", "share_commission", "share_logistics", "share_acquiring", "share_other_fees",
    ];

    /// <summary>The column list, comma separated, each prefixed with <paramref name="alias"/> when given.</summary>
    public static string List(string? alias = null) => string.Join(", ", Names.Select(n => alias is null ? n : alias + "." + n));

    /// <summary><c>sum(alias.c)</c> for every column, comma separated.</summary>
    public static string Sums(string alias) => string.Join(", ", Names.Select(n => $"coalesce(sum({alias}.{n}), 0)"));

    public static void Write(NpgsqlBinaryImporter copy, LineEconomics e)
    {
        ArgumentNullException.ThrowIfNull(copy);
        foreach (var value in Values(e))
        {
            copy.Write(Math.Round(value, Scale, MidpointRounding.ToEven), NpgsqlDbType.Numeric);
        }
    }

    /// <summary>Reads the components from <see cref="Names"/>.Count columns starting at <paramref name="offset"/>.</summary>
    public static LineEconomics Read(NpgsqlDataReader reader, int offset)
    {
        ArgumentNullException.ThrowIfNull(reader);
        decimal V(int i) => reader.GetDecimal(offset + i);
        return new LineEconomics
        {
            Units = (int)V(0),
            Revenue = V(1),
            Commission = V(2),
            Logistics = V(3),
            Acquiring = V(4),
            OtherFees = V(5),
            SoldCogs = V(6),
            CogsMissingLines = (int)V(7),
            ReturnedUnits = V(8),
            NonrestockUnits = V(9),
            Refund = V(10),
            CommissionRefund = V(11),
            ReturnLogistics = V(12),
            ReturnedCogs = V(13),
            NonrestockCogs = V(14),
            ReturnedShareOfRevenue = V(15),
            ReturnedShareOfCommission = V(16),
            ReturnedShareOfLogistics = V(17),
            ReturnedShareOfAcquiring = V(18),
            ReturnedShareOfOtherFees = V(19),
        };
    }

    private static decimal[] Values(LineEconomics e) =>
    [
        e.Units, e.Revenue, e.Commission, e.Logistics, e.Acquiring, e.OtherFees, e.SoldCogs, e.CogsMissingLines,
        e.ReturnedUnits, e.NonrestockUnits, e.Refund, e.CommissionRefund, e.ReturnLogistics, e.ReturnedCogs,
        e.NonrestockCogs, e.ReturnedShareOfRevenue, e.ReturnedShareOfCommission, e.ReturnedShareOfLogistics,
        e.ReturnedShareOfAcquiring, e.ReturnedShareOfOtherFees,
    ];
}
