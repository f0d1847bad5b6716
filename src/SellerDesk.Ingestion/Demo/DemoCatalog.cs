using System.Globalization;

namespace SellerDesk.Ingestion.Demo;

internal enum ProductKind
{
    Apparel,
    Home,
}

internal enum Bulk
{
    Small,
    Medium,
    Large,
}

/// <summary>
/// One SKU of the demo seller.
/// <paramref name="Warmth"/> is +1 for what sells in winter, -1 for summer goods, 0 otherwise.
/// Weights say how often each marketplace's buyers pick it.
/// </summary>
internal sealed record DemoProduct(
    string Sku,
    ProductKind Kind,
    Bulk Bulk,
    int Warmth,
    decimal ListPrice,
    decimal? Cost,
    decimal? RaisedCost,
    double Wildberries,
    double Ozon,
    double YandexMarket,
    double OwnStore)
{
    /// <summary>Cheap small things are often bought several at a time.</summary>
    public bool SoldInMultiples => Bulk == Bulk.Small;

    public double Weight(string marketplace, int month)
    {
        var weight = marketplace switch
        {
            DemoCatalog.Wildberries => Wildberries,
            DemoCatalog.Ozon => Ozon,
            DemoCatalog.YandexMarket => YandexMarket,
            _ => OwnStore,
        };

        // +1 in January, -1 in July.
        var winter = Math.Cos(2 * Math.PI * (month - 1) / 12);
        return weight * (1 + (0.35 * Warmth * winter));
    }
}

/// <summary>How a marketplace charges for a sale and for a return, and how its buyers behave.</summary>
internal sealed record MarketplaceTerms(
    string Code,
    decimal PriceFactor,
    decimal ApparelCommission,
    decimal HomeCommission,
    decimal SmallLogistics,
    decimal MediumLogistics,
    decimal LargeLogistics,
    decimal OrderDelivery,
    decimal AcquiringRate,
    double OtherFeeChance,
    double ApparelReturnRate,
    double HomeReturnRate,
    decimal ReturnLogisticsPerUnit,
    decimal ReturnPickup,
    double SecondLineChance,
    double ThirdLineChance)
{
    public decimal Commission(ProductKind kind) => kind == ProductKind.Apparel ? ApparelCommission : HomeCommission;

    public decimal LogisticsPerUnit(Bulk bulk) => bulk switch
    {
        Bulk.Small => SmallLogistics,
        Bulk.Medium => MediumLogistics,
        _ => LargeLogistics,
    };

    public double ReturnRate(ProductKind kind) => kind == ProductKind.Apparel ? ApparelReturnRate : HomeReturnRate;
}

/// <summary>The demo seller's assortment, marketplaces and channels.</summary>
internal static class DemoCatalog
{
    public const string Wildberries = "wildberries";
    public const string Ozon = "ozon";
    public const string YandexMarket = "yandex_market";
    public const string OwnStore = "own_store";

    public const string Organic = "organic";

    // Marketplace campaigns: the marketplaces' ad statistics count the orders each one drove per SKU and day
    // (attribution rows, metrics.md 3.1). Codes are the campaigns' own ids, as a connector names them.
    public const string WbSearch = "wb_search_18203311";
    public const string WbCatalog = "wb_catalog_18203390";
    public const string OzonPromo = "ozon_promo_4410027";
    public const string YmBoost = "ym_boost_77015";

    public const string VkAds = "vk_ads";
    public const string YandexDirect = "yandex_direct";
    public const string Blogger = "blogger_anna";

    /// <summary>A blogger whose tracked links lead to the seller's cards on Wildberries and Ozon.</summary>
    public const string LinkBlogger = "blogger_maria";
    public const string Referral = "referral";

    /// <summary>The names the demo seller gave its channel codes (shown on the pages instead of the codes).</summary>
    public static readonly IReadOnlyDictionary<string, string> ChannelNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [WbSearch] = "WB Поиск: худи и пижамы",
        [WbCatalog] = "WB Каталог: домашний текстиль",
        [OzonPromo] = "Ozon Трафареты: текстиль",
        [YmBoost] = "Маркет Буст продаж",
        [LinkBlogger] = "Блогер Мария (ссылки)",
    };

    /// <summary>The SKU sold now and then without anyone having entered its cost.</summary>
    public const string SkuWithoutCost = "RUNNER-LINEN-150";

    public static readonly IReadOnlyList<DemoProduct> Products =
    [
        new("TSHIRT-OVS-WHT", ProductKind.Apparel, Bulk.Small, -1, 1490m, 470m, null, 14, 6, 3, 4),
        new("TSHIRT-OVS-BLK", ProductKind.Apparel, Bulk.Small, -1, 1490m, 470m, null, 12, 5, 3, 3),
        new("HOODIE-FLC-GRY", ProductKind.Apparel, Bulk.Medium, 1, 3990m, 1540m, 1740m, 9, 5, 3, 5),
        new("PAJAMA-FLN-SET", ProductKind.Apparel, Bulk.Medium, 1, 2890m, 1100m, null, 10, 7, 4, 8),
        new("SOCKS-WOOL-3P", ProductKind.Apparel, Bulk.Small, 1, 790m, 240m, null, 11, 6, 4, 4),
        new("ROBE-WAFFLE-L", ProductKind.Apparel, Bulk.Medium, 0, 3290m, 1290m, null, 6, 5, 4, 7),
        new("TOWEL-SET-3", ProductKind.Home, Bulk.Medium, 0, 2190m, 850m, null, 5, 8, 7, 5),
        new("BEDSET-SATIN-EU", ProductKind.Home, Bulk.Large, 0, 6490m, 2740m, 3090m, 4, 8, 8, 10),
        new("PLAID-KNIT-130", ProductKind.Home, Bulk.Large, 1, 3590m, 1450m, null, 5, 9, 7, 10),
        new("CUSHION-CVR-45", ProductKind.Home, Bulk.Small, 0, 890m, 260m, null, 4, 7, 5, 5),
        new("MUG-STONE-350", ProductKind.Home, Bulk.Small, 0, 690m, 210m, null, 4, 8, 6, 4),
        new("CANDLE-SOY-200", ProductKind.Home, Bulk.Small, 1, 990m, 290m, null, 3, 6, 4, 8),
        new(SkuWithoutCost, ProductKind.Home, Bulk.Medium, 0, 1890m, null, null, 0, 0.1, 0, 0.5),
    ];

    /// <summary>
    /// A catalog of <paramref name="skus"/> SKUs: the demo seller's own, then variants of them (SKU <c>BASE-001</c>,
    /// <c>BASE-002</c>, ...) whose prices spread 20% either way and whose popularity falls off with the variant. Made
    /// without the random sequence, so a wider catalog leaves the demo seller's draws as they are.
    /// </summary>
    public static IReadOnlyList<DemoProduct> Catalog(int skus)
    {
        if (skus <= Products.Count)
        {
            return Products;
        }

        var catalog = new List<DemoProduct>(skus);
        catalog.AddRange(Products);
        for (var i = Products.Count; i < skus; i++)
        {
            var origin = Products[i % Products.Count];
            var variant = i / Products.Count;
            var spread = 0.8m + (0.4m * (decimal)Fraction(i, 0.6180339887498949));
            var listPrice = (Math.Round(origin.ListPrice * spread / 100m, 0, MidpointRounding.AwayFromZero) * 100m) - 10m;
            decimal? Scaled(decimal? cost) =>
                cost is { } c ? Math.Round(c * listPrice / origin.ListPrice, 2, MidpointRounding.AwayFromZero) : null;
            var popularity = 1 / Math.Pow(1 + variant, 0.8);
            double Liking(double weight, int marketplace) => weight * popularity * (0.6 + (0.8 * Fraction(i + (marketplace * 7919), 0.7548776662466927)));
            catalog.Add(new DemoProduct(
                string.Create(CultureInfo.InvariantCulture, $"{origin.Sku}-{variant:D3}"),
                origin.Kind,
                origin.Bulk,
                origin.Warmth,
                listPrice,
                Scaled(origin.Cost),
                Scaled(origin.RaisedCost),
                Liking(origin.Wildberries, 0),
                Liking(origin.Ozon, 1),
                Liking(origin.YandexMarket, 2),
                Liking(origin.OwnStore, 3)));
        }

        return catalog;
    }

    /// <summary>The fractional part of n times an irrational step: evenly spread over [0, 1) and the same on every run.</summary>
    private static double Fraction(int n, double step)
    {
        var x = n * step;
        return x - Math.Floor(x);
    }

    public static readonly MarketplaceTerms WildberriesTerms = new(
        Wildberries, 1.00m, 0.245m, 0.215m, 58m, 84m, 138m, 0m, 0m, 0.05,
        ApparelReturnRate: 0.21, HomeReturnRate: 0.07, ReturnLogisticsPerUnit: 50m, ReturnPickup: 0m,
        SecondLineChance: 0.05, ThirdLineChance: 0.01);

    public static readonly MarketplaceTerms OzonTerms = new(
        Ozon, 1.02m, 0.19m, 0.165m, 76m, 112m, 176m, 0m, 0m, 0.25,
        ApparelReturnRate: 0.10, HomeReturnRate: 0.045, ReturnLogisticsPerUnit: 95m, ReturnPickup: 0m,
        SecondLineChance: 0.12, ThirdLineChance: 0.03);

    public static readonly MarketplaceTerms YandexMarketTerms = new(
        YandexMarket, 1.00m, 0.145m, 0.125m, 69m, 99m, 158m, 0m, 0.016m, 0.03,
        ApparelReturnRate: 0.07, HomeReturnRate: 0.03, ReturnLogisticsPerUnit: 90m, ReturnPickup: 0m,
        SecondLineChance: 0.12, ThirdLineChance: 0.03);

    public static readonly MarketplaceTerms OwnStoreTerms = new(
        OwnStore, 0.95m, 0m, 0m, 0m, 0m, 0m, 310m, 0.019m, 0,
        ApparelReturnRate: 0.05, HomeReturnRate: 0.025, ReturnLogisticsPerUnit: 0m, ReturnPickup: 250m,
        SecondLineChance: 0.25, ThirdLineChance: 0.07);
}
