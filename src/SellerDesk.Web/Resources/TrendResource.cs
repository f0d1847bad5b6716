namespace SellerDesk.Web.Resources;

/// <summary>
/// Strings of comparisons, period tiles, the trend chart's grain and LTV by first SKU (issue 12 points 3 and 6):
/// <c>TrendResource.resx</c> English, <c>TrendResource.ru.resx</c> Russian; a file of their own so features built at
/// the same time do not edit the same resources.
/// </summary>
public sealed class TrendResource;
