using SellerDesk.Ingestion.Connectors.Sandbox;

namespace SellerDesk.Web.Features.Common;

/// <summary>
/// The demo's sandbox marketplace: made-up orders that let a new seller try SellerDesk. The UI names it as demo data
/// and lets the seller leave it out of the overview's totals with <c>demo=hide</c> in the address.
/// </summary>
public static class DemoData
{
    public const string QueryKey = "demo";
    public const string HideValue = "hide";

    public static string Marketplace => SandboxConnector.MarketplaceCode;

    public static IReadOnlySet<string> Hidden { get; } = new HashSet<string>(StringComparer.Ordinal) { SandboxConnector.MarketplaceCode };

    public static bool IsHidden(string? query) => string.Equals(query, HideValue, StringComparison.OrdinalIgnoreCase);
}
