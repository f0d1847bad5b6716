using SellerDesk.Domain.Scenarios;

namespace SellerDesk.Web.Features.Scenarios;

/// <summary>
/// One adjustment as the page's form edits it: an empty marketplace or channel is "all", the returns as the percentage
/// that remains (100 = as today, 0 = none), blank numbers change nothing.
/// </summary>
public sealed class AdjustmentForm
{
    public string Marketplace { get; set; } = string.Empty;

    public string Channel { get; set; } = string.Empty;

    public decimal? CommissionPp { get; set; }

    public decimal? LogisticsPct { get; set; }

    public decimal? PricePct { get; set; }

    public decimal? ReturnsRemainPct { get; set; }

    public decimal? AdSpendPct { get; set; }

    public ScenarioAdjustment ToAdjustment() => new(
        Marketplace.Length == 0 ? null : Marketplace,
        Channel.Length == 0 ? null : Channel,
        PricePct,
        CommissionPp,
        LogisticsPct,
        ReturnsRemainPct is { } remain ? remain / 100m : null,
        AdSpendPct);

    public static AdjustmentForm Of(ScenarioAdjustment adjustment)
    {
        ArgumentNullException.ThrowIfNull(adjustment);
        return new AdjustmentForm
        {
            Marketplace = adjustment.Marketplace ?? string.Empty,
            Channel = adjustment.Channel ?? string.Empty,
            CommissionPp = adjustment.CommissionPp,
            LogisticsPct = adjustment.LogisticsPct,
            PricePct = adjustment.PricePct,
            ReturnsRemainPct = adjustment.ReturnsScale is { } f ? f * 100m : null,
            AdSpendPct = adjustment.AdSpendPct,
        };
    }
}
