using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Demo;

/// <summary>A complete ledger of the demo seller: what the five ledger files would hold.</summary>
public sealed record DemoLedger(
    IReadOnlyList<SaleLine> Sales,
    IReadOnlyList<ReturnEvent> Returns,
    IReadOnlyList<AdSpend> AdSpend,
    IReadOnlyList<PeriodFee> Fees,
    IReadOnlyList<UnitCost> Costs);
