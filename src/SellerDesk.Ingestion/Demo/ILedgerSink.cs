using SellerDesk.Domain.Ledger;

namespace SellerDesk.Ingestion.Demo;

/// <summary>
/// Where <see cref="DemoLedgerGenerator"/> puts the rows it makes, one at a time as it makes them: a list for the
/// demo seller (<see cref="DemoSeller.Generate"/>), the canonical CSV files for the benchmark.
/// </summary>
public interface ILedgerSink
{
    /// <summary>A unit cost; all of them come first.</summary>
    void AddCost(UnitCost cost);

    /// <summary>A sales line, in order of the order's local time within each day.</summary>
    void AddSale(SaleLine line);

    /// <summary>A return of a line already given (on the line's day, dated later).</summary>
    void AddReturn(ReturnEvent returned);

    /// <summary>A marketplace's attribution of a day's orders of a SKU to a campaign (metrics.md 3.1), after the day's lines.</summary>
    void AddAttribution(AttributionRow row);

    /// <summary>A day's ad spend of a channel on a marketplace.</summary>
    void AddAdSpend(AdSpend spend);

    /// <summary>A period fee of a marketplace.</summary>
    void AddFee(PeriodFee fee);
}
