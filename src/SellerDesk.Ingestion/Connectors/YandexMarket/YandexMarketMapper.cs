using System.Globalization;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.YandexMarket;

/// <summary>What <see cref="YandexMarketConnector.MapDetailed"/> made of the source rows.</summary>
public sealed record YandexMarketMapping(DerivedLedger Ledger, IReadOnlyList<MappingGap> Gaps)
{
    /// <summary>Source rows (or parts of rows) the ledger left out or could not settle, each with its reason in <see cref="Gaps"/>.</summary>
    public int SkippedRows => Gaps.Sum(g => g.SourceIds.Count);

    /// <summary>The payout the gaps account for: <c>marketplace payout = ledger payout + UnmappedPayout</c>.</summary>
    public decimal UnmappedPayout => Gaps.Sum(g => g.PayoutEffect);
}

/// <summary>
/// Maps Yandex Market orders (<c>stats/orders</c>), returns and the charges of the services report to ledger records;
/// docs/connectors/yandex_market.md explains every field. Pure and deterministic. Every rouble of the payout (payments
/// and subsidies less charges) lands in the ledger or in a <see cref="MappingGap"/> that says why it could not.
/// </summary>
internal static class YandexMarketMapper
{
    public const string MarketplaceCode = "yandex_market";
    public const string OrdersFeed = "ym.orders";
    public const string ReturnsFeed = "ym.returns";

    public const string CommissionKind = "commission";
    public const string LogisticsKind = "logistics";
    public const string AcquiringKind = "acquiring";
    public const string OtherKind = "other";

    public const string Unredeemed = "UNREDEEMED";

    /// <summary>Statuses of orders cancelled before they were shipped: no sale.</summary>
    private static readonly HashSet<string> CancelledBeforeShipment = new(StringComparer.OrdinalIgnoreCase)
    {
        "CANCELLED_BEFORE_PROCESSING", "CANCELLED_IN_PROCESSING", "REJECTED",
    };

    /// <summary>Buyer reasons after which the goods cannot be sold again.</summary>
    private static readonly HashSet<string> NotRestockable = new(StringComparer.OrdinalIgnoreCase) { "BAD_QUALITY", "DAMAGE_DELIVERY" };

    private static readonly Dictionary<string, Category> Categories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FEE"] = Category.Commission,
        ["DELIVERY_TO_CUSTOMER"] = Category.Logistics,
        ["EXPRESS_DELIVERY_TO_CUSTOMER"] = Category.Logistics,
        ["EXPRESS_DELIVERY"] = Category.Logistics,
        ["CROSSREGIONAL_DELIVERY"] = Category.Logistics,
        ["MIDDLE_MILE"] = Category.Logistics,
        ["SORTING"] = Category.Logistics,
        ["INTAKE_SORTING"] = Category.Logistics,
        ["FULFILLMENT"] = Category.Logistics,
        ["RETURN_PROCESSING"] = Category.ReturnLogistics,
        ["RETURNED_ORDERS_STORAGE"] = Category.ReturnLogistics,
        ["CROSSREGIONAL_DELIVERY_RETURN"] = Category.ReturnLogistics,
        ["DELIVERY_TO_CUSTOMER_RETURN"] = Category.ReturnLogistics,
        ["AGENCY"] = Category.Acquiring,
        ["PAYMENT_TRANSFER"] = Category.Acquiring,
        ["AUCTION_PROMOTION"] = Category.Other,
        ["INSTALLMENT"] = Category.Other,
        ["LOYALTY_PARTICIPATION_FEE"] = Category.Other,
    };

    /// <summary>Where a commission type goes in the ledger; unknown types are other fees.</summary>
    public static Category CategoryOf(string type) => Categories.TryGetValue(type, out var category) ? category : Category.Other;

    public static YandexMarketMapping Map(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var state = new LedgerBuilder(MarketplaceCode);
        var orders = ReadOrders(rows, state);
        var returns = new Dictionary<string, List<ReturnRow>>(StringComparer.Ordinal);
        foreach (var row in Latest(rows, ReturnsFeed))
        {
            var data = YandexMarketJson.TryReadReturn(row.Payload);
            if (data is null || data.Id is null || data.OrderId is null)
            {
                var what = data is null ? "is not readable JSON of the documented shape" : data.Id is null ? "has no id" : "names no order";
                state.Gap($"return {row.SourceId} {what}", 0m, row.OrderKey, row.SourceId);
                continue;
            }

            if (!returns.TryGetValue(data.OrderId, out var list))
            {
                returns[data.OrderId] = list = [];
            }

            list.Add(new ReturnRow(row.SourceId, row.BusinessDate, data));
        }

        var charges = new Dictionary<string, List<ServiceRow>>(StringComparer.Ordinal);
        foreach (var row in Latest(rows, YandexMarketServices.Feed))
        {
            if (YandexMarketServices.TryRead(row.Payload) is not { } service)
            {
                state.Gap($"services report row {row.SourceId} has no readable cost", 0m, row.OrderKey, row.SourceId);
                continue;
            }

            if (service.OrderId is { } orderId)
            {
                if (!charges.TryGetValue(orderId, out var list))
                {
                    charges[orderId] = list = [];
                }

                list.Add(new ServiceRow(row.SourceId, row.BusinessDate, service));
            }
            else
            {
                state.Fee(row.BusinessDate, service.Kind, service.Amount, row.SourceId);
            }
        }

        foreach (var order in orders)
        {
            var orderReturns = returns.Remove(order.Data.Id!, out var found) ? found : [];
            var orderCharges = charges.Remove(order.Data.Id!, out var charged) ? charged : [];
            MapOrder(order, orderReturns, orderCharges, state);
        }

        foreach (var (orderId, orphans) in returns.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var orphan in orphans)
            {
                state.Gap($"return {orphan.SourceId}: order {orderId} is not among the pulled orders", 0m, orderId, orphan.SourceId);
            }
        }

        foreach (var (orderId, orphans) in charges.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var orphan in orphans)
            {
                state.Gap(
                    Invariant($"{orphan.Data.Sheet} charge {orphan.Data.Amount} of order {orderId}: the order is not among the pulled orders"),
                    -orphan.Data.Amount,
                    orderId,
                    orphan.SourceId);
            }
        }

        var ledger = state.Build();
        return new YandexMarketMapping(ledger, ledger.Gaps);
    }

    /// <summary>
    /// Yandex's own payout over these rows, read from the raw figures only: per order (test orders left out) payments
    /// less refunds plus subsidies less deductions less charges, less the cost of every row of the services report.
    /// Null when there is neither an order nor a services row.
    /// </summary>
    public static decimal? Payout(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!rows.Any(r => r.Feed is OrdersFeed or YandexMarketServices.Feed))
        {
            return null;
        }

        var orders = Latest(rows, OrdersFeed)
            .Select(r => YandexMarketJson.TryReadOrder(r.Payload))
            .Where(o => o is { Fake: false })
            .Sum(o => o!.Payout);
        var services = Latest(rows, YandexMarketServices.Feed)
            .Select(r => YandexMarketServices.TryRead(r.Payload))
            .Sum(s => s?.Amount ?? 0m);
        return orders - services;
    }

    private static List<OrderRow> ReadOrders(IReadOnlyList<SourceRow> rows, LedgerBuilder state)
    {
        var orders = new List<OrderRow>();
        foreach (var row in Latest(rows, OrdersFeed))
        {
            var data = YandexMarketJson.TryReadOrder(row.Payload);
            if (data is null)
            {
                state.Gap($"order {row.SourceId} is not readable JSON of the documented shape", 0m, row.OrderKey, row.SourceId);
                continue;
            }

            if (data.Id is null)
            {
                // Yandex's own payout counts it; the ledger cannot (no order id to key it by).
                state.Gap(
                    Invariant($"an order without an id ({row.SourceId}): its payout {(data.Fake ? 0m : data.Payout)} is not in the ledger"),
                    data.Fake ? 0m : data.Payout,
                    null,
                    row.SourceId);
                continue;
            }

            orders.Add(new OrderRow(row.SourceId, row.BusinessDate, data));
        }

        return orders;
    }

    /// <summary>The last copy of each row of the feed (a runner handing over overlapping sets must not count twice), by id.</summary>
    private static IEnumerable<SourceRow> Latest(IReadOnlyList<SourceRow> rows, string feed)
    {
        var latest = new Dictionary<string, SourceRow>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Feed == feed))
        {
            latest[row.SourceId] = row;
        }

        return latest.Values.OrderBy(r => r.SourceId.Length).ThenBy(r => r.SourceId, StringComparer.Ordinal);
    }

    private static void MapOrder(OrderRow order, List<ReturnRow> returns, List<ServiceRow> charges, LedgerBuilder state)
    {
        var data = order.Data;
        var id = data.Id!;
        if (data.Fake)
        {
            // Test orders placed from the seller's cabinet: not business, and left out of the payout too.
            foreach (var orphan in returns)
            {
                state.Gap($"return {orphan.SourceId}: order {id} is a test order", 0m, id, orphan.SourceId);
            }

            foreach (var charge in charges)
            {
                state.Gap(Invariant($"{charge.Data.Sheet} charge {charge.Data.Amount} of test order {id}"), -charge.Data.Amount, id, charge.SourceId);
            }

            return;
        }

        var products = data.Items.Where(i => !i.IsDelivery).ToList();
        if (products.Count == 0 || (data.Status is { } status && CancelledBeforeShipment.Contains(status)))
        {
            MapWithoutSale(order, returns, charges, state);
            return;
        }

        var lines = new SortedDictionary<string, OrderLine>(StringComparer.Ordinal);
        foreach (var item in products)
        {
            var lineId = LineIdOf(item.ShopSku, item.MarketSku);
            if (!lines.TryGetValue(lineId, out var line))
            {
                lines[lineId] = line = new OrderLine(lineId, item.ShopSku ?? item.MarketSku ?? lineId);
            }

            line.Add(item, data.Legacy);
        }

        var orderLines = lines.Values.ToList();
        var buyerWeights = orderLines.Select(l => l.Buyer).ToArray();
        var units = orderLines.Select(l => (decimal)l.Quantity).ToArray();

        // Yandex's share: its subsidies (spread by the share each item lists, else by the buyer's price); a legacy
        // payload has it in the item prices already. The delivery Yandex lists as an item is income of the products.
        if (!data.Legacy)
        {
            var subsidies = Allocate(data.YandexShareAccrued, [.. orderLines.Select(l => l.ListedYandexShare)], buyerWeights, units);
            for (var i = 0; i < orderLines.Count; i++)
            {
                orderLines[i].AddSubsidy(subsidies[i]);
            }
        }

        var delivery = data.Items.Where(i => i.IsDelivery).Sum(i => i.Buyer + i.YandexShare);
        var deliveryShares = Allocate(delivery, buyerWeights, units, units);
        for (var i = 0; i < orderLines.Count; i++)
        {
            orderLines[i].Revenue += deliveryShares[i];
        }

        var parts = MapReturns(data, lines, returns, state);

        // Commissions are per order: each category is spread over the lines by revenue, to the kopeck. Charges of the
        // order from the services report join the fee of their kind (commission, logistics, acquiring; else other fees).
        var byCategory = data.Commissions.GroupBy(c => CategoryOf(c.Type)).ToDictionary(g => g.Key, g => g.Sum(c => c.Actual));
        var returnLogistics = byCategory.GetValueOrDefault(Category.ReturnLogistics);
        var forward = byCategory.GetValueOrDefault(Category.Logistics);
        if (parts.Count == 0)
        {
            forward += returnLogistics; // no return among the rows to carry it
        }
        else
        {
            var shares = Allocate(returnLogistics, [.. parts.Select(p => p.Refund)], [.. parts.Select(p => (decimal)p.Quantity)], [.. parts.Select(p => (decimal)p.Quantity)]);
            for (var i = 0; i < parts.Count; i++)
            {
                parts[i].ReturnLogistics = shares[i];
            }
        }

        var weights = orderLines.Select(l => l.Revenue).ToArray();
        var charged = charges.GroupBy(c => c.Data.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Data.Amount), StringComparer.Ordinal);
        var otherCharges = charges.Sum(c => c.Data.Amount) - charged.GetValueOrDefault(CommissionKind) - charged.GetValueOrDefault(LogisticsKind) - charged.GetValueOrDefault(AcquiringKind);
        Spread(byCategory.GetValueOrDefault(Category.Commission) + charged.GetValueOrDefault(CommissionKind), (l, a) => l.Commission += a);
        Spread(forward + charged.GetValueOrDefault(LogisticsKind), (l, a) => l.Logistics += a);
        Spread(byCategory.GetValueOrDefault(Category.Acquiring) + charged.GetValueOrDefault(AcquiringKind), (l, a) => l.Acquiring += a);
        Spread(byCategory.GetValueOrDefault(Category.Other) + otherCharges, (l, a) => l.OtherFees += a);

        // Credits larger than the charges they reverse cannot be negative fees: they are income of the line.
        foreach (var part in parts.Where(p => p.ReturnLogistics < 0m))
        {
            part.Line.Revenue -= part.ReturnLogistics;
            part.ReturnLogistics = 0m;
        }

        foreach (var line in orderLines)
        {
            line.MoveCreditsToRevenue();
        }

        var orderedAt = YandexMarketTime.TryParse(data.CreationDate, out var created) ? created : YandexMarketTime.MoscowMidnight(order.Date);
        // What the ledger pays for this order, by the domain's one payout rule.
        var ledgerNet = 0m;
        foreach (var line in orderLines)
        {
            var sale = new SaleLine(
                MarketplaceCode, id, line.LineId, orderedAt, data.BuyerId, LedgerNames.OrganicChannel, line.Sku, line.Quantity,
                line.Revenue, line.Commission, line.Logistics, line.Acquiring, line.OtherFees);
            state.Sales.Add(sale);
            ledgerNet += Domain.Ledger.Payout.Of(sale);
        }

        foreach (var part in parts)
        {
            var returned = new ReturnEvent(
                MarketplaceCode, id, part.Line.LineId, part.Return.SourceId, part.At, part.Quantity,
                part.Refund, 0m, part.ReturnLogistics, part.Restockable, part.Reason);
            state.Returns.Add(returned);
            ledgerNet += Domain.Ledger.Payout.Of(returned);
        }

        var difference = data.Payout - charges.Sum(c => c.Data.Amount) - ledgerNet;
        if (difference != 0m)
        {
            state.Gap(
                Invariant(
                    $"order {id} ({data.Status ?? "no status"}): payments and subsidies net {data.Money} differ by {difference} from its items less the refunds of its returns (not paid yet, or a return or deduction not pulled yet)"),
                difference,
                id,
                [order.SourceId, .. returns.Select(r => r.SourceId)]);
        }

        void Spread(decimal amount, Action<OrderLine, decimal> add)
        {
            var shares = Allocate(amount, weights, units, units);
            for (var i = 0; i < orderLines.Count; i++)
            {
                add(orderLines[i], shares[i]);
            }
        }
    }

    /// <summary>
    /// The order's returns as return parts (one per return and line), oldest first. A customer return whose refund was
    /// cancelled or rejected is left out. A part's refund: for a customer return, its share of the buyer's money
    /// (<c>amount.value</c>) plus its share of what Yandex took back of its subsidies (<c>DEDUCTION</c>), so a line
    /// returned whole, refunded and deducted nets to 0; for an order not picked up (or a customer return without an
    /// amount), the line's value of the units, the units that complete a line taking exactly what is left of its revenue.
    /// </summary>
    private static List<ReturnPart> MapReturns(YmOrder order, SortedDictionary<string, OrderLine> lines, List<ReturnRow> returns, LedgerBuilder state)
    {
        var parts = new List<ReturnPart>();
        var ordered = returns
            .Where(r => r.Data.Counts)
            .Select(r => (Row: r, At: YandexMarketTime.TryParse(r.Data.CreationDate, out var at) ? at
                : YandexMarketTime.TryParse(r.Data.UpdateDate, out var updated) ? updated
                : YandexMarketTime.MoscowMidnight(r.Date)))
            .OrderBy(r => r.At)
            .ThenBy(r => r.Row.SourceId.Length)
            .ThenBy(r => r.Row.SourceId, StringComparer.Ordinal);
        var byReturn = new List<List<ReturnPart>>();
        foreach (var (row, at) in ordered)
        {
            var data = row.Data;
            var unredeemed = data.IsUnredeemed;
            var items = data.Items.Count > 0
                ? data.Items
                : unredeemed ? [.. lines.Values.Where(l => l.Quantity > l.Returned).Select(l => new YmReturnItem(l.LineId, null, l.Quantity - l.Returned, null))] : [];
            if (items.Count == 0)
            {
                state.Gap($"return {row.SourceId} of order {order.Id} names no items", 0m, order.Id, row.SourceId);
                continue;
            }

            var mine = new Dictionary<string, ReturnPart>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var line = Match(lines, item);
                if (line is null)
                {
                    state.Gap($"return {row.SourceId}: order {order.Id} has no item {item.ShopSku ?? item.MarketSku}", 0m, order.Id, row.SourceId);
                    continue;
                }

                var quantity = Math.Max(1, item.Count);
                var remaining = line.Quantity - line.Returned;
                if (quantity > remaining)
                {
                    state.Gap(
                        Invariant($"return {row.SourceId} of order {order.Id}: {quantity} unit(s) of {line.LineId} back but only {remaining} sold and not yet returned"),
                        0m,
                        order.Id,
                        row.SourceId);
                    continue;
                }

                var buyerValue = line.ValueOf(line.Buyer, quantity);
                var yandexValue = line.ValueOf(line.YandexShare, quantity);
                line.Returned += quantity;
                var restockable = unredeemed || item.ReasonType is null || !NotRestockable.Contains(item.ReasonType);
                var reason = unredeemed ? Unredeemed : item.ReasonType is null ? data.ReturnType : $"{data.ReturnType}: {item.ReasonType}";
                if (mine.TryGetValue(line.LineId, out var existing))
                {
                    existing.Quantity += quantity;
                    existing.BuyerValue += buyerValue;
                    existing.YandexValue += yandexValue;
                    existing.Restockable &= restockable;
                    existing.Completes = line.Returned >= line.Quantity;
                    continue;
                }

                mine[line.LineId] = new ReturnPart(row, line, quantity, at, restockable, reason)
                {
                    BuyerValue = buyerValue,
                    YandexValue = yandexValue,
                    Completes = line.Returned >= line.Quantity,
                };
            }

            var own = mine.Values.ToList();
            if (!unredeemed && data.Amount is { } buyer)
            {
                // The buyer's money: what Yandex says it refunded, spread over the lines by their price.
                var shares = Allocate(buyer, [.. own.Select(p => p.BuyerValue)], [.. own.Select(p => (decimal)p.Quantity)], [.. own.Select(p => (decimal)p.Quantity)]);
                for (var i = 0; i < own.Count; i++)
                {
                    own[i].Refund = shares[i];
                }
            }
            else
            {
                own.ForEach(p => p.ValuedWhole = true);
            }

            byReturn.Add(own);
            parts.AddRange(own);
        }

        // What Yandex took back of its share (beyond the share of the parts valued whole: orders not picked up, and
        // customer returns that state no refund) goes with the customer returns that state one, by the share their
        // units carried.
        var stated = parts.Where(p => !p.ValuedWhole).ToList();
        var takenBack = Math.Max(0m, order.YandexShareTakenBack - parts.Where(p => p.ValuedWhole).Sum(p => p.YandexValue));
        var yandex = Allocate(takenBack, [.. stated.Select(p => p.YandexValue)], [.. stated.Select(p => p.BuyerValue)], [.. stated.Select(p => (decimal)p.Quantity)]);
        for (var i = 0; i < stated.Count; i++)
        {
            stated[i].Refund += yandex[i];
        }

        foreach (var part in parts)
        {
            if (part.ValuedWhole)
            {
                // The units' value; the units that complete the line take exactly what is left of its revenue.
                part.Refund = part.Completes ? Math.Max(0m, part.Line.Revenue - part.Line.Refunded) : part.BuyerValue + part.YandexValue;
            }

            part.Line.Refunded += part.Refund;
        }

        return parts;
    }

    /// <summary>
    /// An order cancelled before shipment (or without product items): its charges are period fees (of its own date; a
    /// charge from the services report of its row's date), its money a gap.
    /// </summary>
    private static void MapWithoutSale(OrderRow order, List<ReturnRow> returns, List<ServiceRow> charges, LedgerBuilder state)
    {
        var data = order.Data;
        foreach (var group in data.Commissions.GroupBy(c => CategoryOf(c.Type)))
        {
            var kind = group.Key switch
            {
                Category.Commission => CommissionKind,
                Category.Logistics or Category.ReturnLogistics => LogisticsKind,
                Category.Acquiring => AcquiringKind,
                _ => OtherKind,
            };
            state.Fee(order.Date, kind, group.Sum(c => c.Actual), order.SourceId);
        }

        foreach (var charge in charges)
        {
            state.Fee(charge.Date, charge.Data.Kind, charge.Data.Amount, charge.SourceId);
        }

        var money = data.Money;
        if (money != 0m)
        {
            state.Gap(
                Invariant($"order {data.Id} ({data.Status ?? "no items"}) has no sale but payments and subsidies net {money}"),
                money,
                data.Id,
                order.SourceId);
        }

        foreach (var orphan in returns)
        {
            state.Gap($"return {orphan.SourceId}: order {data.Id} has no sale ({data.Status ?? "no items"})", 0m, data.Id, orphan.SourceId);
        }
    }

    private static OrderLine? Match(SortedDictionary<string, OrderLine> lines, YmReturnItem item)
    {
        if (item.ShopSku is { } shopSku && lines.TryGetValue(shopSku, out var byShopSku))
        {
            return byShopSku;
        }

        if (item.MarketSku is { } marketSku)
        {
            var byMarketSku = lines.Values.FirstOrDefault(l => l.MarketSkus.Contains(marketSku));
            if (byMarketSku is not null)
            {
                return byMarketSku;
            }
        }

        return item.ShopSku is null && item.MarketSku is null && lines.Count == 1 ? lines.Values.First() : null;
    }

    private static string LineIdOf(string? shopSku, string? marketSku) => shopSku ?? marketSku ?? "1";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Splits <paramref name="amount"/> by <paramref name="weights"/> (by <paramref name="fallback"/> when they sum to 0,
    /// then by <paramref name="last"/>, equally when all do), rounding to kopecks; the last share takes the remainder so
    /// the shares sum exactly.
    /// </summary>
    internal static decimal[] Allocate(decimal amount, decimal[] weights, decimal[] fallback, decimal[] last)
    {
        var shares = new decimal[weights.Length];
        if (shares.Length == 0 || amount == 0m)
        {
            return shares;
        }

        var basis = Usable(weights) ? weights : Usable(fallback) ? fallback : Usable(last) ? last : [.. Enumerable.Repeat(1m, weights.Length)];
        var total = basis.Sum();
        var given = 0m;
        for (var i = 0; i < shares.Length - 1; i++)
        {
            shares[i] = Math.Round(amount * basis[i] / total, 2, MidpointRounding.AwayFromZero);
            given += shares[i];
        }

        shares[^1] = amount - given;
        return shares;

        static bool Usable(decimal[] values) => values.Sum() > 0m && values.All(w => w >= 0m);
    }

    internal enum Category
    {
        Commission,
        Logistics,
        ReturnLogistics,
        Acquiring,
        Other,
    }

    private sealed record OrderRow(string SourceId, DateOnly Date, YmOrder Data);

    private sealed record ReturnRow(string SourceId, DateOnly Date, YmReturn Data);

    private sealed record ServiceRow(string SourceId, DateOnly Date, YmService Data);

    private sealed class ReturnPart(ReturnRow row, OrderLine line, int quantity, DateTimeOffset at, bool restockable, string? reason)
    {
        public ReturnRow Return { get; } = row;

        public OrderLine Line { get; } = line;

        /// <summary>Refunded by the value of its units (an order not picked up, or a customer return that states no amount).</summary>
        public bool ValuedWhole { get; set; }

        public int Quantity { get; set; } = quantity;

        public DateTimeOffset At { get; } = at;

        public bool Restockable { get; set; } = restockable;

        public string? Reason { get; } = reason;

        /// <summary>The buyer's price of the units.</summary>
        public decimal BuyerValue { get; set; }

        /// <summary>Yandex's share (subsidies) of the units.</summary>
        public decimal YandexValue { get; set; }

        /// <summary>Whether these units complete their line (nothing of it is left unreturned).</summary>
        public bool Completes { get; set; }

        public decimal Refund { get; set; }

        public decimal ReturnLogistics { get; set; }
    }

    private sealed class OrderLine(string lineId, string sku)
    {
        private int _units;

        public string LineId { get; } = lineId;

        public string Sku { get; } = sku;

        public HashSet<string> MarketSkus { get; } = new(StringComparer.Ordinal);

        /// <summary>Units sold; an item that says 0 units still counts as 1 (the ledger has no empty lines).</summary>
        public int Quantity => Math.Max(1, _units);

        public int Returned { get; set; }

        public decimal Refunded { get; set; }

        /// <summary>What the buyer paid for the line (<c>BUYER</c> prices).</summary>
        public decimal Buyer { get; private set; }

        /// <summary>Yandex's share as the items list it (<c>MARKETPLACE</c> and <c>CASHBACK</c> prices).</summary>
        public decimal ListedYandexShare { get; private set; }

        /// <summary>Yandex's share in the line's revenue: its subsidies, or in a legacy payload the listed share.</summary>
        public decimal YandexShare { get; private set; }

        public decimal Revenue { get; set; }

        public decimal Commission { get; set; }

        public decimal Logistics { get; set; }

        public decimal Acquiring { get; set; }

        public decimal OtherFees { get; set; }

        public void Add(YmItem item, bool legacy)
        {
            _units += item.Count;
            Buyer += item.Buyer;
            ListedYandexShare += item.YandexShare;
            Revenue += item.Buyer;
            if (legacy)
            {
                YandexShare += item.YandexShare;
                Revenue += item.YandexShare;
            }

            if (item.MarketSku is not null)
            {
                MarketSkus.Add(item.MarketSku);
            }
        }

        public void AddSubsidy(decimal amount)
        {
            YandexShare += amount;
            Revenue += amount;
        }

        /// <summary>The share of <paramref name="total"/> that <paramref name="quantity"/> of the line's units carry.</summary>
        public decimal ValueOf(decimal total, int quantity) => Math.Round(total * quantity / Quantity, 2, MidpointRounding.AwayFromZero);

        public void MoveCreditsToRevenue()
        {
            if (Commission < 0m)
            {
                Revenue -= Commission;
                Commission = 0m;
            }

            if (Logistics < 0m)
            {
                Revenue -= Logistics;
                Logistics = 0m;
            }

            if (Acquiring < 0m)
            {
                Revenue -= Acquiring;
                Acquiring = 0m;
            }

            if (OtherFees < 0m)
            {
                Revenue -= OtherFees;
                OtherFees = 0m;
            }
        }
    }


}
