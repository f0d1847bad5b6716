using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Ingestion.Tests.Connectors.Fakes;

namespace SellerDesk.Ingestion.Tests.Connectors.Wildberries;

/// <summary>A connector wired to a fake Wildberries over real HTTP, on a clock whose waits take no time.</summary>
internal sealed class WildberriesHarness : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private WildberriesHarness(FakeWildberries fake, WildberriesOptions options)
    {
        Fake = fake;
        Sender = new ResilientHttpSender(_http, Time, new Random(42));
        Connector = new WildberriesConnector(Sender, options);
        Connection = fake.Connection();
    }

    public FakeWildberries Fake { get; }

    public SkippingTimeProvider Time { get; } = new();

    public ResilientHttpSender Sender { get; }

    public WildberriesConnector Connector { get; }

    public ConnectionSettings Connection { get; }

    public static async Task<WildberriesHarness> StartAsync(FakeWildberriesReport report, WildberriesOptions? options = null) =>
        new(await FakeWildberries.StartAsync(report), options ?? new WildberriesOptions());

    public async Task<List<SourcePage>> FetchPagesAsync(DateOnly from, DateOnly to)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in Connector.FetchAsync(Connection, new PullWindow(from, to), CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    public async Task<List<SourceRow>> FetchAsync(DateOnly from, DateOnly to) =>
        [.. (await FetchPagesAsync(from, to)).SelectMany(p => p.Rows)];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Fake.DisposeAsync();
    }
}
