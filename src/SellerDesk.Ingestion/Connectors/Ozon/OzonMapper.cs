using System.Globalization;
using System.Text.Json;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>What <see cref="OzonConnector.MapDetailed"/> made of the source rows: the ledger, and the money it left out with why.</summary>
public sealed record OzonMapping(DerivedLedger Ledger, IReadOnlyList<MappingGap> Gaps)
{
    /// <summary>The payout the left-out money accounts for (0 when the ledger carries everything).</summary>
    public decimal UnmappedPayout => Gaps.Sum(g => g.PayoutEffect);
}

/// <summary>
/// Maps Ozon source rows (postings, returns, finance operations) to ledger records; docs/connectors/ozon.md explains
/// every field. Pure and deterministic. Money of the finance operations lands in the ledger or in a
/// <see cref="MappingGap"/>, so that <c>Ozon payout = ledger payout + gaps</c> holds whenever the postings' prices and
/// commissions agree with the finance operations.
/// </summary>
public static class OzonMapper
{
    public const string MarketplaceCode = "ozon";
    public const string FboFeed = "ozon.fbo";
    public const string FbsFeed = "ozon.fbs";
    public const string ReturnsFeed = "ozon.returns";
    public const string FinanceFeed = "ozon.finance";

    public const string StorageKind = "storage";
    public const string AcceptanceKind = "acceptance";
    public const string PenaltyKind = "penalty";
    public const string PromotionKind = "promotion";
    public const string LogisticsKind = "logistics";
    public const string OtherKind = "other";

    /// <summary>Return type of a return after the buyer received the goods; every other type never reached the buyer.</summary>
    public const string ClientReturnType = "ClientReturn";

    public const string DeliveredStatus = "delivered";

    public static TimeZoneInfo Moscow { get; } = FindMoscow();

    public static OzonMapping Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(zone);
        var state = new MapState(zone);
        var data = Read(rows, state);

        var keys = new SortedSet<string>(StringComparer.Ordinal);
        keys.UnionWith(data.Postings.Keys);
        keys.UnionWith(data.Returns.Keys);
        keys.UnionWith(data.Operations.Keys);
        foreach (var key in keys)
        {
            var posting = data.Postings.GetValueOrDefault(key);
            var returns = data.Returns.GetValueOrDefault(key) ?? [];
            var operations = data.Operations.GetValueOrDefault(key) ?? [];
            if (posting is not null && posting.Products.Count > 0 && (IsDelivered(posting) || returns.Count > 0))
            {
                MapPosting(posting, returns, operations, state);
            }
            else
            {
                MapWithoutSale(key, posting, returns, operations, state);
            }
        }

        foreach (var operation in data.PeriodOperations)
        {
            PeriodCharge(operation, KindOf(operation), operation.Amount, state);
        }

        return state.Build();
    }

    /// <summary>
    /// Ozon's own payout over the rows: the sum of <c>amount</c> of every finance operation (what Ozon credits or debits
    /// the seller's balance). Null when the rows hold no finance operation (the finance feed was off or unavailable).
    /// </summary>
    public static decimal? Payout(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var latest = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Feed == FinanceFeed))
        {
            latest[row.SourceId] = TryParse(row.Payload, OzonJson.ReadOperation)?.Amount ?? 0m;
        }

        return latest.Count == 0 ? null : latest.Values.Sum();
    }

    /// <summary>The ledger's payout: sales net of their fees, minus returns net of refunded commission, minus period fees.</summary>
    public static decimal LedgerPayout(DerivedLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var sales = ledger.Sales.Where(s => s.Marketplace == MarketplaceCode)
            .Sum(s => s.Revenue - s.Commission - s.Logistics - s.Acquiring - s.OtherFees);
        var returns = ledger.Returns.Where(r => r.Marketplace == MarketplaceCode)
            .Sum(r => r.Refund - r.CommissionRefund + r.ReturnLogistics);
        var fees = ledger.Fees.Where(f => f.Marketplace == MarketplaceCode).Sum(f => f.Amount);
        return sales - returns - fees;
    }

    internal static bool IsDelivered(OzonPosting posting) =>
        string.Equals(posting.Status, DeliveredStatus, StringComparison.OrdinalIgnoreCase);

    /// <summary>What a service charge is: a leg towards the buyer, a leg back, acquiring, or anything else.</summary>
    public static ChargeKind ServiceKind(string name)
    {
        var n = name.ToUpperInvariant();
        if (n.Contains("ACQUIRING", StringComparison.Ordinal))
        {
            return ChargeKind.Acquiring;
        }

        if (n.Contains("RETURN", StringComparison.Ordinal))
        {
            return ChargeKind.ReturnLogistics;
        }

        string[] logistics = ["LOGISTIC", "DELIV", "FULFILLMENT", "PICKUP", "DROPOFF", "DIRECT_FLOW", "DIRECTFLOW", "FLOW_TRANS", "LAST_MILE", "LASTMILE", "PACKAGE", "PACKING"];
        return logistics.Any(word => n.Contains(word, StringComparison.Ordinal)) ? ChargeKind.Logistics : ChargeKind.Other;
    }

    /// <summary>Whether an operation is the sale or the return of goods: its accruals and commission are the posting's own, not extra money.</summary>
    internal static bool CarriesGoods(OzonOperation operation) =>
        operation.Type.Contains("DeliveredToCustomer", StringComparison.OrdinalIgnoreCase)
        || operation.Type.Contains("Return", StringComparison.OrdinalIgnoreCase);

    /// <summary>The period-fee kind of an operation without a sale to carry it.</summary>
    internal static string KindOf(OzonOperation operation)
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

    private static SourceData Read(IReadOnlyList<SourceRow> rows, MapState state)
    {
        // The same row twice (overlapping sets) must not count twice: the last copy wins.
        var latest = new Dictionary<(string Feed, string Id), SourceRow>();
        foreach (var row in rows)
        {
            latest[(row.Feed, row.SourceId)] = row;
        }

        var data = new SourceData();
        foreach (var row in latest.Values.OrderBy(r => r.Feed, StringComparer.Ordinal).ThenBy(r => r.SourceId, StringComparer.Ordinal))
        {
            switch (row.Feed)
            {
                case FboFeed or FbsFeed:
                    if (TryParse(row.Payload, OzonJson.ReadPosting) is { } posting)
                    {
                        data.Postings[posting.PostingNumber] = posting;
                    }
                    else
                    {
                        state.Gap($"posting {row.SourceId} is not readable JSON of the documented shape", 0m, row.SourceId);
                    }

                    break;
                case ReturnsFeed:
                    if (TryParse(row.Payload, OzonJson.ReadReturn) is { } ret && ret.PostingNumber.Length > 0)
                    {
                        Add(data.Returns, ret.PostingNumber, ret);
                    }
                    else
                    {
                        state.Gap($"return {row.SourceId} is not readable JSON of the documented shape", 0m, row.SourceId);
                    }

                    break;
                case FinanceFeed:
                    if (TryParse(row.Payload, OzonJson.ReadOperation) is { } operation)
                    {
                        if (operation.PostingNumber is null)
                        {
                            data.PeriodOperations.Add(operation with { Date = operation.Date ?? Midnight(row.BusinessDate, state.Zone) });
                        }
                        else
                        {
                            Add(data.Operations, operation.PostingNumber, operation with { Date = operation.Date ?? Midnight(row.BusinessDate, state.Zone) });
                        }
                    }
                    else
                    {
                        // Its amount is in Ozon's payout (or 0 if unreadable there too): the gap carries it.
                        state.Gap($"operation {row.SourceId} is not readable JSON of the documented shape", 0m, row.SourceId);
                    }

                    break;
                default:
                    break;
            }
        }

        return data;
    }

    private static void MapPosting(OzonPosting posting, List<OzonReturn> returns, List<OzonOperation> operations, MapState state)
    {
        var orderedAt = posting.OrderedAt ?? operations.Select(o => o.Date).Min() ?? DateTimeOffset.UnixEpoch;
        var lines = new SortedDictionary<string, Line>(StringComparer.Ordinal);
        var perLine = new Dictionary<string, Buckets>(StringComparer.Ordinal);
        foreach (var product in posting.Products)
        {
            if (!lines.TryGetValue(product.Sku, out var line))
            {
                lines[product.Sku] = line = new Line(product.Sku, string.IsNullOrWhiteSpace(product.OfferId) ? product.Sku : product.OfferId);
                perLine[product.Sku] = new Buckets();
            }

            var quantity = Math.Max(1, product.Quantity);
            line.Quantity += quantity;
            line.Revenue += product.Price * quantity;
            line.Commission += Math.Max(product.Commission ?? 0m, 0m);
            foreach (var service in product.ItemServices)
            {
                perLine[product.Sku].Add(ServiceKind(service.Name), Math.Abs(service.Amount));
            }
        }

        var posted = new Buckets();
        if (operations.Count > 0)
        {
            // Finance operations are Ozon's accounting of the posting: they replace the services of financial_data.
            foreach (var buckets in perLine.Values)
            {
                buckets.Clear();
            }

            foreach (var operation in operations)
            {
                posted.Add(ChargeKind.Logistics, -operation.DeliveryCharge);
                posted.Add(ChargeKind.ReturnLogistics, -operation.ReturnDeliveryCharge);
                foreach (var service in operation.Services)
                {
                    posted.Add(ServiceKind(service.Name), -service.Amount);
                }

                if (!CarriesGoods(operation))
                {
                    // Compensations, write-offs and the like on the posting: money beyond the sale itself. What the
                    // amount holds beyond its parts (acquiring comes as an operation of its own) is a charge of its type.
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
        }
        else
        {
            foreach (var service in posting.PostingServices)
            {
                posted.Add(ServiceKind(service.Name), Math.Abs(service.Amount));
            }
        }

        var events = new List<ReturnPart>();
        foreach (var ret in returns.OrderBy(r => r.ReturnedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            var line = ret.Sku is not null && lines.TryGetValue(ret.Sku, out var match) ? match : lines.Values.First();
            var quantity = Math.Max(1, ret.Quantity);
            var remaining = line.Quantity - line.Returned;
            if (quantity > remaining)
            {
                state.Gap(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"return {ret.Id} of posting {posting.PostingNumber}: {quantity} unit(s) back but only {remaining} sold and not yet returned"),
                    0m,
                    ret.Id);
                continue;
            }

            line.Returned += quantity;
            var unitPrice = ret.Price is > 0m ? ret.Price.Value : line.Revenue / line.Quantity;
            var refund = Round(Math.Min(unitPrice * quantity, line.Revenue));
            var commissionRefund = Round(line.Commission * quantity / line.Quantity);
            var client = string.Equals(ret.Type, ClientReturnType, StringComparison.OrdinalIgnoreCase);
            var reason = string.IsNullOrWhiteSpace(ret.ReasonName) ? ret.Type : $"{ret.Type}: {ret.ReasonName.Trim()}";
            events.Add(new ReturnPart(
                line, ret.Id, ret.ReturnedAt ?? orderedAt, quantity, refund, commissionRefund, Restockable: !(client && ret.IsOpened), reason));
        }

        // Spread the posting's charges over its lines by revenue, and its return legs over its returns by refund.
        var lineList = lines.Values.ToList();
        var logisticsShare = Spread(posted.Logistics, lineList.Select(l => l.Revenue).ToList());
        var acquiringShare = Spread(posted.Acquiring, lineList.Select(l => l.Revenue).ToList());
        var otherShare = Spread(posted.Other, lineList.Select(l => l.Revenue).ToList());
        for (var i = 0; i < lineList.Count; i++)
        {
            var line = lineList[i];
            var own = perLine[line.LineId];
            line.Logistics += logisticsShare[i] + own.Logistics;
            line.Acquiring += acquiringShare[i] + own.Acquiring;
            line.OtherFees += otherShare[i] + own.Other;
            if (events.Count == 0)
            {
                // A return leg with no return among the rows (not yet listed): a cost of the line's logistics.
                line.Logistics += own.ReturnLogistics;
            }
            else
            {
                var mine = events.Where(e => e.Line == line).ToList();
                var target = mine.Count > 0 ? mine[^1] : events[^1];
                target.ReturnLogistics += own.ReturnLogistics;
            }
        }

        if (events.Count == 0)
        {
            var returnLegs = Spread(posted.ReturnLogistics, lineList.Select(l => l.Revenue).ToList());
            for (var i = 0; i < lineList.Count; i++)
            {
                lineList[i].Logistics += returnLegs[i];
            }
        }
        else
        {
            var legs = Spread(posted.ReturnLogistics, events.Select(e => e.Refund).ToList());
            for (var i = 0; i < events.Count; i++)
            {
                events[i].ReturnLogistics += legs[i];
            }
        }

        var extras = Spread(posted.Extra, lineList.Select(l => l.Revenue).ToList());
        for (var i = 0; i < lineList.Count; i++)
        {
            lineList[i].Extra += extras[i];
        }

        foreach (var line in lineList)
        {
            line.Emit(posting, orderedAt, events.Where(e => e.Line == line), state);
        }
    }

    /// <summary>
    /// A posting not delivered (still on its way, or cancelled with no return listed), or rows of a posting that is
    /// not among the rows: its charges are period fees on their dates, its credits and returns have no ledger row.
    /// </summary>
    private static void MapWithoutSale(
        string postingNumber, OzonPosting? posting, List<OzonReturn> returns, List<OzonOperation> operations, MapState state)
    {
        var where = posting is null ? "the posting is not among the rows" : $"posting {postingNumber} is {(posting.Status.Length == 0 ? "without status" : posting.Status)}, not delivered";
        foreach (var ret in returns)
        {
            state.Gap($"return {ret.Id} of posting {postingNumber}: {where}", 0m, ret.Id);
        }

        foreach (var operation in operations)
        {
            PeriodCharge(operation, KindOf(operation), operation.Amount, state, where);
        }
    }

    /// <summary>A charge (negative amount) is a period fee; a credit outside any sale has no ledger row: a gap.</summary>
    private static void PeriodCharge(OzonOperation operation, string kind, decimal amount, MapState state, string? where = null)
    {
        if (amount < 0m)
        {
            state.Fee(operation, kind, -amount);
        }
        else if (amount > 0m)
        {
            state.Gap(
                $"operation {operation.OperationId} ({operation.Type}) credits {amount.ToString(CultureInfo.InvariantCulture)}: {where ?? "it belongs to no posting"}",
                amount,
                operation.OperationId);
        }
    }

    /// <summary>Splits <paramref name="amount"/> in proportion to <paramref name="weights"/>, to the kopeck, the rest on the last share.</summary>
    public static decimal[] Spread(decimal amount, IReadOnlyList<decimal> weights)
    {
        var shares = new decimal[weights.Count];
        if (shares.Length == 0 || amount == 0m)
        {
            return shares;
        }

        var total = weights.Sum();
        var given = 0m;
        for (var i = 0; i < shares.Length - 1; i++)
        {
            shares[i] = total > 0m ? Round(amount * weights[i] / total) : 0m;
            given += shares[i];
        }

        shares[^1] = amount - given;
        return shares;
    }

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static DateTimeOffset Midnight(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static void Add<T>(Dictionary<string, List<T>> groups, string key, T item)
    {
        if (!groups.TryGetValue(key, out var list))
        {
            groups[key] = list = [];
        }

        list.Add(item);
    }

    private static T? TryParse<T>(string payload, Func<JsonElement, T> read)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private static TimeZoneInfo FindMoscow()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Moscow", TimeSpan.FromHours(3), "Moscow", "MSK");
        }
    }

    /// <summary>Where a charge lands on a sales line or a return.</summary>
    public enum ChargeKind
    {
        Logistics,
        ReturnLogistics,
        Acquiring,
        Other,
    }

    private sealed class SourceData
    {
        public Dictionary<string, OzonPosting> Postings { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<OzonReturn>> Returns { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<OzonOperation>> Operations { get; } = new(StringComparer.Ordinal);

        public List<OzonOperation> PeriodOperations { get; } = [];
    }

    /// <summary>Costs (positive) by kind, and signed money to the seller beyond the sale (<see cref="Extra"/>).</summary>
    private sealed class Buckets
    {
        public decimal Logistics { get; private set; }

        public decimal ReturnLogistics { get; private set; }

        public decimal Acquiring { get; private set; }

        public decimal Other { get; private set; }

        public decimal Extra { get; set; }

        public void Add(ChargeKind kind, decimal cost)
        {
            switch (kind)
            {
                case ChargeKind.Logistics:
                    Logistics += cost;
                    break;
                case ChargeKind.ReturnLogistics:
                    ReturnLogistics += cost;
                    break;
                case ChargeKind.Acquiring:
                    Acquiring += cost;
                    break;
                default:
                    Other += cost;
                    break;
            }
        }

        public void Clear()
        {
            Logistics = 0m;
            ReturnLogistics = 0m;
            Acquiring = 0m;
            Other = 0m;
        }
    }

    private sealed record ReturnPart(
        Line Line, string Id, DateTimeOffset At, int Quantity, decimal Refund, decimal CommissionRefund, bool Restockable, string Reason)
    {
        public decimal ReturnLogistics { get; set; }
    }

    private sealed class Line(string lineId, string sku)
    {
        public string LineId { get; } = lineId;

        public string Sku { get; } = sku;

        public int Quantity { get; set; }

        public int Returned { get; set; }

        public decimal Revenue { get; set; }

        public decimal Commission { get; set; }

        public decimal Logistics { get; set; }

        public decimal Acquiring { get; set; }

        public decimal OtherFees { get; set; }

        public decimal Extra { get; set; }

        public void Emit(OzonPosting posting, DateTimeOffset orderedAt, IEnumerable<ReturnPart> returns, MapState state)
        {
            // Net credits cannot be negative fees: they go to the line's revenue (as Ozon pays them with the sale).
            var extra = Extra;
            var parts = returns.ToList();
            foreach (var part in parts.Where(p => p.ReturnLogistics < 0m))
            {
                Logistics += part.ReturnLogistics;
                part.ReturnLogistics = 0m;
            }

            extra += TakeCredit(Logistics, v => Logistics = v);
            extra += TakeCredit(Acquiring, v => Acquiring = v);
            extra += TakeCredit(OtherFees, v => OtherFees = v);
            var revenue = Revenue;
            var otherFees = OtherFees;
            if (extra >= 0m)
            {
                revenue += extra;
            }
            else
            {
                otherFees -= extra;
            }

            var zone = state.Zone;
            state.Sales.Add(new SaleLine(
                MarketplaceCode, posting.PostingNumber, LineId, TimeZoneInfo.ConvertTime(orderedAt, zone), posting.CustomerId,
                LedgerNames.OrganicChannel, Sku, Quantity, revenue, Commission, Logistics, Acquiring, otherFees));
            foreach (var part in parts)
            {
                state.Returns.Add(new ReturnEvent(
                    MarketplaceCode, posting.PostingNumber, LineId, part.Id, TimeZoneInfo.ConvertTime(part.At, zone), part.Quantity,
                    part.Refund, part.CommissionRefund, part.ReturnLogistics, part.Restockable, part.Reason));
            }
        }

        private static decimal TakeCredit(decimal value, Action<decimal> set)
        {
            if (value >= 0m)
            {
                return 0m;
            }

            set(0m);
            return -value;
        }
    }

    private sealed class MapState(TimeZoneInfo zone)
    {
        private readonly Dictionary<(DateOnly Date, string Kind), (decimal Amount, List<string> SourceIds)> _fees = [];
        private readonly List<MappingGap> _gaps = [];

        public TimeZoneInfo Zone { get; } = zone;

        public List<SaleLine> Sales { get; } = [];

        public List<ReturnEvent> Returns { get; } = [];

        public void Gap(string reason, decimal payoutEffect, params string[] sourceIds) =>
            _gaps.Add(new MappingGap(reason, payoutEffect, sourceIds));

        public void Fee(OzonOperation operation, string kind, decimal amount)
        {
            var at = operation.Date ?? DateTimeOffset.UnixEpoch;
            var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);
            var key = (date, kind);
            var (total, ids) = _fees.TryGetValue(key, out var found) ? found : (0m, new List<string>());
            ids.Add(operation.OperationId);
            _fees[key] = (total + amount, ids);
        }

        public OzonMapping Build()
        {
            var fees = new List<PeriodFee>();
            foreach (var ((date, kind), (amount, _)) in _fees.OrderBy(f => f.Key.Date).ThenBy(f => f.Key.Kind, StringComparer.Ordinal))
            {
                if (amount > 0m)
                {
                    fees.Add(new PeriodFee(date, MarketplaceCode, kind, amount));
                }
            }

            Sales.Sort((a, b) => string.CompareOrdinal(a.OrderId, b.OrderId) is var byOrder and not 0
                ? byOrder
                : string.CompareOrdinal(a.LineId, b.LineId));
            Returns.Sort((a, b) => string.CompareOrdinal(a.OrderId, b.OrderId) is var byOrder and not 0
                ? byOrder
                : string.CompareOrdinal(a.ReturnId, b.ReturnId));
            return new OzonMapping(new DerivedLedger(Sales, Returns, [], fees), _gaps);
        }
    }
}
