using System.Globalization;
using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Tests.Connectors.Wildberries;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Contract;

/// <summary>The connector contract, run against the fake Wildberries.</summary>
public sealed class WildberriesContractTests : ConnectorContractTests
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly FakeWildberriesReport FiveDays = FakeWildberriesReport.Generate(Start, days: 5, ordersPerDay: 4);
    private static readonly WildberriesOptions SmallPages = new() { ReportLimit = 7, RowsPerPage = 5 };

    protected override async Task<IContractMarketplace> StartAsync() =>
        new Market(await WildberriesHarness.StartAsync(FiveDays, SmallPages));

    private sealed class Market(WildberriesHarness harness) : IContractMarketplace
    {
        public IMarketplaceConnector Connector => harness.Connector;

        public ConnectionSettings Connection => harness.Connection;

        public PullWindow Window { get; } = new(Start, Start.AddDays(4));

        public SkippingTimeProvider Time => harness.Time;

        public int Requests => harness.Fake.Requests.Count;

        public string MainFeed => WildberriesConnector.RealizationFeed;

        public void Throttle(int requests, int after) => harness.Fake.ThrottleNext(requests, retrySeconds: 7, path: WildberriesConnector.ReportPath, after: after);

        public void Fail(int requests, int status, int after) => harness.Fake.FailNext(requests, status, WildberriesConnector.ReportPath, after);

        public void Revoke() => harness.Fake.RevokeToken();

        public ContractRestatement Restate()
        {
            var report = harness.Fake.Report;
            var dropped = report.Lines.First(l => l.SupplierOperName == "Продажа" && report.Lines.Count(o => o.Srid == l.Srid) > 1);
            var changed = report.Lines.First(l => l.SupplierOperName == "Продажа" && l.Srid != dropped.Srid);
            harness.Fake.Report = new FakeWildberriesReport(
                report.Lines.Where(l => l.RrdId != dropped.RrdId)
                    .Select(l => l.RrdId == changed.RrdId ? l with { RetailAmount = l.RetailAmount + 10m, PpvzForPay = l.PpvzForPay + 10m } : l),
                report.AdCharges);
            return new(WildberriesConnector.RealizationFeed, Id(dropped.RrdId), WildberriesConnector.RealizationFeed, Id(changed.RrdId));
        }

        public void ServePartialRows()
        {
            // As in WB's own samples: a storage line with no order, ids or dates but the report date, and a logistics
            // line with no report date.
            var report = harness.Fake.Report;
            var next = report.Lines.Max(l => l.RrdId) + 1;
            harness.Fake.Report = new FakeWildberriesReport(
                [
                    .. report.Lines,
                    new FakeWbReportLine { RrdId = next, Srid = null, NmId = null, SupplierOperName = "Хранение", StorageFee = 10m, OrderDt = null, SaleDt = null, RrDt = "2026-03-02" },
                    new FakeWbReportLine { RrdId = next + 1, Srid = "partial-1", NmId = 7, SupplierOperName = "Логистика", DeliveryRub = 50m, OrderDt = null, RrDt = null, SaleDt = "2026-03-03T10:00:00" },
                ],
                report.AdCharges);
        }

        public ValueTask DisposeAsync() => harness.DisposeAsync();

        private static string Id(long rrdId) => rrdId.ToString(CultureInfo.InvariantCulture);
    }
}
