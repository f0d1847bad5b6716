using System.Globalization;
using System.Text;
using SellerDesk.Domain.Ledger;
using SellerDesk.Ingestion.Demo;

namespace SellerDesk.Bench;

/// <summary>What <see cref="LedgerFiles"/> wrote: file paths (null when not asked for) and row counts.</summary>
internal sealed record GeneratedLedger(
    string SalesPath,
    long SalesLines,
    long SalesBytes,
    long Orders,
    long Customers,
    string? CostsPath,
    int CostRows,
    string? ReturnsPath,
    int ReturnRows,
    string? AdSpendPath,
    int AdSpendRows,
    string? FeesPath,
    int FeeRows,
    string? AttributionPath,
    int AttributionRows);

/// <summary>
/// The benchmark's ledgers, written as the canonical ledger files (import-and-api.md) straight to disk as they are
/// generated. They are the demo seller (<see cref="DemoLedgerGenerator"/>, the app's one ledger generator) scaled up:
/// the same four marketplaces, channels, campaigns and attribution, buyers identified on Ozon, Yandex Market and the
/// own store, returns, costs, ad spend and fees; a catalog of <see cref="Skus"/> SKUs; the scale chosen so that the
/// year has about the sales lines asked for. The same seed always gives the same files.
/// </summary>
internal static class LedgerFiles
{
    /// <summary>SKUs of the benchmark seller: the demo seller's catalog and variants of it.</summary>
    public const int Skus = 600;

    // A scale is measured on at least this many lines before it is stretched to the size asked for.
    private const long ProbeLines = 20_000;

    /// <summary>
    /// Writes sales.csv with about <paramref name="lines"/> lines (within a percent or so) of the days
    /// <paramref name="first"/>..<paramref name="last"/> into <paramref name="directory"/>; with <paramref name="full"/>
    /// also costs.csv, returns.csv, attribution.csv, ad_spend.csv and fees.csv of the same ledger. With
    /// <paramref name="buyersPerLine"/> the share of orders that carry a buyer id is raised (or lowered) so that the
    /// ledger has about that many identified buyers per sales line; without, the demo seller's shares.
    /// </summary>
    public static GeneratedLedger Write(
        string directory, string prefix, long lines, bool full, DateOnly first, DateOnly last, TimeZoneInfo zone, int seed,
        double? buyersPerLine = null)
    {
        var options = new DemoLedgerOptions(last, zone) { Days = last.DayNumber - first.DayNumber + 1, Seed = seed, Skus = Skus };
        if (buyersPerLine is { } wanted)
        {
            options = options with { BuyerIdShare = BuyerIdShareFor(options, wanted) };
        }

        options = options with { Scale = ScaleFor(options, lines) };
        string PathOf(string name) => Path.Combine(directory, prefix + name);
        var sink = new CsvSink(PathOf("sales.csv"), full ? PathOf : null);
        DemoLedgerStats stats;
        try
        {
            stats = new DemoLedgerGenerator(options, sink).Run();
        }
        finally
        {
            sink.Dispose();
        }

        return new GeneratedLedger(
            PathOf("sales.csv"), stats.SalesLines, new FileInfo(PathOf("sales.csv")).Length, stats.Orders, stats.IdentifiedBuyers,
            full ? PathOf("costs.csv") : null, sink.Costs,
            full ? PathOf("returns.csv") : null, sink.Returns,
            full ? PathOf("ad_spend.csv") : null, sink.Spend,
            full ? PathOf("fees.csv") : null, sink.Fees,
            full ? PathOf("attribution.csv") : null, sink.Attribution);
    }

    /// <summary>
    /// The scale that gives about <paramref name="lines"/> sales lines: lines grow in proportion to the scale, so the
    /// lines of a probe run (counted, not kept) say it. A probe with too few lines to be steady is run once more, larger.
    /// </summary>
    private static double ScaleFor(DemoLedgerOptions options, long lines)
    {
        var probe = ProbeScale(options);
        return probe * lines / Math.Max(1, Count(options with { Scale = probe }).SalesLines);
    }

    /// <summary>A scale at which the ledger has at least <see cref="ProbeLines"/> lines.</summary>
    private static double ProbeScale(DemoLedgerOptions options)
    {
        var counted = Count(options with { Scale = 1 }).SalesLines;
        return counted < ProbeLines ? (double)ProbeLines / Math.Max(1, counted) : 1;
    }

    /// <summary>
    /// The buyer id share that gives about <paramref name="buyersPerLine"/> identified buyers per sales line. New
    /// marketplace buyers grow in proportion to the share (the own store's customers do not depend on it), so two probe
    /// runs at shares 1 and 2 give the line to solve; the answer is kept between 0 and 2.5 (every Ozon order named).
    /// </summary>
    private static double BuyerIdShareFor(DemoLedgerOptions options, double buyersPerLine)
    {
        var probe = options with { Scale = ProbeScale(options) };
        var one = Count(probe with { BuyerIdShare = 1 });
        var two = Count(probe with { BuyerIdShare = 2 });
        double PerLine(DemoLedgerStats s) => (double)s.IdentifiedBuyers / Math.Max(1, s.SalesLines);
        var slope = PerLine(two) - PerLine(one);
        return slope <= 0 ? 1 : Math.Clamp(1 + ((buyersPerLine - PerLine(one)) / slope), 0, 2.5);
    }

    private static DemoLedgerStats Count(DemoLedgerOptions options) => new DemoLedgerGenerator(options, new CountingSink()).Run();

    /// <summary>Keeps nothing: the generator counts what it made.</summary>
    private sealed class CountingSink : ILedgerSink
    {
        public void AddCost(UnitCost cost)
        {
        }

        public void AddSale(SaleLine line)
        {
        }

        public void AddReturn(ReturnEvent returned)
        {
        }

        public void AddAttribution(AttributionRow row)
        {
        }

        public void AddAdSpend(AdSpend spend)
        {
        }

        public void AddFee(PeriodFee fee)
        {
        }
    }

    /// <summary>Writes each row to its CSV file as it comes; only sales.csv when no other files are asked for.</summary>
    private sealed class CsvSink : ILedgerSink, IDisposable
    {
        private const string Timestamp = "yyyy-MM-dd'T'HH:mm:sszzz";

        private readonly StringBuilder _line = new(256);
        private readonly StreamWriter _sales;
        private readonly StreamWriter? _costs;
        private readonly StreamWriter? _returns;
        private readonly StreamWriter? _attribution;
        private readonly StreamWriter? _spend;
        private readonly StreamWriter? _fees;

        public CsvSink(string salesPath, Func<string, string>? others)
        {
            _sales = Open(salesPath, "marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees");
            if (others is null)
            {
                return;
            }

            _costs = Open(others("costs.csv"), "sku,valid_from,unit_cost");
            _returns = Open(others("returns.csv"), "marketplace,order_id,line_id,return_id,returned_at,quantity,refund,commission_refund,return_logistics,restockable,reason");
            _attribution = Open(others("attribution.csv"), "date,marketplace,channel,sku,orders");
            _spend = Open(others("ad_spend.csv"), "date,marketplace,channel,amount");
            _fees = Open(others("fees.csv"), "date,marketplace,kind,amount");
        }

        public int Costs { get; private set; }

        public int Returns { get; private set; }

        public int Attribution { get; private set; }

        public int Spend { get; private set; }

        public int Fees { get; private set; }

        public void AddSale(SaleLine line)
        {
            _line.Clear();
            _line.Append(line.Marketplace).Append(',').Append(line.OrderId).Append(',').Append(line.LineId).Append(',')
                .Append(line.OrderedAt.ToString(Timestamp, CultureInfo.InvariantCulture)).Append(',')
                .Append(line.CustomerId).Append(',').Append(line.Channel).Append(',').Append(line.Sku).Append(',')
                .Append(line.Quantity).Append(',');
            Money(line.Revenue).Append(',');
            Money(line.Commission).Append(',');
            Money(line.Logistics).Append(',');
            Money(line.Acquiring).Append(',');
            Money(line.OtherFees).Append('\n');
            _sales.Write(_line);
        }

        public void AddReturn(ReturnEvent returned)
        {
            if (_returns is null)
            {
                return;
            }

            _line.Clear();
            _line.Append(returned.Marketplace).Append(',').Append(returned.OrderId).Append(',').Append(returned.LineId).Append(',')
                .Append(returned.ReturnId).Append(',').Append(returned.ReturnedAt.ToString(Timestamp, CultureInfo.InvariantCulture)).Append(',')
                .Append(returned.Quantity).Append(',');
            Money(returned.Refund).Append(',');
            Money(returned.CommissionRefund).Append(',');
            Money(returned.ReturnLogistics).Append(',')
                .Append(returned.Restockable ? "true" : "false").Append(',').Append(returned.Reason).Append('\n');
            _returns.Write(_line);
            Returns++;
        }

        public void AddCost(UnitCost cost)
        {
            if (_costs is not null)
            {
                _costs.Write(string.Create(CultureInfo.InvariantCulture, $"{cost.Sku},{cost.ValidFrom:yyyy-MM-dd},{cost.Cost:0.00}\n"));
                Costs++;
            }
        }

        public void AddAttribution(AttributionRow row)
        {
            if (_attribution is not null)
            {
                _attribution.Write(string.Create(CultureInfo.InvariantCulture, $"{row.Date:yyyy-MM-dd},{row.Marketplace},{row.Channel},{row.Sku},{row.Orders}\n"));
                Attribution++;
            }
        }

        public void AddAdSpend(AdSpend spend)
        {
            if (_spend is not null)
            {
                _spend.Write(string.Create(CultureInfo.InvariantCulture, $"{spend.Date:yyyy-MM-dd},{spend.Marketplace},{spend.Channel},{spend.Amount:0.00}\n"));
                Spend++;
            }
        }

        public void AddFee(PeriodFee fee)
        {
            if (_fees is not null)
            {
                _fees.Write(string.Create(CultureInfo.InvariantCulture, $"{fee.Date:yyyy-MM-dd},{fee.Marketplace},{fee.Kind},{fee.Amount:0.00}\n"));
                Fees++;
            }
        }

        public void Dispose()
        {
            _sales.Dispose();
            _costs?.Dispose();
            _returns?.Dispose();
            _attribution?.Dispose();
            _spend?.Dispose();
            _fees?.Dispose();
        }

        private static StreamWriter Open(string path, string header)
        {
            var writer = new StreamWriter(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 1 << 20 })
            {
                NewLine = "\n",
            };
            writer.Write(header + "\n");
            return writer;
        }

        private StringBuilder Money(decimal value) => _line.Append(value.ToString("0.00", CultureInfo.InvariantCulture));
    }
}
