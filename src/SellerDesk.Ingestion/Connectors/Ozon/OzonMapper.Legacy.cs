using System.Globalization;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// Stored rows of the retired methods (docs/connectors/ozon.md, "Rows of retired methods"): operations of
/// <c>/v3/finance/transaction/list</c> pulled before Ozon switched it off keep the rule they were mapped by, so a
/// re-derivation of an old order or date gives the figures it gave, until accruals of the posting or the date
/// supersede them; and the services of the retired posting lists' <c>financial_data</c>, sorted by name.
/// </summary>
public static partial class OzonMapper
{
    /// <summary>What a service of the retired shapes is (<c>marketplace_service_item_*</c>, <c>MarketplaceServiceItem*</c>), by words of its name.</summary>
    public static OzonAccrualKind ServiceKind(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.ToUpperInvariant();
        if (n.Contains("ACQUIRING", StringComparison.Ordinal))
        {
            return OzonAccrualKind.Acquiring;
        }

        if (n.Contains("RETURN", StringComparison.Ordinal))
        {
            return OzonAccrualKind.ReturnLogistics;
        }

        string[] logistics = ["LOGISTIC", "DELIV", "FULFILLMENT", "PICKUP", "DROPOFF", "DIRECT_FLOW", "DIRECTFLOW", "FLOW_TRANS", "LAST_MILE", "LASTMILE", "PACKAGE", "PACKING"];
        return logistics.Any(word => n.Contains(word, StringComparison.Ordinal)) ? OzonAccrualKind.Logistics : OzonAccrualKind.Other;
    }

    /// <summary>Whether an operation is the sale or the return of goods: its accruals and commission are the posting's own, not extra money.</summary>
    internal static bool CarriesGoods(OzonOperation operation) =>
        operation.Type.Contains("DeliveredToCustomer", StringComparison.OrdinalIgnoreCase)
        || operation.Type.Contains("Return", StringComparison.OrdinalIgnoreCase);

    /// <summary>The period-fee kind of an operation without a sale to carry it.</summary>
    internal static string LegacyKindOf(OzonOperation operation)
    {
        var text = (operation.Type + " " + string.Join(' ', operation.Services.Select(s => s.Name))).ToUpperInvariant();
        if (text.Contains("STORAGE", StringComparison.Ordinal))
        {
            return StorageKind;
        }

        if (text.Contains("ACCEPTANCE", StringComparison.Ordinal) || text.Contains("SUPPLY", StringComparison.Ordinal)
            || text.Contains("CROSSDOCK", StringComparison.Ordinal))
        {
            return AcceptanceKind;
        }

        if (text.Contains("FINE", StringComparison.Ordinal) || text.Contains("PENALTY", StringComparison.Ordinal)
            || text.Contains("DEFECT", StringComparison.Ordinal))
        {
            return PenaltyKind;
        }

        if (text.Contains("PROMOTION", StringComparison.Ordinal) || text.Contains("ADVERT", StringComparison.Ordinal)
            || text.Contains("MARKETING", StringComparison.Ordinal) || text.Contains("PREMIUM", StringComparison.Ordinal))
        {
            return PromotionKind;
        }

        return operation.PostingNumber is null ? OtherKind : LogisticsKind;
    }

    /// <summary>
    /// A sale whose money is stored operations of the retired finance list: revenue and commission from the posting,
    /// charges from the operations (delivery charges, services by name, the amount beyond its parts of operations that
    /// are not the goods' own), refunds at the return's price.
    /// </summary>
    private static void MapLegacyPosting(OzonPosting posting, List<OzonReturn> returns, List<OzonOperation> operations, LedgerBuilder state)
    {
        var lines = Lines(posting);
        foreach (var line in lines.Values)
        {
            line.Revenue = line.PriceEstimate;
            line.Commission = line.CommissionEstimate;
        }

        var posted = new Buckets();
        foreach (var operation in operations)
        {
            posted.Add(OzonAccrualKind.Logistics, -operation.DeliveryCharge);
            posted.Add(OzonAccrualKind.ReturnLogistics, -operation.ReturnDeliveryCharge);
            foreach (var service in operation.Services)
            {
                posted.Add(ServiceKind(service.Name), -service.Amount);
            }

            if (!CarriesGoods(operation))
            {
                // Compensations, write-offs and the like on the posting: money beyond the sale itself. What the amount
                // holds beyond its parts (acquiring comes as an operation of its own) is a charge of its type.
                posted.Extra += operation.Accruals + operation.SaleCommission;
                var residual = operation.Amount - operation.Accruals - operation.SaleCommission - operation.DeliveryCharge
                    - operation.ReturnDeliveryCharge - operation.Services.Sum(s => s.Amount);
                if (residual < 0m)
                {
                    posted.Add(ServiceKind(operation.Type), -residual);
                }
                else
                {
                    posted.Extra += residual;
                }
            }
        }

        var first = lines.Values.First();
        var events = new List<ReturnPart>();
        foreach (var ret in Ordered(returns))
        {
            var line = ret.Sku is not null && lines.TryGetValue(ret.Sku, out var match) ? match : first;
            if (Event(posting, ret, line, state) is { } part)
            {
                (part.Refund, part.CommissionRefund) = EstimatedRefund(line, part, part.Quantity);
                events.Add(part);
            }
        }

        Distribute(lines.Values.ToList(), events, posted);
        foreach (var line in lines.Values)
        {
            line.Emit(posting, posting.OrderedAt!.Value, events.Where(e => e.Line == line), state);
        }
    }

    /// <summary>A stored operation without a sale to carry it: a charge is a period fee on its date, a credit a gap.</summary>
    private static void LegacyPeriodCharge(OzonOperation operation, string kind, decimal amount, LedgerBuilder state, string? orderKey, string? where)
    {
        if (amount < 0m)
        {
            var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(operation.Date ?? DateTimeOffset.UnixEpoch, state.Zone).DateTime);
            state.Fee(date, kind, -amount, operation.OperationId);
        }
        else if (amount > 0m)
        {
            state.Gap(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"operation {operation.OperationId} ({operation.Type}) credits {amount:0.00}: {where ?? "it belongs to no posting"}"),
                amount,
                orderKey,
                operation.OperationId);
        }
    }
}
