using System.Globalization;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// Each marketplace keeps one colour in every chart and every period: the known ones have their own, any other code
/// takes one from a spare palette by a hash of its code (stable across runs, unlike string.GetHashCode).
/// </summary>
public static class MarketplaceColours
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["wildberries"] = "#a626a4",
        ["ozon"] = "#1e63e9",
        ["yandex_market"] = "#f2a900",
        ["own_store"] = "#00897b",
        ["sandbox"] = "#8d6e63",
    };

    private static readonly string[] Spare = ["#e8590c", "#5c7cfa", "#2b8a3e", "#c2255c", "#495057", "#0b7285", "#862e9c"];

    public static string Of(string marketplace)
    {
        ArgumentNullException.ThrowIfNull(marketplace);
        if (Known.TryGetValue(marketplace, out var colour))
        {
            return colour;
        }

        var hash = 17u;
        foreach (var c in marketplace)
        {
            hash = unchecked((hash * 31) + c);
        }

        return Spare[(int)(hash % (uint)Spare.Length)];
    }

    /// <summary>The palette for series drawn in this order of marketplaces.</summary>
    public static string[] Palette(IEnumerable<string> marketplaces) => [.. marketplaces.Select(Of)];

    public static string Describe(string marketplace) => string.Create(CultureInfo.InvariantCulture, $"{marketplace}: {Of(marketplace)}");
}
