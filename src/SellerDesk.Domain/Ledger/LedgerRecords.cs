namespace SellerDesk.Domain.Ledger;

/// <summary>One SKU in one order (metrics.md section 1). Fees are positive numbers meaning cost.</summary>
public sealed record SaleLine(
    string Marketplace,
    string OrderId,
    string LineId,
    DateTimeOffset OrderedAt,
    string? CustomerId,
    string Channel,
    string Sku,
    int Quantity,
    decimal Revenue,
    decimal Commission,
    decimal Logistics,
    decimal Acquiring,
    decimal OtherFees);

/// <summary>A return event of some units of one order line.</summary>
public sealed record ReturnEvent(
    string Marketplace,
    string OrderId,
    string LineId,
    string ReturnId,
    DateTimeOffset ReturnedAt,
    int Quantity,
    decimal Refund,
    decimal CommissionRefund,
    decimal ReturnLogistics,
    bool Restockable,
    string? Reason);

/// <summary>Money spent on an acquisition channel on one local date and marketplace.</summary>
public sealed record AdSpend(DateOnly Date, string Marketplace, string Channel, decimal Amount);

/// <summary>A marketplace charge not tied to an order (storage, acceptance, penalties, ...).</summary>
public sealed record PeriodFee(DateOnly Date, string Marketplace, string Kind, decimal Amount);

/// <summary>A SKU's unit cost, effective from <see cref="ValidFrom"/> until the next entry.</summary>
public sealed record UnitCost(string Sku, DateOnly ValidFrom, decimal Cost);

/// <summary>
/// An attribution row (metrics.md section 3.1): a marketplace's ad system or an external-traffic report says that
/// <see cref="Channel"/> drove <see cref="Orders"/> orders of <see cref="Sku"/> on that local date.
/// </summary>
public sealed record AttributionRow(DateOnly Date, string Marketplace, string Channel, string Sku, int Orders);

/// <summary>Names that the ledger gives a meaning to.</summary>
public static class LedgerNames
{
    /// <summary>The channel of an order that names none.</summary>
    public const string OrganicChannel = "organic";

    /// <summary>Prefix of the customer key of an order without a buyer id.</summary>
    public const string AnonymousCustomerPrefix = "order:";

    /// <summary>
    /// The customer key within a marketplace (metrics.md section 3): the buyer id, or for an order without one
    /// <c>order:</c> + order id, a customer of its own.
    /// </summary>
    public static string CustomerKey(string? customerId, string orderId) => customerId ?? AnonymousCustomerPrefix + orderId;

    /// <summary>An order's ledger channel: the one it names, or <see cref="OrganicChannel"/> when it names none.</summary>
    public static string ChannelOrOrganic(string? channel) => string.IsNullOrEmpty(channel) ? OrganicChannel : channel;
}
