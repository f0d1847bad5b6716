using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Ozon;
using SellerDesk.Ingestion.Tests.Connectors.Ozon;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.Contract;

/// <summary>The connector contract, run against the fake Ozon.</summary>
public sealed class OzonContractTests : ConnectorContractTests
{
    private static readonly DateOnly Start = new(2026, 2, 1);
    private static readonly FakeOzonData TenDays = FakeOzonData.Generate(Start, days: 10, postingsPerDay: 6, seed: 5);
    private static readonly OzonOptions SmallPages = new() { PostingLimit = 4, ReturnLimit = 2, AccrualPostingBatch = 7 };

    protected override async Task<IContractMarketplace> StartAsync()
    {
        var harness = await OzonHarness.StartAsync(TenDays, SmallPages);
        harness.Fake.DayPageSize = 3;
        return new Market(harness);
    }

    private sealed class Market(OzonHarness harness) : IContractMarketplace
    {
        public IMarketplaceConnector Connector => harness.Connector;

        public ConnectionSettings Connection => harness.Fake.Connection();

        public PullWindow Window { get; } = new(Start, Start.AddDays(9));

        public SkippingTimeProvider Time => harness.Time;

        public int Requests => harness.Fake.Requests.Count;

        public string MainFeed => OzonConnector.FboFeed;

        public void Throttle(int requests, int after) => harness.Fake.ThrottleNext(requests, FakeOzonThrottle.Status429, OzonConnector.FboPath, after);

        public void Fail(int requests, int status, int after) => harness.Fake.FailNext(requests, status, OzonConnector.FboPath, after);

        public void Revoke() => harness.Fake.RevokeKey();

        public ContractRestatement Restate()
        {
            var data = harness.Fake.Data;
            var dropped = data.Returns[0];
            var changed = data.Fbo[^1];
            harness.Fake.Data = (data with { Returns = [.. data.Returns.Skip(1)] })
                .WithPosting(changed.Key, p => p["status"] = "cancelled");
            return new(OzonConnector.ReturnsFeed, dropped.Key, OzonConnector.FboFeed, changed.Key);
        }

        public void ServePartialRows()
        {
            // As in Ozon's samples: postings without their processing date, one without any date.
            var data = harness.Fake.Data;
            harness.Fake.Data = data
                .WithPosting(data.Fbo[0].Key, p => p["in_process_at"] = null)
                .WithPosting(data.Fbo[1].Key, p =>
                {
                    p["in_process_at"] = null;
                    p["created_at"] = null;
                });
        }

        public ValueTask DisposeAsync() => harness.DisposeAsync();
    }
}
