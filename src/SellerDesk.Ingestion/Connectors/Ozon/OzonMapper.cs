using System.Globalization;
using System.Text.Json;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Ozon;

/// <summary>
/// Maps Ozon source rows (postings, returns, the posting and day accruals, and stored operations of the retired finance
/// list) to ledger records; docs/connectors/ozon.md explains every field. Pure and deterministic. Every amount Ozon
/// accrued lands in the ledger or in a <see cref="MappingGap"/> (on <see cref="DerivedLedger.Gaps"/>, with the order it
/// belongs to), so that <c>Ozon payout = ledger payout + gaps</c> holds for every order and every date.
/// </summary>
public static partial class OzonMapper
{
    public const string MarketplaceCode = "ozon";
    public const string FboFeed = "ozon.fbo";
    public const string FbsFeed = "ozon.fbs";
    public const string ReturnsFeed = "ozon.returns";
    public const string PostingAccrualsFeed = "ozon.accruals.posting";
    public const string DayAccrualsFeed = "ozon.accruals.day";

    /// <summary>Stored operations of <c>/v3/finance/transaction/list</c>, which Ozon switched off; no longer fetched.</summary>
    public const string LegacyFinanceFeed = "ozon.finance";

    public const string CommissionKind = "commission";
    public const string AcquiringKind = "acquiring";
    public const string StorageKind = "storage";
    public const string AcceptanceKind = "acceptance";
    public const string PenaltyKind = "penalty";
    public const string PromotionKind = "promotion";
    public const string LogisticsKind = "logistics";
    public const string OtherKind = "other";

    /// <summary>Return type of a return after the buyer received the goods; every other type never reached the buyer.</summary>
    public const string ClientReturnType = "ClientReturn";

    public const string DeliveredStatus = "delivered";

    private static readonly IReadOnlyDictionary<long, OzonAccrualType> NoTypes = new Dictionary<long, OzonAccrualType>();

    public static TimeZoneInfo Moscow => MoscowTime.Zone;

    /// <summary>The ledger records of <paramref name="rows"/> in <paramref name="zone"/>, with the gaps on <see cref="DerivedLedger.Gaps"/>.</summary>
    public static DerivedLedger Map(IReadOnlyList<SourceRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(zone);
        var state = new LedgerBuilder(MarketplaceCode) { Zone = zone };
        var data = SourceData.Read(rows, state);

        var keys = new SortedSet<string>(StringComparer.Ordinal);
        keys.UnionWith(data.Postings.Keys);
        keys.UnionWith(data.Returns.Keys);
        keys.UnionWith(data.PostingAccruals.Keys);
        keys.UnionWith(data.Operations.Keys);
        foreach (var key in keys)
        {
            MapOrder(
                key,
                data.Postings.GetValueOrDefault(key),
                data.Returns.GetValueOrDefault(key) ?? [],
                data.PostingAccruals.GetValueOrDefault(key),
                data.Operations.GetValueOrDefault(key) ?? [],
                state);
        }

        foreach (var day in data.Days)
        {
            MapDay(day.Row, day.Accruals, state);
        }

        foreach (var operation in data.PeriodOperations)
        {
            LegacyPeriodCharge(operation, LegacyKindOf(operation), operation.Amount, state, null, null);
        }

        var names = OzonPerformance.Map(rows, state);
        return state.Build() with { ChannelNames = names };
    }

    /// <summary>
    /// Ozon's own payout over the rows, from Ozon's figures alone (no ledger mapping): over the posting accruals,
    /// <c>accrued + seller_price × quantity</c> of every line; over the day accruals, <c>total_amount</c> of every
    /// accrual that belongs to no posting; plus <c>amount</c> of stored operations of the retired finance list that no
    /// accrual row supersedes. Null when the rows hold none of these (finance not pulled).
    /// </summary>
    public static decimal? Payout(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var data = SourceData.Read(rows, null);
        if (!data.HasMoney)
        {
            return null;
        }

        return data.PostingAccruals.Values.Sum(p => p.Accruals.Sum(a => a.Money))
            + data.Days.Sum(d => d.Accruals.Accruals.Where(a => !a.IsPosting).Sum(a => a.Money))
            + data.Operations.Values.Sum(ops => ops.Sum(o => o.Amount))
            + data.PeriodOperations.Sum(o => o.Amount);
    }

    internal static bool IsDelivered(OzonPosting posting) =>
        string.Equals(posting.Status, DeliveredStatus, StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits <paramref name="amount"/> in proportion to <paramref name="weights"/>, to the kopeck, the rest on the last share.</summary>
    public static decimal[] Spread(decimal amount, IReadOnlyList<decimal> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
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

    /// <summary>One order key: a sale with its returns, or money of a posting that is no sale (a gap).</summary>
    private static void MapOrder(
        string key, OzonPosting? posting, List<OzonReturn> returns, OzonPostingAccruals? accrued, List<OzonOperation> operations, LedgerBuilder state)
    {
        var accruals = accrued?.Accruals ?? [];
        if (posting is null || posting.OrderedAt is null)
        {
            var why = posting is null
                ? "the posting is not among the rows"
                : $"posting {key} has neither in_process_at nor created_at, so its sale cannot be dated";
            Unmapped(key, why, accruals, returns, operations, state);
            return;
        }

        var sold = posting.Products.Count > 0
            && (IsDelivered(posting) || returns.Count > 0 || accruals.Any(a => a.GoodsValue > 0m));
        if (!sold)
        {
            var why = $"posting {key} is {(posting.Status.Length == 0 ? "without status" : posting.Status)}, not a sale";
            Unmapped(key, why, accruals, returns, operations, state);
            return;
        }

        if (accruals.Count == 0 && operations.Count > 0)
        {
            MapLegacyPosting(posting, returns, operations, state);
            return;
        }

        MapAccruedPosting(posting, returns, accrued, state);
    }

    /// <summary>
    /// Money of an order key that makes no sale: the posting's accruals are one gap (its order key named), each return a
    /// gap without money; stored operations of the retired finance list keep their old rule.
    /// </summary>
    private static void Unmapped(
        string key, string why, IReadOnlyList<OzonPostingAccrual> accruals, List<OzonReturn> returns, List<OzonOperation> operations, LedgerBuilder state)
    {
        if (accruals.Count > 0)
        {
            var money = accruals.Sum(a => a.Money);
            state.Gap(string.Create(CultureInfo.InvariantCulture, $"accruals of posting {key} ({money:0.00}): {why}"), money, key, key);
        }

        foreach (var ret in returns)
        {
            state.Gap($"return {ret.Id} of posting {key}: {why}", 0m, key, ret.Id);
        }

        foreach (var operation in operations)
        {
            LegacyPeriodCharge(operation, LegacyKindOf(operation), operation.Amount, state, key, why);
        }
    }

    /// <summary>
    /// A sale mapped from its posting and its accruals (docs/connectors/ozon.md, "Sales"): revenue and commission of the
    /// units Ozon accrued, charges by accrual type; units and returns Ozon has not accrued yet are carried from the
    /// posting's prices and make one gap "not accrued yet" that takes them out of the payout again.
    /// </summary>
    private static void MapAccruedPosting(OzonPosting posting, List<OzonReturn> returns, OzonPostingAccruals? accrued, LedgerBuilder state)
    {
        var key = posting.PostingNumber;
        var accruals = accrued?.Accruals ?? [];
        var types = accrued?.Types ?? NoTypes;
        var lines = Lines(posting);
        var first = lines.Values.First();
        var postingLevel = new Buckets();
        var estimated = accruals.Count == 0;
        var salesBefore = state.Sales.Count;
        var returnsBefore = state.Returns.Count;

        foreach (var a in accruals)
        {
            var own = a.Sku is { } sku && lines.TryGetValue(sku, out var match) ? match : null;
            var line = own ?? first;
            var value = a.GoodsValue;
            if (value > 0m)
            {
                line.RevenueAccrued += value;
                line.SoldAccrued += a.Units;
            }
            else if (value < 0m)
            {
                line.RefundAccrued -= value;
                line.ReturnedAccrued += a.Units;
            }

            var kind = OzonAccrualKinds.Of(a.TypeId, types);
            if (value < 0m && kind == OzonAccrualKind.Commission)
            {
                line.CommissionRefundAccrued += a.Amount;
            }
            else if (value != 0m)
            {
                line.Own.Add(kind, -a.Amount);
            }
            else
            {
                (own?.Own ?? postingLevel).Add(kind, -a.Amount);
            }
        }

        var unaccrued = 0m;
        foreach (var line in lines.Values)
        {
            // Units Ozon has not accrued are carried at the posting's price; they are what "not accrued yet" stands for.
            var missing = Math.Max(0, line.Quantity - line.SoldAccrued);
            var revenueEstimate = missing == line.Quantity ? line.PriceEstimate : Round(line.PriceEstimate * missing / line.Quantity);
            var commissionEstimate = missing == line.Quantity ? line.CommissionEstimate : Round(line.CommissionEstimate * missing / line.Quantity);
            line.Quantity = Math.Max(line.Quantity, line.SoldAccrued);
            line.Revenue = line.RevenueAccrued + revenueEstimate;
            line.Commission = commissionEstimate;
            unaccrued += revenueEstimate - commissionEstimate;
        }

        if (estimated)
        {
            // Without any accrual, the retired lists' financial_data services are the only charges there are.
            foreach (var product in posting.Products)
            {
                foreach (var service in product.ItemServices)
                {
                    lines[product.Sku].Own.Add(ServiceKind(service.Name), Math.Abs(service.Amount));
                }
            }

            foreach (var service in posting.PostingServices)
            {
                postingLevel.Add(ServiceKind(service.Name), Math.Abs(service.Amount));
            }
        }

        var events = new List<ReturnPart>();
        foreach (var ret in Ordered(returns))
        {
            var line = ret.Sku is not null && lines.TryGetValue(ret.Sku, out var match) ? match : first;
            if (Event(posting, ret, line, state) is { } part)
            {
                events.Add(part);
            }
        }

        foreach (var line in lines.Values)
        {
            unaccrued -= Refunds(line, events.Where(e => e.Line == line).ToList(), key, state);
        }

        Distribute(lines.Values.ToList(), events, postingLevel);
        foreach (var line in lines.Values)
        {
            line.Emit(posting, posting.OrderedAt!.Value, events.Where(e => e.Line == line), state);
        }

        if (estimated && accrued is not null)
        {
            // Ozon was asked and lists nothing for the posting: all of it is carried from the posting.
            unaccrued = Domain.Ledger.Payout.Of(state.Sales[salesBefore..], state.Returns[returnsBefore..], []);
        }

        if (unaccrued != 0m && (accrued is not null))
        {
            state.Gap(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"posting {key}: Ozon has not accrued {unaccrued:0.00} of it yet (units or returns carried at the posting's prices)"),
                -unaccrued,
                key,
                [key, .. events.Select(e => e.Id)]);
        }
    }

    /// <summary>
    /// Refunds of a line's return events: the refunds Ozon accrued (goods lines with a negative <c>seller_price</c>)
    /// go to the events in date order by units; units beyond them are refunded at the return's price (not accrued yet).
    /// Accrued refunds no listed return takes are a gap. Returns the net refund not accrued (refund - commission refund).
    /// </summary>
    private static decimal Refunds(Line line, List<ReturnPart> events, string key, LedgerBuilder state)
    {
        var units = line.ReturnedAccrued;
        var refund = line.RefundAccrued;
        var commission = line.CommissionRefundAccrued;
        var unaccrued = 0m;
        foreach (var part in events)
        {
            var take = Math.Min(part.Quantity, units);
            if (take > 0)
            {
                var last = take == units;
                var r = last ? refund : Round(refund * take / units);
                var c = last ? commission : Round(commission * take / units);
                part.Refund += r;
                part.CommissionRefund += c;
                units -= take;
                refund -= r;
                commission -= c;
            }

            if (take < part.Quantity)
            {
                var (r, c) = EstimatedRefund(line, part, part.Quantity - take);
                part.Refund += r;
                part.CommissionRefund += c;
                unaccrued += r - c;
            }
        }

        if (refund != 0m || commission != 0m)
        {
            state.Gap(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"posting {key}: Ozon refunded {refund:0.00} (commission back {commission:0.00}) of {line.LineId} with no return listed for it"),
                commission - refund,
                key,
                key);
        }

        return unaccrued;
    }

    /// <summary>The old rule for a refund Ozon has not accrued: the return's price (else the line's unit revenue) × units.</summary>
    private static (decimal Refund, decimal CommissionRefund) EstimatedRefund(Line line, ReturnPart part, int quantity)
    {
        var unitPrice = part.Price is > 0m ? part.Price.Value : line.Revenue / line.Quantity;
        var commission = line.Commission + line.Own.Commission;
        return (Round(Math.Min(unitPrice * quantity, line.Revenue)), Round(commission * quantity / line.Quantity));
    }

    /// <summary>A listed return as a ledger event (money still to come), or null with a gap when more units come back than remain sold.</summary>
    private static ReturnPart? Event(OzonPosting posting, OzonReturn ret, Line line, LedgerBuilder state)
    {
        var quantity = Math.Max(1, ret.Quantity);
        var remaining = line.Quantity - line.Returned;
        if (quantity > remaining)
        {
            state.Gap(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"return {ret.Id} of posting {posting.PostingNumber}: {quantity} unit(s) back but only {remaining} sold and not yet returned"),
                0m,
                posting.PostingNumber,
                ret.Id);
            return null;
        }

        line.Returned += quantity;
        var client = string.Equals(ret.Type, ClientReturnType, StringComparison.OrdinalIgnoreCase);
        var reason = string.IsNullOrWhiteSpace(ret.ReasonName) ? ret.Type : $"{ret.Type}: {ret.ReasonName.Trim()}";
        return new ReturnPart(line, ret.Id, ret.ReturnedAt ?? posting.OrderedAt!.Value, quantity, ret.Price, restockable: !(client && ret.IsOpened), reason);
    }

    /// <summary>
    /// Spreads the posting's charges over its lines by revenue, its own return legs to the line's last return, and
    /// the posting's return legs over its returns by refund (to the lines' logistics while no return is listed).
    /// </summary>
    private static void Distribute(List<Line> lines, List<ReturnPart> events, Buckets postingLevel)
    {
        var revenue = lines.Select(l => l.Revenue).ToList();
        var commission = Spread(postingLevel.Commission, revenue);
        var logistics = Spread(postingLevel.Logistics, revenue);
        var acquiring = Spread(postingLevel.Acquiring, revenue);
        var other = Spread(postingLevel.Other, revenue);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            line.Commission += commission[i] + line.Own.Commission;
            line.Logistics += logistics[i] + line.Own.Logistics;
            line.Acquiring += acquiring[i] + line.Own.Acquiring;
            line.OtherFees += other[i] + line.Own.Other;
            line.Extra += line.Own.Extra;
            if (events.Count == 0)
            {
                // A return leg with no return among the rows (not yet listed): a cost of the line's logistics.
                line.Logistics += line.Own.ReturnLogistics;
            }
            else
            {
                var mine = events.Where(e => e.Line == line).ToList();
                (mine.Count > 0 ? mine[^1] : events[^1]).ReturnLogistics += line.Own.ReturnLogistics;
            }
        }

        if (events.Count == 0)
        {
            var legs = Spread(postingLevel.ReturnLogistics, revenue);
            for (var i = 0; i < lines.Count; i++)
            {
                lines[i].Logistics += legs[i];
            }
        }
        else
        {
            var legs = Spread(postingLevel.ReturnLogistics, events.Select(e => e.Refund).ToList());
            for (var i = 0; i < events.Count; i++)
            {
                events[i].ReturnLogistics += legs[i];
            }
        }

        var extras = Spread(postingLevel.Extra, revenue);
        for (var i = 0; i < lines.Count; i++)
        {
            lines[i].Extra += extras[i];
        }
    }

    /// <summary>The posting's lines, one per sku: units, and the price and commission of its financial data as estimates.</summary>
    private static SortedDictionary<string, Line> Lines(OzonPosting posting)
    {
        var lines = new SortedDictionary<string, Line>(StringComparer.Ordinal);
        foreach (var product in posting.Products)
        {
            if (!lines.TryGetValue(product.Sku, out var line))
            {
                lines[product.Sku] = line = new Line(product.Sku, string.IsNullOrWhiteSpace(product.OfferId) ? product.Sku : product.OfferId);
            }

            var quantity = Math.Max(1, product.Quantity);
            line.Quantity += quantity;
            line.PriceEstimate += product.Price * quantity;
            line.CommissionEstimate += Math.Max(product.Commission ?? 0m, 0m);
        }

        return lines;
    }

    private static IEnumerable<OzonReturn> Ordered(List<OzonReturn> returns) =>
        returns.OrderBy(r => r.ReturnedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.Id, StringComparer.Ordinal);

    /// <summary>
    /// A day's accruals that belong to no posting: each fee part a period fee of its type's kind on the day; what
    /// <c>total_amount</c> holds beyond its parts is a gap.
    /// </summary>
    private static void MapDay(SourceRow row, OzonDayAccruals day, LedgerBuilder state)
    {
        foreach (var accrual in day.Accruals.Where(a => !a.IsPosting))
        {
            var parts = accrual.Parts.Count > 0 ? accrual.Parts : [new OzonDayFee(null, accrual.Total ?? 0m, null)];
            foreach (var part in parts)
            {
                state.Fee(day.Date, OzonAccrualKinds.PeriodKind(OzonAccrualKinds.Of(part.TypeId, day.Types)), -part.Amount, row.SourceId);
            }

            var sum = parts.Sum(p => p.Amount);
            if (accrual.Total is { } total && total != sum)
            {
                state.Gap(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"accrual {accrual.Id} of {day.Date:yyyy-MM-dd} totals {total:0.00} but its fees add up to {sum:0.00}: the difference has no type"),
                    total - sum,
                    null,
                    row.SourceId);
            }
        }
    }

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

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


    /// <summary>
    /// The rows read once for mapping and payout alike (the latest copy of each row), with the supersession rule: stored
    /// operations of the retired finance list count only where no accrual row lists money for their posting or date.
    /// </summary>
    private sealed class SourceData
    {
        public Dictionary<string, OzonPosting> Postings { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<OzonReturn>> Returns { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, OzonPostingAccruals> PostingAccruals { get; } = new(StringComparer.Ordinal);

        public List<(SourceRow Row, OzonDayAccruals Accruals)> Days { get; } = [];

        public Dictionary<string, List<OzonOperation>> Operations { get; } = new(StringComparer.Ordinal);

        public List<OzonOperation> PeriodOperations { get; } = [];

        /// <summary>Whether any row is Ozon's money (accruals or stored finance operations), readable or not.</summary>
        public bool HasMoney { get; private set; }

        public static SourceData Read(IReadOnlyList<SourceRow> rows, LedgerBuilder? state)
        {
            // The same row twice (overlapping sets) must not count twice: the last copy wins.
            var latest = new Dictionary<(string Feed, string Id), SourceRow>();
            foreach (var row in rows)
            {
                latest[(row.Feed, row.SourceId)] = row;
            }

            var data = new SourceData();
            var legacy = new List<(SourceRow Row, OzonOperation Operation)>();
            foreach (var row in latest.Values.OrderBy(r => r.Feed, StringComparer.Ordinal).ThenBy(r => r.SourceId, StringComparer.Ordinal))
            {
                void Unreadable(string what) =>
                    state?.Gap($"{what} {row.SourceId} is not readable JSON of the documented shape", 0m, row.OrderKey, row.SourceId);

                switch (row.Feed)
                {
                    case FboFeed or FbsFeed:
                        if (TryParse(row.Payload, OzonJson.ReadPosting) is { } posting)
                        {
                            data.Postings[posting.PostingNumber] = posting;
                        }
                        else
                        {
                            Unreadable("posting");
                        }

                        break;
                    case ReturnsFeed:
                        if (TryParse(row.Payload, e => OzonJson.ReadReturn(e, row.SourceId)) is not { } ret)
                        {
                            Unreadable("return");
                        }
                        else if (ret.PostingNumber.Length == 0)
                        {
                            state?.Gap($"return {row.SourceId} names no posting_number: it belongs to no order", 0m, null, row.SourceId);
                        }
                        else
                        {
                            Add(data.Returns, ret.PostingNumber, ret);
                        }

                        break;
                    case PostingAccrualsFeed:
                        data.HasMoney = true;
                        if (TryParse(row.Payload, OzonJson.ReadPostingAccruals) is { } accruals)
                        {
                            data.PostingAccruals[accruals.PostingNumber] = accruals;
                        }
                        else
                        {
                            Unreadable("accruals of posting");
                        }

                        break;
                    case DayAccrualsFeed:
                        data.HasMoney = true;
                        if (TryParse(row.Payload, OzonJson.ReadDayAccruals) is { } day)
                        {
                            data.Days.Add((row, day));
                        }
                        else
                        {
                            Unreadable("accruals of day");
                        }

                        break;
                    case LegacyFinanceFeed:
                        data.HasMoney = true;
                        if (TryParse(row.Payload, OzonJson.ReadOperation) is { } operation)
                        {
                            legacy.Add((row, operation));
                        }
                        else
                        {
                            Unreadable("operation");
                        }

                        break;
                    default:
                        break;
                }
            }

            var accruedPostings = data.PostingAccruals.Where(p => p.Value.Accruals.Count > 0).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var accruedDays = data.Days.Where(d => d.Accruals.Accruals.Any(a => !a.IsPosting)).Select(d => d.Row.BusinessDate).ToHashSet();
            foreach (var (row, operation) in legacy)
            {
                var dated = operation with { Date = operation.Date ?? Midnight(row.BusinessDate, state?.Zone ?? Moscow) };
                if (operation.PostingNumber is { } number)
                {
                    if (!accruedPostings.Contains(number))
                    {
                        Add(data.Operations, number, dated);
                    }
                }
                else if (!accruedDays.Contains(row.BusinessDate))
                {
                    data.PeriodOperations.Add(dated);
                }
            }

            return data;
        }

        private static DateTimeOffset Midnight(DateOnly date, TimeZoneInfo zone)
        {
            var local = date.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
    }

    /// <summary>Costs (positive) by where they land, and signed money to the seller beyond the sale (<see cref="Extra"/>).</summary>
    private sealed class Buckets
    {
        public decimal Commission { get; private set; }

        public decimal Logistics { get; private set; }

        public decimal ReturnLogistics { get; private set; }

        public decimal Acquiring { get; private set; }

        public decimal Other { get; private set; }

        public decimal Extra { get; set; }

        public void Add(OzonAccrualKind kind, decimal cost)
        {
            switch (kind)
            {
                case OzonAccrualKind.Commission:
                    Commission += cost;
                    break;
                case OzonAccrualKind.Logistics:
                    Logistics += cost;
                    break;
                case OzonAccrualKind.ReturnLogistics:
                    ReturnLogistics += cost;
                    break;
                case OzonAccrualKind.Acquiring:
                    Acquiring += cost;
                    break;
                default:
                    Other += cost;
                    break;
            }
        }
    }

    private sealed class ReturnPart(
        Line line, string id, DateTimeOffset at, int quantity, decimal? price, bool restockable, string reason)
    {
        public Line Line { get; } = line;

        public string Id { get; } = id;

        public DateTimeOffset At { get; } = at;

        public int Quantity { get; } = quantity;

        public decimal? Price { get; } = price;

        public bool Restockable { get; } = restockable;

        public string Reason { get; } = reason;

        public decimal Refund { get; set; }

        public decimal CommissionRefund { get; set; }

        public decimal ReturnLogistics { get; set; }
    }

    private sealed class Line(string lineId, string sku)
    {
        public string LineId { get; } = lineId;

        public string Sku { get; } = sku;

        public int Quantity { get; set; }

        public int Returned { get; set; }

        public decimal PriceEstimate { get; set; }

        public decimal CommissionEstimate { get; set; }

        public decimal RevenueAccrued { get; set; }

        public int SoldAccrued { get; set; }

        public decimal RefundAccrued { get; set; }

        public int ReturnedAccrued { get; set; }

        public decimal CommissionRefundAccrued { get; set; }

        /// <summary>Charges of this line's own sku.</summary>
        public Buckets Own { get; } = new();

        public decimal Revenue { get; set; }

        public decimal Commission { get; set; }

        public decimal Logistics { get; set; }

        public decimal Acquiring { get; set; }

        public decimal OtherFees { get; set; }

        public decimal Extra { get; set; }

        public void Emit(OzonPosting posting, DateTimeOffset orderedAt, IEnumerable<ReturnPart> returns, LedgerBuilder state)
        {
            // Net credits cannot be negative fees: they go to the line's revenue (as Ozon pays them with the sale).
            var parts = returns.ToList();
            foreach (var part in parts)
            {
                if (part.ReturnLogistics < 0m)
                {
                    Logistics += part.ReturnLogistics;
                    part.ReturnLogistics = 0m;
                }

                if (part.CommissionRefund < 0m)
                {
                    Commission -= part.CommissionRefund;
                    part.CommissionRefund = 0m;
                }
            }

            var extra = Extra;
            extra += TakeCredit(Commission, v => Commission = v);
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


}
