namespace SellerDesk.Web.Resources;

/// <summary>
/// Strings of profit per SKU, the channels' revenue, DRR and ROAS, and platform concentration (issue 12):
/// <c>ProfitResource.resx</c> English, <c>ProfitResource.ru.resx</c> Russian; apart from <see cref="SharedResource"/> so
/// features built at the same time do not edit the same file.
/// </summary>
public sealed class ProfitResource;
