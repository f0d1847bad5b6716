using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Http;
using SellerDesk.Ingestion.Connectors.YandexMarket;
using SellerDesk.Testing.Marketplaces;

namespace SellerDesk.Ingestion.Tests.Connectors.YandexMarket;

/// <summary>A connector wired to a fake Yandex Market over real HTTP, on a clock whose waits take no time.</summary>
internal sealed class YandexMarketHarness : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private YandexMarketHarness(FakeYandexMarket fake, YandexMarketOptions options)
    {
        Fake = fake;
        Fake.Now = Time.GetUtcNow;
        Sender = new ResilientHttpSender(_http, Time, new Random(42));
        Connector = new YandexMarketConnector(Sender, options, Time);
        Connection = fake.Connection();
    }

    public FakeYandexMarket Fake { get; }

    public SkippingTimeProvider Time { get; } = new();

    public ResilientHttpSender Sender { get; }

    public YandexMarketConnector Connector { get; }

    public ConnectionSettings Connection { get; }

    public static async Task<YandexMarketHarness> StartAsync(FakeYandexMarketData data, YandexMarketOptions? options = null) =>
        new(await FakeYandexMarket.StartAsync(data), options ?? new YandexMarketOptions());

    public async Task<List<SourcePage>> FetchPagesAsync(DateOnly from, DateOnly to, ConnectionSettings? connection = null)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in Connector.FetchAsync(connection ?? Connection, new PullWindow(from, to), CancellationToken.None))
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
