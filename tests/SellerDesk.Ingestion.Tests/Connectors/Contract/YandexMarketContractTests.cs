using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Ingestion.Tests.Connectors.YandexMarket;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Contract;

/// <summary>The connector contract, run against the fake Yandex Market.</summary>
public sealed class YandexMarketContractTests : ConnectorContractTests
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly FakeYandexMarketData FiveDays = FakeYandexMarketData.Generate(Start, days: 5, ordersPerDay: 6, seed: 2);
    private static readonly YandexMarketOptions SmallPages = new() { OrdersLimit = 7, ReturnsLimit = 1 };

    protected override async Task<IContractMarketplace> StartAsync() =>
        new Market(await YandexMarketHarness.StartAsync(FiveDays, SmallPages));

    private sealed class Market(YandexMarketHarness harness) : IContractMarketplace
    {
        public IMarketplaceConnector Connector => harness.Connector;

        public ConnectionSettings Connection => harness.Connection;

        public PullWindow Window { get; } = new(Start, Start.AddDays(4));

        public SkippingTimeProvider Time => harness.Time;

        public int Requests => harness.Fake.Requests.Count;

        public string MainFeed => YandexMarketConnector.OrdersFeed;

        public void Throttle(int requests, int after) => harness.Fake.ThrottleNext(requests);

        public void Fail(int requests, int status, int after) => harness.Fake.FailNext(requests, status);

        public void Revoke() => harness.Fake.RevokeKey();

        public ContractRestatement Restate()
        {
            var data = harness.Fake.Data;
            var dropped = data.Orders.First(o => o.Status == "DELIVERED" && data.Returns.All(r => r.OrderId != o.Id));
            var changed = data.Orders.First(o => o.Status == "DELIVERED" && o.Id != dropped.Id && data.Returns.All(r => r.OrderId != o.Id));
            harness.Fake.Data = data with
            {
                Orders = [.. data.Orders.Where(o => o.Id != dropped.Id).Select(o => o.Id == changed.Id ? o with { Status = "CANCELLED_IN_DELIVERY" } : o)],
            };
            return new(YandexMarketConnector.OrdersFeed, Id(dropped.Id), YandexMarketConnector.OrdersFeed, Id(changed.Id));
        }

        public void ServePartialRows()
        {
            // As in Yandex's samples: an order without an id, and one with null dates, counts and actual commission.
            harness.Fake.Data = harness.Fake.Data with
            {
                RawOrders =
                [
                    new FakeYmRaw(new DateOnly(2026, 3, 2), """{"creationDate":"2026-03-02","status":"DELIVERED","items":[{"shopSku":"X","count":1,"prices":[{"type":"BUYER","costPerItem":100,"total":100}]}],"payments":[{"type":"PAYMENT","source":"BUYER","total":100}],"commissions":[{"type":"FEE","actual":10}],"subsidies":[]}"""),
                    new FakeYmRaw(new DateOnly(2026, 3, 3), """{"id":1101,"creationDate":null,"statusUpdateDate":"2026-03-04T11:00:00+03:00","status":"DELIVERED","partnerOrderId":null,"buyer":null,"items":[{"offerName":"Свеча","shopSku":"CANDLE-11","count":null,"prices":[{"type":"BUYER","costPerItem":250,"total":null}]}],"payments":[{"type":"PAYMENT","source":"BUYER","total":250}],"commissions":[{"type":"FEE","actual":null,"predicted":25}],"subsidies":[]}"""),
                ],
            };
        }

        public ValueTask DisposeAsync() => harness.DisposeAsync();

        private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
