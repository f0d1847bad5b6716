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
/// Maps Yandex Market orders (<c>stats/orders</c>) and returns to ledger records; docs/connectors/yandex_market.md
/// explains every field. Pure and deterministic. Every rouble of the orders' payout (payments less commissions)
/// lands in the ledger or in a <see cref="MappingGap"/> that says why it could not.
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
        var state = new MapState();
        var orders = ReadOrders(rows, state);
        var returns = new Dictionary<string, List<ReturnRow>>(StringComparer.Ordinal);
        foreach (var row in Latest(rows, ReturnsFeed))
        {
            var data = YandexMarketJson.TryReadReturn(row.Payload);
            if (data is null)
            {
                state.Gap($"return {row.SourceId} is not readable JSON of the documented shape", 0m, row.SourceId);
                continue;
            }

            if (!returns.TryGetValue(data.OrderId, out var list))
            {
                returns[data.OrderId] = list = [];
            }

            list.Add(new ReturnRow(row.SourceId, row.BusinessDate, data));
        }

        foreach (var order in orders)
        {
            var orderReturns = returns.Remove(order.Data.Id, out var found) ? found : [];
            MapOrder(order, orderReturns, state);
        }

        foreach (var (orderId, orphans) in returns.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var orphan in orphans)
            {
                state.Gap($"return {orphan.SourceId}: order {orderId} is not among the pulled orders", 0m, orphan.SourceId);
            }
        }

        return state.Build();
    }

    /// <summary>The orders' payout over these rows: payments (refunds negative) less commissions; null without orders.</summary>
    public static decimal? Payout(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var orders = ReadOrders(rows, new MapState());
        if (orders.Count == 0 && !rows.Any(r => r.Feed == OrdersFeed))
        {
            return null;
        }

        return orders.Where(o => !o.Data.Fake).Sum(o => NetPayout(o.Data));
    }

    private static decimal NetPayout(YmOrder order) =>
        order.Payments.Sum(p => p.Signed) - order.Commissions.Sum(c => c.Actual);

    private static List<OrderRow> ReadOrders(IReadOnlyList<SourceRow> rows, MapState state)
    {
        var orders = new List<OrderRow>();
        foreach (var row in Latest(rows, OrdersFeed))
        {
            var data = YandexMarketJson.TryReadOrder(row.Payload);
            if (data is null)
            {
                state.Gap($"order {row.SourceId} is not readable JSON of the documented shape", 0m, row.SourceId);
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

    private static void MapOrder(OrderRow order, List<ReturnRow> returns, MapState state)
    {
        var data = order.Data;
        if (data.Fake)
        {
            // Test orders placed from the seller's cabinet: not business, and left out of the payout too.
            foreach (var orphan in returns)
            {
                state.Gap($"return {orphan.SourceId}: order {data.Id} is a test order", 0m, orphan.SourceId);
            }

            return;
        }

        if (data.Items.Count == 0 || (data.Status is { } status && CancelledBeforeShipment.Contains(status)))
        {
            MapWithoutSale(order, returns, state);
            return;
        }

        var lines = new SortedDictionary<string, OrderLine>(StringComparer.Ordinal);
        foreach (var item in data.Items)
        {
            var id = LineIdOf(item.ShopSku, item.MarketSku);
            if (!lines.TryGetValue(id, out var line))
            {
                lines[id] = line = new OrderLine(id, item.ShopSku ?? item.MarketSku ?? id);
            }

            line.Add(item);
        }

        var parts = MapReturns(data, lines, returns, state);

        // Commissions are per order: each category is spread over the lines by revenue, to the kopeck.
        var byCategory = data.Commissions.GroupBy(c => CategoryOf(c.Type)).ToDictionary(g => g.Key, g => g.Sum(c => c.Actual));
        var returnLogistics = byCategory.GetValueOrDefault(Category.ReturnLogistics);
        var forward = byCategory.GetValueOrDefault(Category.Logistics);
        if (parts.Count == 0)
        {
            forward += returnLogistics; // no return among the rows to carry it
        }
        else
        {
            var shares = Allocate(returnLogistics, [.. parts.Select(p => p.Refund)], [.. parts.Select(p => (decimal)p.Quantity)]);
            for (var i = 0; i < parts.Count; i++)
            {
                parts[i].ReturnLogistics = shares[i];
            }
        }

        var orderLines = lines.Values.ToList();
        var weights = orderLines.Select(l => l.Revenue).ToArray();
        var units = orderLines.Select(l => (decimal)l.Quantity).ToArray();
        Spread(byCategory.GetValueOrDefault(Category.Commission), (l, a) => l.Commission += a);
        Spread(forward, (l, a) => l.Logistics += a);
        Spread(byCategory.GetValueOrDefault(Category.Acquiring), (l, a) => l.Acquiring += a);
        Spread(byCategory.GetValueOrDefault(Category.Other), (l, a) => l.OtherFees += a);

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
        var ledgerNet = 0m;
        foreach (var line in orderLines)
        {
            state.Sales.Add(new SaleLine(
                MarketplaceCode, data.Id, line.LineId, orderedAt, data.BuyerId, LedgerNames.OrganicChannel, line.Sku, line.Quantity,
                line.Revenue, line.Commission, line.Logistics, line.Acquiring, line.OtherFees));
            ledgerNet += line.Revenue - line.Commission - line.Logistics - line.Acquiring - line.OtherFees;
        }

        foreach (var part in parts)
        {
            state.Returns.Add(new ReturnEvent(
                MarketplaceCode, data.Id, part.Line.LineId, part.Return.SourceId, part.At, part.Quantity,
                part.Refund, 0m, part.ReturnLogistics, part.Restockable, part.Reason));
            ledgerNet -= part.Refund + part.ReturnLogistics;
        }

        var difference = NetPayout(data) - ledgerNet;
        if (difference != 0m)
        {
            state.Gap(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"order {data.Id} ({data.Status ?? "no status"}): payments net {data.Payments.Sum(p => p.Signed)} differ by {difference} from its items less the refunds of its returns (not paid yet, or a return not pulled yet)"),
                difference,
                order.SourceId);
        }

        void Spread(decimal amount, Action<OrderLine, decimal> add)
        {
            var shares = Allocate(amount, weights, units);
            for (var i = 0; i < orderLines.Count; i++)
            {
                add(orderLines[i], shares[i]);
            }
        }
    }

    private static List<ReturnPart> MapReturns(YmOrder order, SortedDictionary<string, OrderLine> lines, List<ReturnRow> returns, MapState state)
    {
        var parts = new List<ReturnPart>();
        var ordered = returns
            .Select(r => (Row: r, At: YandexMarketTime.TryParse(r.Data.CreationDate, out var at) ? at
                : YandexMarketTime.TryParse(r.Data.UpdateDate, out var updated) ? updated
                : YandexMarketTime.MoscowMidnight(r.Date)))
            .OrderBy(r => r.At)
            .ThenBy(r => r.Row.SourceId.Length)
            .ThenBy(r => r.Row.SourceId, StringComparer.Ordinal);
        foreach (var (row, at) in ordered)
        {
            var data = row.Data;
            var unredeemed = string.Equals(data.ReturnType, Unredeemed, StringComparison.OrdinalIgnoreCase);
            var items = data.Items.Count > 0
                ? data.Items
                : unredeemed ? [.. lines.Values.Select(l => new YmReturnItem(l.LineId, null, l.Quantity - l.Returned, null))] : [];
            if (items.Count == 0)
            {
                state.Gap($"return {row.SourceId} of order {order.Id} names no items", 0m, row.SourceId);
                continue;
            }

            var mine = new Dictionary<string, ReturnPart>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var line = Match(lines, item);
                if (line is null)
                {
                    state.Gap($"return {row.SourceId}: order {order.Id} has no item {item.ShopSku ?? item.MarketSku}", 0m, row.SourceId);
                    continue;
                }

                var quantity = Math.Max(1, item.Count);
                var remaining = line.Quantity - line.Returned;
                if (quantity > remaining)
                {
                    state.Gap(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"return {row.SourceId} of order {order.Id}: {quantity} unit(s) of {line.LineId} back but only {remaining} sold and not yet returned"),
                        0m,
                        row.SourceId);
                    continue;
                }

                line.Returned += quantity;
                var restockable = unredeemed || item.ReasonType is null || !NotRestockable.Contains(item.ReasonType);
                var reason = unredeemed ? Unredeemed : item.ReasonType is null ? data.ReturnType : $"{data.ReturnType}: {item.ReasonType}";
                if (mine.TryGetValue(line.LineId, out var existing))
                {
                    existing.Quantity += quantity;
                    existing.Restockable &= restockable;
                    continue;
                }

                mine[line.LineId] = new ReturnPart(row, line, quantity, at, restockable, reason);
            }

            var own = mine.Values.ToList();
            foreach (var part in own)
            {
                part.Refund = part.Line.RefundFor(part.Quantity);
            }

            if (!unredeemed && data.Amount is { } amount)
            {
                // A customer return states what was refunded: spread over its lines by their value.
                var shares = Allocate(amount, [.. own.Select(p => p.Refund)], [.. own.Select(p => (decimal)p.Quantity)]);
                for (var i = 0; i < own.Count; i++)
                {
                    own[i].Refund = shares[i];
                }
            }

            foreach (var part in own)
            {
                part.Line.Refunded += part.Refund;
            }

            parts.AddRange(own);
        }

        return parts;
    }

    /// <summary>An order cancelled before shipment (or without items): its charges are period fees, its payments a gap.</summary>
    private static void MapWithoutSale(OrderRow order, List<ReturnRow> returns, MapState state)
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

        var payments = data.Payments.Sum(p => p.Signed);
        if (payments != 0m)
        {
            state.Gap(
                string.Create(CultureInfo.InvariantCulture, $"order {data.Id} ({data.Status ?? "no items"}) has no sale but payments net {payments}"),
                payments,
                order.SourceId);
        }

        foreach (var orphan in returns)
        {
            state.Gap($"return {orphan.SourceId}: order {data.Id} has no sale ({data.Status ?? "no items"})", 0m, orphan.SourceId);
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

    /// <summary>
    /// Splits <paramref name="amount"/> by <paramref name="weights"/> (by <paramref name="fallback"/> when they sum to 0,
    /// equally when both do), rounding to kopecks; the last share takes the remainder so the shares sum exactly.
    /// </summary>
    internal static decimal[] Allocate(decimal amount, decimal[] weights, decimal[] fallback)
    {
        var shares = new decimal[weights.Length];
        if (shares.Length == 0 || amount == 0m)
        {
            return shares;
        }

        var basis = weights.Sum() > 0m && weights.All(w => w >= 0m) ? weights
            : fallback.Sum() > 0m && fallback.All(w => w >= 0m) ? fallback
            : [.. Enumerable.Repeat(1m, weights.Length)];
        var total = basis.Sum();
        var given = 0m;
        for (var i = 0; i < shares.Length - 1; i++)
        {
            shares[i] = Math.Round(amount * basis[i] / total, 2, MidpointRounding.AwayFromZero);
            given += shares[i];
        }

        shares[^1] = amount - given;
        return shares;
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

    private sealed class ReturnPart(ReturnRow row, OrderLine line, int quantity, DateTimeOffset at, bool restockable, string? reason)
    {
        public ReturnRow Return { get; } = row;

        public OrderLine Line { get; } = line;

        public int Quantity { get; set; } = quantity;

        public DateTimeOffset At { get; } = at;

        public bool Restockable { get; set; } = restockable;

        public string? Reason { get; } = reason;

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

        public decimal Revenue { get; set; }

        public decimal Commission { get; set; }

        public decimal Logistics { get; set; }

        public decimal Acquiring { get; set; }

        public decimal OtherFees { get; set; }

        public void Add(YmItem item)
        {
            _units += item.Count;
            Revenue += item.Revenue;
            if (item.MarketSku is not null)
            {
                MarketSkus.Add(item.MarketSku);
            }
        }

        /// <summary>The line's value of <paramref name="quantity"/> units; the units that complete the line take what is left.</summary>
        public decimal RefundFor(int quantity) => Returned >= Quantity
            ? Math.Max(0m, Revenue - Refunded)
            : Math.Round(Revenue * quantity / Quantity, 2, MidpointRounding.AwayFromZero);

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

    private sealed class MapState
    {
        private readonly Dictionary<(DateOnly Date, string Kind), (decimal Amount, List<string> SourceIds)> _fees = [];
        private readonly List<MappingGap> _gaps = [];

        public List<SaleLine> Sales { get; } = [];

        public List<ReturnEvent> Returns { get; } = [];

        public void Gap(string reason, decimal payoutEffect, params string[] sourceIds) =>
            _gaps.Add(new MappingGap(reason, payoutEffect, sourceIds));

        public void Fee(DateOnly date, string kind, decimal amount, string sourceId)
        {
            if (amount == 0m)
            {
                return;
            }

            var key = (date, kind);
            var (total, ids) = _fees.TryGetValue(key, out var found) ? found : (0m, new List<string>());
            ids.Add(sourceId);
            _fees[key] = (total + amount, ids);
        }

        public YandexMarketMapping Build()
        {
            var fees = new List<PeriodFee>();
            foreach (var ((date, kind), (amount, ids)) in _fees.OrderBy(f => f.Key.Date).ThenBy(f => f.Key.Kind, StringComparer.Ordinal))
            {
                if (amount > 0m)
                {
                    fees.Add(new PeriodFee(date, MarketplaceCode, kind, amount));
                }
                else if (amount < 0m)
                {
                    Gap(
                        string.Create(CultureInfo.InvariantCulture, $"{kind} of cancelled orders on {date:yyyy-MM-dd} nets to a credit of {-amount}"),
                        -amount,
                        [.. ids]);
                }
            }

            Sales.Sort((a, b) => string.CompareOrdinal(a.OrderId, b.OrderId) is var byOrder and not 0
                ? byOrder
                : string.CompareOrdinal(a.LineId, b.LineId));
            Returns.Sort((a, b) => string.CompareOrdinal(a.OrderId, b.OrderId) is var byOrder and not 0
                ? byOrder
                : string.CompareOrdinal(a.ReturnId, b.ReturnId) is var byReturn and not 0 ? byReturn
                : string.CompareOrdinal(a.LineId, b.LineId));
            return new YandexMarketMapping(new DerivedLedger(Sales, Returns, [], fees), _gaps);
        }
    }
}
