using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Connectors.Wildberries;

/// <summary>
/// Maps Wildberries source rows to ledger records; docs/connectors/wildberries.md explains every field. Pure and
/// deterministic. Built so that every rouble of the report's payout lands in the ledger or in a
/// <see cref="MappingGap"/> that says why it could not.
/// </summary>
internal sealed class WildberriesMapper(WildberriesOptions options)
{
    public const string MarketplaceCode = "wildberries";
    public const string RealizationFeed = "wb.realization";
    public const string AdsFeed = "wb.ads";
    public const string AdChannel = "wb_ads";
    public const string StatisticsFeed = "wb.adstats";

    /// <summary>Prefix of a campaign's channel code: <c>wb_adv_</c> + <c>advertId</c>.</summary>
    public const string CampaignChannelPrefix = "wb_adv_";

    public const string StorageKind = "storage";
    public const string AcceptanceKind = "acceptance";
    public const string DeductionKind = "deduction";
    public const string PenaltyKind = "penalty";
    public const string LogisticsKind = "logistics";
    public const string OtherKind = "other";

    private const string SaleOperation = "Продажа";
    private const string CorrectedSaleOperation = "Корректная продажа";
    private const string SaleStornoOperation = "Сторно продаж";
    private const string ReturnOperation = "Возврат";
    private const string CorrectedReturnOperation = "Корректный возврат";
    private const string ReturnStornoOperation = "Сторно возвратов";

    public WildberriesMapping Map(IReadOnlyList<SourceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var session = new Session(this);
        session.Add(rows);
        return session.Finish();
    }

    /// <summary>
    /// The report's amount to pay the seller over these rows, from the raw fields only
    /// (<see cref="WildberriesReportPayout"/>, independent of this mapping); null when there is no report row.
    /// </summary>
    public static decimal? Payout(IReadOnlyList<SourceRow> rows) => WildberriesReportPayout.Of(rows);

    /// <summary>
    /// Maps rows given in parts, each part holding every row of each order it names (rows without an order can go in
    /// any part), with the same result as <see cref="Map"/> of all of them at once, and the report's payout of them
    /// (<see cref="Payout"/>) from the same parse. Only the ledger records and the period totals are kept between
    /// parts, not the rows.
    /// </summary>
    internal sealed class Session(WildberriesMapper mapper)
    {
        private readonly LedgerBuilder _state = new(MarketplaceCode);
        private readonly Dictionary<string, (DateOnly Date, string Channel, decimal Amount)> _ads = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> _names = new(StringComparer.Ordinal);
        private decimal _payout;
        private bool _anyReportRow;
        private WildberriesMapping? _result;

        /// <summary>The report's payout of the rows added so far; null while no report row came.</summary>
        public decimal? Payout => _anyReportRow ? _payout : null;

        public void Add(IReadOnlyList<SourceRow> rows)
        {
            ArgumentNullException.ThrowIfNull(rows);
            if (_result is not null)
            {
                throw new InvalidOperationException("The mapping is finished.");
            }

            var lines = ReadLines(rows, _state);
            if (WildberriesReportPayout.Of(rows) is { } payout)
            {
                _anyReportRow = true;
                _payout += payout;
            }

            var orders = new Dictionary<string, List<Line>>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                var srid = line.Data.Srid?.Trim();
                if (string.IsNullOrEmpty(srid))
                {
                    LoyaltyGap(line, null, _state);
                    var kind = KindOf(line.Data);
                    MapWithoutSale(line, kind is LineKind.SaleStorno or LineKind.ReturnStorno ? LineKind.Other : kind, Sign(line.Data) * Money(line.Data.PpvzForPay), null, _state);
                    continue;
                }

                if (!orders.TryGetValue(srid, out var orderLines))
                {
                    orders[srid] = orderLines = [];
                }

                orderLines.Add(line);
            }

            foreach (var (srid, orderLines) in orders.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                mapper.MapOrder(srid, orderLines, _state);
            }

            mapper.ReadAds(rows, _ads, _names, _state);
            ReadStatistics(rows, _names, _state);
        }

        /// <summary>
        /// The sales lines and returns of the orders mapped so far, with the gaps found so far, handed over and
        /// forgotten (period fees and ad spend stay until <see cref="Finish"/>, with their own gaps).
        /// </summary>
        public DerivedLedger TakeOrders()
        {
            if (_result is not null)
            {
                throw new InvalidOperationException("The mapping is finished.");
            }

            var taken = new DerivedLedger([.. _state.Sales], [.. _state.Returns], [], []) { Gaps = _state.TakeGaps() };
            _state.Sales.Clear();
            _state.Returns.Clear();
            return taken;
        }

        public WildberriesMapping Finish()
        {
            if (_result is null)
            {
                MapAds(_ads, _state);
                var ledger = _state.Build() with { ChannelNames = new Dictionary<string, string>(_names, StringComparer.Ordinal) };
                _result = new WildberriesMapping(ledger, ledger.Gaps);
            }

            return _result;
        }
    }

    private static List<Line> ReadLines(IReadOnlyList<SourceRow> rows, LedgerBuilder state)
    {
        // The same row twice (a runner handing over overlapping sets) must not count twice: the last copy wins.
        var latest = new Dictionary<string, Line>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Feed != RealizationFeed)
            {
                continue;
            }

            var data = WildberriesLineReader.TryRead(row.Payload);
            if (data is null)
            {
                // What the report itself says the line pays (when its amounts can be read at all) is what the ledger misses.
                state.Gap(
                    $"report line {row.SourceId} is not readable JSON of the documented shape",
                    WildberriesReportPayout.OfLine(row.Payload) ?? 0m,
                    row.OrderKey,
                    row.SourceId);
                continue;
            }

            latest[row.SourceId] = new Line(row.SourceId, row.BusinessDate, data);
        }

        var lines = latest.Values.ToList();
        lines.Sort((a, b) => a.Data.RrdId != b.Data.RrdId
            ? a.Data.RrdId.CompareTo(b.Data.RrdId)
            : string.CompareOrdinal(a.SourceId, b.SourceId));
        return lines;
    }

    private void MapOrder(string srid, List<Line> lines, LedgerBuilder state)
    {
        foreach (var line in lines)
        {
            LoyaltyGap(line, srid, state);
        }

        // A storno cancels an earlier line of the same order and product: the pair stops being a sale (or a return)
        // and only the difference of their amounts for pay stays, as a credit of the storno line.
        var kinds = lines.ToDictionary(l => l, l => KindOf(l.Data));
        var credits = new Dictionary<Line, decimal>();
        Pair(lines, kinds, credits, LineKind.SaleStorno, LineKind.Sale);
        Pair(lines, kinds, credits, LineKind.ReturnStorno, LineKind.Return);
        decimal CreditOf(Line line) => credits.TryGetValue(line, out var credit) ? credit : Sign(line.Data) * Money(line.Data.PpvzForPay);

        var saleRows = lines.Where(l => kinds[l] == LineKind.Sale).ToList();
        if (saleRows.Count == 0)
        {
            foreach (var line in lines)
            {
                MapWithoutSale(line, kinds[line], CreditOf(line), srid, state);
            }

            return;
        }

        var orderedAt = saleRows.Min(l => Time(l, l.Data.OrderDt, l.Data.SaleDt, l.Data.RrDt));
        var orderLines = new SortedDictionary<string, OrderLine>(StringComparer.Ordinal);
        foreach (var sale in saleRows)
        {
            var id = LineIdOf(sale.Data);
            if (!orderLines.TryGetValue(id, out var orderLine))
            {
                orderLines[id] = orderLine = new OrderLine(id, SkuOf(sale.Data));
            }

            orderLine.AddSale(sale.Data);
        }

        var returns = new List<ReturnPart>();
        foreach (var line in lines.Where(l => kinds[l] == LineKind.Return))
        {
            var orderLine = Match(orderLines, line.Data);
            var quantity = Math.Max(1, line.Data.Quantity ?? 1);
            var remaining = orderLine.Quantity - orderLine.Returned;
            var forPay = Money(line.Data.PpvzForPay);
            if (quantity > remaining)
            {
                state.Gap(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"return {line.SourceId} of order {srid}: {quantity} unit(s) back but only {remaining} sold and not yet returned"),
                    -forPay,
                    srid,
                    line.SourceId);
                continue;
            }

            orderLine.Returned += quantity;
            var refund = Math.Max(Math.Max(Money(line.Data.RetailAmount), forPay), 0m);
            var part = new ReturnPart(line, orderLine, quantity, refund, refund - forPay, Time(line, line.Data.SaleDt, line.Data.RrDt));
            orderLine.Returns.Add(part);
            returns.Add(part);
        }

        foreach (var line in lines)
        {
            var d = line.Data;
            var orderLine = Match(orderLines, d);
            var kind = kinds[line];
            if (kind == LineKind.Other)
            {
                orderLine.Extra += CreditOf(line);
            }

            var delivery = Money(d.DeliveryRub);
            if (delivery != 0m)
            {
                var toReturn = IsReturnLogistics(line, kind, returns) ? ReturnFor(line, orderLine, returns) : null;
                if (toReturn is null)
                {
                    orderLine.Logistics += delivery;
                }
                else
                {
                    toReturn.ReturnLogistics += delivery;
                }
            }

            orderLine.OtherFees += Money(d.Penalty) + Money(d.Deduction);
            orderLine.Extra += Money(d.AdditionalPayment);
            state.Fee(line.Date, StorageKind, Money(d.StorageFee), line.SourceId);
            state.Fee(line.Date, AcceptanceKind, Money(d.Acceptance), line.SourceId);
        }

        foreach (var orderLine in orderLines.Values)
        {
            orderLine.Emit(srid, orderedAt, state);
        }
    }

    /// <summary>
    /// Pairs each line of kind <paramref name="storno"/> with the line of kind <paramref name="target"/> it cancels (same
    /// product; the latest earlier one with the same amount for pay, else the latest earlier one, else the first). Both
    /// become "other" lines; the cancelled line's credit is 0 and the storno's is what the two leave together. A storno
    /// with nothing to cancel among the rows is an "other" line with its own signed amount.
    /// </summary>
    private static void Pair(List<Line> lines, Dictionary<Line, LineKind> kinds, Dictionary<Line, decimal> credits, LineKind storno, LineKind target)
    {
        foreach (var cancel in lines.Where(l => kinds[l] == storno).OrderBy(l => l.Data.RrdId).ToList())
        {
            var product = LineIdOf(cancel.Data);
            var candidates = lines.Where(l => kinds[l] == target && LineIdOf(l.Data) == product).ToList();
            var earlier = candidates.Where(l => l.Data.RrdId < cancel.Data.RrdId).ToList();
            var cancelled = earlier.LastOrDefault(l => Money(l.Data.PpvzForPay) == Money(cancel.Data.PpvzForPay))
                ?? earlier.LastOrDefault()
                ?? candidates.FirstOrDefault();
            kinds[cancel] = LineKind.Other;
            if (cancelled is null)
            {
                continue;
            }

            kinds[cancelled] = LineKind.Other;
            credits[cancelled] = 0m;
            credits[cancel] = (Sign(cancel.Data) * Money(cancel.Data.PpvzForPay)) + (Sign(cancelled.Data) * Money(cancelled.Data.PpvzForPay));
        }
    }

    /// <summary>A line of no order, or of an order without a sale among the rows: costs become period fees.</summary>
    private static void MapWithoutSale(Line line, LineKind kind, decimal credit, string? srid, LedgerBuilder state)
    {
        var d = line.Data;
        var where = srid is null ? "it names no order (srid)" : $"order {srid} has no sale among the rows";
        switch (kind)
        {
            case LineKind.Sale:
                state.Gap($"sale {line.SourceId}: {where}", credit, srid, line.SourceId);
                break;
            case LineKind.Return:
                state.Gap($"return {line.SourceId}: {where}", credit, srid, line.SourceId);
                break;
            default:
                Credit(line, credit, "amount for pay", where, srid, state);
                break;
        }

        state.Fee(line.Date, LogisticsKind, Money(d.DeliveryRub), line.SourceId);
        state.Fee(line.Date, PenaltyKind, Money(d.Penalty), line.SourceId);
        state.Fee(line.Date, DeductionKind, Money(d.Deduction), line.SourceId);
        state.Fee(line.Date, StorageKind, Money(d.StorageFee), line.SourceId);
        state.Fee(line.Date, AcceptanceKind, Money(d.Acceptance), line.SourceId);
        Credit(line, Money(d.AdditionalPayment), "additional payment", where, srid, state);
    }

    /// <summary>Money to the seller outside any sale has no ledger row (fees are costs): a gap. A charge is a fee.</summary>
    private static void Credit(Line line, decimal amount, string what, string where, string? srid, LedgerBuilder state)
    {
        if (amount > 0m)
        {
            state.Gap($"{what} of line {line.SourceId}: {where}", amount, srid, line.SourceId);
        }
        else if (amount < 0m)
        {
            state.Fee(line.Date, OtherKind, -amount, line.SourceId);
        }
    }

    /// <summary>
    /// Loyalty-programme amounts (<c>cashbackAmount</c>, <c>cashbackDiscount</c>, <c>cashbackCommissionChange</c>) have no
    /// ledger field and their place in WB's payout is not documented: the line is named in a gap (payout effect 0, as
    /// neither side counts them) so the run says they were left out.
    /// </summary>
    private static void LoyaltyGap(Line line, string? srid, LedgerBuilder state)
    {
        var d = line.Data;
        if (Money(d.CashbackAmount) == 0m && Money(d.CashbackDiscount) == 0m && Money(d.CashbackCommissionChange) == 0m)
        {
            return;
        }

        state.Gap(
            string.Create(
                CultureInfo.InvariantCulture,
                $"report line {line.SourceId} carries loyalty-programme amounts the ledger does not hold (cashbackAmount {Money(d.CashbackAmount)}, cashbackDiscount {Money(d.CashbackDiscount)}, cashbackCommissionChange {Money(d.CashbackCommissionChange)})"),
            0m,
            srid,
            line.SourceId);
    }

    /// <summary>The channel of a campaign: <c>wb_adv_</c> + its id (stable: a renamed campaign keeps it).</summary>
    public static string CampaignChannel(long advertId) => CampaignChannelPrefix + advertId.ToString(CultureInfo.InvariantCulture);

    private void ReadAds(
        IReadOnlyList<SourceRow> rows, Dictionary<string, (DateOnly Date, string Channel, decimal Amount)> latest, SortedDictionary<string, string> names, LedgerBuilder state)
    {
        foreach (var row in rows.Where(r => r.Feed == AdsFeed))
        {
            var charge = TryRead(row.Payload, WildberriesJsonContext.Default.WbAdCharge);
            if (charge?.UpdSum is not { } amount)
            {
                state.Gap(
                    charge is null
                        ? $"ad charge {row.SourceId} is not readable JSON of the documented shape"
                        : $"ad charge {row.SourceId} has no amount (updSum)",
                    0m,
                    null,
                    row.SourceId);
                latest.Remove(row.SourceId);
                continue;
            }

            // An undated charge (updTime null, as in WB's own documentation sample) keeps the date the fetch gave it.
            var date = WildberriesTime.MoscowDate(charge.UpdTime, options.UtcDesignatorIsMoscowTime) ?? row.BusinessDate;
            var channel = charge.AdvertId is > 0 and var id ? CampaignChannel(id) : AdChannel;
            Name(names, channel, charge.CampName);
            latest[row.SourceId] = (date, channel, amount);
        }
    }

    /// <summary>
    /// Attribution rows of campaign statistics (metrics.md 3.1): per (day, campaign channel, sku) the orders WB
    /// attributes to the campaign, summed over app types (and over nmIds that share a vendor code). The sku is the
    /// vendor code the run's report gave the nmId, else the nmId, as sales lines name it. A row of no orders gives
    /// none; a row the mapping cannot read is a gap of no money.
    /// </summary>
    private static void ReadStatistics(IReadOnlyList<SourceRow> rows, SortedDictionary<string, string> names, LedgerBuilder state)
    {
        foreach (var row in rows.Where(r => r.Feed == StatisticsFeed))
        {
            var stat = WildberriesStatistics.TryRead(row.Payload);
            if (stat is null)
            {
                state.Gap($"campaign statistics row {row.SourceId} is not readable JSON of the documented shape", 0m, null, row.SourceId);
                continue;
            }

            var channel = CampaignChannel(stat.AdvertId);
            Name(names, channel, stat.CampaignName);
            if (stat.Orders != 0)
            {
                // Summed per day, channel and sku by the builder; fewer than 0 orders becomes a gap there.
                state.Attribution(row.BusinessDate, channel, stat.Sku, stat.Orders, row.SourceId, StatisticsFeed);
            }
        }
    }

    private static void Name(SortedDictionary<string, string> names, string channel, string? name)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            names[channel] = name.Trim();
        }
    }

    private static void MapAds(Dictionary<string, (DateOnly Date, string Channel, decimal Amount)> latest, LedgerBuilder state)
    {
        foreach (var group in latest.GroupBy(a => (a.Value.Date, a.Value.Channel)).OrderBy(g => g.Key.Date).ThenBy(g => g.Key.Channel, StringComparer.Ordinal))
        {
            var amount = group.Sum(a => a.Value.Amount);
            if (amount > 0m)
            {
                state.AdSpend.Add(new AdSpend(group.Key.Date, MarketplaceCode, group.Key.Channel, amount));
            }
            else if (amount < 0m)
            {
                state.Gap(
                    string.Create(CultureInfo.InvariantCulture, $"ad charges of {group.Key.Channel} on {group.Key.Date:yyyy-MM-dd} net to a refund"),
                    0m,
                    null,
                    [.. group.Select(a => a.Key)]);
            }
        }
    }

    private static bool IsReturnLogistics(Line line, LineKind kind, List<ReturnPart> returns)
    {
        if (kind == LineKind.Return)
        {
            return true;
        }

        var d = line.Data;
        var text = d.BonusTypeName;
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (text.Contains("от клиента", StringComparison.OrdinalIgnoreCase)
                || text.Contains("возврат", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (text.Contains("к клиенту", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        var back = d.ReturnAmount ?? 0;
        var forth = d.DeliveryAmount ?? 0;
        if (back > 0 && forth == 0)
        {
            return true;
        }

        if (forth > 0 && back == 0)
        {
            return false;
        }

        // Nothing tells the direction: logistics that comes after a return of the order is taken as its return leg.
        return returns.Exists(r => r.Line.Data.RrdId < d.RrdId);
    }

    private static ReturnPart? ReturnFor(Line line, OrderLine orderLine, List<ReturnPart> returns)
    {
        var candidates = orderLine.Returns.Count > 0 ? orderLine.Returns : returns;
        return candidates.LastOrDefault(r => r.Line.Data.RrdId < line.Data.RrdId) ?? candidates.FirstOrDefault();
    }

    private static OrderLine Match(SortedDictionary<string, OrderLine> orderLines, WbReportLine line) =>
        orderLines.TryGetValue(LineIdOf(line), out var match) ? match : orderLines.Values.First();

    private DateTimeOffset Time(Line line, params string?[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (WildberriesTime.TryParse(candidate, options.UtcDesignatorIsMoscowTime, out var instant))
            {
                return instant;
            }
        }

        var midnight = line.Date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, WildberriesTime.Moscow.GetUtcOffset(midnight));
    }

    /// <summary>
    /// A line's kind by its operation (<c>sellerOperName</c>, or the document type when that is empty): a sale
    /// (<c>Продажа</c>, <c>Корректная продажа</c>), a sale's storno (<c>Сторно продаж</c>), a return (<c>Возврат</c>,
    /// <c>Корректный возврат</c>), a return's storno (<c>Сторно возвратов</c>), or anything else.
    /// </summary>
    internal static LineKind KindOf(WbReportLine line)
    {
        var operation = string.IsNullOrWhiteSpace(line.SupplierOperName) ? line.DocTypeName : line.SupplierOperName;
        return operation?.Trim() switch
        {
            SaleOperation or CorrectedSaleOperation => LineKind.Sale,
            SaleStornoOperation => LineKind.SaleStorno,
            ReturnOperation or CorrectedReturnOperation => LineKind.Return,
            ReturnStornoOperation => LineKind.ReturnStorno,
            _ => LineKind.Other,
        };
    }

    /// <summary>+1 when the line's amount for pay goes to the seller, -1 when it is taken back (a return, a sale's storno).</summary>
    internal static decimal Sign(WbReportLine line) => KindOf(line) switch
    {
        LineKind.Sale or LineKind.ReturnStorno => 1m,
        LineKind.Return or LineKind.SaleStorno => -1m,
        _ => string.Equals(line.DocTypeName?.Trim(), ReturnOperation, StringComparison.Ordinal) ? -1m : 1m,
    };

    internal static decimal Money(decimal? amount) => amount ?? 0m;

    private static string LineIdOf(WbReportLine line) =>
        line.NmId is > 0 ? line.NmId.Value.ToString(CultureInfo.InvariantCulture) : "1";

    private static string SkuOf(WbReportLine line) =>
        !string.IsNullOrWhiteSpace(line.SaName) ? line.SaName.Trim()
        : line.NmId is > 0 ? line.NmId.Value.ToString(CultureInfo.InvariantCulture)
        : "unknown";

    private static T? TryRead<T>(string payload, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(payload, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal enum LineKind
    {
        Sale,
        SaleStorno,
        Return,
        ReturnStorno,
        Other,
    }

    private sealed record Line(string SourceId, DateOnly Date, WbReportLine Data);

    private sealed class ReturnPart(Line line, OrderLine orderLine, int quantity, decimal refund, decimal commissionRefund, DateTimeOffset at)
    {
        public Line Line { get; } = line;

        public OrderLine OrderLine { get; } = orderLine;

        public int Quantity { get; } = quantity;

        public decimal Refund { get; } = refund;

        public decimal CommissionRefund { get; } = commissionRefund;

        public DateTimeOffset At { get; } = at;

        public decimal ReturnLogistics { get; set; }
    }

    private sealed class OrderLine(string lineId, string sku)
    {
        private int _soldUnits;

        public string LineId { get; } = lineId;

        public string Sku { get; } = sku;

        /// <summary>Units sold; a sale that says 0 units still counts as 1 (the ledger has no empty lines).</summary>
        public int Quantity => Math.Max(1, _soldUnits);

        public int Returned { get; set; }

        public decimal Revenue { get; private set; }

        public decimal Commission { get; private set; }

        public decimal Acquiring { get; private set; }

        public decimal Logistics { get; set; }

        public decimal OtherFees { get; set; }

        /// <summary>Signed money to the seller beyond the sale itself (additional payments, compensations).</summary>
        public decimal Extra { get; set; }

        public List<ReturnPart> Returns { get; } = [];

        public void AddSale(WbReportLine line)
        {
            var forPay = Money(line.PpvzForPay);
            var acquiring = Math.Max(Money(line.AcquiringFee), 0m);
            var revenue = Math.Max(Math.Max(Money(line.RetailAmount), forPay + acquiring), 0m);
            _soldUnits += line.Quantity ?? 1;
            Revenue += revenue;
            Commission += revenue - forPay - acquiring;
            Acquiring += acquiring;
        }

        public void Emit(string srid, DateTimeOffset orderedAt, LedgerBuilder state)
        {
            // Credits larger than the costs they reverse cannot be negative fees: they go to the line's revenue.
            foreach (var part in Returns.Where(r => r.ReturnLogistics < 0m))
            {
                Logistics += part.ReturnLogistics;
                part.ReturnLogistics = 0m;
            }

            var extra = Extra;
            if (Logistics < 0m)
            {
                extra -= Logistics;
                Logistics = 0m;
            }

            if (OtherFees < 0m)
            {
                extra -= OtherFees;
                OtherFees = 0m;
            }

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

            state.Sales.Add(new SaleLine(
                MarketplaceCode, srid, LineId, orderedAt, null, LedgerNames.OrganicChannel, Sku, Quantity,
                revenue, Commission, Logistics, Acquiring, otherFees));
            foreach (var part in Returns)
            {
                state.Returns.Add(new ReturnEvent(
                    MarketplaceCode, srid, LineId, part.Line.SourceId, part.At, part.Quantity,
                    part.Refund, part.CommissionRefund, part.ReturnLogistics, Restockable: true, Reason: null));
            }
        }
    }


}
