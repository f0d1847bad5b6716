using Microsoft.AspNetCore.WebUtilities;
using SellerDesk.Web.Features.Common;

namespace SellerDesk.Web.Features.Skus;

/// <summary>Addresses of the SKU pages, keeping the period and the account filter of the page they are opened from.</summary>
public static class SkuLinks
{
    public const string ListPath = "skus";
    public const string ItemPath = "skus/item";
    public const string SkuKey = "sku";

    /// <summary>The SKU's own page: <c>skus/item?marketplace=ozon&amp;sku=MUG-01&amp;from=…</c>.</summary>
    public static string Item(string currentUri, string marketplace, string sku) =>
        QueryHelpers.AddQueryString(ItemPath, Kept(currentUri).Append(new(SkuFilter.MarketplaceKey, marketplace)).Append(new(SkuKey, sku)));

    /// <summary>The SKUs page, with the period kept and, when given, one marketplace chosen.</summary>
    public static string List(string currentUri, string? marketplace = null) =>
        QueryHelpers.AddQueryString(
            ListPath,
            marketplace is null ? Kept(currentUri) : Kept(currentUri).Append(new(SkuFilter.MarketplaceKey, marketplace)));

    private static List<KeyValuePair<string, string?>> Kept(string currentUri)
    {
        var query = new Uri(currentUri, UriKind.Absolute).Query;
        var values = QueryHelpers.ParseQuery(query);
        return PeriodSelection.QueryKeys
            .Where(key => values.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value))
            .Select(key => new KeyValuePair<string, string?>(key, values[key].ToString()))
            .ToList();
    }
}
