using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors;

namespace SellerDesk.Ingestion.Tests.Connectors;

/// <summary>The domain's one payout rule (<see cref="Payout"/>) over what a connector's mapping made of source rows.</summary>
public static class DerivedPayout
{
    public static decimal Of(DerivedLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return Payout.Of(ledger.Sales, ledger.Returns, ledger.Fees);
    }
}
